"""Merge the records (or hits) of several logs of one host into one UTC timeline.

CCM and legacy records carry UTC; USMT logs carry only local time on the same clock, so
they are placed with the host's bias (taken from its CCM records when not given). A
record with no time at all keeps its place after the previous record of its own file,
so multi-line fragments and markers never drift away from their neighbours.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from logscan.model import LogRecord

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

T = TypeVar("T")


def host_bias(records: Iterable[LogRecord]) -> int | None:
    """The bias most records of a host were written with (None when none carries one)."""
    counts = Counter(r.bias for r in records if r.bias is not None and r.utc is not None)
    return counts.most_common(1)[0][0] if counts else None


def utc_of(record: LogRecord, bias: int | None) -> datetime | None:
    """The record's UTC, or local time + ``bias`` for records that only know local time."""
    if record.utc is not None:
        return record.utc
    if record.local_time is not None and bias is not None:
        return record.local_time.replace(tzinfo=UTC) + timedelta(minutes=bias)
    return None


def _keyed(
    items: Iterable[T], record_of: type[LogRecord] | None, index: int, bias: int | None
) -> Iterator[tuple[datetime, int, int, T]]:
    last = _EPOCH
    for seq, item in enumerate(items):
        record = item if record_of is None else getattr(item, "record")  # noqa: B009
        assert isinstance(record, LogRecord)
        when = utc_of(record, bias)
        if when is not None and when >= last:
            last = when
        # A time going backwards inside one file (clock change, rotation join) keeps
        # file order: sorting one file's own records would scramble its story.
        yield (last, index, seq, item)


def merge_by_utc(
    streams: Iterable[Iterable[LogRecord]], *, bias: int | None = None
) -> Iterator[LogRecord]:
    """One time-ordered stream from per-file record streams (each in file order)."""
    keyed = [_keyed(s, None, i, bias) for i, s in enumerate(streams)]
    for _, _, _, record in heapq.merge(*keyed):
        yield record


def merge_hits_by_utc(streams: Iterable[Iterable[T]], *, bias: int | None = None) -> Iterator[T]:
    """The same for objects carrying a ``record`` (rule hits), e.g. a host's evidence."""
    keyed = [_keyed(s, LogRecord, i, bias) for i, s in enumerate(streams)]
    for _, _, _, item in heapq.merge(*keyed):
        yield item
