"""The ``logscan`` click group. Subcommands live in their own modules and are imported
only when invoked, so ``logscan --help`` stays fast and light."""

from __future__ import annotations

import importlib
import sys

import click

from logscan import __version__

# name -> "module:attribute"; help text is kept here so --help needs no imports.
_COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("logscan.cli.parse_cmd:parse", "Parse logs and print their records."),
    "scan": (
        "logscan.cli.scan_cmd:scan_cmd",
        "Run the detection rules over logs: hits and findings.",
    ),
    "code": ("logscan.cli.code_cmd:code", "Look up an error code (HRESULT, Win32, USMT)."),
    "certs": ("logscan.cli.certs_cmd:certs", "Show the SMS certificate store and its checks."),
    "collector": (
        "logscan.cli.collector_cmd:collector",
        "Write the evidence collector script for old clients.",
    ),
    "rules": ("logscan.cli.rules_cmd:rules", "List, lint and test detection rules."),
    "tui": ("logscan.cli.tui_cmd:tui", "Interactive triage, log viewer and guided repair."),
    "diagnose": (
        "logscan.cli.diagnose_cmd:diagnose",
        "Diagnose hosts: verdict, evidence, certificates, facts, remediation.",
    ),
    "repair": ("logscan.cli.repair_cmd:repair", "Plan, then safely apply, the KB977203 repair."),
    "audit": ("logscan.cli.audit_cmd:audit", "Show the repair audit log."),
    "batch": (
        "logscan.cli.batch_cmd:batch",
        "Scan many hosts' bundles: tables, findings, HTML report, incremental.",
    ),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = _COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attr = entry[0].split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, _COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _on_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="logscan")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """logscan: find, explain and repair ConfigMgr client failures (first: KB977203,
    user-state migration failing with 0x80092024)."""
    if ctx.invoked_subcommand is not None:
        return
    # No command: the TUI on a terminal; otherwise the help, as click would print it.
    if _on_terminal():
        from logscan.cli.tui_cmd import open_default

        open_default()
        return
    click.echo(ctx.get_help(), err=True)
    ctx.exit(2)


def main() -> None:
    try:
        cli.main(prog_name="logscan", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
