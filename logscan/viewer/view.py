"""RecordView: the rows a viewer shows, each a record of one of several indexed logs.

One view type serves every case: a single log (rows are its records, and the view grows
while the log is indexed or followed), several logs merged by time, and any of those
filtered. A derived view stores, per row, which log (``src``) and which record of it
(``idx``) it shows, plus the row's level, so jumping to the next error is a byte search
over the level column, never a parse.

While a big log is indexed from both ends (``viewer.tail``), its live view shows the
head's rows, one *gap* row standing for the bytes not indexed yet, then the tail's rows.
Those rows shift as the head grows, so the view keeps the layout it last took
(``refresh``) and says where each row went when it takes a new one. A level search
stops at the gap row (what lies in the gap is not known yet); searches and filters look
at the head's rows only (``head_rows``) until the log is indexed whole.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence

from logscan.model import Level, LogRecord
from logscan.viewer.index import LogIndex
from logscan.viewer.tail import Layout, describe_size

GAP = 0x7F  # the gap row's byte in a level column: every level search stops there

# A level column byte at or above each level, or the gap.
_AT_LEAST = {
    level: re.compile(b"[" + bytes([*range(level, max(Level) + 1), GAP]) + b"]") for level in Level
}

RowMove = Callable[[int], int]  # where a row of the old layout is in the new one


class RecordView:
    """Rows ``0..len-1`` mapped onto records of ``indexes``.

    With ``src``/``idx`` None the view is the live identity view of ``indexes[0]``.
    """

    def __init__(
        self,
        indexes: Sequence[LogIndex],
        src: array[int] | None = None,
        idx: array[int] | None = None,
        levels: array[int] | None = None,
        *,
        tail: bool = False,
    ) -> None:
        self.indexes = tuple(indexes)
        self.src = src
        self.idx = idx
        self._levels = levels
        self._positions: list[array[int]] | None = None
        # Live views that show a tail keep a layout (see the module doc).
        self._layout: Layout | None = None
        if tail and idx is None:
            self._layout = self.indexes[0].layout()

    @classmethod
    def of(cls, index: LogIndex, *, tail: bool = True) -> RecordView:
        """The live view of one log: every record, growing as the log is read. With
        ``tail`` it also shows the log's tail while there is a gap before it (and must
        be ``refresh`` ed to take in the rows indexed since); without, only the records
        indexed from the start, as filters and merges want them."""
        return cls([index], tail=tail)

    @property
    def live(self) -> bool:
        return self.idx is None

    def _gap(self) -> Layout | None:
        layout = self._layout
        return layout if layout is not None and layout.tail is not None else None

    @property
    def gap_row(self) -> int | None:
        """The row standing for the bytes not indexed yet, None when there is none."""
        layout = self._gap()
        return layout.head if layout is not None else None

    @property
    def head_rows(self) -> int:
        """Rows before the gap: all of them when there is no gap."""
        layout = self._gap()
        return layout.head if layout is not None else len(self)

    def gap_text(self) -> str:
        """What the gap row says."""
        layout = self._gap()
        if layout is None:
            return ""
        return f"… {describe_size(layout.gap_bytes)} not indexed yet …"

    def __len__(self) -> int:
        if self.idx is None:
            layout = self._gap()
            if layout is not None:
                return layout.head + 1 + layout.tail_rows
            return len(self.indexes[0])
        return len(self.idx)

    def refresh(self) -> RowMove | None:
        """Take in the log's current layout (live views with a tail only). Returns where
        each row of the old layout is now when rows moved (the head grew while there is
        a gap, the gap got smaller or closed), None when rows were only added at the end.
        A record keeps its place by its file offset; the gap row stays the gap row, or
        becomes the last record before the tail once the gap is closed."""
        old = self._layout
        if old is None:
            return None
        new = self._layout = self.indexes[0].layout()
        if old.tail is None or (old.tail is new.tail and old.head == new.head):
            return None
        return lambda row: self._moved(old, row)

    def _moved(self, old: Layout, row: int) -> int:
        assert old.tail is not None
        if row < old.head:
            return row
        if row == old.head:
            if self._gap() is not None:
                return self.head_rows
            return max(self.row_at(old.tail.start) - 1, 0)
        k = min(row - old.head - 1, old.tail_rows - 1)
        return self.row_at(old.tail.table.offsets[k]) if k >= 0 else self.head_rows

    def offset_at(self, row: int) -> int | None:
        """File offset of a live view's row (None for the gap row), to find it again
        after ``refresh`` with ``row_at``."""
        layout = self._gap()
        if layout is not None and row >= layout.head:
            tail = layout.tail
            if row == layout.head or tail is None:
                return None
            return tail.table.offsets[row - layout.head - 1]
        return self.indexes[0].table.offsets[row]

    def row_at(self, offset: int) -> int:
        """The row of a live view showing the record at file ``offset`` (or the first
        row after it, clipped to the view)."""
        layout = self._gap()
        if layout is not None and layout.tail is not None and offset >= layout.tail.start:
            k = bisect_left(layout.tail.table.offsets, offset, 0, layout.tail_rows)
            return min(layout.head + 1 + k, len(self) - 1)
        head = layout.head if layout is not None else len(self)
        row = bisect_left(self.indexes[0].table.offsets, offset, 0, head)
        return min(row, max(len(self) - 1, 0))

    def locate(self, row: int) -> tuple[int, int]:
        """(log number, record number) of a row. The gap row and the tail's rows have
        no record number yet: they give the first record not in the head."""
        if self.idx is None:
            layout = self._gap()
            if layout is not None:
                return 0, min(row, layout.head)
            return 0, row
        return (self.src[row] if self.src is not None else 0), self.idx[row]

    def rows(self, start: int, stop: int) -> Iterator[tuple[int, int]]:
        """(log number, record number) for rows ``start`` to ``stop``."""
        stop = min(stop, len(self))
        for row in range(max(start, 0), stop):
            yield self.locate(row)

    def records(self, start: int, stop: int) -> list[LogRecord]:
        """The records of rows ``start`` to ``stop`` (exclusive), clipped to the view
        (the gap row is a placeholder record saying what it stands for)."""
        if self.idx is None:
            layout = self._gap()
            if layout is not None:
                return self._live_records(layout, max(start, 0), min(stop, len(self)))
            return self.indexes[0].records(start, stop)
        wanted: dict[int, list[int]] = {}
        places = list(self.rows(start, stop))
        for s, i in places:
            wanted.setdefault(s, []).append(i)
        found: dict[tuple[int, int], LogRecord] = {}
        for s, numbers in wanted.items():
            numbers.sort()
            for i, record in zip(numbers, self.indexes[s].records_at(numbers), strict=True):
                found[s, i] = record
        return [found[place] for place in places]

    def _live_records(self, layout: Layout, start: int, stop: int) -> list[LogRecord]:
        index, head = self.indexes[0], layout.head
        out = index.records_at(range(start, min(stop, head)))
        if start <= head < stop:
            out.append(self._gap_record(layout))
        first, end = max(start - head - 1, 0), stop - head - 1
        if first < end and layout.tail is not None:
            out += index.segment_records(layout.tail, range(first, end))
        return out

    def _gap_record(self, layout: Layout) -> LogRecord:
        index = self.indexes[0]
        return LogRecord(
            source=index.name,
            line=0,
            offset=layout.head_end,
            length=layout.gap_bytes,
            local_time=None,
            bias=None,
            level=Level.VERBOSE,
            component="",
            thread=None,
            message=self.gap_text(),
            format=index.format,
        )

    def record(self, row: int) -> LogRecord:
        return self.records(row, row + 1)[0]

    def levels(self, start: int = 0, stop: int | None = None) -> array[int]:
        """A copy of the level column for rows ``start`` to ``stop`` (the gap row's byte
        is ``GAP``).

        A copy, because a live column may grow while it is searched (and an exported
        buffer would stop the scan from growing it).
        """
        end = len(self) if stop is None else min(stop, len(self))
        if self._levels is not None:
            return self._levels[start:end]
        column = self.indexes[0].table.levels
        layout = self._gap()
        if layout is None or layout.tail is None:
            return column[start:end]
        head = layout.head
        out = column[start : min(end, head)]
        if start <= head < end:
            out.append(GAP)
        first, last = max(start - head - 1, 0), end - head - 1
        if first < last:
            out += layout.tail.table.levels[first:last]
        return out

    def level(self, row: int) -> Level | None:
        """The level of a row; None for the gap row."""
        byte = self.levels(row, row + 1)[0]
        return None if byte == GAP else Level(byte)

    def find_level(self, row: int, at_least: Level, *, forward: bool = True) -> int | None:
        """The nearest row after (or before) ``row`` whose level is ``at_least`` or worse;
        the gap row when it lies in the way (the nearest may be in the bytes it stands
        for, not indexed yet)."""
        pattern = _AT_LEAST[at_least]
        if forward:
            column = self.levels(row + 1)
            m = pattern.search(column)
            return row + 1 + m.start() if m else None
        column = self.levels(0, max(row, 0))
        last = None
        # Scanning backwards in slices keeps the common case (an error close above) fast.
        end = len(column)
        step = 1 << 16
        while end > 0 and last is None:
            begin = max(end - step, 0)
            for m in pattern.finditer(column, begin, end):
                last = m.start()
            end = begin
            step *= 4
        return last

    def position_of(self, source: int, record: int) -> int:
        """The row showing ``record`` of log ``source``, or the first row after it (in a
        live view with a gap: the gap row for records not in the head yet)."""
        if self.idx is None:
            return min(record, self.head_rows, max(len(self) - 1, 0))
        if self._positions is None:
            per: list[array[int]] = [array("q") for _ in self.indexes]
            for row in range(len(self.idx)):
                s = self.src[row] if self.src is not None else 0
                per[s].append(row)
            self._positions = per
        rows = self._positions[source]
        numbers = _Column(self.idx, rows)
        k = bisect_left(numbers, record)
        if k < len(rows):
            return rows[k]
        return rows[-1] if rows else 0


class _Column(Sequence[int]):
    """``idx[rows[k]]``: the record numbers of one log's rows, for bisecting."""

    def __init__(self, idx: array[int], rows: array[int]) -> None:
        self._idx, self._rows = idx, rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, k: int) -> int:  # type: ignore[override]
        return self._idx[self._rows[k]]
