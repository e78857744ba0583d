"""CodeLookup: every error code the selected record mentions, with all its readings."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from logscan.model import LogRecord
from logscan.viewer import CodeNote, codes_in


def _note_text(note: CodeNote) -> Text:
    text = Text()
    where = f" at {note.span[0]}" if note.span else " (field)"
    text.append(f"{note.spelling}", style="bold")
    text.append(f"  = {note.hex}, read as {note.kind.value}{where}\n")
    if not note.readings:
        text.append("  not in logscan's tables\n", style="dim")
    for k, info in enumerate(note.readings):
        head = "  " if k == 0 else "  also "
        text.append(f"{head}{info.name}", style="bold" if k == 0 else "")
        text.append(f" ({info.kind.value}, {info.relevance.value})\n")
        text.append(f"    {info.text}\n")
        if info.facility_name:
            text.append(f"    facility {info.facility} {info.facility_name}\n", style="dim")
        if info.note:
            text.append(f"    {info.note}\n", style="italic")
    return text


class CodeLookup(ModalScreen[None]):
    """Modal: the codes of one record, looked up in ``logscan.codes``."""

    CSS_PATH = Path(__file__).with_name("help.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,c", "close", "Close")]

    def __init__(self, record: LogRecord) -> None:
        super().__init__()
        self._record = record

    def compose(self) -> ComposeResult:
        notes = codes_in(self._record)
        body = Text()
        for note in notes:
            body.append_text(_note_text(note))
        if not notes:
            body.append("No error code in this line.", style="dim")
        with Vertical(id="help-box"):
            name = self._record.source.replace("\\", "/").rsplit("/", 1)[-1]
            title = f"Error codes in {name}:{self._record.line}  (escape closes)"
            yield Static(title, id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(body)

    def action_close(self) -> None:
        self.dismiss(None)
