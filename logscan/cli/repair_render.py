"""Text for ``logscan repair``: the plan, the confirmation question, the outcome.

Written for the admin deciding whether to let it run: what changes (each friendly name
before and after, NULs shown as ␀), the exact commands, where the backup goes and how to
restore it, what was verified about CCMCertFix.exe, and every refusal with what to do.
"""

from __future__ import annotations

from logscan.repair.outcome import RepairOutcome
from logscan.repair.plan import RepairMode, RepairPlan
from logscan.repair.verify import OutcomeStatus
from logscan.repair.verify_pe import BinaryReport

_MODE = {
    RepairMode.CCMCERTFIX: "run CCMCertFix.exe",
    RepairMode.NATIVE: "native rewrite (CertSetCertificateContextProperty)",
    RepairMode.OFFLINE_COPY: "corrected copy of an exported store",
}


def _binary_lines(binary: BinaryReport) -> list[str]:
    if binary.verified:
        state = f"verified: known {binary.build_for.value if binary.build_for else '?'} build"
    elif binary.overridden:
        state = f"ACCEPTED BY OVERRIDE --accept-sha256 {binary.accepted_sha256}"
    else:
        state = "REFUSED"
    lines = [f"CCMCertFix.exe: {state}", f"  {binary.summary()}"]
    lines += [f"  problem: {p.message}" for p in binary.problems]
    return lines


def plan_lines(plan: RepairPlan) -> list[str]:
    """The plan as text, ending with what a dry run means."""
    head = f"Repair plan for {plan.target}"
    if plan.host:
        head += f" (host {plan.host})"
    lines = [head, f"  mode: {_MODE[plan.mode]}; verdict: {plan.verdict or 'none given'}"]
    if plan.mode is RepairMode.OFFLINE_COPY and plan.output_path:
        lines.append(f"  CORRECTED COPY (not evidence) will be written to: {plan.output_path}")
    if plan.changes:
        lines.append("Friendly names to change:")
        for c in plan.changes:
            lines.append(
                f'  {c.thumbprint}  {c.role or "-":<10}  "{c.before_text}"  ->  "{c.after_text}"'
            )
    else:
        lines.append("Friendly names to change: none")
    if plan.binary is not None:
        lines += _binary_lines(plan.binary)
    if plan.located is not None and plan.located.found is None:
        lines.append("CCMCertFix.exe searched at:")
        lines.append(plan.located.describe())
    lines.append("Steps:")
    for number, step in enumerate(plan.steps, start=1):
        marker = " (CHANGE)" if step.changes else ""
        lines.append(f"  {number}. [{step.kind.value}]{marker} {step.text}")
        if step.command:
            lines.append(f"       command: {step.command_line}")
    if plan.restore_command:
        lines.append(f"Restore afterwards if needed (elevated): {plan.restore_command}")
    lines += [f"note: {n}" for n in plan.notes]
    if plan.refusals:
        lines.append("REFUSED:")
        for r in plan.refusals:
            lines.append(f"  [{r.reason.value}] {r.message}")
    return lines


def confirm_lines(plan: RepairPlan) -> list[str]:
    """Exactly what will change, for the question before the first change."""
    if plan.mode is RepairMode.OFFLINE_COPY:
        lines = [f"This will write the new file {plan.output_path} (a corrected copy):"]
    else:
        lines = [f"This will change {plan.target}:"]
    for c in plan.changes:
        lines.append(f'  {c.thumbprint}: "{c.before_text}" -> "{c.after_text}"')
    for step in plan.steps:
        if step.changes:
            lines.append(f"  by: {step.command_line or step.text}")
    if plan.backup_folder:
        lines.append(f"  after backing the store up to {plan.backup_folder}")
    if plan.audit_path:
        lines.append(f"  recorded in {plan.audit_path}")
    return lines


def outcome_lines(outcome: RepairOutcome) -> list[str]:
    lines = [f"Outcome: {outcome.status.value.upper()}: {outcome.message}"]
    for n in outcome.names:
        state = "fixed" if n.fixed else ("unchanged" if n.unchanged else "NOT fixed")
        lines.append(f'  {n.thumbprint}  "{n.before_text}"  ->  "{n.after_text}"  {state}')
    if outcome.backup is not None:
        lines.append(f"Backup: {outcome.backup.folder}")
        lines += [f"  {f.path}  SHA-256 {f.sha256}" for f in outcome.backup.files]
        lines.append(f"  restore (elevated): {outcome.backup.restore_command}")
    for c in outcome.commands:
        lines.append(f"Ran: {' '.join((c.what, *c.argv))}: {c.exit}")
    if outcome.certfix is not None:
        where = outcome.certfix.log_path or "-"
        lines.append(f"CCMCertFix log: {where} ({'kept' if outcome.certfix.log_found else 'none'})")
        lines += [f"  error: {line}" for line in outcome.certfix.error_lines]
    if outcome.offline is not None:
        lines.append(
            f"CORRECTED COPY: {outcome.offline.copy.path} SHA-256 {outcome.offline.copy.sha256} "
            "(not evidence; the original was not changed)"
        )
    if outcome.verdict_after:
        lines.append(f"Diagnosis after the repair: {outcome.verdict_after}")
    lines += [f"note: {n}" for n in outcome.notes]
    if outcome.status is OutcomeStatus.DRY_RUN and outcome.plan.ready:
        lines.append("DRY RUN: nothing was changed. Add --apply to carry out this plan.")
    return lines
