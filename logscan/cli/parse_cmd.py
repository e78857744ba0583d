"""``logscan parse``: print the records of logs, filtered, as a table, JSON lines or CSV.

stdout carries only records; warnings, unreadable inputs and the closing count go to
stderr. Exit codes: 0 all inputs read, 3 nothing readable, 4 some inputs unreadable.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import click

from logscan.cli.exitcodes import ExitCode
from logscan.cli.records_out import RecordWriter, writer_for
from logscan.inputs.discover import find_logs
from logscan.inputs.reader import read_source
from logscan.inputs.source import LogSource
from logscan.model import Level, LogRecord, ParseWarning

_LEVELS = {level.name.lower(): level for level in Level}


def _parse_when(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO date/time (e.g. 2011-03-15T14:02 or 2011-03-15T19:02Z)",
            param_hint=option,
        ) from None


class _Filter:
    """Record filter. Bounds with a zone compare with UTC; naive bounds with local time."""

    def __init__(
        self,
        level: Level | None,
        components: tuple[str, ...],
        since: datetime | None,
        until: datetime | None,
    ) -> None:
        self.level = level
        self.components = {c.casefold() for c in components}
        self.since = since
        self.until = until

    def _when(self, record: LogRecord, bound: datetime) -> datetime | None:
        if bound.tzinfo is not None:
            return record.utc
        return record.local_time

    def __call__(self, record: LogRecord) -> bool:
        if self.level is not None and record.level < self.level:
            return False
        if self.components and record.component.casefold() not in self.components:
            return False
        for bound, after in ((self.since, True), (self.until, False)):
            if bound is None:
                continue
            when = self._when(record, bound)
            if when is None:
                return False
            limit = bound.astimezone(UTC) if bound.tzinfo is not None else bound
            if (when < limit) if after else (when > limit):
                return False
        return True


def _records(sources: list[LogSource], stats: dict[str, int], quiet: bool) -> Iterator[LogRecord]:
    progress = _Progress(sources) if sys.stderr.isatty() and not quiet else None
    for source in sources:
        for item in read_source(source):
            if isinstance(item, ParseWarning):
                stats["warnings"] += 1
                if not quiet:
                    click.echo(f"warning: {item}", err=True)
            else:
                stats["records"] += 1
                yield item
        stats["files"] += 1
        if progress:
            progress.advance(source)
    if progress:
        progress.close()


class _Progress:
    """A one-line byte progress bar on stderr (only when stderr is a terminal)."""

    def __init__(self, sources: list[LogSource]) -> None:
        from rich.progress import Progress  # lazy: rich is only needed on a terminal

        self._progress = Progress(transient=True, console=None)
        self._progress.start()
        self._task = self._progress.add_task("parsing", total=sum(s.size for s in sources) or 1)

    def advance(self, source: LogSource) -> None:
        self._progress.advance(self._task, source.size)

    def close(self) -> None:
        self._progress.stop()


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl", "csv"]),
    default="table",
    show_default=True,
    help="Output format on stdout.",
)
@click.option(
    "--level",
    type=click.Choice(list(_LEVELS)),
    default=None,
    help="Only records at this level or above.",
)
@click.option("--component", multiple=True, help="Only these components (repeatable).")
@click.option(
    "--since", help="Only records at/after this ISO time (with zone: UTC; without: local)."
)
@click.option("--until", help="Only records at/before this ISO time.")
@click.option("-q", "--quiet", is_flag=True, help="No warnings or summary on stderr.")
def parse(
    paths: tuple[str, ...],
    fmt: str,
    level: str | None,
    component: tuple[str, ...],
    since: str | None,
    until: str | None,
    quiet: bool,
) -> None:
    """Parse the logs under PATHS (files, folders, zip bundles) and print their records.

    Rotated generations (.lo_, smsts-YYYYMMDD-HHMMSS.log) are read before their .log.
    Exit codes: 0 every input read, 3 no readable input, 4 some inputs unreadable.
    """
    keep = _Filter(
        _LEVELS[level] if level else None,
        component,
        _parse_when(since, "--since"),
        _parse_when(until, "--until"),
    )
    found = find_logs(paths)
    sources, problems = list(found.sources), found.problems
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if not sources:
        # Nothing at all on stdout (not even a table header): there is no result.
        if not problems:
            click.echo("error: no log files found under the given paths", err=True)
        sys.exit(ExitCode.NO_INPUT)
    stats = {"records": 0, "warnings": 0, "files": 0}
    writer: RecordWriter = writer_for(fmt, sys.stdout)
    shown = 0
    for record in _records(sources, stats, quiet):
        if keep(record):
            writer.write(record)
            shown += 1
    writer.close()
    if not quiet:
        click.echo(
            f"{stats['files']} file(s), {stats['records']} record(s), {shown} shown, "
            f"{stats['warnings']} warning(s), {len(problems)} unreadable input(s)",
            err=True,
        )
    sys.exit(ExitCode.PARTIAL if any(p.fatal_for_path for p in problems) else ExitCode.OK)
