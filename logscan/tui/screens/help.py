"""HelpScreen: every key binding of the app, the viewer and the log table, by where it works.

The list is read from the ``BINDINGS`` of those classes, so it cannot drift from what the
keys really do.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KeyGroup = tuple[str, Sequence[BindingType]]


def _keys(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return " ".join(k.strip() for k in binding.key.split(","))


def binding_rows(groups: Sequence[KeyGroup]) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every ``Binding`` in ``groups``."""
    rows: list[tuple[str, str, str]] = []
    for where, bindings in groups:
        for binding in bindings:
            if isinstance(binding, Binding):
                rows.append((where, _keys(binding), binding.description or binding.action))
    return rows


class HelpScreen(ModalScreen[None]):
    """Modal list of key bindings; any of escape, q, ? or F1 closes it."""

    CSS_PATH = Path(__file__).with_name("help.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help"),
    ]

    def __init__(self, groups: Sequence[KeyGroup]) -> None:
        super().__init__()
        self._groups = groups

    def compose(self) -> ComposeResult:
        table = Table(expand=True, box=None, show_header=True, header_style="bold")
        table.add_column("Where", style="dim", no_wrap=True)
        table.add_column("Keys", style="bold", no_wrap=True)
        table.add_column("Action")
        for where, keys, what in binding_rows(self._groups):
            table.add_row(where, keys, what)
        table.add_row("Anywhere", "ctrl+p", "Command palette: every action by name, themes")
        with Vertical(id="help-box"):
            yield Static("logscan keys  (escape closes)", id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(table, id="help-table")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
