"""The ``logscan rules`` commands: list, lint and test detection rules.

Each loads the shipped rules plus any user rule files or folders (``PATH`` arguments and
``--rules DIR``, repeatable). A bad user rule is reported with ``path:line:col`` on
stderr and the rest still load, unless ``--strict`` makes any rule problem fatal.
Results go to stdout; the "loaded N rules, M failed to load" line goes to stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from logscan.cli.exitcodes import ExitCode
from logscan.cli.options import rules_option
from logscan.rules.loader import RuleSet, load_rules
from logscan.rules.model import RuleError, Severity
from logscan.rules.rule import CorrelationRule, Rule

F = TypeVar("F", bound=Callable[..., Any])


def _common(func: F) -> F:
    func = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))(func)
    func = rules_option(func)
    func = click.option(
        "--no-shipped", is_flag=True, help="Leave out the rules that come with logscan."
    )(func)
    return click.option(
        "--strict", is_flag=True, help="Any rule problem is fatal (lint: warnings too)."
    )(func)


def _load(
    paths: tuple[Path, ...], rule_dirs: tuple[Path, ...], *, shipped: bool, strict: bool
) -> RuleSet:
    try:
        return load_rules([*rule_dirs, *paths], shipped=shipped, strict=strict)
    except RuleError as exc:
        click.echo(f"{exc.problem}", err=True)
        click.echo("stopping: --strict makes a rule problem fatal", err=True)
        sys.exit(ExitCode.USAGE)


def _report_load(ruleset: RuleSet) -> None:
    for problem in ruleset.errors:
        click.echo(str(problem), err=True)
    click.echo(ruleset.summary(), err=True)


@click.group("rules")
def rules() -> None:
    """List, lint and test detection rules."""


def _kinds(rule: Rule) -> str:
    kinds = sorted(k.value for k in rule.logsource.kinds)
    return ",".join(kinds + list(rule.logsource.files)) or "any"


def _row(rule: Rule | CorrelationRule) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": rule.id,
        "type": "correlation" if isinstance(rule, CorrelationRule) else "detection",
        "level": rule.meta.level.value,
        "status": rule.meta.status.value,
        "title": rule.meta.title,
        "location": str(rule.meta.location),
    }
    if isinstance(rule, Rule):
        row["logsource"] = _kinds(rule)
        row["anchors"] = [a.decode("ascii", "replace") for a in rule.anchors]
        row["needs_full_parse"] = rule.needs_full_parse
    else:
        row["steps"] = [list(s.rules) for s in rule.steps]
    return row


@rules.command("list")
@_common
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def list_rules(
    paths: tuple[Path, ...], rule_dirs: tuple[Path, ...], no_shipped: bool, strict: bool, fmt: str
) -> None:
    """List the loaded rules: id, level, status, where they read, how they prefilter."""
    ruleset = _load(paths, rule_dirs, shipped=not no_shipped, strict=strict)
    listed: list[Rule | CorrelationRule] = [*ruleset.rules, *ruleset.correlations]
    rows = [_row(r) for r in listed]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
    else:
        for row in rows:
            if row["type"] == "detection":
                how = "full parse" if row["needs_full_parse"] else f"anchors: {len(row['anchors'])}"
                where = row["logsource"]
            else:
                how, where = "correlation", f"{len(row['steps'])} steps"
            click.echo(f"{row['id']:<52} {row['level']:<13} {row['status']:<12} {where:<28} {how}")
    _report_load(ruleset)


@rules.command("lint")
@_common
def lint_rules(
    paths: tuple[Path, ...], rule_dirs: tuple[Path, ...], no_shipped: bool, strict: bool
) -> None:
    """Check rule files: every problem located as path:line:col with what to fix.

    Exits 1 when there is an error (with --strict, a warning too)."""
    from logscan.rules.lint import lint

    ruleset = _load(paths, rule_dirs, shipped=not no_shipped, strict=False)
    problems = lint(ruleset)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    click.echo(f"{ruleset.summary()}; {errors} errors, {warnings} warnings", err=True)
    if errors or (strict and warnings):
        sys.exit(ExitCode.FINDING)


@rules.command("test")
@_common
@click.option("-v", "--verbose", is_flag=True, help="Show passing examples too.")
def test_rules(
    paths: tuple[Path, ...],
    rule_dirs: tuple[Path, ...],
    no_shipped: bool,
    strict: bool,
    verbose: bool,
) -> None:
    """Run every rule's must_match / must_not_match examples through the real parsers.

    Exits 1 when an example fails or a rule failed to load."""
    from logscan.rules.ruletest import run_rule_tests

    ruleset = _load(paths, rule_dirs, shipped=not no_shipped, strict=strict)
    results = run_rule_tests(ruleset)
    failed = [r for r in results if not r.passed]
    for result in results:
        if verbose or not result.passed:
            click.echo(str(result))
    _report_load(ruleset)
    rules_word = "rule" if ruleset.loaded == 1 else "rules"
    click.echo(
        f"{len(results)} examples of {ruleset.loaded} {rules_word}: "
        f"{len(results) - len(failed)} passed, {len(failed)} failed",
        err=True,
    )
    if failed or ruleset.failed:
        sys.exit(ExitCode.FINDING)


@rules.command("schema")
@click.option("--write", is_flag=True, help="Rewrite the generated part of rules/README.md.")
def schema_reference(write: bool) -> None:
    """Print the rule-file reference generated from the code (fields, matchers)."""
    from logscan.rules.schema import readme_path, render_reference, update_readme

    if not write:
        click.echo(render_reference())
        return
    path = readme_path()
    changed = update_readme(path)
    click.echo(f"{path}: {'updated' if changed else 'already current'}", err=True)
