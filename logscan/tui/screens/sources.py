"""SourcesScreen: what is loaded, coverage per host, rules, and the scan (progress, cancel).

The first screen of ``logscan tui`` on folders of hosts and of ``--live``. The scan runs
in a thread worker (``triage_jobs.scan_hosts``) that posts its progress; when the first
scan ends the hosts screen opens. ``a`` adds a path and scans again without a restart.
"""

from __future__ import annotations

import os
import threading
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, ProgressBar, Static

from logscan.tui.screens.add_path import AddPathPrompt
from logscan.tui.screens.hosts import HostsScreen
from logscan.tui.session import TriageSession
from logscan.tui.triage_jobs import scan_hosts
from logscan.tui.triage_messages import ScanFinished, ScanProgressed


def _kind(path: str) -> str:
    if os.path.isdir(path):
        return "folder"
    return "zip" if path.casefold().endswith(".zip") else "file"


class SourcesScreen(Screen[None]):
    """Loaded inputs, per-host coverage and rules; the scan's progress."""

    CSS_PATH = Path(__file__).with_name("triage.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,h", "hosts", "Hosts"),
        Binding("a", "add_path", "Add path"),
        Binding("x", "cancel_scan", "Cancel scan"),
        Binding("r", "rescan", "Rescan"),
    ]
    PALETTE: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("Hosts", "One row per host with its verdict (h)", "hosts"),
        ("Add path", "Add a folder, zip or log and scan again (a)", "add_path"),
        ("Cancel scan", "Stop the running scan (x)", "cancel_scan"),
        ("Rescan", "Scan every path again (r)", "rescan"),
    )

    def __init__(self, session: TriageSession) -> None:
        super().__init__()
        self.session = session
        self.scanning = False
        self._cancel = threading.Event()

    def compose(self) -> ComposeResult:
        yield Static("Sources", classes="screen-title")
        yield Static("", id="sources-loaded")
        yield DataTable(id="coverage", cursor_type="row", zebra_stripes=True)
        yield Static("", id="sources-rules")
        yield ProgressBar(id="scan-progress", show_eta=False)
        yield Static("", id="scan-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#coverage", DataTable)
        table.add_columns("Host", "Missing", "Unreadable", "Present")
        self._show_loaded()
        self.action_rescan()

    # -- scanning ------------------------------------------------------------------------

    def action_rescan(self) -> None:
        self._cancel.set()
        self._cancel = threading.Event()
        self.scanning = True
        bar = self.query_one("#scan-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._status("scanning…", "")
        job = partial(
            scan_hosts, self.session.config, tuple(self.session.paths), self.post_message,
            self._cancel,
        )  # fmt: skip
        self.run_worker(job, thread=True, group="scan", exclusive=True)

    def action_cancel_scan(self) -> None:
        if self.scanning:
            self._cancel.set()
            self._status("cancelling…", "warning")

    def stop_work(self) -> None:
        self._cancel.set()

    def on_unmount(self) -> None:
        self.stop_work()

    def on_scan_progressed(self, message: ScanProgressed) -> None:
        if message.scan is not self._cancel:
            return  # a scan superseded by a rescan
        bar = self.query_one("#scan-progress", ProgressBar)
        bar.update(total=message.total, progress=message.done)
        if message.host:
            self._status(f"scanning {message.host} ({message.done + 1} of {message.total})", "")

    def on_scan_finished(self, message: ScanFinished) -> None:
        if message.scan is not self._cancel:
            return
        self.scanning = False
        self.query_one("#scan-progress", ProgressBar).display = False
        if message.report is None:
            self._status(message.error or "scan stopped", "warning")
            return
        first = self.session.scans == 0
        self.session.finished(message.report, message.bundles)
        self._show_loaded()
        self._show_coverage()
        hosts = len(message.report.diagnoses)
        if not self.session.paths and not self.session.config.live:
            self._status("nothing to scan yet: a adds a path", "")
        else:
            self._status(f"{hosts} host{'s' if hosts != 1 else ''} diagnosed", "green")
        if first and hosts:
            self.action_hosts()

    # -- display -------------------------------------------------------------------------

    def _status(self, text: str, style: str) -> None:
        self.query_one("#scan-status", Static).update(Text(text, style=style))

    def _show_loaded(self) -> None:
        lines = Text("Loaded: ", style="bold")
        if self.session.config.live:
            lines.append("this machine (live: its logs, SMS store and facts)")
        for k, path in enumerate(self.session.paths):
            if k:
                lines.append(", ")
            lines.append(f"{Path(path).name or path} ({_kind(path)})")
        if not self.session.paths and not self.session.config.live:
            lines.append("nothing yet: a adds a folder of hosts, a host's folder or zip, or logs")
        if self.session.bundles:
            lines.append(f"; {len(self.session.bundles)} host(s)")
        self.query_one("#sources-loaded", Static).update(lines)

    def _show_coverage(self) -> None:
        table = self.query_one("#coverage", DataTable)
        table.clear()
        report = self.session.report
        if report is None:
            return
        for d in report.diagnoses:
            c = d.coverage
            table.add_row(
                d.host,
                Text(", ".join(c.missing) or "-", style="yellow" if c.missing else "dim"),
                Text(
                    str(len(c.unreadable)) if c.unreadable else "-",
                    style="red" if c.unreadable else "dim",
                ),
                Text(", ".join(c.present) or "-", style="green"),
                key=d.host,
            )
        rules = Text(f"Rules: {report.rules_loaded} loaded", style="bold")
        rules.append(f", {report.rules_failed} failed", style="red" if report.rules_failed else "")
        for text in (*report.disabled, *report.problems):
            rules.append(f"\n  {text}", style="yellow")
        for d in report.diagnoses:
            for text in d.coverage.unreadable:
                rules.append(f"\n  {d.host}: unreadable: {text}", style="red")
        self.query_one("#sources-rules", Static).update(rules)

    # -- actions -------------------------------------------------------------------------

    def action_hosts(self) -> None:
        if self.session.report is not None:
            self.app.push_screen(HostsScreen(self.session))

    def action_add_path(self) -> None:
        def done(path: str | None) -> None:
            if path is not None and self.session.add_path(path):
                self._show_loaded()
                self.action_rescan()

        self.app.push_screen(AddPathPrompt(), done)
