"""Merge several indexed logs of one host into one view ordered by UTC, source shown per row.

CCM and legacy records carry UTC. USMT logs carry local time only, on the same clock, so
they are placed with a bias: the log's own usual bias when some of its records had one,
else the host's (the bias most records of all the logs carry, or the one given). A
record without any time keeps its place right after the record before it in its own
log, so multi-line fragments and rollover markers never drift away from their
neighbours. The merge is a k-way merge over the logs' key columns: each log's own order
is kept as it is, even where its clock went backwards.
"""

from __future__ import annotations

import heapq
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat

from logscan.viewer.index import LogIndex
from logscan.viewer.table import KeyKind
from logscan.viewer.view import RecordView

_MINUTE = 60_000_000  # key units (microseconds) per minute of bias
_REPORT = 1 << 16  # rows between progress reports and cancel checks


def host_bias(indexes: Iterable[LogIndex]) -> int | None:
    """The bias most records with UTC carry across ``indexes`` (None when none has one)."""
    votes: Counter[int] = Counter()
    for index in indexes:
        votes.update(index.table.biases)
    return votes.most_common(1)[0][0] if votes else None


def effective_keys(index: LogIndex, bias: int | None) -> array[int]:
    """The UTC key of every record of ``index``: local-only times shifted by the log's
    usual bias (or ``bias``), time-less records keeping the key of the one before."""
    table = index.table
    n = len(index)
    keys, kinds = table.keys[:n], table.kinds[:n]
    own = table.usual_bias()
    shift = (own if own is not None else bias or 0) * _MINUTE
    if not shift or KeyKind.LOCAL not in kinds:
        return keys
    if KeyKind.UTC not in kinds:
        return array("q", [k + shift for k in keys])
    out = array("q", keys)
    current = 0
    for i in range(n):
        kind = kinds[i]
        if kind == KeyKind.UTC:
            current = keys[i]
        elif kind == KeyKind.LOCAL:
            current = keys[i] + shift
        out[i] = current  # a time-less record keeps the previous record's key
    return out


def merge(
    indexes: Sequence[LogIndex],
    *,
    bias: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> RecordView | None:
    """One view of all records of ``indexes`` in UTC order; None when cancelled.

    Uses the records indexed so far: merge again once the logs are fully read.
    ``progress(done, total)`` is called every few tens of thousands of rows.
    """
    host = bias if bias is not None else host_bias(indexes)
    streams: list[Iterator[tuple[int, int, int]]] = []
    total = 0
    for s, index in enumerate(indexes):
        keys = effective_keys(index, host)
        total += len(keys)
        streams.append(zip(keys, repeat(s), range(len(keys)), strict=False))
    src = array("H")
    idx = array("q")
    levels = array("b")
    columns = [index.table.levels for index in indexes]
    for done, (_, s, i) in enumerate(heapq.merge(*streams), 1):
        src.append(s)
        idx.append(i)
        levels.append(columns[s][i])
        if done % _REPORT == 0:
            if cancel is not None and cancel.is_set():
                return None
            if progress is not None:
                progress(done, total)
    if progress is not None:
        progress(total, total)
    return RecordView(indexes, src, idx, levels)
