"""``logscan tui [--live | PATH...]``: triage of hosts, or the viewer on plain logs.

Folders of hosts, a host's folder or zip (anything holding more than logs: store exports,
systeminfo) and ``--live`` open the triage (Sources, then Hosts); plain log files, or a
folder of logs only, open the log viewer directly (``--merge``/``--follow`` ask for it).
Textual is imported only once the command runs, so the rest of the CLI stays light.
Unreadable inputs are listed on stderr before the viewer starts; with nothing readable
the command exits with NO_INPUT instead of opening an empty screen.
"""

from __future__ import annotations

import sys

import click

from logscan.cli.exitcodes import ExitCode
from logscan.diagnose.stepwise import holds_hosts
from logscan.viewer import open_logs


def open_default() -> None:
    """``logscan`` alone on a terminal: this machine on Windows, else an empty Sources
    screen where ``a`` adds a path."""
    _triage((), live=sys.platform == "win32")


def _triage(paths: tuple[str, ...], *, live: bool) -> None:
    from logscan.tui.app import LogscanApp
    from logscan.tui.config import TuiConfig, live_seams

    seams = None
    if live:
        from logscan.errors import UsageError

        try:
            seams = live_seams()
        except UsageError as exc:
            click.echo(f"logscan: repair unavailable: {exc}", err=True)
    LogscanApp(config=TuiConfig(paths=paths, live=live, seams=seams)).run()


@click.command("tui", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(), metavar="[PATH...]")
@click.option("--live", is_flag=True, help="Triage and repair this machine (Windows).")
@click.option("--merge", "merged", is_flag=True, help="Viewer: start with every log merged.")
@click.option("--follow", is_flag=True, help="Viewer: follow growing logs (like tail -f).")
def tui(paths: tuple[str, ...], live: bool, merged: bool, follow: bool) -> None:
    """Triage hosts (Sources, Hosts, Diagnosis, Certificates, Repair) from folders or
    zips of hosts, or this machine with --live; on plain logs, the viewer: CMTrace
    columns, jump between errors, search (/), filter (f), merge by UTC (m), follow (F),
    error-code lookup (c). ? lists every key."""
    if live == bool(paths):
        click.echo("logscan: give PATH... or --live", err=True)
        sys.exit(ExitCode.USAGE)
    if live or (not (merged or follow) and holds_hosts(paths)):
        _triage(paths, live=live)
        return
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
