"""``logscan audit show [FILE]``: read the repair audit log back.

One line per record on stdout (or the records as JSON lines with ``--format jsonl``);
lines that are not records are reported on stderr with their line numbers. Reading
never changes the file. Exit codes: 0 all lines read, 4 some lines damaged, 3 the file
cannot be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from logscan.cli.exitcodes import ExitCode
from logscan.repair.audit import read_audit
from logscan.repair.paths import default_audit_path


def _detail(record: dict[str, Any]) -> str:
    event = record.get("event")
    if event == "finished":
        outcome = record.get("outcome") or {}
        names = "; ".join(
            f'{n.get("thumbprint", "?")[:8]}… "{(n.get("before") or {}).get("text")}" -> '
            f'"{(n.get("after") or {}).get("text")}"'
            for n in outcome.get("names", [])
        )
        text = f"{outcome.get('status')}: {outcome.get('message')}"
        return f"{text} [{names}]" if names else text
    if event == "refused":
        return "; ".join(f"{r.get('reason')}: {r.get('message')}" for r in record["refusals"])
    if event == "backup":
        return f"{record.get('folder')}; restore: {record.get('restore_command')}"
    if event == "command":
        command = record.get("command") or {}
        ran = " ".join([str(command.get("what")), *(command.get("argv") or [])])
        return f"{ran}: {command.get('exit')}"
    if event == "started":
        plan = record.get("plan") or {}
        binary = plan.get("binary") or {}
        sha = f"; CCMCertFix SHA-256 {binary['sha256']}" if binary.get("sha256") else ""
        return f"{len(plan.get('changes', []))} name(s) to change{sha}"
    return ""


@click.group("audit")
def audit() -> None:
    """Read the repair audit log."""


@audit.command("show")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text")
def show(file: Path | None, fmt: str) -> None:
    """Show the records of the audit log FILE (default: this machine's)."""
    path = file or default_audit_path()
    try:
        read = read_audit(path)
    except OSError as exc:
        click.echo(f"{path}: cannot read the audit log: {exc.strerror or exc}", err=True)
        sys.exit(ExitCode.NO_INPUT)
    for entry in read.entries:
        r = entry.record
        if fmt == "jsonl":
            click.echo(json.dumps(r, ensure_ascii=False))
            continue
        click.echo(
            f"{entry.line:>5}  {r.get('when')}  {r.get('event'):<8}  {str(r.get('run_id'))[:8]}  "
            f"{r.get('who') or '?'}@{r.get('host') or '?'}  {r.get('mode')}  {_detail(r)}"
        )
    for bad in read.damaged:
        click.echo(f"{path}:{bad.line}: damaged line: {bad.reason}: {bad.text!r}", err=True)
    click.echo(f"{len(read.entries)} record(s), {len(read.damaged)} damaged line(s)", err=True)
    sys.exit(ExitCode.PARTIAL if read.damaged else ExitCode.OK)
