"""Find the rows of a view whose record matches a query, parsing as little as possible.

Rows are visited in order, one checkpoint chunk of one log at a time. When the query
has a byte prefilter (``Query.prefilter``) and the chunk's bytes do not contain it, no
record of the chunk can match: the chunk is passed over without being parsed. Only
chunks that may hold a match are parsed (and they stay in the index's small cache).
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence

from logscan.model import LogRecord
from logscan.viewer.index import LogIndex
from logscan.viewer.query import Query
from logscan.viewer.view import RecordView

RowProgress = Callable[[int, int], None]  # (rows done, rows in all)
_REPORT = 1 << 14  # rows between progress reports and cancel checks


class _Chunk:
    """One chunk of one log as the matcher needs it: its record range, and its records
    (None when the prefilter showed that none can match)."""

    __slots__ = ("end", "first", "records")

    def __init__(self, first: int, end: int, records: list[LogRecord] | None) -> None:
        self.first, self.end, self.records = first, end, records


def _load(index: LogIndex, c: int, query: Query) -> _Chunk:
    first, end, _, _ = index.chunk_span(c)
    raw = index.chunk_raw(c)
    pre = query.prefilter(index.format)
    if pre is not None:
        text = index.logical(raw)
        # NUL bytes are dropped from messages, so they could hide a match from the bytes.
        if b"\0" not in text and pre.search(text) is None:
            return _Chunk(first, end, None)
    first, records = index.chunk_records(c, raw)
    return _Chunk(first, first + len(records), records)


def match_rows(
    view: RecordView,
    rows: Sequence[int],
    query: Query,
    *,
    invert: bool = False,
    progress: RowProgress | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[int]:
    """The rows among ``rows`` (ascending) whose message matches ``query`` (or, with
    ``invert``, does not). Stops early when ``cancel`` is set."""
    current: dict[int, _Chunk] = {}
    # In a view of one log, rows in record order: a chunk without a possible match is
    # passed over in one step.
    one_log = view.src is None
    total = len(rows)
    k = 0
    next_report = _REPORT
    while k < total:
        if k >= next_report:
            next_report = k + _REPORT
            if cancel is not None and cancel.is_set():
                return
            if progress is not None:
                progress(k, total)
        row = rows[k]
        s, i = view.locate(row)
        chunk = current.get(s)
        if chunk is None or not chunk.first <= i < chunk.end:
            index = view.indexes[s]
            chunk = current[s] = _load(index, index.chunk_of(i), query)
        records = chunk.records
        if one_log:
            # Every row up to the end of this chunk, in one go.
            stop = _first_row_at(view, rows, k, chunk.end)
            if records is None:
                if invert:
                    yield from (rows[j] for j in range(k, stop))
            else:
                yield from _matching(view, rows, k, stop, records, chunk.first, query, invert)
            k = stop
            continue
        hit = records is not None and query.pattern.search(records[i - chunk.first].message)
        if bool(hit) != invert:
            yield row
        k += 1
    if progress is not None:
        progress(total, total)


def _matching(
    view: RecordView,
    rows: Sequence[int],
    k: int,
    stop: int,
    records: list[LogRecord],
    first: int,
    query: Query,
    invert: bool,
) -> Iterator[int]:
    """Rows ``rows[k:stop]`` of a one-log view whose records (all in ``records``) match."""
    find = query.pattern.search
    idx = view.idx
    for j in range(k, stop):
        row = rows[j]
        i = row if idx is None else idx[row]
        if (find(records[i - first].message) is not None) != invert:
            yield row


def _first_row_at(view: RecordView, rows: Sequence[int], k: int, record: int) -> int:
    """Position in ``rows`` of the first row (from ``k``) showing record ``record`` or later."""
    if view.idx is None:
        return bisect_left(rows, record, k)
    idx = view.idx
    return bisect_left(rows, record, k, key=idx.__getitem__)


def search(
    view: RecordView,
    query: Query,
    start: int = 0,
    stop: int | None = None,
    *,
    progress: RowProgress | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[int]:
    """Rows ``start`` to ``stop`` whose message matches ``query``, in order (only the
    rows before a live view's gap: the tail's are searched once the log is indexed)."""
    end = view.head_rows if stop is None else min(stop, view.head_rows)
    rows = range(max(start, 0), end)
    return match_rows(view, rows, query, progress=progress, cancel=cancel)


def highlight(query: Query | None, text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` to highlight for ``query``."""
    if query is None or not query.text:
        return []
    return query.spans(text)
