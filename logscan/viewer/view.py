"""RecordView: the rows a viewer shows, each a record of one of several indexed logs.

One view type serves every case: a single log (rows are its records, and the view grows
while the log is indexed or followed), several logs merged by time, and any of those
filtered. A derived view stores, per row, which log (``src``) and which record of it
(``idx``) it shows, plus the row's level, so jumping to the next error is a byte search
over the level column, never a parse.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence

from logscan.model import Level, LogRecord
from logscan.viewer.index import LogIndex

# A level column byte at or above each level.
_AT_LEAST = {
    level: re.compile(b"[" + bytes(range(level, max(Level) + 1)) + b"]") for level in Level
}


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
    ) -> None:
        self.indexes = tuple(indexes)
        self.src = src
        self.idx = idx
        self._levels = levels
        self._positions: list[array[int]] | None = None

    @classmethod
    def of(cls, index: LogIndex) -> RecordView:
        """The live view of one log: every record, growing as the log is read."""
        return cls([index])

    @property
    def live(self) -> bool:
        return self.idx is None

    def __len__(self) -> int:
        if self.idx is None:
            return len(self.indexes[0])
        return len(self.idx)

    def locate(self, row: int) -> tuple[int, int]:
        """(log number, record number) of a row."""
        if self.idx is None:
            return 0, row
        return (self.src[row] if self.src is not None else 0), self.idx[row]

    def rows(self, start: int, stop: int) -> Iterator[tuple[int, int]]:
        """(log number, record number) for rows ``start`` to ``stop``."""
        stop = min(stop, len(self))
        for row in range(max(start, 0), stop):
            yield self.locate(row)

    def records(self, start: int, stop: int) -> list[LogRecord]:
        """The records of rows ``start`` to ``stop`` (exclusive), clipped to the view."""
        if self.idx is None:
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

    def record(self, row: int) -> LogRecord:
        return self.records(row, row + 1)[0]

    def levels(self, start: int = 0, stop: int | None = None) -> array[int]:
        """A copy of the level column for rows ``start`` to ``stop``.

        A copy, because a live column may grow while it is searched (and an exported
        buffer would stop the scan from growing it).
        """
        end = len(self) if stop is None else min(stop, len(self))
        if self._levels is not None:
            return self._levels[start:end]
        return self.indexes[0].table.levels[start:end]

    def level(self, row: int) -> Level:
        return Level(self.levels(row, row + 1)[0])

    def find_level(self, row: int, at_least: Level, *, forward: bool = True) -> int | None:
        """The nearest row after (or before) ``row`` whose level is ``at_least`` or worse."""
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
        """The row showing ``record`` of log ``source``, or the first row after it."""
        if self.idx is None:
            return min(record, max(len(self) - 1, 0))
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
