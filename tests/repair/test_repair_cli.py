"""``logscan repair``: dry run by default, confirmation rules, exit codes, live via twins."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pebuild
import pytest
from click.testing import CliRunner, Result
from repairkit import SP1, F, host_state

from logscan.certs.checks import check_result
from logscan.cli import repair_cmd
from logscan.cli.exitcodes import ExitCode
from logscan.cli.main import cli
from logscan.diagnose.evidence import HostEvidence
from logscan.diagnose.host import diagnose_host
from logscan.repair.audit import read_audit
from logscan.repair.clock import FixedClock
from logscan.repair.diagnosis import HostDiagnosis
from logscan.repair.host import MemoryRepairHost
from logscan.repair.runner import RecordingRunner
from logscan.repair.twin import CertFixMode, StoreTwin, certfix_script


def _run(args: list[str], input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["repair", *args], input=input)


def test_without_apply_the_plan_is_printed_and_nothing_changes(
    tmp_path: Path, reg_file: Path
) -> None:
    audit = tmp_path / "audit.jsonl"
    result = _run([str(reg_file), "--audit-log", str(audit)])
    assert result.exit_code == ExitCode.FINDING, result.output
    assert '"SMS Signing Certificate␀"  ->  "SMS Signing Certificate"' in result.stdout
    assert "CORRECTED COPY (not evidence) will be written to" in result.stdout
    assert "DRY RUN: nothing was changed" in result.stdout
    assert [p.name for p in reg_file.parent.iterdir()] == ["sms_store.reg"]
    assert not audit.exists()


def test_apply_without_a_terminal_and_without_yes_is_refused(
    tmp_path: Path, reg_file: Path
) -> None:
    audit = tmp_path / "audit.jsonl"
    result = _run([str(reg_file), "--apply", "--audit-log", str(audit)])
    assert result.exit_code == ExitCode.NOT_CONFIRMED
    assert "no terminal to ask for confirmation" in result.stderr
    assert "This will write the new file" in result.stderr
    assert [p.name for p in reg_file.parent.iterdir()] == ["sms_store.reg"]
    assert [e.record["event"] for e in read_audit(audit).entries] == ["declined"]


@pytest.mark.parametrize(("answer", "code", "written"), [("y\n", 0, True), ("n\n", 17, False)])
def test_apply_asks_on_a_terminal(
    tmp_path: Path,
    reg_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    code: int,
    written: bool,
) -> None:
    monkeypatch.setattr(repair_cmd, "_stdin_is_tty", lambda: True)
    result = _run([str(reg_file), "--apply", "--audit-log", str(tmp_path / "a.jsonl")], answer)
    assert result.exit_code == code, result.output
    assert "Apply these changes?" in result.stderr
    assert reg_file.with_name("sms_store.fixed.reg").exists() is written


def test_apply_yes_json_output(tmp_path: Path, sst_file: Path) -> None:
    result = _run(
        [str(sst_file), "--apply", "--yes", "--format", "json", "--audit-log", str(tmp_path / "a")]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["plan"]["mode"] == "offline_copy" and doc["outcome"]["status"] == "repaired"
    assert doc["outcome"]["corrected_copy"]["path"].endswith("sms_store.fixed.sst")
    assert doc["outcome"]["corrected_copy"]["original_unchanged"] is True
    assert {n["after"]["text"] for n in doc["outcome"]["names"]} == {
        "SMS Signing Certificate",
        "SMS",
    }


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--live", "x.reg"],
        ["x.reg", "--native"],
        ["x.reg", "--ccmcertfix", "C:\\CCMCertFix.exe"],
        ["--live", "--native", "--ccmcertfix", "C:\\CCMCertFix.exe"],
        ["--live", "--accept-sha256", "abc"],
        ["x.reg", "--yes"],
    ],
)
def test_usage_errors(args: list[str]) -> None:
    result = _run(args)
    assert result.exit_code == ExitCode.USAGE and result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows --live reads the real store")
def test_live_off_windows_is_a_usage_error() -> None:
    result = _run(["--live"])
    assert result.exit_code == ExitCode.USAGE and "needs Windows" in result.stderr


# -- --live against the twins -----------------------------------------------------------


class _Machine:
    """The seams ``--live`` uses, as twins: store, host state, registry, runner."""

    def __init__(self, blobs: dict[str, bytes] | None, mode: CertFixMode, **state: object):
        self.twin = StoreTwin(blobs)
        self.host = MemoryRepairHost(host_state(**state))
        self.runner = RecordingRunner(certfix_script(self.twin, mode))

    def install(self, monkeypatch: pytest.MonkeyPatch, tool: Path) -> None:
        from logscan.facts.memhost import MemoryHost

        context = repair_cmd.LiveContext(
            self.twin.store(),
            self.host,
            MemoryHost(
                registry={
                    r"Microsoft\SMS\Identification": {
                        "Installation Directory": str(tool.parents[2])
                    },
                    # The 2007 client is 32-bit: its key is in the WOW64 view.
                    r"Wow6432Node\Microsoft\SMS\Mobile Client": {
                        "ProductVersion": "4.00.6487.2000"
                    },
                }
            ),
            self.runner,
            {},
        )
        clock = FixedClock(F.NOW)
        monkeypatch.setattr(repair_cmd, "_live_context", lambda: context)
        monkeypatch.setattr(repair_cmd, "_clock", lambda: clock)

        def diagnose(paths: list[str] | None, _clock: object) -> HostDiagnosis:
            assert paths is None
            read = self.twin.store().read()
            ev = HostEvidence(
                label="PC01",
                label_source="live",
                certs=(read,),
                cert_findings=tuple(check_result(read, now=F.NOW, host="PC01")),
            )
            return HostDiagnosis(diagnose_host(ev), ev, F.NOW)

        monkeypatch.setattr(repair_cmd, "_diagnose", diagnose)


def _live(tmp_path: Path, *extra: str) -> Result:
    return _run(
        [
            "--live",
            "--backup-dir",
            str(tmp_path / "backups"),
            "--audit-log",
            str(tmp_path / "audit.jsonl"),
            *extra,
        ]
    )


def test_live_repair_end_to_end_through_the_cli(
    tmp_path: Path, tool: Path, blobs: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = _Machine(blobs, CertFixMode.FIX)
    machine.install(monkeypatch, tool)
    dry = _live(tmp_path)
    assert dry.exit_code == ExitCode.FINDING, dry.output
    assert "CCMCertFix.exe: verified: known cm2007_sp2 build" in dry.stdout
    assert "command: " in dry.stdout and "CCMCertFix.log" in dry.stdout
    assert not machine.runner.calls and machine.twin.blobs() == blobs
    done = _live(tmp_path, "--apply", "--yes")
    assert done.exit_code == ExitCode.OK, done.output
    assert "Outcome: REPAIRED" in done.stdout and "restore (elevated): reg import" in done.stdout
    assert "Diagnosis after the repair: no_evidence" in done.stdout
    assert len(machine.runner.calls) == 1
    assert not any(c.nul_positions for c in machine.twin.store().read().certs)
    events = [e.record["event"] for e in read_audit(tmp_path / "audit.jsonl").entries]
    assert events == ["started", "backup", "command", "finished"]


@pytest.mark.parametrize(
    ("state", "blobs_kind", "tool_kind", "code"),
    [
        ({"elevated": False}, "defective", "sp2", ExitCode.NOT_ELEVATED),
        ({"task_sequence": True}, "defective", "sp2", ExitCode.TASK_SEQUENCE_RUNNING),
        ({}, "clean", "sp2", ExitCode.REPAIR_NOT_NEEDED),
        ({}, "none", "sp2", ExitCode.NO_SMS_STORE),
        ({}, "defective", "missing", ExitCode.TOOL_NOT_FOUND),
        ({}, "defective", "sp1", ExitCode.TOOL_REFUSED),
    ],
)
def test_each_interlock_has_its_own_exit_code_and_changes_nothing(
    tmp_path: Path,
    tool: Path,
    monkeypatch: pytest.MonkeyPatch,
    state: dict[str, object],
    blobs_kind: str,
    tool_kind: str,
    code: ExitCode,
) -> None:
    blobs = {
        "defective": F.client_pair("PC01", "trailing", "middle"),
        "clean": F.client_pair("PC01"),
        "none": None,
    }[blobs_kind]
    if tool_kind == "missing":
        tool.unlink()
    elif tool_kind == "sp1":
        tool.write_bytes(pebuild.build_pe(SP1))
    machine = _Machine(blobs, CertFixMode.FIX, **state)
    machine.install(monkeypatch, tool)
    before = machine.twin.blobs()
    for extra in ([], ["--apply", "--yes"]):
        result = _live(tmp_path, *extra)
        assert result.exit_code == code, result.output
        assert "REFUSED:" in result.stdout
    assert machine.twin.blobs() == before and not machine.runner.calls
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize(
    ("mode", "code"),
    [(CertFixMode.FAIL, ExitCode.REPAIR_UNCHANGED), (CertFixMode.PARTIAL, ExitCode.REPAIR_FAILED)],
)
def test_a_repair_that_does_not_verify_has_its_own_exit_code(
    tmp_path: Path,
    tool: Path,
    blobs: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
    mode: CertFixMode,
    code: ExitCode,
) -> None:
    _Machine(blobs, mode).install(monkeypatch, tool)
    result = _live(tmp_path, "--apply", "--yes")
    assert result.exit_code == code, result.output
    assert "Backup: " in result.stdout


def test_native_fallback_through_the_cli(
    tmp_path: Path, tool: Path, blobs: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = _Machine(blobs, CertFixMode.FIX)
    machine.install(monkeypatch, tool)
    result = _live(tmp_path, "--native", "--apply", "--yes")
    assert result.exit_code == ExitCode.OK, result.output
    assert "Ran: CertSetCertificateContextProperty: ok" in result.stdout
    assert not machine.runner.calls and len(machine.twin.api.writes) == 2


def test_repair_help_stays_light() -> None:
    probe = (
        "import sys\n"
        "from logscan.cli.main import cli\n"
        "try:\n"
        "    cli.main(args=['repair', '--help'], prog_name='logscan', standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'pefile', 'ctypes', 'cryptography', 'textual', 'pandas'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"
