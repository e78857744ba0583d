"""record_at_line(): from a cited ``file:line`` (a diagnosis's evidence) to a record number.

Evidence names the first line of its record; the index keeps the line of each checkpoint,
so only the one chunk that can hold the line is parsed again.
"""

from __future__ import annotations

from bisect import bisect_right

from logscan.viewer.index import LogIndex


def record_at_line(index: LogIndex, line: int) -> int | None:
    """The record whose lines include ``line`` (1-based), among those indexed so far;
    None before the first record or when nothing is indexed."""
    chunks = index.chunk_count()
    lines = [index.checkpoint_line(c) for c in range(chunks)]
    c = bisect_right(lines, line) - 1
    if c < 0:
        return None
    found: int | None = None
    # The line may belong to the last record of the chunk before a checkpoint that
    # starts later, so the chunk's records are walked until one starts after it.
    first, records = index.chunk_records(c)
    for k, record in enumerate(records):
        if record.line > line:
            break
        found = first + k
    return found
