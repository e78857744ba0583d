"""``logscan diagnose``: one verdict per host, with evidence, certificates, facts and the fix.

stdout carries the diagnoses (text for a person, or json / jsonl / markdown); rule-load
problems, unreadable inputs and rules stopped during the scan go to stderr.
Exit codes: 0 nothing actionable, 1 a ``confirmed``/``likely``/``at_risk`` host,
2 usage error, 3 no readable input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from logscan.cli.exitcodes import ExitCode
from logscan.cli.options import now_option, parse_now, rules_option
from logscan.errors import UsageError


@click.command("diagnose")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--live", "use_live", is_flag=True, help="Diagnose this machine (Windows).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl", "markdown"]),
    default="text",
    show_default=True,
    help="Output on stdout: text for a person, json (one document), jsonl (one host per "
    "line, then the rule counts), markdown.",
)
@rules_option
@click.option("-v", "--verbose", is_flag=True, help="Text: add reasoning steps and timeline.")
@now_option
def diagnose(
    paths: tuple[str, ...],
    use_live: bool,
    fmt: str,
    rule_dirs: tuple[Path, ...],
    verbose: bool,
    now_text: str | None,
) -> None:
    """Diagnose the hosts in PATHs (folders, zip bundles, log files; a folder of machine
    folders or zips is one host each) or this machine with --live: KB977203 verdict,
    evidence, certificates, facts, timeline and what to do next."""
    if use_live == bool(paths):
        click.echo("give either --live or one or more PATHs", err=True)
        sys.exit(ExitCode.USAGE)
    now = parse_now(now_text)
    from logscan.diagnose.report import diagnose as run
    from logscan.diagnose.report import diagnose_live
    from logscan.rules.loader import load_rules

    ruleset = load_rules(rule_dirs)
    for problem in ruleset.errors:
        click.echo(str(problem), err=True)
    if ruleset.failed:
        click.echo(ruleset.summary(), err=True)
    try:
        report = diagnose_live(ruleset, now=now) if use_live else run(paths, ruleset, now=now)
    except UsageError as exc:
        click.echo(str(exc), err=True)
        sys.exit(ExitCode.USAGE)
    for unreadable in report.problems:
        click.echo(f"unreadable: {unreadable}", err=True)
    for disabled in report.disabled:
        click.echo(f"rule stopped: {disabled}", err=True)
    _write(report, fmt, verbose)
    if not report.diagnoses:
        click.echo("no readable input: nothing to diagnose", err=True)
        sys.exit(ExitCode.NO_INPUT)
    sys.exit(ExitCode.FINDING if report.actionable else ExitCode.OK)


def _write(report: object, fmt: str, verbose: bool) -> None:
    from logscan.diagnose.report import Report

    assert isinstance(report, Report)
    if fmt in ("json", "jsonl"):
        from logscan.diagnose.serialize import diagnosis_json, report_json

        if fmt == "json":
            click.echo(json.dumps(report_json(report), indent=2, ensure_ascii=False))
        else:
            for d in report.diagnoses:
                click.echo(json.dumps(diagnosis_json(d), ensure_ascii=False))
            rules = {"loaded": report.rules_loaded, "failed": report.rules_failed}
            click.echo(json.dumps({"rules": rules}))
        return
    from logscan.cli.diagnose_render import render_markdown, render_text

    lines = render_markdown(report) if fmt == "markdown" else render_text(report, verbose=verbose)
    for line in lines:
        click.echo(line)
