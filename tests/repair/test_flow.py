"""The whole repair, end to end, on a store twin backed by a real .reg or .sst export.

Plan, confirm, re-check, back up, run the scripted CCMCertFix (and its failure modes),
read the store again, audit. Nothing here needs Windows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from repairkit import host_state

from logscan.certs.model import CertReadResult
from logscan.repair.audit import AuditLog, read_audit
from logscan.repair.clock import FixedClock
from logscan.repair.flow import execute
from logscan.repair.host import MemoryRepairHost
from logscan.repair.interlocks import RefusalReason
from logscan.repair.outcome import RepairOutcome
from logscan.repair.plan import RepairPlan, StepKind
from logscan.repair.prepare import prepare_live
from logscan.repair.runner import RecordingRunner, RunResult
from logscan.repair.stores import ExportStore
from logscan.repair.twin import CertFixMode, StoreTwin, certfix_script
from logscan.repair.verify import OutcomeStatus


@dataclass
class Rig:
    twin: StoreTwin
    original: dict[str, bytes]
    plan: RepairPlan
    host: MemoryRepairHost
    audit: Path
    clock: FixedClock
    runner: RecordingRunner
    seen_at_run: list[list[str]]
    confirmed: list[RepairPlan]

    def run(self, *, apply: bool = True, confirm: bool = True, **kw: object) -> RepairOutcome:
        def ask(plan: RepairPlan) -> bool:
            self.confirmed.append(plan)
            return confirm

        return execute(
            self.plan,
            confirm=ask,
            runner=self.runner,
            store=self.twin.store(),
            audit=AuditLog(self.audit),
            host=self.host,
            clock=self.clock,
            apply=apply,
            **kw,  # type: ignore[arg-type]
        )

    def events(self) -> list[str]:
        if not self.audit.exists():
            return []
        return [e.record["event"] for e in read_audit(self.audit).entries]


def _rig(
    tmp_path: Path,
    clock: FixedClock,
    export: Path,
    tool: Path,
    *,
    mode: CertFixMode = CertFixMode.FIX,
    native: bool = False,
) -> Rig:
    twin = StoreTwin.from_file(export)
    host = MemoryRepairHost(host_state())
    script = certfix_script(twin, mode)
    seen: list[list[str]] = []

    def watched(argv: tuple[str, ...], timeout: float, cwd: str | None) -> RunResult:
        # What existed when the tool started: the backup must already be there.
        seen.append(sorted(p.name for p in Path(cwd or ".").iterdir()))
        return script(argv, timeout, cwd)

    plan = prepare_live(
        store=twin.store(),
        host=host,
        clock=clock,
        backup_root=tmp_path / "backups",
        verdict="confirmed",
        client_release="cm2007_sp2",
        tool=None if native else str(tool),
        native=native,
        audit_path=tmp_path / "audit.jsonl",
        env={},
    )
    assert plan.ready, plan.refusals
    return Rig(
        twin, twin.blobs(), plan, host, tmp_path / "audit.jsonl", clock,
        RecordingRunner(watched), seen, [],
    )  # fmt: skip


@pytest.fixture(params=["reg_file", "sst_file"])
def export(request: pytest.FixtureRequest) -> Path:
    return Path(request.getfixturevalue(request.param))


def test_full_flow_repairs_backs_up_first_and_audits_every_step(
    tmp_path: Path, clock: FixedClock, export: Path, tool: Path
) -> None:
    rig = _rig(tmp_path, clock, export, tool)
    outcome = rig.run()
    assert outcome.status is OutcomeStatus.REPAIRED, outcome.message
    assert [n.fixed for n in outcome.names] == [True, True]
    assert {n.after_text for n in outcome.names} == {"SMS Signing Certificate", "SMS"}
    # The tool ran once, as planned, with its log, after the backup and the verified copy.
    run = rig.plan.step(StepKind.RUN)
    assert run is not None and [c[0] for c in rig.runner.calls] == [run.command]
    assert rig.seen_at_run == [["CCMCertFix.exe", "RESTORE.txt", "sms_store.reg", "sms_store.sst"]]
    folder = Path(rig.plan.backup_folder or "")
    assert (folder / "CCMCertFix.exe").read_bytes() == tool.read_bytes()
    assert outcome.certfix is not None and outcome.certfix.log_found
    # The backup restores the store as it was before the repair.
    assert outcome.backup is not None
    assert ExportStore(folder / "sms_store.reg").blobs() == rig.original
    assert StoreTwin.from_file(folder / "sms_store.sst").blobs() == rig.original
    # Verified by reading the store again the way the diagnosis did (CryptoAPI + registry).
    assert outcome.after is not None and not outcome.after.problems
    assert not any(f.check.value == "embedded_nul" for f in outcome.findings)
    assert rig.events() == ["started", "backup", "command", "finished"]
    assert len(rig.confirmed) == 1 and rig.host.asked == 2  # planned, then re-checked


def test_the_finished_record_stands_alone(
    tmp_path: Path, clock: FixedClock, reg_file: Path, tool: Path
) -> None:
    rig = _rig(tmp_path, clock, reg_file, tool)
    outcome = rig.run(run_id="run-1")
    records = [e.record for e in read_audit(rig.audit).entries]
    assert {r["run_id"] for r in records} == {"run-1"}
    done = records[-1]
    assert (done["who"], done["host"], done["mode"]) == ("CONTOSO\\admin", "PC01", "ccmcertfix")
    assert done["when"].endswith("Z") and done["tool_version"]
    assert done["plan"]["binary"]["sha256"] == outcome.plan.binary.sha256  # type: ignore[union-attr]
    assert [f["path"] for f in done["outcome"]["backup"]["files"]] == [
        f.path
        for f in outcome.backup.files  # type: ignore[union-attr]
    ]
    assert done["outcome"]["commands"][0]["returncode"] == 0
    assert done["outcome"]["status"] == "repaired"
    before = {c["thumbprint"]: c["friendly_name"]["text"] for c in done["outcome"]["store_before"]}
    after = {c["thumbprint"]: c["friendly_name"]["text"] for c in done["outcome"]["store_after"]}
    assert before.keys() == after.keys() == set(rig.original)
    assert sorted(after.values()) == ["SMS", "SMS Signing Certificate"]
    names = {n["before"]["text"]: n["after"]["text"] for n in done["outcome"]["names"]}
    assert names == {
        "SMS Signing Certificate\u2400": "SMS Signing Certificate",
        "SMS\u2400Encryption Certificate": "SMS",
    }


@pytest.mark.parametrize(
    ("mode", "status", "exit_text"),
    [
        (CertFixMode.FAIL, OutcomeStatus.UNCHANGED, "exit code 1"),
        (CertFixMode.NO_CHANGE, OutcomeStatus.UNCHANGED, "exit code 0"),
        (CertFixMode.TIMEOUT, OutcomeStatus.UNCHANGED, "timeout"),
        (CertFixMode.NOT_STARTED, OutcomeStatus.UNCHANGED, "could not run"),
        (CertFixMode.PARTIAL, OutcomeStatus.FAILED, "exit code 0"),
    ],
)
def test_ccmcertfix_failure_modes_are_judged_by_the_store(
    tmp_path: Path,
    clock: FixedClock,
    reg_file: Path,
    tool: Path,
    mode: CertFixMode,
    status: OutcomeStatus,
    exit_text: str,
) -> None:
    rig = _rig(tmp_path, clock, reg_file, tool, mode=mode)
    outcome = rig.run()
    assert outcome.status is status, outcome.message
    assert exit_text in outcome.commands[0].exit
    assert outcome.backup is not None  # the backup happened before the attempt
    if status is OutcomeStatus.UNCHANGED:
        assert rig.twin.blobs() == rig.original
        assert all(n.unchanged for n in outcome.names)
    else:
        assert "1 of 2 name(s) fixed" in outcome.message
    assert rig.events()[-1] == "finished"
    finished = read_audit(rig.audit).entries[-1].record
    assert finished["outcome"]["status"] == status.value


def test_dry_run_is_the_default_and_touches_nothing(
    tmp_path: Path, clock: FixedClock, reg_file: Path, tool: Path
) -> None:
    rig = _rig(tmp_path, clock, reg_file, tool)
    outcome = rig.run(apply=False)
    assert outcome.status is OutcomeStatus.DRY_RUN
    assert not rig.confirmed and not rig.runner.calls and rig.twin.blobs() == rig.original
    assert not (tmp_path / "backups").exists() and not rig.audit.exists()


def test_nothing_changes_without_confirmation(
    tmp_path: Path, clock: FixedClock, reg_file: Path, tool: Path
) -> None:
    rig = _rig(tmp_path, clock, reg_file, tool)
    outcome = rig.run(confirm=False)
    assert outcome.status is OutcomeStatus.DECLINED
    assert not rig.runner.calls and rig.twin.blobs() == rig.original
    assert not (tmp_path / "backups").exists()
    assert rig.events() == ["declined"]


def test_a_refused_plan_never_asks_and_is_audited(
    tmp_path: Path, clock: FixedClock, reg_file: Path
) -> None:
    twin = StoreTwin.from_file(reg_file)
    host = MemoryRepairHost(host_state(elevated=False))
    plan = prepare_live(
        store=twin.store(), host=host, clock=clock, backup_root=tmp_path / "b", native=True
    )
    asked: list[RepairPlan] = []
    outcome = execute(
        plan,
        confirm=lambda p: asked.append(p) or True,  # type: ignore[func-returns-value]
        runner=RecordingRunner(certfix_script(twin)),
        store=twin.store(),
        audit=AuditLog(tmp_path / "audit.jsonl"),
        host=host,
        clock=clock,
        apply=True,
    )
    assert outcome.status is OutcomeStatus.REFUSED and not asked
    assert [r.reason for r in outcome.refusals] == [RefusalReason.NOT_ELEVATED]
    record = read_audit(tmp_path / "audit.jsonl").entries[0].record
    assert record["event"] == "refused" and record["refusals"][0]["reason"] == "not_elevated"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"task_sequence": True}, RefusalReason.TASK_SEQUENCE_RUNNING),
        ({"elevated": None}, RefusalReason.NOT_ELEVATED),
    ],
)
def test_machine_state_is_checked_again_after_confirmation(
    tmp_path: Path,
    clock: FixedClock,
    reg_file: Path,
    tool: Path,
    change: dict[str, object],
    reason: RefusalReason,
) -> None:
    rig = _rig(tmp_path, clock, reg_file, tool)
    rig.host.set(**change)  # e.g. a task sequence started while the admin read the plan
    outcome = rig.run()
    assert outcome.status is OutcomeStatus.REFUSED
    assert [r.reason for r in outcome.refusals] == [reason]
    assert not rig.runner.calls and not (tmp_path / "backups").exists()
    assert rig.twin.blobs() == rig.original and rig.events() == ["refused"]


def test_a_store_that_changed_since_the_plan_is_refused(
    tmp_path: Path, clock: FixedClock, reg_file: Path, tool: Path
) -> None:
    rig = _rig(tmp_path, clock, reg_file, tool)
    rig.twin.fix_names(limit=1)  # someone else ran CCMCertFix meanwhile
    outcome = rig.run()
    assert [r.reason for r in outcome.refusals] == [RefusalReason.STORE_CHANGED]
    assert not rig.runner.calls and not (tmp_path / "backups").exists()


def test_a_tool_swapped_after_verification_never_runs(
    tmp_path: Path, clock: FixedClock, reg_file: Path, tool: Path
) -> None:
    rig = _rig(tmp_path, clock, reg_file, tool)
    tool.write_bytes(tool.read_bytes() + b"payload")
    outcome = rig.run()
    assert outcome.status is OutcomeStatus.FAILED and "changed since it was verified" in (
        outcome.message
    )
    assert not rig.runner.calls and rig.twin.blobs() == rig.original
    assert outcome.backup is not None
    assert not (Path(rig.plan.backup_folder or "") / "CCMCertFix.exe").exists()


def test_an_audit_log_that_cannot_be_written_stops_everything(
    tmp_path: Path, clock: FixedClock, reg_file: Path, tool: Path
) -> None:
    rig = _rig(tmp_path, clock, reg_file, tool)
    rig.audit.mkdir()  # a folder where the log should be: every append fails
    outcome = rig.run()
    assert outcome.status is OutcomeStatus.FAILED and "audit log" in outcome.message
    assert not rig.runner.calls and not (tmp_path / "backups").exists()
    assert rig.twin.blobs() == rig.original


def test_native_fallback_end_to_end(
    tmp_path: Path, clock: FixedClock, export: Path, tool: Path
) -> None:
    rig = _rig(tmp_path, clock, export, tool, native=True)
    outcome = rig.run()
    assert outcome.status is OutcomeStatus.REPAIRED, outcome.message
    assert not rig.runner.calls and outcome.native is not None and outcome.native.ok
    assert outcome.commands[0].what == "CertSetCertificateContextProperty"
    assert outcome.commands[0].output.count("CertSetCertificateContextProperty(") == 2
    assert rig.events() == ["started", "backup", "command", "finished"]


def test_native_fallback_without_write_access_leaves_the_store_unchanged(
    tmp_path: Path, clock: FixedClock, reg_file: Path, tool: Path
) -> None:
    rig = _rig(tmp_path, clock, reg_file, tool, native=True)
    rig.twin.api.deny_write_open = True  # the host said elevated; Windows disagrees
    outcome = rig.run()
    assert outcome.status is OutcomeStatus.UNCHANGED
    assert "run elevated" in outcome.message and outcome.backup is not None


def test_the_diagnosis_is_rerun_on_the_repaired_store(
    tmp_path: Path, clock: FixedClock, reg_file: Path, tool: Path
) -> None:
    rig = _rig(tmp_path, clock, reg_file, tool)
    seen: list[CertReadResult] = []

    def rediagnose(after: CertReadResult) -> str:
        seen.append(after)
        return "resolved" if not any(c.nul_positions for c in after.certs) else "confirmed"

    fn: Callable[[CertReadResult], object] = rediagnose
    outcome = rig.run(rediagnose=fn)
    assert outcome.verdict_after == "resolved" and seen == [outcome.after]
    finished = read_audit(rig.audit).entries[-1].record
    assert finished["outcome"]["verdict_after"] == "resolved"
