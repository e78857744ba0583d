"""ConfirmRepair: the question before the first change, stating exactly what will change."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from logscan.tui.widgets.nul_text import nul_text


class ConfirmRepair(ModalScreen[bool]):
    """The lines of ``confirm_lines``; y or the Apply button confirms, n or escape declines."""

    CSS_PATH = Path(__file__).with_name("triage_dialogs.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Apply"),
        Binding("n,escape", "answer(False)", "Cancel"),
    ]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self._lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("Apply the repair?", classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(nul_text("\n".join(self._lines)), id="confirm-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (n)", id="confirm-no")
                yield Button("Apply (y)", id="confirm-yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")
