"""The triage screens' background jobs: plain functions a Textual thread worker runs.

Each calls an engine (``logscan.diagnose``, ``logscan.certs``, ``logscan.repair``) and
reports only by posting a message from ``triage_messages`` through ``post``; none
touches a widget. Engine errors (and an unreadable disk) arrive as messages with the
reason, never as tracebacks.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from textual.message import Message

from logscan.certs.model import CertReadResult
from logscan.diagnose.stepwise import HostBundle, diagnose_bundles, host_bundles
from logscan.errors import LogscanError
from logscan.repair.audit import AuditEntry, AuditLog
from logscan.repair.diagnosis import HostDiagnosis
from logscan.repair.plan import RepairPlan
from logscan.tui.config import RepairSeams, TuiConfig
from logscan.tui.triage_messages import (
    RepairFinished,
    RepairPrepared,
    RepairProgressed,
    ScanFinished,
    ScanProgressed,
    StoreRead,
)

Post = Callable[[Message], object]


def _now(config: TuiConfig) -> datetime:
    if config.now is not None:
        return config.now
    if config.seams is not None:
        return config.seams.clock.now()
    return datetime.now(UTC)


def scan_hosts(
    config: TuiConfig, paths: Sequence[str], post: Post, cancel: threading.Event
) -> None:
    """Split ``paths`` into hosts and diagnose each (or this machine), posting progress
    and then the report."""
    from logscan.diagnose import diagnose_live
    from logscan.rules import load_rules

    def progress(done: int, total: int, host: str) -> None:
        post(ScanProgressed(done, total, host, cancel))

    bundles: tuple[HostBundle, ...] = ()
    try:
        ruleset = load_rules()
        if config.live:
            post(ScanProgressed(0, 1, "this machine", cancel))
            post(ScanFinished(diagnose_live(ruleset, now=_now(config)), (), scan=cancel))
            return
        bundles = host_bundles(paths)
        report = diagnose_bundles(
            bundles, ruleset, now=_now(config), progress=progress, cancel=cancel
        )
    except (LogscanError, OSError) as exc:
        post(ScanFinished(None, bundles, str(exc), cancel))
        return
    why = "" if report is not None else "scan cancelled"
    post(ScanFinished(report, bundles, why, cancel))


def read_store(config: TuiConfig, bundle: HostBundle | None, host: str, post: Post) -> None:
    """Read the host's SMS store again: its bundle's exports, or this machine's store
    (through the repair seams when there are some, so it is the store a repair changes)."""
    from logscan.certs.checks import check_result
    from logscan.diagnose.certread import read_certs

    results: list[CertReadResult] = []
    problems: list[str] = []
    try:
        if bundle is None and config.seams is not None:
            results.append(config.seams.store.read())
        elif bundle is None:
            from logscan.certs.source import live

            results.append(live().read())
        else:
            results, problems = read_certs([(root, "") for root in bundle.roots])
    except (LogscanError, OSError) as exc:
        problems.append(str(exc))
    findings = [f for r in results for f in check_result(r, now=_now(config), host=host)]
    post(StoreRead(results, findings, problems))


def prepare_repair(config: TuiConfig, bundle: HostBundle | None, post: Post) -> None:
    """Diagnose the host for repair and make the plan through the seams."""
    from logscan.repair.diagnosis import diagnose_for_repair
    from logscan.repair.paths import default_audit_path, default_backup_root
    from logscan.repair.prepare import prepare_live

    seams = config.seams
    if seams is None:
        post(RepairPrepared(None, None, _NO_SEAMS))
        return
    try:
        paths = None if bundle is None else list(bundle.roots)
        found = diagnose_for_repair(paths, now=_now(config))
        plan = prepare_live(
            store=seams.store,
            host=seams.host,
            clock=seams.clock,
            backup_root=seams.backup_root or default_backup_root(seams.env),
            env=seams.env,
            verdict=found.diagnosis,
            client_release=found.client_release,
            tool=seams.tool,
            native=seams.native,
            audit_path=seams.audit_path or default_audit_path(seams.env),
        )
    except (LogscanError, OSError) as exc:
        post(RepairPrepared(None, None, str(exc)))
        return
    post(RepairPrepared(plan, found))


# What each audit record means for the person watching the repair run.
_STEP_TEXT = {
    "started": "started: the plan is recorded; backing up the store",
    "backup": "backup written and verified by reading it back",
    "command": "ran",
    "finished": "verified: the store was read again",
    "refused": "refused by an interlock",
    "declined": "not confirmed",
}


class _Reporting:
    """The audit log, posting each step as progress (the flow writes one per step)."""

    def __init__(self, inner: AuditLog, post: Post) -> None:
        self._inner = inner
        self._post = post

    def append(self, record: Mapping[str, Any]) -> None:
        self._inner.append(record)
        event = str(record.get("event"))
        text = _STEP_TEXT.get(event, event)
        command = record.get("command")
        if event == "command" and isinstance(command, dict):
            text = f"ran {command.get('what', 'a command')}: {command.get('exit')}"
        self._post(RepairProgressed(text))


_NO_SEAMS = (
    "repair acts on the machine it runs on: run `logscan tui --live` there "
    "(or `logscan repair PATH` for a corrected copy of an exported store)"
)


def run_repair(
    seams: RepairSeams,
    found: HostDiagnosis,
    plan: RepairPlan,
    post: Post,
    *,
    apply: bool,
) -> None:
    """Carry out (or dry-run) the plan; the confirmation was given in the modal."""
    from logscan.repair.audit import read_audit
    from logscan.repair.flow import execute

    post(RepairProgressed("checking the interlocks again…" if apply else "dry run…"))
    audit = _Reporting(AuditLog(plan.audit_path or "audit.jsonl"), post)
    outcome = execute(
        plan,
        confirm=lambda _plan: True,
        runner=seams.runner,
        store=seams.store,
        audit=audit,
        host=seams.host,
        clock=seams.clock,
        apply=apply,
        rediagnose=found.rediagnose,
    )
    entries: list[AuditEntry] = []
    if apply and plan.audit_path and os.path.exists(plan.audit_path):
        try:
            read = read_audit(plan.audit_path)
            entries = [e for e in read.entries if e.record.get("run_id") == outcome.run_id]
        except OSError as exc:
            post(RepairProgressed(f"cannot read the audit log: {exc}"))
    post(RepairFinished(outcome, entries))
