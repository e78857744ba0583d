"""LogTable: the rows of a ``RecordView`` as CMTrace-style columns, drawn line by line.

Only the rows on screen exist as text: the widget asks the view for one page of records
at a time (the engine re-parses just those) and keeps a few pages. Columns are time,
component, thread, level and message (plus the log's name when several are merged);
the date and wider columns appear when the terminal is wide. A row is coloured by its
level, search matches in the message are highlighted, and a multi-line message shows
its first line with a ``⏎`` mark (the detail pane shows it whole). The first line of
the widget is the column header and does not scroll.

While a big log is indexed from both ends, one row stands for the part not indexed yet
(the view's gap row, drawn dim across the columns) and rows move as the index grows:
``sync`` keeps the cursor on the same record, and ``G`` stays at the end of the log
until the cursor moves, so it lands on the last record once that is indexed.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from logscan.model import Level, LogRecord
from logscan.viewer import Query, RecordView, highlight

_PAGE = 64  # rows fetched from the view at a time
_PAGES_KEPT = 16
_LEVEL_TEXT = {
    Level.ERROR: "Error",
    Level.WARNING: "Warn",
    Level.INFO: "Info",
    Level.VERBOSE: "Verb",
}
_LEVEL_CLASS = {
    Level.ERROR: "log-table--error",
    Level.WARNING: "log-table--warning",
    Level.VERBOSE: "log-table--verbose",
}
_WIDE = 110  # from this width on: dates, wider component and source columns


def _short(source: str) -> str:
    """The file name of a source (``bundle.zip!Logs/smsts.log`` -> ``smsts.log``)."""
    return source.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]


class LogTable(ScrollView, can_focus=True):
    """Virtual table over a ``RecordView`` with a row cursor."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "log-table--header",
        "log-table--cursor",
        "log-table--error",
        "log-table--warning",
        "log-table--verbose",
        "log-table--match",
        "log-table--gap",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("home,g", "first", "First row", show=False),
        Binding("end,G", "last", "Last row", show=False),
    ]

    cursor = reactive(0, always_update=True, init=False)

    class Moved(Message):
        """The cursor moved to another row."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    def __init__(self, view: RecordView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self.query_text: Query | None = None
        self._pages: OrderedDict[int, list[LogRecord]] = OrderedDict()
        self._rows = 0
        self.at_end = False  # G was the last move: stay on the last row as rows come

    # -- model ---------------------------------------------------------------------------

    def set_view(self, view: RecordView, row: int = 0) -> None:
        """Show another view (merged, filtered, ...), with the cursor on ``row``."""
        self.view = view
        self._pages.clear()
        self.sync()
        self.go(row)

    def sync(self) -> None:
        """Take in rows the view gained (a log being indexed or followed), and rows that
        moved (its head grew while its tail is shown): the cursor stays on its record."""
        move = self.view.refresh()
        rows = len(self.view)
        if move is not None:
            self._pages.clear()
        elif rows != self._rows:
            # The last page may have been partial; pages after it did not exist.
            for page in [p for p in self._pages if (p + 1) * _PAGE > self._rows]:
                del self._pages[page]
        self._rows = rows
        self.virtual_size = Size(self.size.width, rows + 1)
        if self.at_end and rows:
            if self.cursor != rows - 1:
                self.cursor = rows - 1
        elif move is not None and rows:
            old = self.cursor
            new = move(min(old, rows - 1))
            if new != old:
                # The same lines on screen, moved with the cursor.
                self.scroll_to(y=max(round(self.scroll_y) + new - old, 0), animate=False)
                self.cursor = new
        self.refresh()

    def forget(self) -> None:
        """Drop the rows held (the logs were read again)."""
        self._pages.clear()
        self._rows = -1
        self.sync()

    def record(self, row: int) -> LogRecord | None:
        if not 0 <= row < self._rows:
            return None
        page = row // _PAGE
        records = self._pages.get(page)
        if records is None:
            records = self.view.records(page * _PAGE, (page + 1) * _PAGE)
            self._pages[page] = records
            while len(self._pages) > _PAGES_KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        k = row - page * _PAGE
        return records[k] if k < len(records) else None

    def set_query(self, query: Query | None) -> None:
        self.query_text = query
        self.refresh()

    # -- cursor --------------------------------------------------------------------------

    @property
    def page_rows(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def go(self, row: int) -> None:
        """Put the cursor on ``row`` (clipped) and scroll it into view."""
        self.at_end = False
        self.cursor = max(0, min(row, self._rows - 1))

    def watch_cursor(self, row: int) -> None:
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + self.page_rows:
            self.scroll_to(y=row - self.page_rows + 1, animate=False)
        self.refresh()
        self.post_message(self.Moved(row))

    def action_move(self, delta: int) -> None:
        self.go(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.go(self.cursor + direction * self.page_rows)

    def action_first(self) -> None:
        self.go(0)

    def action_last(self) -> None:
        self.go(self._rows - 1)
        self.at_end = True

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.go(round(self.scroll_y) + event.y - 1)

    def on_resize(self) -> None:
        self.sync()

    # -- drawing -------------------------------------------------------------------------

    def _columns(self, width: int) -> list[tuple[str, int]]:
        merged = len(self.view.indexes) > 1
        if width >= _WIDE:
            cols = [("Date/Time", 23), ("Component", 22), ("Thread", 6), ("Level", 5)]
            if merged:
                cols.append(("Log", 20))
        else:
            cols = [("Time", 12), ("Component", 13), ("Thrd", 5), ("Lvl", 5)]
            if merged:
                cols.append(("Log", 11))
        used = sum(w + 1 for _, w in cols)
        cols.append(("Message", max(width - used, 10)))
        return cols

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            style = self.get_component_rich_style("log-table--header")
            text = " ".join(set_cell_size(t, w) for t, w in self._columns(width))
            return Strip([Segment(set_cell_size(text, width), style)])
        row = round(self.scroll_y) + y - 1
        base = self.rich_style
        if row == self.view.gap_row:
            return self._gap(row, width, base)
        record = self.record(row)
        if record is None:
            return Strip.blank(width, base)
        return self._row(row, record, width, base)

    def _gap(self, row: int, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("log-table--gap")
        if row == self.cursor:
            style = style + self.get_component_rich_style("log-table--cursor")
        return Strip([Segment(self.view.gap_text().center(width)[:width], style)])

    def _cells(self, record: LogRecord, wide: bool) -> list[str]:
        when = record.local_time
        if when is None:
            stamp = ""
        elif wide:
            stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        else:
            stamp = when.strftime("%H:%M:%S.%f")[:-3]
        cells = [
            stamp,
            record.component,
            "" if record.thread is None else str(record.thread),
            _LEVEL_TEXT[record.level],
        ]
        if len(self.view.indexes) > 1:
            cells.append(_short(record.source))
        return cells

    def _row(self, row: int, record: LogRecord, width: int, base: Style) -> Strip:
        style = base
        level_class = _LEVEL_CLASS.get(record.level)
        if level_class is not None:
            style = style + self.get_component_rich_style(level_class)
        if row == self.cursor:
            style = style + self.get_component_rich_style("log-table--cursor")
        columns = self._columns(width)
        head = [
            Segment(set_cell_size(text, size) + " ", style)
            for text, (_, size) in zip(self._cells(record, width >= _WIDE), columns, strict=False)
        ]
        used = sum(size + 1 for _, size in columns[:-1])
        first, _, rest = record.message.lstrip("\r\n").partition("\n")
        first = first.rstrip("\r")
        match = style + self.get_component_rich_style("log-table--match")
        body: list[Segment] = []
        cut = 0
        for start, end in highlight(self.query_text, first):
            body.append(Segment(_printable(first[cut:start]), style))
            body.append(Segment(_printable(first[start:end]), match))
            cut = end
        body.append(Segment(_printable(first[cut:]) + (" ⏎" if rest else ""), style))
        return Strip.join(
            [
                Strip(head).crop_extend(0, used, style),
                Strip(body).crop_extend(0, max(width - used, 0), style),
            ]
        )


_CONTROLS = dict.fromkeys((*range(32), 127), "·") | {0x09: " "}


def _printable(text: str) -> str:
    """Control characters as one visible cell each, so highlight offsets still line up."""
    return text.translate(_CONTROLS)
