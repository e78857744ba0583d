"""Options several commands take, declared once so that they read and behave alike."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from logscan.cli.exitcodes import ExitCode

rules_option = click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A folder (or file) of user rules, loaded next to the shipped ones. Repeatable.",
)

# Hidden: tests and reproductions pin the moment certificate validity is judged at.
now_option = click.option(
    "--now", "now_text", hidden=True, help="ISO time to check validity against."
)


def parse_now(text: str | None) -> datetime:
    """The ``--now`` moment (UTC when no zone is given), the current time without one;
    a usage error (exit 2) for text that is no ISO date/time."""
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        click.echo(f"--now {text!r} is not an ISO date/time", err=True)
        sys.exit(ExitCode.USAGE)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
