"""HostsScreen: one row per host (verdict, confidence, first/last failure), the batch triage.

Rows come from ``logscan.diagnose.triage``; ``s`` cycles the sort column (``S`` reverses
it), ``/`` filters by text, Enter opens the host's diagnosis.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from logscan.diagnose import Verdict
from logscan.diagnose.triage import SortKey, TriageRow, filter_rows, sort_rows, triage_row
from logscan.tui.screens.diagnosis import DiagnosisScreen
from logscan.tui.session import TriageSession
from logscan.tui.widgets.diagnosis_text import VERDICT_STYLE


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment is not None else "-"


class HostsScreen(Screen[None]):
    """Every diagnosed host; sortable and filterable."""

    CSS_PATH = Path(__file__).with_name("triage.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Diagnosis", show=False),
        Binding("s", "sort", "Sort"),
        Binding("S", "sort_reverse", "Reverse", show=False),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("escape", "back", "Sources"),
    ]
    PALETTE: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("Open diagnosis", "The selected host's diagnosis (Enter)", "open"),
        ("Sort by next column", "Cycle the sort column (s)", "sort"),
        ("Reverse sort", "Reverse the sort order (S)", "sort_reverse"),
        ("Filter hosts", "Show only hosts matching a text (/)", "filter"),
    )

    def __init__(self, session: TriageSession) -> None:
        super().__init__()
        self.session = session
        self.sort_key = SortKey.VERDICT
        self.descending = False
        self.filter_text = ""
        self.rows: list[TriageRow] = []

    def compose(self) -> ComposeResult:
        yield Static("Hosts", classes="screen-title")
        yield Input(placeholder="filter: host, verdict, summary…", id="hosts-filter", compact=True)
        yield DataTable(id="hosts-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="hosts-status")
        yield Footer()

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#hosts-table", DataTable)

    def on_mount(self) -> None:
        self.table.add_columns("Host", "Verdict", "Confidence", "First failure (UTC)",
                               "Last failure (UTC)", "Summary")  # fmt: skip
        self.refresh_rows()
        self.table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Rows again from the session's report, keeping the cursor on the same host."""
        current = self.selected
        every = [triage_row(d) for d in self.session.diagnoses]
        shown = filter_rows(sort_rows(every, self.sort_key, descending=self.descending),
                            self.filter_text)  # fmt: skip
        self.rows = shown
        table = self.table
        table.clear()
        for row in shown:
            table.add_row(
                Text(row.host, style="bold"),
                Text(row.verdict.value, style=VERDICT_STYLE[row.verdict]),
                row.confidence.value,
                when(row.first_failure),
                when(row.last_failure),
                row.summary,
                key=row.host,
            )
        if current is not None:
            hosts = [r.host for r in shown]
            if current in hosts:
                table.move_cursor(row=hosts.index(current))
        arrow = "↓" if self.descending else "↑"
        status = f"{len(shown)} of {len(every)} hosts · sorted by {self.sort_key.value} {arrow}"
        counts = Counter(r.verdict for r in every)
        status += " · " + ", ".join(f"{counts[v]} {v.value}" for v in Verdict if counts[v])
        if self.filter_text:
            status += f" · filter: {self.filter_text!r}"
        self.query_one("#hosts-status", Static).update(status)

    @property
    def selected(self) -> str | None:
        if not self.rows:
            return None
        return self.rows[min(self.table.cursor_row, len(self.rows) - 1)].host

    def select(self, host: str) -> bool:
        """Put the cursor on ``host``; False if it is not shown."""
        hosts = [r.host for r in self.rows]
        if host not in hosts:
            return False
        self.table.move_cursor(row=hosts.index(host))
        return True

    def action_sort(self) -> None:
        self.sort_key = self.sort_key.following()
        self.refresh_rows()

    def action_sort_reverse(self) -> None:
        self.descending = not self.descending
        self.refresh_rows()

    def action_filter(self) -> None:
        box = self.query_one("#hosts-filter", Input)
        box.add_class("shown")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.refresh_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        host = self.selected
        diagnosis = self.session.diagnosis_of(host) if host is not None else None
        if diagnosis is not None:
            self.app.push_screen(DiagnosisScreen(self.session, diagnosis))

    def action_back(self) -> None:
        box = self.query_one("#hosts-filter", Input)
        if box.has_focus:
            self.table.focus()
            return
        self.app.pop_screen()
