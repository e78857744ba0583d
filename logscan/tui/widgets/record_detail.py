"""RecordDetail: the selected record whole: where it is, its times, flags, every line of
its message, and the error codes it mentions looked up."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from logscan.model import LogRecord
from logscan.viewer import CodeNote, Query, codes_in, highlight


def _bias(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes)}"


def describe(record: LogRecord, query: Query | None = None) -> Text:
    """The detail text of a record (also used by tests)."""
    text = Text()
    # Line 0: not known yet (the end of a big log, shown before its start is indexed).
    where = f"{record.source}:{record.line}" if record.line else f"{record.source} (line ?)"
    text.append(where, style="bold")
    text.append(f"  {record.format.value}  {record.level.name.lower()}")
    if record.component:
        text.append(f"  {record.component}")
    if record.thread is not None:
        text.append(f"  thread {record.thread} (0x{record.thread:X})")
    text.append("\n")
    if record.local_time is not None:
        text.append(f"local {record.local_time.isoformat(sep=' ', timespec='milliseconds')}")
        if record.bias is not None:
            text.append(f" (bias {_bias(record.bias)})")
    if record.utc is not None:
        utc = record.utc.replace(tzinfo=None).isoformat(sep=" ", timespec="milliseconds")
        text.append(f"  UTC {utc}")
    if record.flags:
        text.append("  flags: " + ", ".join(sorted(f.value for f in record.flags)))
    text.append("\n")
    notes = codes_in(record)
    # Line breaks replaced one character for one, so match and code offsets still hold.
    message = Text(record.message.replace("\r\n", " \n").replace("\r", "\n"))
    for start, end in highlight(query, record.message):
        message.stylize("reverse", start, end)
    for note in notes:
        if note.span is not None:
            message.stylize("bold underline", *note.span)
    text.append_text(message)
    text.append("\n")
    for note in notes:
        text.append_text(_code_line(note))
    extras = {k: v for k, v in record.extras.items() if v}
    if extras:
        text.append("  ".join(f"{k}={v}" for k, v in sorted(extras.items())), style="dim")
    return text


def _code_line(note: CodeNote) -> Text:
    line = Text()
    line.append("code ", style="bold")
    line.append(note.summary())
    if note.readings and note.readings[0].note:
        line.append(f" ({note.readings[0].note})", style="italic")
    line.append("\n")
    return line


class RecordDetail(VerticalScroll):
    """Scrollable pane showing one record in full."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._body = Static("", id="detail-body")

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def show(self, record: LogRecord | None, query: Query | None = None) -> None:
        if record is None:
            self._body.update("")
            return
        self._body.update(describe(record, query))
        self.scroll_home(animate=False)
