"""Tail-first indexing: where a log's tail segment may start, and the rows it gives a view.

A full index of a 1 GB log takes the better part of half a minute, but the first thing
a reader of a log usually wants is its end (the last error). So a big log is indexed
from both ends: the head scan from the start, and, once the first screen is ready, a
*tail* segment from a record start a few megabytes before the end. A view shows the
head's rows, one *gap* row for the bytes neither has read, then the tail's rows; when
the head reaches the tail's first record the two are joined (``Segment.append``).

A tail is only exact where a parse started fresh in the middle of the file gives the
records the whole-file parse gives. That holds for CCM logs at every ``<![LOG[``: the
CCM parser starts a record at each opener, whatever came before (an unclosed record
ends there, and a torn fragment lies between a closer and the next opener); the scan
engine's framer relies on the same rule. Other formats are indexed from the start only:
a USMT record takes its run and program from lines far before it, legacy trace records
wrap across lines with no clear start, and the plain parser remembers binary stretches.
(CMTrace copies and USMT progress logs could restart at any line start, but are never
big enough to need it.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from logscan.inputs.stream import Encoding
from logscan.model import LogFormat
from logscan.viewer.segment import Segment

TAIL_FROM = 16 << 20  # logs at least this big get a tail (smaller ones index in < 0.4 s)
TAIL_BYTES = 4 << 20  # the tail indexed at first: about 0.1 s of parsing
_SEEK_STEP = 1 << 20  # bytes read at a time looking for a record start

_OPENER = "<![LOG["


def tail_capable(fmt: LogFormat) -> bool:
    """Whether a parse started at a record start found mid-file is exact (see module)."""
    return fmt is LogFormat.CCM


def record_start(
    read: Callable[[int, int], bytes], encoding: Encoding, base: int, pos: int, end: int
) -> int | None:
    """File offset of the first record start in ``[pos, end)`` of a CCM log, None if
    none starts there. ``read(a, b)`` returns file bytes ``a`` to ``b``; ``base`` is the
    offset of the first byte after the byte-order mark (UTF-16 code units align to it)."""
    marker = _OPENER.encode(encoding.value if encoding.is_utf16 else "ascii")
    unit = 2 if encoding.is_utf16 else 1
    pos = max(pos, base)
    pos += (pos - base) % unit
    while pos < end:
        # Read a marker's length past the step, so one cut by the step's edge is found.
        raw = read(pos, min(pos + _SEEK_STEP + len(marker), end))
        i = raw.find(marker)
        while i >= 0 and i % unit:
            i = raw.find(marker, i + 1)
        if i >= 0:
            return pos + i
        pos += _SEEK_STEP
    return None


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the rows of a log's live view come from, at one moment.

    Rows ``0..head-1`` are the head's records; with a ``tail``, row ``head`` is the gap
    and the ``tail_rows`` records of the tail follow it. A view keeps one layout until it
    is refreshed, so rows do not move under a reader while the log is being indexed."""

    head: int  # head records readable
    head_end: int  # file offset the head has read to
    tail: Segment | None  # None: no gap, the head is all there is
    tail_rows: int  # tail records readable

    @property
    def gap_bytes(self) -> int:
        """Bytes between the head's reach and the tail's first record."""
        return 0 if self.tail is None else max(self.tail.start - self.head_end, 0)


def describe_size(n: int) -> str:
    """A byte count for people: ``812 MB``, ``3.4 MB``, ``640 KB``."""
    if n >= 100e6:
        return f"{n / 1e6:,.0f} MB"
    if n >= 1e6:
        return f"{n / 1e6:.1f} MB"
    return f"{max(n, 1) / 1e3:.0f} KB"
