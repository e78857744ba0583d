"""SearchPrompt: ask for the text (or regular expression) to search for."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What the user asked for; the viewer turns it into a ``Query``."""

    text: str
    regex: bool


class SearchPrompt(ModalScreen[SearchRequest | None]):
    """One input line; enter searches, escape cancels, ctrl+r toggles regex."""

    CSS_PATH = Path(__file__).with_name("prompts.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+r", "toggle_regex", "Regex on/off"),
    ]

    def __init__(self, text: str = "", regex: bool = False) -> None:
        super().__init__()
        self._text = text
        self._regex = regex

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Static("Search messages (lower case: any case)", classes="prompt-title")
            yield Input(
                self._text, placeholder="text or regular expression", id="search-text", compact=True
            )
            with Horizontal(classes="prompt-options"):
                yield Checkbox("Regex (ctrl+r)", self._regex, id="search-regex", compact=True)

    def action_toggle_regex(self) -> None:
        box = self.query_one("#search-regex", Checkbox)
        box.value = not box.value

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        regex = self.query_one("#search-regex", Checkbox).value
        self.dismiss(SearchRequest(event.value, regex) if event.value else None)
