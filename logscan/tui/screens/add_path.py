"""AddPathPrompt: ask for one more folder, zip or log to look at (no restart needed)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class AddPathPrompt(ModalScreen[str | None]):
    """One input line; enter adds the path if it exists, escape cancels."""

    CSS_PATH = Path(__file__).with_name("triage_dialogs.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(
                "Add a folder of hosts, a host's folder or zip, or logs", classes="dialog-title"
            )
            yield Input(placeholder="path", id="add-path", compact=True)
            yield Static("", id="add-path-error", classes="dialog-error")

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = os.path.expanduser(event.value.strip())
        if not path:
            self.dismiss(None)
        elif not os.path.exists(path):
            self.query_one("#add-path-error", Static).update(f"no such file or folder: {path}")
        else:
            self.dismiss(path)
