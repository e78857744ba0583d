"""`logscan scan`: hits and findings on stdout, exit codes, user rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from logscan.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_logs"
BAD_RULES = ROOT / "tests" / "data" / "rules"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["scan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_confirmed_host_reports_the_import_failure_and_the_chain() -> None:
    code, out, _ = _run("--format", "jsonl", str(SAMPLES / "WKS-XP-0142"))
    assert code == 1  # a high/critical hit or a finding
    rows = [json.loads(line) for line in out.splitlines()]
    hits = [r for r in rows if r["type"] == "hit"]
    failure = next(r for r in hits if r["rule"] == "kb977203.osdsmpclient.import_failure")
    assert failure["codes"] == ["0x80092024"]
    assert failure["record"]["component"] == "OSDSMPClient"
    assert any(r["type"] == "finding" for r in rows)


def test_text_output_cites_file_and_line() -> None:
    code, out, _ = _run(str(SAMPLES / "WKS-XP-0142"))
    assert code == 1
    assert "WINDOWS/system32/CCM/Logs/CcmExec.log:" in out
    assert "[critical] kb977203.osdsmpclient.import_failure" in out


def test_healthy_host_has_only_informational_hits() -> None:
    code, out, _ = _run("-q", str(SAMPLES / "WKS-XP-0533"))
    assert code == 0
    assert out and all("[informational]" in line for line in out.splitlines())


def test_a_broken_user_rule_is_reported_and_skipped_unless_strict(tmp_path: Path) -> None:
    user = tmp_path / "rules"
    user.mkdir()
    shutil.copy(BAD_RULES / "bad_regex.yaml", user / "bad_regex.yaml")
    code, out, err = _run("--rules", str(user), str(SAMPLES / "WKS-XP-0142"))
    assert code == 1 and "kb977203.osdsmpclient.import_failure" in out
    assert "rule error:" in err and "bad_regex.yaml" in err
    code, out, err = _run("--strict", "--rules", str(user), str(SAMPLES / "WKS-XP-0142"))
    assert code == 2 and out == ""


def test_no_readable_log_exits_3(tmp_path: Path) -> None:
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01\x02" * 100)
    code, out, _ = _run(str(tmp_path))
    assert code == 3 and out == ""
