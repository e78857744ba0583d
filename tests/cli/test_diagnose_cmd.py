"""``logscan diagnose``: text for a person, the documented JSON shape, jsonl, markdown,
exit codes (0 / 1 / 2 / 3), stderr-only diagnostics, --live off Windows, light imports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from logscan.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_logs"
DOC = ROOT / "docs" / "diagnose-json.md"
NOW = "2024-01-01T00:00:00+00:00"


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["diagnose", "--now", NOW, *map(str, args)])


def test_text_for_one_confirmed_host() -> None:
    result = _run(SAMPLES / "WKS-XP-0142")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "WKS-XP-0142: CONFIRMED: KB977203 (high confidence)"
    evidence = lines[lines.index("  Evidence:") + 1 : lines.index("  Certificate(s) at fault:")]
    cites = [ln.strip() for ln in evidence if not ln.startswith("        ")]
    assert cites == [
        "WINDOWS/system32/CCM/Logs/smsts.log:118",
        "WINDOWS/system32/CCM/Logs/smsts.log:125",
        "sms_store.reg:8",
    ]
    assert '"SMS Signing Certificate␀"  NUL at UTF-16 unit 23  (sms_store.reg:8)' in result.stdout
    assert "What to do next:" in result.stdout
    assert "CCMCertFix.exe CCMCertFix.log" in result.stdout
    assert "SCCM2007AC-SP2-KB977203-x86.msp" in result.stdout
    assert result.stderr == ""


def test_verbose_adds_reasoning_and_timeline() -> None:
    out = _run(SAMPLES / "WKS-XP-0311", "-v").stdout
    assert "Reasoning:" in out and "after_failure (sets; now resolved, high)" in out
    timeline = out[out.index("Timeline (UTC):") :].splitlines()[1:]
    stamps = [ln.split()[0] + " " + ln.split()[1].rstrip("~") for ln in timeline if ln.strip()]
    stamps = [s for s in stamps if s[0].isdigit()]
    assert stamps == sorted(stamps) and len(stamps) > 20


def _documented_keys(section: str) -> list[str]:
    text = DOC.read_text("utf-8")
    part = text[text.index(section) + len(section) :]
    part = part[: part.index("\n#")] if "\n#" in part else part
    return re.findall(r"^\| `(\w+)` \|", part, flags=re.MULTILINE)


def test_json_has_the_documented_shape_for_every_sample() -> None:
    result = _run(SAMPLES, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert set(doc) == {"diagnoses", "rules"}
    assert doc["rules"]["failed"] == 0 and doc["rules"]["loaded"] > 20
    keys = _documented_keys("## A host") + _documented_keys("### Additions")
    verdicts = {"confirmed", "likely", "at_risk", "resolved", "other_failure", "no_evidence"}
    for host in doc["diagnoses"]:
        assert list(host) == keys
        assert host["verdict"] in verdicts
        assert set(host["coverage"]) == {"present", "missing", "unreadable"}
        for e in host["evidence"]:
            assert set(e) == {"kind", "path", "line", "text", "rule"}
            assert e["kind"] in ("log", "cert", "fact")
            assert e["path"].startswith(host["input"] + "/")
    by_host = {h["host"]: h for h in doc["diagnoses"]}
    nul = [c for c in by_host["WKS-W7-1164"]["certificates"] if c["at_fault"]]
    assert {c["friendly_name"] for c in nul} == {
        "SMS Signing Certificate␀",
        "SMS Encryption Certificate␀",
    }


def test_jsonl_is_one_host_per_line_then_the_rule_counts() -> None:
    lines = _run(SAMPLES, "--format", "jsonl").stdout.splitlines()
    docs = [json.loads(line) for line in lines]
    assert len(docs) == 10
    assert list(docs[-1]) == ["rules"]
    assert [d["host"] for d in docs[:-1]] == sorted(d["host"] for d in docs[:-1])


def test_markdown_has_the_host_table() -> None:
    out = _run(SAMPLES, "--format", "markdown").stdout
    assert "| WKS-XP-0420 | `other_failure` | high | 0x80070005, usmt:27" in out
    assert "## WKS-XP-0588: `likely`" in out


@pytest.mark.parametrize(
    ("host", "code"),
    [("WKS-XP-0533", 0), ("WKS-XP-0420", 0), ("WKS-XP-0311", 0), ("WKS-XP-0999", 0),
     ("WKS-W7-1164", 1), ("WKS-XP-0588", 1), ("WKS-VS-0455", 1)],
)  # fmt: skip
def test_exit_code_follows_the_verdict(host: str, code: int) -> None:
    assert _run(SAMPLES / host).exit_code == code


def test_no_readable_input_exits_3(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _run(empty, tmp_path / "no-such-folder")
    assert result.exit_code == 3
    assert result.stdout.startswith("rules: loaded")
    assert "no readable input" in result.stderr
    assert "no-such-folder" in result.stderr


def test_usage_errors_exit_2() -> None:
    assert _run().exit_code == 2
    assert _run("--live", SAMPLES).exit_code == 2
    assert _run(SAMPLES, "--format", "xml").exit_code == 2


@pytest.mark.skipif(sys.platform == "win32", reason="--live works on Windows")
def test_live_off_windows_is_a_usage_error() -> None:
    result = _run("--live")
    assert result.exit_code == 2
    assert "Windows" in result.stderr
    assert "Traceback" not in result.output


def test_broken_user_rule_is_reported_and_the_rest_still_run(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [unclosed\n")
    result = _run(SAMPLES / "WKS-XP-0142", "--rules", bad, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["rules"]["failed"] == 1
    assert "bad.yaml:" in result.stderr


_PROBE = """
import sys
from logscan.cli.main import cli
try:
    cli.main(args=sys.argv[1:], prog_name="logscan", standalone_mode=False)
except SystemExit:
    pass
heavy = {"textual", "pandas", "dask", "ctypes", "cryptography", "regipy"}
print("HEAVY:" + ",".join(sorted({m.split(".")[0] for m in sys.modules} & heavy)), file=sys.stderr)
"""


def _heavy(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=False
    )
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("HEAVY:")][-1]
    return {m for m in line.removeprefix("HEAVY:").split(",") if m}


def test_import_light_cryptography_only_when_certificates_are_read(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    smsts = SAMPLES / "WKS-XP-0588" / "WINDOWS" / "system32" / "CCM" / "Logs" / "smsts.log"
    (logs / "smsts.log").write_bytes(smsts.read_bytes())
    assert _heavy("diagnose", str(logs)) == set()
    assert _heavy("diagnose", str(SAMPLES / "WKS-XP-0142")) == {"cryptography"}
