"""DiagnosisScreen: one host's verdict and reasoning, evidence, certificates, facts,
timeline and remediation plan.

Everything shown is the engine's ``Diagnosis``. Enter on an evidence line opens the log
viewer at that file and line; ``c`` opens the certificates, ``r`` the repair.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from logscan.diagnose import Diagnosis, EvidenceKind, EvidenceRole
from logscan.diagnose.stepwise import evidence_file
from logscan.tui.screens.certificates import CertificatesScreen
from logscan.tui.screens.repair import RepairScreen
from logscan.tui.screens.viewer import ViewerScreen
from logscan.tui.session import TriageSession
from logscan.tui.widgets.diagnosis_text import (
    certificate_lines,
    fact_lines,
    header,
    reasoning_lines,
    remediation_lines,
)
from logscan.viewer import open_logs

_ROLE_STYLE = {
    EvidenceRole.FAILURE: "bold red",
    EvidenceRole.CERTIFICATE: "red",
    EvidenceRole.OTHER_FAILURE: "magenta",
    EvidenceRole.FIX: "green",
    EvidenceRole.EXPOSURE: "yellow",
    EvidenceRole.CONTEXT: "dim",
}


class DiagnosisScreen(Screen[None]):
    """The answer for one host, section by section."""

    CSS_PATH = Path(__file__).with_name("triage.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_evidence", "Open in viewer", show=False),
        Binding("c", "certificates", "Certificates"),
        Binding("r", "repair", "Repair"),
        Binding("escape", "back", "Hosts"),
    ]
    PALETTE: ClassVar[tuple[tuple[str, str, str], ...]] = (
        (
            "Open evidence in viewer",
            "The selected evidence line in the log viewer",
            "open_evidence",
        ),
        ("Certificates", "The host's SMS certificates and checks (c)", "certificates"),
        ("Repair", "Plan, confirm and run the repair (r)", "repair"),
    )

    def __init__(self, session: TriageSession, diagnosis: Diagnosis) -> None:
        super().__init__()
        self.session = session
        self.diagnosis = diagnosis

    def compose(self) -> ComposeResult:
        d = self.diagnosis
        yield Static(f"Diagnosis: {d.host}", classes="screen-title")
        yield Static(header(d), id="diagnosis-header")
        with VerticalScroll(id="diagnosis-body"):
            yield Static("Evidence (Enter opens the line in the viewer)", classes="section-title")
            yield DataTable(id="evidence-table", cursor_type="row", zebra_stripes=True)
            yield Static("Reasoning", classes="section-title")
            yield Static(reasoning_lines(d), id="diagnosis-reasoning", classes="section")
            yield Static("Certificates", classes="section-title")
            yield Static(certificate_lines(d), id="diagnosis-certs", classes="section")
            yield Static("Machine facts", classes="section-title")
            yield Static(fact_lines(d), id="diagnosis-facts", classes="section")
            yield Static(
                "Timeline (UTC; Enter opens the line in the viewer)", classes="section-title"
            )
            yield DataTable(id="timeline-table", cursor_type="row", zebra_stripes=True)
            yield Static("Remediation plan", classes="section-title")
            yield Static(remediation_lines(d), id="diagnosis-remediation", classes="section")
        yield Footer()

    @property
    def evidence_table(self) -> DataTable[object]:
        return self.query_one("#evidence-table", DataTable)

    def on_mount(self) -> None:
        table = self.evidence_table
        table.add_columns("Role", "Where", "What")
        for n, e in enumerate(self.diagnosis.evidence):
            table.add_row(
                Text(e.role.value, style=_ROLE_STYLE[e.role]), e.cite, e.text[:200], key=str(n)
            )
        timeline = self.query_one("#timeline-table", DataTable)
        timeline.add_columns("UTC", "What", "Where")
        for t in self.diagnosis.timeline:
            when = t.utc.strftime("%Y-%m-%d %H:%M:%S") if t.utc else "(no time)"
            timeline.add_row(when, f"{t.kind.value}: {t.text}"[:160], f"{t.path}:{t.line}")
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "timeline-table":
            entries = self.diagnosis.timeline
            if entries:
                entry = entries[min(event.cursor_row, len(entries) - 1)]
                self.open_log_line(entry.path, entry.line)
            return
        self.action_open_evidence()

    def select_evidence(self, path: str, line: int) -> bool:
        """Put the evidence cursor on ``path:line``; False if the diagnosis cites no such line."""
        for n, e in enumerate(self.diagnosis.evidence):
            if e.path == path and e.line == line:
                self.evidence_table.move_cursor(row=n)
                return True
        return False

    def action_open_evidence(self) -> None:
        rows = self.diagnosis.evidence
        if not rows:
            return
        e = rows[min(self.evidence_table.cursor_row, len(rows) - 1)]
        if e.kind is EvidenceKind.CERT:
            self.action_certificates()
            return
        if e.kind is not EvidenceKind.LOG or e.line is None:
            self.notify(f"{e.cite} is a machine fact: see the facts section")
            return
        self.open_log_line(e.path, e.line)

    def open_log_line(self, path: str, line: int) -> None:
        """The viewer on the host's logs, at ``path:line`` (as the diagnosis cites it)."""
        found = evidence_file(self.session.log_roots(self.diagnosis), path)
        if found is None:
            self.notify(f"cannot find {path} again", severity="warning")
            return
        root, display = found
        opened = open_logs([root])
        names = [ix.name for ix in opened.indexes]
        if display not in names:
            self.notify(f"{path} is not a readable log", severity="warning")
            return
        self.app.push_screen(ViewerScreen(opened.indexes, goto=(names.index(display), line)))

    def action_certificates(self) -> None:
        self.app.push_screen(CertificatesScreen(self.session, self.diagnosis))

    def action_repair(self) -> None:
        self.app.push_screen(RepairScreen(self.session, self.diagnosis))

    def action_back(self) -> None:
        self.app.pop_screen()
