"""``logscan tui PATH...``: the interactive viewer on the given logs (files, folders, zips).

Textual is imported only once the command runs, so the rest of the CLI stays light.
Unreadable inputs are listed on stderr before the TUI starts; with nothing readable the
command exits with NO_INPUT instead of opening an empty screen.
"""

from __future__ import annotations

import sys

import click

from logscan.cli.exitcodes import ExitCode
from logscan.viewer import open_logs


@click.command("tui", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="PATH...")
@click.option("--merge", "merged", is_flag=True, help="Start with every log merged by UTC.")
@click.option("--follow", is_flag=True, help="Follow growing logs (like tail -f).")
def tui(paths: tuple[str, ...], merged: bool, follow: bool) -> None:
    """Open logs in the interactive viewer: CMTrace columns, jump between errors,
    search (/), filter that hides lines (f), merge by UTC (m), follow (F), error-code
    lookup (c); ? lists every key."""
    opened = open_logs(paths)
    for problem in opened.problems:
        click.echo(f"logscan: {problem}", err=True)
    if not opened.indexes:
        click.echo("logscan: no readable log under the given paths", err=True)
        sys.exit(ExitCode.NO_INPUT)
    from logscan.tui.app import LogscanApp

    LogscanApp(opened.indexes, merged=merged, follow=follow).run()
    if opened.problems:
        sys.exit(ExitCode.PARTIAL)
