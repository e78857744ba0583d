"""``logscan repair``: show the repair plan, and with ``--apply`` carry it out safely.

Without ``--apply`` nothing changes: the plan is printed and the exit code says whether
it would run (1) or which interlock refuses (10-16). With ``--apply`` the admin is asked,
on the terminal, exactly what will change (``--yes`` answers for scripts; without a
terminal and without ``--yes`` it refuses). ``--live`` repairs this machine (Windows);
a PATH to an exported store (``.reg``/``.sst``) gets a corrected copy beside it. stdout
carries the plan and the outcome; questions and diagnostics go to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import click

from logscan.cli.exitcodes import ExitCode
from logscan.cli.repair_render import confirm_lines, outcome_lines, plan_lines
from logscan.errors import InputError, UsageError
from logscan.facts.live import LiveHost
from logscan.repair.audit import AuditLog
from logscan.repair.clock import Clock, SystemClock
from logscan.repair.diagnosis import HostDiagnosis
from logscan.repair.flow import Confirm, execute
from logscan.repair.host import RepairHost
from logscan.repair.interlocks import RefusalReason, first_reason
from logscan.repair.outcome import RepairOutcome, outcome_json, plan_json
from logscan.repair.paths import default_audit_path, default_backup_root
from logscan.repair.plan import DEFAULT_TIMEOUT_S, RepairPlan
from logscan.repair.runner import CommandRunner, DryRunner
from logscan.repair.stores import RepairStore
from logscan.repair.verify import OutcomeStatus
from logscan.repair.verify_pe import normalize_sha256

REFUSAL_EXIT = {
    RefusalReason.NOT_ELEVATED: ExitCode.NOT_ELEVATED,
    RefusalReason.TASK_SEQUENCE_RUNNING: ExitCode.TASK_SEQUENCE_RUNNING,
    RefusalReason.NOT_NEEDED: ExitCode.REPAIR_NOT_NEEDED,
    RefusalReason.NO_STORE: ExitCode.NO_SMS_STORE,
    RefusalReason.BINARY_NOT_FOUND: ExitCode.TOOL_NOT_FOUND,
    RefusalReason.BINARY_REFUSED: ExitCode.TOOL_REFUSED,
    RefusalReason.STORE_CHANGED: ExitCode.STORE_CHANGED,
}
STATUS_EXIT = {
    OutcomeStatus.REPAIRED: ExitCode.OK,
    OutcomeStatus.UNCHANGED: ExitCode.REPAIR_UNCHANGED,
    OutcomeStatus.FAILED: ExitCode.REPAIR_FAILED,
    OutcomeStatus.DECLINED: ExitCode.NOT_CONFIRMED,
}


@dataclass(frozen=True, slots=True)
class LiveContext:
    """This machine's seams: store, host state, registry/commands, runner, environment."""

    store: RepairStore
    host: RepairHost
    facts_host: LiveHost
    runner: CommandRunner
    env: Mapping[str, str]


def _live_context() -> LiveContext:
    """The real machine (Windows only: the factories raise UsageError elsewhere)."""
    from logscan.facts.live import default_host
    from logscan.repair.host import CommandHost
    from logscan.repair.runner import default_runner
    from logscan.repair.stores import default_live_store

    store = default_live_store()
    facts_host = default_host()
    return LiveContext(store, CommandHost(facts_host), facts_host, default_runner(), os.environ)


def _clock() -> Clock:
    return SystemClock()


def _stdin_is_tty() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _diagnose(paths: list[str] | None, clock: Clock) -> HostDiagnosis:
    from logscan.repair.diagnosis import diagnose_for_repair

    return diagnose_for_repair(paths, now=clock.now())


def _exit(code: ExitCode) -> NoReturn:
    sys.exit(int(code))


def _fail(message: str, code: ExitCode) -> NoReturn:
    click.echo(message, err=True)
    _exit(code)


def _confirmer(yes: bool) -> Confirm:
    def ask(plan: RepairPlan) -> bool:
        for line in confirm_lines(plan):
            click.echo(line, err=True)
        if yes:
            click.echo("--yes given: going ahead", err=True)
            return True
        if not _stdin_is_tty():
            click.echo(
                "refusing: no terminal to ask for confirmation; run it interactively or add --yes",
                err=True,
            )
            return False
        return click.confirm("Apply these changes?", default=False, err=True)

    return ask


def _emit(fmt: str, plan: RepairPlan, outcome: RepairOutcome) -> None:
    if fmt == "json":
        doc = {"plan": plan_json(plan), "outcome": outcome_json(outcome)}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    for line in plan_lines(plan):
        click.echo(line)
    click.echo("")
    for line in outcome_lines(outcome):
        click.echo(line)


