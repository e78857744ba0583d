"""``logscan batch``: many hosts' bundles in, tables, findings and an HTML report out.

stdout carries the run's result (verdict counts and the files written, or summary.json
with ``--format json``; for ``--diff``, the hosts that changed); progress, run notes and
problems go to stderr. Exit codes: 0 nothing actionable, 1 a ``confirmed``/``likely``/
``at_risk`` host, 2 usage error, 3 no host found or none readable, 4 some hosts could not be read,
5 results could not be written, 130 interrupted (finished hosts were written).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from logscan.cli.exitcodes import ExitCode
from logscan.cli.options import now_option, parse_now, rules_option
from logscan.errors import InputError, UsageError

_INTERRUPTED = 130
_UNREAD = ("unreadable", "error", "changed")


@click.command("batch")
@click.argument("roots", nargs=-1, type=click.Path(path_type=str))
@click.option("--out", "out", type=click.Path(path_type=str), help="Folder for the results.")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask", "serial"]),
    default="local",
    show_default=True,
    help="local: a process pool on this machine; dask: an existing Dask cluster "
    "(--scheduler; the workers must see the bundles at the same paths); serial: this process.",
)
@click.option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")
@click.option("--workers", type=click.IntRange(min=1), help="Local processes (default: cores).")
@click.option("--no-cache", is_flag=True, help="Scan everything; neither read nor write the cache.")
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(path_type=str),
    help="Cache file (default: logscan-cache.sqlite in --out).",
)
@rules_option
@click.option(
    "--diff",
    nargs=2,
    type=click.Path(path_type=Path),
    help="Compare two runs' --out folders (OLD NEW): which hosts changed verdict.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@now_option
def batch(
    roots: tuple[str, ...],
    out: str | None,
    executor: str,
    scheduler: str | None,
    workers: int | None,
    no_cache: bool,
    cache_path: str | None,
    rule_dirs: tuple[Path, ...],
    diff: tuple[Path, Path] | None,
    fmt: str,
    now_text: str | None,
) -> None:
    """Scan every host under ROOTs (a share with one folder or zip per machine, or a mix)
    and write hosts.csv, hosts.parquet, findings.jsonl, summary.json and report.html to
    --out. Unchanged hosts are taken from the cache on a re-run."""
    if diff:
        if roots or out:
            _usage("--diff OLD NEW takes no ROOTs and no --out")
        _diff(diff[0], diff[1], fmt)
        return
    if not roots or not out:
        _usage("give one or more ROOTs and --out DIR (or --diff OLD NEW)")
    assert out is not None
    from logscan.fleet.atomic import OutputError
    from logscan.fleet.executors import make_executor
    from logscan.fleet.run import BatchOptions, run_batch
    from logscan.fleet.work import ruleset_for

    rules = tuple(str(d) for d in rule_dirs)  # as jobs carry them to the workers
    ruleset, _version = ruleset_for(rules)
    for problem in ruleset.errors:
        click.echo(str(problem), err=True)
    if ruleset.failed:
        click.echo(ruleset.summary(), err=True)
    options = BatchOptions(
        roots=roots,
        out=out,
        rule_dirs=rules,
        use_cache=not no_cache,
        cache_path=cache_path,
        now=parse_now(now_text),
    )
    try:
        pool = make_executor(executor, workers=workers, scheduler=scheduler)
        run = run_batch(options, pool)
    except UsageError as exc:
        _usage(str(exc))
    except OutputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(ExitCode.OUTPUT)
    _report(run.summary, run.written, out, fmt)
    if run.interrupted:
        click.echo("interrupted: finished hosts were written; run again to do the rest", err=True)
        sys.exit(_INTERRUPTED)
    sys.exit(_exit_code(run.summary))


def _usage(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(ExitCode.USAGE)


def _exit_code(summary: dict[str, Any]) -> int:
    diagnosed = sum(summary["verdicts"].values())
    if summary["hosts"] == 0 or (diagnosed == 0 and not summary["interrupted"]):
        return ExitCode.NO_INPUT  # nothing readable to diagnose at all
    if summary["actionable"]:
        return ExitCode.FINDING
    if any(summary["statuses"][s] for s in _UNREAD):
        return ExitCode.PARTIAL
    return ExitCode.OK


def _report(summary: dict[str, Any], written: list[str], out: str, fmt: str) -> None:
    for dup in summary["duplicates"]:
        click.echo(
            f"duplicate host name {dup['name']}: {', '.join(dup['paths'])} "
            f"(labelled {', '.join(dup['labels'])})",
            err=True,
        )
    for problem in summary["problems"]:
        click.echo(f"skipped: {problem}", err=True)
    for note in summary["cache"]["notes"]:
        click.echo(f"cache: {note}", err=True)
    if summary["hosts"] == 0:
        click.echo("no host bundles found under the given roots", err=True)
    click.echo(
        f"{summary['finished']} of {summary['hosts']} hosts: {summary['scanned']} scanned, "
        f"{summary['from_cache']} unchanged (cache); {summary['scanned_bytes'] / 1e6:.1f} MB "
        f"in {summary['seconds']:.1f} s on {summary['workers']} worker(s) ({summary['executor']})",
        err=True,
    )
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    for verdict, n in summary["verdicts"].items():
        click.echo(f"{verdict:<14} {n}")
    for status, n in summary["statuses"].items():
        if status != "ok" and n:
            click.echo(f"{'(' + status + ')':<14} {n}")
    for name in written:
        click.echo(str(Path(out) / name))


def _diff(old: Path, new: Path, fmt: str) -> None:
    from logscan.fleet.diff import diff_runs

    try:
        result = diff_runs(old, new)
    except InputError as exc:
        _usage(str(exc))
        return
    if fmt == "json":
        from dataclasses import asdict

        click.echo(json.dumps(asdict(result), indent=2, ensure_ascii=False))
        return
    click.echo(
        f"{len(result.changed)} changed, {len(result.added)} new, "
        f"{len(result.removed)} gone, {result.unchanged} unchanged"
    )
    for title, items in (
        ("changed", result.changed),
        ("new", result.added),
        ("gone", result.removed),
    ):
        for c in items:
            old_v = c.old_verdict or f"({c.old_status or '-'})"
            new_v = c.new_verdict or f"({c.new_status or '-'})"
            click.echo(f"{title:<8} {c.label:<24} {old_v:>14} -> {new_v}")
