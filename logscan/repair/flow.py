"""Carrying out a RepairPlan: confirm, re-check, back up, change, read again, audit.

``execute`` is a dry run unless ``apply=True``; then a plan with refusals is refused, a
plan the admin does not ``confirm`` is declined, and after confirmation the machine state
and the store are checked again (they may have changed while the plan was read). Only
then, with a ``started`` record durably in the audit log, does anything change: the
backup is written and verified first, then CCMCertFix runs (or the native rewrite, or
the offline copy is written), and the store is read again the same way the diagnosis
read it. Every step appends its audit record; the ``finished`` record stands alone.
"""

from __future__ import annotations

import dataclasses
import getpass
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from logscan import __version__
from logscan.certs.model import CertReadResult
from logscan.errors import InputError
from logscan.repair.actions import CommandRecord, copy_tool, write_offline_copy
from logscan.repair.audit import SCHEMA, AuditSink
from logscan.repair.backup import Backup, write_backup
from logscan.repair.certfix_log import read_certfix_report
from logscan.repair.clock import Clock, SystemClock, iso
from logscan.repair.errors import RepairError
from logscan.repair.host import RepairHost
from logscan.repair.interlocks import Refusal, RefusalReason, check_host, verdict_name
from logscan.repair.native import rewrite_friendly_names
from logscan.repair.outcome import RepairOutcome, command_json, outcome_json, plan_json
from logscan.repair.plan import RepairMode, RepairPlan, StepKind, fingerprint
from logscan.repair.runner import CommandRunner, tail
from logscan.repair.stores import ExportStore, LiveStore, RepairStore
from logscan.repair.verify import OutcomeStatus, judge

Confirm = Callable[[RepairPlan], bool]
Rediagnose = Callable[[CertReadResult], object]


class _Recorder:
    """Audit records for one run, with the fields every record shares."""

    def __init__(self, sink: AuditSink, plan: RepairPlan, run_id: str, clock: Clock) -> None:
        self.sink, self.plan, self.run_id, self.clock = sink, plan, run_id, clock
        self.who: str | None = None
        self.failures: list[str] = []

    def write(self, event: str, **fields: Any) -> None:
        record = {
            "schema": SCHEMA,
            "event": event,
            "run_id": self.run_id,
            "when": iso(self.clock.now()),
            "who": self.who,
            "host": self.plan.host,
            "tool_version": __version__,
            "target": self.plan.target,
            "mode": self.plan.mode.value,
            **fields,
        }
        self.sink.append(record)

    def try_write(self, event: str, **fields: Any) -> None:
        """Write; a failure after changes began is kept as a note, never hidden."""
        try:
            self.write(event, **fields)
        except OSError as exc:
            self.failures.append(f"audit record '{event}' could not be written: {exc}")


def _whoami() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return None


def _read(store: RepairStore) -> CertReadResult | None:
    try:
        return store.read()
    except InputError:
        return None


def _refusals_json(refusals: tuple[Refusal, ...]) -> list[dict[str, str]]:
    return [{"reason": r.reason.value, "message": r.message} for r in refusals]


def _finish(rec: _Recorder, outcome: RepairOutcome) -> RepairOutcome:
    rec.try_write("finished", plan=plan_json(outcome.plan), outcome=outcome_json(outcome))
    if rec.failures:
        outcome = dataclasses.replace(outcome, notes=(*outcome.notes, *rec.failures))
    return outcome


def execute(
    plan: RepairPlan,
    *,
    confirm: Confirm,
    runner: CommandRunner,
    store: RepairStore,
    audit: AuditSink,
    host: RepairHost | None = None,
    clock: Clock | None = None,
    apply: bool = False,
    rediagnose: Rediagnose | None = None,
    run_id: str | None = None,
    who: str | None = None,
) -> RepairOutcome:
    """Carry out ``plan`` on ``store`` (the backup folder and paths are the plan's)."""
    clock = clock or SystemClock()
    rid = run_id or uuid.uuid4().hex
    if not apply:
        then = "applying it would be refused" if plan.refusals else "apply the plan to carry it out"
        return RepairOutcome(
            OutcomeStatus.DRY_RUN,
            plan,
            f"dry run: nothing was changed; {then}",
            rid,
            refusals=plan.refusals,
        )
    rec = _Recorder(audit, plan, rid, clock)
    rec.who = who
    if plan.refusals:
        rec.who = rec.who or _whoami()
        rec.try_write("refused", refusals=_refusals_json(plan.refusals))
        message = "refused: " + plan.refusals[0].message
        return RepairOutcome(OutcomeStatus.REFUSED, plan, message, rid, refusals=plan.refusals)
    if not confirm(plan):
        rec.who = rec.who or _whoami()
        rec.try_write("declined")
        return RepairOutcome(OutcomeStatus.DECLINED, plan, "not confirmed: nothing changed", rid)
    refusals: list[Refusal] = []
    if plan.mode is not RepairMode.OFFLINE_COPY:
        if host is None:
            raise ValueError("a live repair needs the host seam to re-check its interlocks")
        state = host.state()
        rec.who = rec.who or state.user
        refusals += check_host(state)
    rec.who = rec.who or _whoami()
    before = _read(store)
    if before is None or fingerprint(before) != plan.fingerprint:
        refusals.append(
            Refusal(
                RefusalReason.STORE_CHANGED,
                f"{store.display} is not as it was when the plan was made; make a new plan",
            )
        )
    if refusals:
        rec.try_write("refused", refusals=_refusals_json(tuple(refusals)))
        return RepairOutcome(
            OutcomeStatus.REFUSED, plan, "refused: " + refusals[0].message, rid, tuple(refusals)
        )
    assert before is not None
    try:
        rec.write("started", plan=plan_json(plan))
    except OSError as exc:
        return RepairOutcome(
            OutcomeStatus.FAILED,
            plan,
            f"cannot write the audit log ({exc}); nothing was changed",
            rid,
        )
    thumbs = frozenset(c.thumbprint for c in before.certs)
    if plan.mode is RepairMode.OFFLINE_COPY:
        outcome = _offline(plan, store, rec, thumbs, clock)
    else:
        outcome = _live(plan, store, runner, rec, thumbs, clock)
    outcome = dataclasses.replace(outcome, before=before)
    if rediagnose is not None and outcome.after is not None:
        verdict = verdict_name(rediagnose(outcome.after))
        outcome = dataclasses.replace(outcome, verdict_after=verdict)
    return _finish(rec, outcome)


