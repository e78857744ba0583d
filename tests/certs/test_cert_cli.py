"""``logscan certs`` (cli/certs_cmd.py): results on stdout, diagnostics on stderr, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import certfactory as F
import pytest
from click.testing import CliRunner

from logscan.certs.sst import write_sst
from logscan.cli.exitcodes import ExitCode
from logscan.cli.main import cli


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["certs", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def defective(tmp_path: Path) -> Path:
    path = tmp_path / "sms.reg"
    path.write_bytes(F.reg_export(F.client_pair("PC01", "trailing", "clean")))
    return path


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.sst"
    path.write_bytes(write_sst(F.client_pair("PC01").values()))
    return path


def test_embedded_nul_exits_1_and_shows_the_marked_name(defective: Path) -> None:
    code, out, err = _run(str(defective), "--host", "PC01")
    assert code == ExitCode.FINDING
    assert "SMS Signing Certificate␀" in out and "embedded_nul" in out
    assert "NUL at unit 23" in out and err == ""


def test_clean_store_exits_0_and_json_parses(clean: Path) -> None:
    code, out, _ = _run(str(clean), "--format", "json", "--host", "PC01")
    assert code == ExitCode.OK
    doc = json.loads(out)
    assert doc["kb977203"] is False and doc["unreadable"] == []
    [source] = doc["sources"]
    assert source["kind"] == "sst" and source["findings"] == []
    roles = sorted(c["role"] for c in source["certificates"])
    assert roles == ["encryption", "signing"]
    assert all(c["friendly_name"]["fidelity"] == "exact" for c in source["certificates"])


def test_json_carries_the_nul_positions_and_raw_bytes(defective: Path) -> None:
    code, out, _ = _run(str(defective), "--format", "json")
    assert code == ExitCode.FINDING
    doc = json.loads(out)
    certs = doc["sources"][0]["certificates"]
    sign = next(c for c in certs if c["role"] == "signing")
    assert sign["friendly_name"]["nul_positions"] == [23]
    assert sign["friendly_name"]["raw_hex"].endswith("650000000000")


def test_host_and_clock_options_drive_the_checks(clean: Path) -> None:
    code, out, _ = _run(str(clean), "--host", "OTHER")
    assert code == ExitCode.OK and out.count("host_mismatch") == 2
    later = (F.NOW + timedelta(days=4000)).isoformat()
    code, out, _ = _run(str(clean), "--now", later)
    assert code == ExitCode.OK and out.count("WARNING expired") == 2


def test_usage_errors_exit_2(clean: Path) -> None:
    assert _run()[0] == ExitCode.USAGE
    assert _run("--live", str(clean))[0] == ExitCode.USAGE
    assert _run(str(clean), "--format", "xml")[0] == ExitCode.USAGE
    if sys.platform != "win32":
        code, _, err = _run("--live")
        assert code == ExitCode.USAGE and "needs Windows" in err


def test_nothing_readable_exits_3(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02 random")
    code, out, err = _run(str(tmp_path / "missing.reg"), str(junk))
    assert code == ExitCode.NO_INPUT and out == ""
    assert "missing.reg: no such file" in err and "junk.bin@0: not certificate evidence" in err


def test_some_unreadable_exits_4_but_a_nul_still_wins(
    clean: Path, defective: Path, tmp_path: Path
) -> None:
    missing = str(tmp_path / "gone.sst")
    assert _run(str(clean), missing)[0] == ExitCode.PARTIAL
    assert _run(str(defective), missing)[0] == ExitCode.FINDING


def test_source_problems_go_to_stderr_with_their_location(tmp_path: Path) -> None:
    pair = F.client_pair("PC01", "clean", "middle")
    sign = next(iter(pair))
    pair[sign] = pair[sign][:-30]
    path = tmp_path / "cut.reg"
    path.write_bytes(F.reg_export(pair))
    code, out, err = _run(str(path))
    assert code == ExitCode.FINDING  # the other certificate still shows its NUL
    assert "problem:" in err and f"{path}:" in err and "Blob offset" in err
    assert "problem:" not in out


def test_folder_input_picks_the_certificate_files(tmp_path: Path, defective: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here")
    code, out, _ = _run(str(tmp_path))
    assert code == ExitCode.FINDING and str(defective) in out


def test_certs_modules_import_nothing_heavy() -> None:
    probe = (
        "import sys\n"
        "import logscan.certs.source, logscan.certs.checks, logscan.certs.regexport\n"
        "import logscan.certs.live, logscan.certs.sst, logscan.certs.hive, logscan.cli.certs_cmd\n"
        "heavy = {'cryptography', 'regipy', 'ctypes'} & {m.split('.')[0] for m in sys.modules}\n"
        "print(','.join(sorted(heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
