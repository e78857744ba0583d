"""``logscan collector``: write the evidence collector script for old clients.

stdout carries only the path of the written script; how to run it goes to stderr.
Exit codes: 0 written, 2 refused (already there without --force, or not a folder),
3 the folder cannot be written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from logscan.cli.exitcodes import ExitCode
from logscan.errors import InputError, UsageError

_HOW = """\
Run it on the client (Windows XP, Vista, 7 or WinPE), as an administrator:
    {name} [OUTPUT_FOLDER]
It only reads from the client and writes everything into OUTPUT_FOLDER\\<COMPUTERNAME>
(default: a "logscan_evidence" folder next to the script). cmd.exe cannot zip: zip that
folder afterwards or copy it as it is; logscan reads folders and zips alike."""


@click.command("collector")
@click.option(
    "--write",
    "directory",
    required=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Folder to write collect_logscan.cmd into (created if missing).",
)
@click.option("--force", is_flag=True, help="Overwrite a collector script already in DIR.")
def collector(directory: Path, force: bool) -> None:
    """Write the evidence collector script for old clients (cmd.exe only, no PowerShell)."""
    from logscan.collector import SCRIPT_NAME, write_collector

    try:
        path = write_collector(directory, force=force)
    except UsageError as exc:
        click.echo(f"logscan collector: {exc}", err=True)
        sys.exit(ExitCode.USAGE)
    except InputError as exc:
        click.echo(f"logscan collector: {exc}", err=True)
        sys.exit(ExitCode.NO_INPUT)
    click.echo(str(path))
    click.echo(_HOW.format(name=SCRIPT_NAME), err=True)
