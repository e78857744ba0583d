"""FilterDialog: choose which lines stay visible (levels, components, text) and apply.

Returns the ``RecordFilter`` to apply (an empty one shows every line again), or None
when cancelled. A regular expression that does not compile is said so in the dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from logscan.errors import UsageError
from logscan.model import Level
from logscan.viewer import Query, RecordFilter

_LEVELS = (Level.ERROR, Level.WARNING, Level.INFO, Level.VERBOSE)


class FilterDialog(ModalScreen[RecordFilter | None]):
    """Levels as check boxes, components and text as inputs; enter applies."""

    CSS_PATH = Path(__file__).with_name("prompts.tcss")
    AUTO_FOCUS = "#filter-text"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+r", "toggle_regex", "Regex on/off"),
        Binding("ctrl+x", "clear", "Show all lines"),
    ]

    def __init__(self, current: RecordFilter | None = None) -> None:
        super().__init__()
        self._current = current or RecordFilter()

    def compose(self) -> ComposeResult:
        cur = self._current
        levels = cur.levels if cur.levels is not None else frozenset(_LEVELS)
        text = cur.text
        with Vertical(classes="prompt-box"):
            yield Static("Filter: hide the lines that do not match", classes="prompt-title")
            with Horizontal(classes="prompt-options"):
                for level in _LEVELS:
                    yield Checkbox(
                        level.name.title(),
                        level in levels,
                        id=f"level-{level.name.lower()}",
                        compact=True,
                    )
            yield Input(
                ", ".join(sorted(cur.components)),
                placeholder="components, comma-separated (empty: all)",
                id="filter-components",
                compact=True,
            )
            yield Input(
                text.text if text else "",
                placeholder="message text (empty: any)",
                id="filter-text",
                compact=True,
            )
            with Horizontal(classes="prompt-options"):
                yield Checkbox(
                    "Regex (ctrl+r)", bool(text and text.regex), id="filter-regex", compact=True
                )
                yield Checkbox(
                    "Hide matching lines instead", cur.exclude, id="filter-exclude", compact=True
                )
            yield Static("", classes="prompt-error", id="filter-error")
            with Horizontal(classes="prompt-buttons"):
                yield Button("Show all (ctrl+x)", id="filter-clear")
                yield Button("Cancel", id="filter-cancel")
                yield Button("Apply", variant="primary", id="filter-apply")

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_clear(self) -> None:
        self.dismiss(RecordFilter())

    def action_toggle_regex(self) -> None:
        box = self.query_one("#filter-regex", Checkbox)
        box.value = not box.value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "filter-apply":
            self._apply()
        elif event.button.id == "filter-clear":
            self.action_clear()
        else:
            self.action_cancel()

    def on_input_submitted(self) -> None:
        self._apply()

    def _apply(self) -> None:
        levels = frozenset(
            level
            for level in _LEVELS
            if self.query_one(f"#level-{level.name.lower()}", Checkbox).value
        )
        raw_components = self.query_one("#filter-components", Input).value
        components = frozenset(c.strip() for c in raw_components.split(",") if c.strip())
        text = self.query_one("#filter-text", Input).value
        regex = self.query_one("#filter-regex", Checkbox).value
        try:
            query = Query.parse(text, regex=regex) if text else None
        except UsageError as exc:
            self.query_one("#filter-error", Static).update(exc.message)
            return
        self.dismiss(
            RecordFilter(
                levels=None if len(levels) == len(_LEVELS) else levels,
                components=components,
                text=query,
                exclude=self.query_one("#filter-exclude", Checkbox).value,
            )
        )
