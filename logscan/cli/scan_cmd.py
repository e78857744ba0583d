"""``logscan scan``: run the rule pack over logs and print every hit and correlated finding.

This is the raw engine view (what each rule matched, where); ``diagnose`` turns the same
events into a verdict per host. stdout carries hits and findings; coverage, warnings and
rule problems go to stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

import click

from logscan.cli.exitcodes import ExitCode
from logscan.cli.options import rules_option
from logscan.cli.records_out import record_dict
from logscan.engine import (
    RuleDisabled,
    ScanFinding,
    ScanHit,
    ScanProblem,
    ScanWarning,
    SourceScanned,
    SourceStatus,
    scan,
)
from logscan.rules import RuleError, RuleLevel, load_rules

_ALARM = {RuleLevel.HIGH, RuleLevel.CRITICAL}


def _emit_hit(out: TextIO, fmt: str, event: ScanHit, level: str) -> None:
    rec = event.hit.record
    if fmt == "jsonl":
        row = {
            "type": "hit",
            "host": event.host,
            "rule": event.hit.rule_id,
            "level": level,
            "details": event.hit.details,
            "codes": [f"0x{c:08X}" for c in event.hit.codes],
            "captures": dict(event.hit.captures),
            "record": record_dict(rec),
        }
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        out.write(f"{rec.source}:{rec.line}  [{level}] {event.hit.rule_id}: {event.hit.details}\n")


def _emit_finding(out: TextIO, fmt: str, event: ScanFinding) -> None:
    f = event.finding
    cited = [f"{h.record.source}:{h.record.line}" for h in f.hits]
    if fmt == "jsonl":
        row = {
            "type": "finding",
            "host": event.host,
            "rule": f.rule_id,
            "details": f.details,
            "steps": list(f.steps),
            "absent": list(f.absent),
            "evidence": cited,
        }
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        out.write(f"{event.host}  FINDING {f.rule_id}: {f.details}\n")
        for step, where in zip(f.steps, cited, strict=False):
            out.write(f"    {step}: {where}\n")
        for absent in f.absent:
            out.write(f"    absent: {absent}\n")


@click.command()
@click.argument("paths", nargs=-1, required=True)
@rules_option
@click.option("--strict", is_flag=True, help="Stop on the first rule problem.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
@click.option(
    "--full-parse",
    is_flag=True,
    help="Parse every record instead of prefiltering (slow; for checking).",
)
@click.option("-q", "--quiet", is_flag=True, help="No coverage or warnings on stderr.")
def scan_cmd(
    paths: tuple[str, ...],
    rule_dirs: tuple[Path, ...],
    strict: bool,
    fmt: str,
    full_parse: bool,
    quiet: bool,
) -> None:
    """Match the rules against the logs under PATHS and print hits and findings.

    Exit codes: 0 no high/critical hit, 1 a high/critical hit or a correlated finding,
    2 usage or (with --strict) a rule problem, 3 no readable log, 4 some inputs unreadable.
    """
    try:
        ruleset = load_rules(rule_dirs, strict=strict)
    except RuleError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.USAGE)
    for problem in ruleset.errors:
        click.echo(f"rule error: {problem.location}: {problem.message}", err=True)
    if not quiet:
        click.echo(ruleset.summary(), err=True)
    levels = {r.id: r.meta.level for r in ruleset.rules}
    out = sys.stdout
    alarm = False
    read = unreadable = 0
    for event in scan(paths, ruleset, full_parse=full_parse):
        if isinstance(event, ScanHit):
            level = levels.get(event.hit.rule_id, RuleLevel.INFORMATIONAL)
            alarm = alarm or level in _ALARM
            _emit_hit(out, fmt, event, level.value)
        elif isinstance(event, ScanFinding):
            alarm = True
            _emit_finding(out, fmt, event)
        elif isinstance(event, SourceScanned):
            read += event.status is SourceStatus.READ
            unreadable += event.status is SourceStatus.UNREADABLE
            if not quiet and event.status is not SourceStatus.READ:
                click.echo(f"{event.source.display}: {event.status.value} {event.detail}", err=True)
        elif isinstance(event, ScanProblem):
            unreadable += 1
            click.echo(f"error: {event.problem}", err=True)
        elif isinstance(event, ScanWarning) and not quiet:
            click.echo(f"warning: {event.warning}", err=True)
        elif isinstance(event, RuleDisabled):
            click.echo(f"rule disabled: {event.problem.message}", err=True)
    if not quiet:
        click.echo(f"{read} log(s) read, {unreadable} unreadable input(s)", err=True)
    if read == 0:
        sys.exit(ExitCode.NO_INPUT)
    if alarm:
        sys.exit(ExitCode.FINDING)
    sys.exit(ExitCode.PARTIAL if unreadable else ExitCode.OK)