def _failed(
    plan: RepairPlan, rec: _Recorder, message: str, backup: Backup | None = None
) -> RepairOutcome:
    return RepairOutcome(OutcomeStatus.FAILED, plan, message, rec.run_id, backup=backup)


def _live(
    plan: RepairPlan,
    store: RepairStore,
    runner: CommandRunner,
    rec: _Recorder,
    thumbs: frozenset[str],
    clock: Clock,
) -> RepairOutcome:
    assert plan.backup_folder is not None
    folder = Path(plan.backup_folder)
    try:
        blobs = store.blobs()
        missing = [c.thumbprint for c in plan.changes if c.thumbprint not in blobs]
        if missing:
            raise RepairError(
                f"the registry holds no Blob for {', '.join(missing)}, so it cannot be backed up"
            )
        backup = write_backup(blobs, folder)
    except (OSError, RepairError) as exc:
        return _failed(plan, rec, f"backup failed: {exc}; nothing was changed")
    rec.try_write(
        "backup",
        folder=backup.folder,
        files=[{"path": f.path, "sha256": f.sha256, "size": f.size} for f in backup.files],
        restore_command=backup.restore_command,
    )
    certfix = native = None
    if plan.mode is RepairMode.CCMCERTFIX:
        step = plan.step(StepKind.RUN)
        assert step is not None and plan.binary is not None and plan.binary.sha256 is not None
        try:
            copy_tool(plan.binary.path, Path(step.command[0]), plan.binary.sha256)
        except (OSError, RepairError) as exc:
            return _failed(plan, rec, f"{exc}", backup)
        result = runner.run(step.command, timeout=plan.timeout_s, cwd=str(folder))
        certfix = read_certfix_report(result, Path(step.command[1]))
        output = "\n".join(certfix.error_lines) or tail(result.stdout + result.stderr, 1000)
        record = CommandRecord(
            "CCMCertFix.exe",
            result.argv,
            result.describe(),
            result.returncode,
            result.timed_out,
            result.duration_s,
            output,
        )
        action = f"CCMCertFix.exe ({result.describe()})"
    else:
        if not isinstance(store, LiveStore):
            return _failed(plan, rec, "the native rewrite needs the live store", backup)
        native = rewrite_friendly_names(
            store.api, [c.thumbprint for c in plan.changes], store.store_name
        )
        errors = [f"{w.thumbprint}: {w.error}" for w in native.writes if w.error]
        errors += [f"{t}: not in the store" for t in native.missing]
        if native.error:
            errors.append(native.error)
        record = CommandRecord(
            "CertSetCertificateContextProperty",
            (),
            "ok" if native.ok else "; ".join(errors),
            None,
            output="\n".join(native.calls + tuple(errors)),
        )
        action = "the native rewrite" + ("" if native.ok else f" ({'; '.join(errors)})")
    rec.try_write("command", command=command_json(record))
    after = _read(store)
    verdict = judge(plan, thumbs, after, now=clock.now(), action=action)
    return RepairOutcome(
        verdict.status,
        plan,
        verdict.message,
        rec.run_id,
        backup=backup,
        commands=(record,),
        names=verdict.names,
        findings=verdict.findings,
        after=after,
        certfix=certfix,
        native=native,
        notes=verdict.notes,
    )


def _offline(
    plan: RepairPlan, store: RepairStore, rec: _Recorder, thumbs: frozenset[str], clock: Clock
) -> RepairOutcome:
    if not isinstance(store, ExportStore) or plan.output_path is None:
        return _failed(plan, rec, "an offline copy needs an exported store and an output path")
    try:
        written = write_offline_copy(store, Path(plan.output_path))
    except (OSError, RepairError) as exc:
        return _failed(plan, rec, f"could not write the corrected copy: {exc}")
    record = CommandRecord(
        "write corrected copy",
        (),
        "written",
        None,
        output=f"{written.copy.path} SHA-256 {written.copy.sha256}",
    )
    rec.try_write("command", command=command_json(record))
    copy_store = ExportStore(written.copy.path)
    after = _read(copy_store)
    verdict = judge(plan, thumbs, after, now=clock.now(), action="writing the corrected copy")
    notes = list(verdict.notes)
    status, message = verdict.status, f"{verdict.message} in the CORRECTED COPY {written.copy.path}"
    if not written.original_unchanged:
        status = OutcomeStatus.FAILED
        message = f"{store.path} changed while the copy was written: read it again"
    return RepairOutcome(
        status,
        plan,
        message,
        rec.run_id,
        commands=(record,),
        names=verdict.names,
        findings=verdict.findings,
        after=after,
        offline=written,
        notes=tuple(notes),
    )
