"""``logscan collector --write DIR``: stdout is the path, stderr how to run it; exit codes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from logscan.cli.main import cli
from logscan.collector import SCRIPT_NAME, script_bytes


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["collector", *args])


def test_writes_and_prints_the_path(tmp_path: Path) -> None:
    result = _run("--write", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    target = tmp_path / "out" / SCRIPT_NAME
    assert result.stdout == f"{target}\n"
    assert target.read_bytes() == script_bytes()
    assert f"{SCRIPT_NAME} [OUTPUT_FOLDER]" in result.stderr
    assert "zip" in result.stderr


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / SCRIPT_NAME).write_bytes(b"keep me")
    result = _run("--write", str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--force" in result.stderr and "Traceback" not in result.output
    assert (tmp_path / SCRIPT_NAME).read_bytes() == b"keep me"
    forced = _run("--write", str(tmp_path), "--force")
    assert forced.exit_code == 0
    assert (tmp_path / SCRIPT_NAME).read_bytes() == script_bytes()


def test_unwritable_target_exits_3(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    result = _run("--write", str(tmp_path / "f" / "sub"))
    assert result.exit_code == 3
    assert "cannot write" in result.stderr


def test_listed_in_help_and_needs_write() -> None:
    assert "collector" in CliRunner().invoke(cli, ["--help"]).stdout
    result = _run()
    assert result.exit_code == 2
    assert "--write" in result.output
