"""Runners (real subprocess, dry, recording), the scripted CCMCertFix and its report."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from repairkit import F

from logscan.repair.blobfix import friendly_of_blob
from logscan.repair.certfix_log import read_certfix_report
from logscan.repair.runner import DryRunner, RecordingRunner, RunResult, SubprocessRunner
from logscan.repair.twin import CertFixMode, StoreTwin, certfix_script


def test_subprocess_runner_captures_output_and_exit_code(tmp_path: Path) -> None:
    code = "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"
    result = SubprocessRunner().run([sys.executable, "-c", code], timeout=30, cwd=str(tmp_path))
    assert (result.returncode, result.stdout.strip(), result.stderr.strip()) == (3, "out", "err")
    assert not result.ok and result.describe() == "exit code 3" and result.ran


def test_subprocess_runner_kills_at_the_timeout() -> None:
    code = "import time; print('started', flush=True); time.sleep(30)"
    result = SubprocessRunner().run([sys.executable, "-c", code], timeout=0.5)
    assert result.timed_out and result.returncode is None and not result.ok
    assert result.duration_s < 10 and "timeout" in result.describe()


def test_subprocess_runner_reports_a_program_that_cannot_start(tmp_path: Path) -> None:
    result = SubprocessRunner().run([str(tmp_path / "CCMCertFix.exe")], timeout=5)
    assert result.returncode is None and result.error and "could not run" in result.describe()


def test_dry_runner_records_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    runner = DryRunner()
    result = runner.run([sys.executable, "-c", f"open({str(marker)!r}, 'w')"], timeout=5)
    assert not result.ran and not result.ok and result.describe() == "not run (dry run)"
    assert not marker.exists() and runner.calls[0][1] == 5


def _twin() -> StoreTwin:
    return StoreTwin(F.client_pair("PC01", "trailing", "middle"))


def _names(twin: StoreTwin) -> set[bytes | None]:
    return {friendly_of_blob(b) for b in twin.blobs().values()}


def test_scripted_ccmcertfix_fixes_the_twin_and_keeps_its_log(tmp_path: Path) -> None:
    twin = _twin()
    runner = RecordingRunner(certfix_script(twin))
    log = tmp_path / "CCMCertFix.log"
    result = runner.run(["C:\\x\\CCMCertFix.exe", "CCMCertFix.log"], timeout=9, cwd=str(tmp_path))
    assert result.ok and runner.calls == [
        (("C:\\x\\CCMCertFix.exe", "CCMCertFix.log"), 9, str(tmp_path))
    ]
    assert _names(twin) == {
        "SMS Signing Certificate".encode("utf-16-le") + b"\0\0",
        b"S\0M\0S\0\0\0",
    }
    report = read_certfix_report(result, log)
    assert report.log_found and set(report.thumbprints) == set(twin.blobs())
    assert report.log_lines[-1] == "CCMCertFix: completed successfully" and not report.error_lines


@pytest.mark.parametrize(
    ("mode", "exit_code", "timed_out"),
    [
        (CertFixMode.FAIL, 1, False),
        (CertFixMode.NO_CHANGE, 0, False),
        (CertFixMode.TIMEOUT, None, True),
        (CertFixMode.NOT_STARTED, None, False),
    ],
)
def test_scripted_failure_modes_change_nothing(
    tmp_path: Path, mode: CertFixMode, exit_code: int | None, timed_out: bool
) -> None:
    twin = _twin()
    before = twin.blobs()
    result = RecordingRunner(certfix_script(twin, mode)).run(
        ["CCMCertFix.exe", str(tmp_path / "c.log")], timeout=4
    )
    assert (result.returncode, result.timed_out) == (exit_code, timed_out)
    assert twin.blobs() == before
    report = read_certfix_report(result, tmp_path / "c.log")
    if mode is CertFixMode.FAIL:
        # From its log, then from its console output.
        assert report.error_lines == (
            "CCMCertFix: ERROR failed to open the certificate store (0x80070005)",
            "failed",
        )
    if mode is CertFixMode.NOT_STARTED:
        assert not report.log_found and "blocked by group policy" in result.error


def test_partial_fix_leaves_one_defective_name() -> None:
    twin = _twin()
    RecordingRunner(certfix_script(twin, CertFixMode.PARTIAL)).run(["CCMCertFix.exe"], timeout=1)
    fixed = [n for n in _names(twin) if n is not None and n.count(b"\0\0") == 1]
    assert len(fixed) == 1


def test_ccm_format_log_lines_are_reduced_to_their_message(tmp_path: Path) -> None:
    log = tmp_path / "CCMCertFix.log"
    log.write_text(
        '<![LOG[Fixing certificate 0123456789ABCDEF0123456789ABCDEF01234567]LOG]!><time="1" '
        'component="CCMCertFix" type="1">\r\n'
        '<![LOG[Failed to set property (0x80092024)]LOG]!><time="2" type="3">\r\n',
        encoding="utf-8",
    )
    report = read_certfix_report(RunResult(("CCMCertFix.exe",), 0), log)
    assert report.log_lines == (
        "Fixing certificate 0123456789ABCDEF0123456789ABCDEF01234567",
        "Failed to set property (0x80092024)",
    )
    assert report.error_lines == ("Failed to set property (0x80092024)",)
    assert report.thumbprints == ("0123456789ABCDEF0123456789ABCDEF01234567",)
