"""CertificatesScreen: every SMS certificate of a host and the checks' results.

Thumbprint, subject, validity, EKU and the friendly name with each NUL shown as ␀ and
highlighted; below, every finding of ``logscan.certs.checks``. The store is read in a
worker (``triage_jobs.read_store``); ``r`` reads it again (the live store under
``--live``, the host's exported store otherwise).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from logscan.diagnose import Diagnosis
from logscan.model import Level
from logscan.tui.session import TriageSession
from logscan.tui.triage_jobs import read_store
from logscan.tui.triage_messages import StoreRead
from logscan.tui.widgets.nul_text import nul_text

_LEVEL_STYLE = {Level.ERROR: "bold red", Level.WARNING: "yellow"}


def _day(moment: object) -> str:
    return moment.strftime("%Y-%m-%d") if hasattr(moment, "strftime") else "-"


class CertificatesScreen(Screen[None]):
    """The SMS store of one host, as read now."""

    CSS_PATH = Path(__file__).with_name("triage.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh_store", "Refresh"),
        Binding("escape", "back", "Back"),
    ]
    PALETTE: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("Refresh store", "Read the SMS store again (r)", "refresh_store"),
    )

    def __init__(self, session: TriageSession, diagnosis: Diagnosis) -> None:
        super().__init__()
        self.session = session
        self.diagnosis = diagnosis
        self.reads = 0  # finished reads of the store

    def compose(self) -> ComposeResult:
        yield Static(f"Certificates: {self.diagnosis.host}", classes="screen-title")
        yield DataTable(id="certs-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="certs-findings"):
            yield Static("", id="certs-checks", classes="section")
        yield Static("", id="certs-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#certs-table", DataTable)
        table.add_columns("Friendly name", "Thumbprint", "Valid from", "Valid to", "EKU", "Subject")
        table.focus()
        self.action_refresh_store()

    def action_refresh_store(self) -> None:
        self.query_one("#certs-status", Static).update(Text("reading the store…", style="yellow"))
        bundle = self.session.bundle_of(self.diagnosis)
        live = self.session.config.live and bundle is None
        if bundle is None and not live:
            self.query_one("#certs-status", Static).update("no store to read for this host")
            return
        job = partial(
            read_store, self.session.config, bundle, self.diagnosis.host, self.post_message
        )
        self.run_worker(job, thread=True, group="store", exclusive=True)

    def on_store_read(self, message: StoreRead) -> None:
        self.reads += 1
        table = self.query_one("#certs-table", DataTable)
        table.clear()
        count = 0
        for result in message.results:
            for cert in result.certs:
                count += 1
                name = cert.friendly.visible if cert.friendly is not None else "-"
                table.add_row(
                    nul_text(name),
                    cert.thumbprint,
                    _day(cert.not_before),
                    _day(cert.not_after),
                    ", ".join(cert.ekus) or "-",
                    cert.subject or "-",
                )
        checks = Text()
        for n, f in enumerate(message.findings):
            if n:
                checks.append("\n")
            checks.append(
                f"{f.severity.name.lower():<8}", style=_LEVEL_STYLE.get(f.severity, "dim")
            )
            checks.append(f"{f.check.value:<18} ", style="bold")
            checks.append_text(nul_text(f.message))
        for problem in message.problems:
            checks.append(f"\nunreadable  {problem}", style="red")
        self.query_one("#certs-checks", Static).update(checks or Text("no findings", style="dim"))
        sources = ", ".join(r.source.replace("\\", "/").rsplit("/", 1)[-1] for r in message.results)
        status = f"{count} certificate(s) from {sources or 'no store'} · r reads it again"
        self.query_one("#certs-status", Static).update(status)

    def action_back(self) -> None:
        self.app.pop_screen()
