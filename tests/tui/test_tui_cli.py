"""``logscan tui``: its help and its refusals need no Textual; with logs it starts the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tui_support import CCMEXEC

from logscan.cli.exitcodes import ExitCode
from logscan.cli.main import cli

_PROBE = """
import sys
from logscan.cli.main import cli
try:
    cli.main(args=sys.argv[1:], prog_name="logscan", standalone_mode=False)
except SystemExit:
    pass
print("TEXTUAL:" + str("textual" in sys.modules), file=sys.stderr)
"""


def _imports_textual(*args: str) -> bool:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=False
    )
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("TEXTUAL:")]
    assert line, proc.stderr
    return line[-1] == "TEXTUAL:True"


def test_help_lists_tui_without_importing_textual() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "tui" in result.output
    assert not _imports_textual("--help")
    assert not _imports_textual("tui", "--help")


def test_no_readable_log_is_refused_before_textual(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here"
    result = CliRunner().invoke(cli, ["tui", str(missing)])
    assert result.exit_code == ExitCode.NO_INPUT
    assert "no readable log" in result.stderr
    assert str(missing) in result.stderr or "nothing-here" in result.stderr
    assert not _imports_textual("tui", str(missing))


def test_tui_starts_the_app_on_the_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[int, bool, bool]] = []

    def fake_run(self, *args: object, **kwargs: object) -> None:  # type: ignore[no-untyped-def]
        started.append((len(self.logs), self._merged, self._follow))

    monkeypatch.setattr("logscan.tui.app.LogscanApp.run", fake_run)
    result = CliRunner().invoke(cli, ["tui", "--merge", str(CCMEXEC), str(CCMEXEC.parent)])
    assert result.exit_code == 0, result.output
    assert started == [(2, True, False)]
