"""RepairOutcome, and plans and outcomes as JSON-ready dicts (audit records, ``--format json``).

One shape for both so the audit log and machine output say the same thing. Friendly
names appear three ways: ``text`` with every stored NUL as ␀, ``display`` as most tools
show it, and ``hex`` of the exact bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from logscan.certs.checks import CertFinding
from logscan.certs.model import CertReadResult
from logscan.repair.actions import CommandRecord, OfflineCopy
from logscan.repair.backup import Backup
from logscan.repair.blobfix import visible
from logscan.repair.certfix_log import CertFixReport
from logscan.repair.clock import iso
from logscan.repair.interlocks import Refusal
from logscan.repair.native import NativeResult
from logscan.repair.plan import RepairPlan
from logscan.repair.verify import NameResult, OutcomeStatus
from logscan.repair.verify_pe import BinaryReport


@dataclass(frozen=True, slots=True)
class RepairOutcome:
    """How one execution ended, with everything needed to prove it."""

    status: OutcomeStatus
    plan: RepairPlan
    message: str
    run_id: str
    refusals: tuple[Refusal, ...] = ()
    backup: Backup | None = None
    commands: tuple[CommandRecord, ...] = ()
    names: tuple[NameResult, ...] = ()
    findings: tuple[CertFinding, ...] = ()
    before: CertReadResult | None = None
    after: CertReadResult | None = None
    certfix: CertFixReport | None = None
    native: NativeResult | None = None
    offline: OfflineCopy | None = None
    verdict_after: str | None = None
    notes: tuple[str, ...] = ()


def name_json(raw: bytes | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    return {"text": visible(raw), "hex": raw.hex()}


def binary_json(report: BinaryReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "path": report.path,
        "size": report.size,
        "sha256": report.sha256,
        "machine": report.machine,
        "file_version": report.file_version,
        "string_version": report.string_version,
        "original_filename": report.original_filename,
        "build_for": None if report.build_for is None else report.build_for.value,
        "authenticode_blob": report.signature_present,
        "verified": report.verified,
        "accepted_by_override": report.overridden,
        "accepted_sha256": report.accepted_sha256,
        "problems": [{"code": p.code.value, "message": p.message} for p in report.problems],
        "notes": list(report.notes),
    }


def plan_json(plan: RepairPlan) -> dict[str, Any]:
    located = plan.located
    return {
        "target": plan.target,
        "target_kind": plan.target_kind.value,
        "mode": plan.mode.value,
        "host": plan.host,
        "verdict": plan.verdict,
        "created": iso(plan.created),
        "ready": plan.ready,
        "changes": [
            {
                "thumbprint": c.thumbprint,
                "role": c.role,
                "before": name_json(c.before),
                "after": name_json(c.after),
            }
            for c in plan.changes
        ],
        "steps": [
            {
                "kind": s.kind.value,
                "text": s.text,
                "command": list(s.command) or None,
                "changes": s.changes,
            }
            for s in plan.steps
        ],
        "refusals": [{"reason": r.reason.value, "message": r.message} for r in plan.refusals],
        "backup_folder": plan.backup_folder,
        "restore_command": plan.restore_command,
        "output_path": plan.output_path,
        "audit_path": plan.audit_path,
        "timeout_s": plan.timeout_s,
        "binary": binary_json(plan.binary),
        "searched": None
        if located is None
        else [
            {"path": item.path, "why": item.why, "result": item.result} for item in located.looked
        ],
        "notes": list(plan.notes),
    }


def command_json(record: CommandRecord) -> dict[str, Any]:
    return {
        "what": record.what,
        "argv": list(record.argv),
        "exit": record.exit,
        "returncode": record.returncode,
        "timed_out": record.timed_out,
        "duration_s": round(record.duration_s, 3),
        "output": record.output,
    }


def store_json(result: CertReadResult | None) -> list[dict[str, Any]] | None:
    """Every certificate of a read store with its friendly name, for before/after records."""
    if result is None:
        return None
    return [
        {
            "thumbprint": c.thumbprint,
            "friendly_name": name_json(c.friendly.raw if c.friendly is not None else None),
        }
        for c in result.certs
    ]


def outcome_json(outcome: RepairOutcome) -> dict[str, Any]:
    backup = outcome.backup
    offline = outcome.offline
    return {
        "status": outcome.status.value,
        "message": outcome.message,
        "run_id": outcome.run_id,
        "refusals": [{"reason": r.reason.value, "message": r.message} for r in outcome.refusals],
        "backup": None
        if backup is None
        else {
            "folder": backup.folder,
            "files": [
                {"path": f.path, "kind": f.kind, "size": f.size, "sha256": f.sha256}
                for f in backup.files
            ],
            "restore_command": backup.restore_command,
        },
        "commands": [command_json(c) for c in outcome.commands],
        "names": [
            {
                "thumbprint": n.thumbprint,
                "before": name_json(n.before),
                "after": name_json(n.after),
                "fixed": n.fixed,
            }
            for n in outcome.names
        ],
        "findings_after": [
            {"check": f.check.value, "thumbprint": f.thumbprint, "message": f.message}
            for f in outcome.findings
        ],
        "certfix_log": None
        if outcome.certfix is None
        else {
            "path": outcome.certfix.log_path,
            "found": outcome.certfix.log_found,
            "last_lines": list(outcome.certfix.log_lines),
            "error_lines": list(outcome.certfix.error_lines),
            "thumbprints": list(outcome.certfix.thumbprints),
        },
        "corrected_copy": None
        if offline is None
        else {
            "path": offline.copy.path,
            "sha256": offline.copy.sha256,
            "fixed": list(offline.fixed),
            "original_sha256": offline.original_sha256,
            "original_unchanged": offline.original_unchanged,
        },
        "store_before": store_json(outcome.before),
        "store_after": store_json(outcome.after),
        "verdict_after": outcome.verdict_after,
        "notes": list(outcome.notes),
    }