def _exit_code(outcome: RepairOutcome) -> ExitCode:
    reason = first_reason(outcome.refusals)
    if reason is not None:
        return REFUSAL_EXIT[reason]
    if outcome.status is OutcomeStatus.DRY_RUN:
        return ExitCode.FINDING
    return STATUS_EXIT[outcome.status]


@click.command("repair")
@click.argument("path", required=False, type=click.Path(path_type=str))
@click.option("--live", "use_live", is_flag=True, help="Repair this machine's SMS store (Windows).")
@click.option("--apply", "do_apply", is_flag=True, help="Carry out the plan (default: show it).")
@click.option("--ccmcertfix", "tool", help="CCMCertFix.exe, its folder, or the SMS root share.")
@click.option("--accept-sha256", "accept", help="Run this exact CCMCertFix.exe despite checks.")
@click.option("--native", is_flag=True, help="Rewrite the names with CryptoAPI, no CCMCertFix.")
@click.option("--audit-log", type=click.Path(path_type=Path), help="Audit log (JSON lines).")
@click.option("--backup-dir", type=click.Path(path_type=Path), help="Where backups go.")
@click.option("--evidence", help="The host's bundle to diagnose (default: PATH itself).")
@click.option("--yes", is_flag=True, help="Do not ask (for scripts); needs --apply.")
@click.option("--timeout", type=float, default=DEFAULT_TIMEOUT_S, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def repair(
    path: str | None,
    use_live: bool,
    do_apply: bool,
    tool: str | None,
    accept: str | None,
    native: bool,
    audit_log: Path | None,
    backup_dir: Path | None,
    evidence: str | None,
    yes: bool,
    timeout: float,
    fmt: str,
) -> None:
    """Plan (and with --apply carry out) the KB977203 repair: back up the SMS store, run the
    verified CCMCertFix.exe (or --native), read the store again, write the audit log.
    For an exported store (PATH), write a corrected copy beside it instead."""
    if use_live == bool(path):
        _fail("give either --live or the PATH of an exported store (.reg or .sst)", ExitCode.USAGE)
    if not use_live and (native or tool or accept):
        _fail("--native, --ccmcertfix and --accept-sha256 apply to --live only", ExitCode.USAGE)
    if native and (tool or accept):
        _fail("--native runs no CCMCertFix.exe: drop --ccmcertfix/--accept-sha256", ExitCode.USAGE)
    if accept is not None and normalize_sha256(accept) is None:
        _fail(f"--accept-sha256 {accept!r} is not a SHA-256 (64 hex digits)", ExitCode.USAGE)
    if yes and not do_apply:
        _fail("--yes confirms an --apply; without --apply nothing would change", ExitCode.USAGE)
    from logscan.repair.prepare import prepare_live, prepare_offline
    from logscan.repair.stores import ExportStore

    clock = _clock()
    audit_path = audit_log or default_audit_path()
    runner: CommandRunner = DryRunner()
    host: RepairHost | None = None
    try:
        if use_live:
            ctx = _live_context()
            found = _diagnose(None, clock)
            plan = prepare_live(
                store=ctx.store,
                host=ctx.host,
                clock=clock,
                backup_root=backup_dir or default_backup_root(ctx.env),
                facts_host=ctx.facts_host,
                env=ctx.env,
                verdict=found.diagnosis,
                client_release=found.client_release,
                tool=tool,
                accept_sha256=accept,
                native=native,
                audit_path=audit_path,
                timeout_s=timeout,
            )
            store, runner, host = ctx.store, ctx.runner, ctx.host
        else:
            assert path is not None
            store = ExportStore(path)
            found = _diagnose([evidence or path], clock)
            plan = prepare_offline(
                store=store, clock=clock, verdict=found.diagnosis, audit_path=audit_path
            )
    except UsageError as exc:
        _fail(str(exc), ExitCode.USAGE)
    except InputError as exc:
        _fail(f"unreadable: {exc}", ExitCode.NO_INPUT)
    outcome = execute(
        plan,
        confirm=_confirmer(yes),
        runner=runner,
        store=store,
        audit=AuditLog(audit_path),
        host=host,
        clock=clock,
        apply=do_apply,
        rediagnose=found.rediagnose,
    )
    _emit(fmt, plan, outcome)
    if do_apply:
        click.echo(f"audit: {audit_path} (run {outcome.run_id})", err=True)
    _exit(_exit_code(outcome))
