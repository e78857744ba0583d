"""Walk one source's logical byte view, parsing only the records around anchor hits.

The view is read block by block; each window is the carry (from the last record
boundary) plus the new block. For every anchor found, the framer gives the span of the
records around it, the format's own parser parses just that span through a
``RegionStream``, and line numbers and offsets are shifted back into file terms. A
record longer than the carry cap makes the caller fall back to a full parse.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from logscan.engine.framing import Framer, UsmtTracker
from logscan.engine.prefilter import AnchorSearch
from logscan.inputs.stream import TextStream
from logscan.model import LogRecord, ParseWarning
from logscan.parsers.base import Parser, line_breaks

MAX_CARRY = 1 << 26  # 64 MiB, the CCM parser's own record cap


class CarryOverflow(Exception):
    """A single record outgrew the carry cap: parse this source in full instead."""


class RegionStream(TextStream):
    """A slice of a parent stream's logical view, presented as a stream of its own."""

    def __init__(self, parent: TextStream, data: bytes, base: int) -> None:
        super().__init__(parent.source, _no_opener, parent.encoding, bom=False)
        self._parent = parent
        self._data = data
        self._base = base

    def blocks(self) -> Iterator[bytes]:
        yield self._data

    def file_offset(self, pos: int) -> int:
        return self._parent.file_offset(self._base + pos)

    def decode(self, raw: bytes) -> tuple[str, bool]:
        return self._parent.decode(raw)


def _no_opener() -> BinaryIO:  # pragma: no cover - RegionStream never reopens the file
    raise AssertionError("RegionStream reads from memory")


def scan_regions(
    stream: TextStream,
    parser: Parser,
    framer: Framer,
    search: AnchorSearch,
    tracker: UsmtTracker | None = None,
) -> Iterator[LogRecord | ParseWarning | int]:
    """Records and warnings of the regions around anchors, in file order.

    Yields an ``int`` once per region (the count of anchor candidates) so the caller can
    report coverage without a second pass. Raises CarryOverflow (see module doc).
    """
    carry = b""
    base = 0  # logical position of window[0]
    base_line = 1  # line number at window[0]
    resume = 0  # search position inside the window
    blocks = stream.blocks()
    block = next(blocks, b"")
    while True:
        nxt = next(blocks, None)
        final = nxt is None  # the parser must see the end of the file only once
        window = carry + block if carry else block
        cursor, cursor_line = 0, base_line
        pos = resume
        pending: int | None = None  # start of a region that runs past this window
        while True:
            e = search.first(window, pos)
            if e is None:
                break
            s = framer.start(window, e - 1)
            t = framer.end(window, e - 1, final)
            if t is None:
                pending = s  # the record runs past this window: carry it whole
                break
            cursor_line += line_breaks(window, cursor, s)
            if tracker is not None:
                tracker.advance(window, cursor, s)
            cursor = s
            region = RegionStream(stream, window[s:t], base + s)
            region.first_line = cursor_line  # the parser numbers lines as in the file
            if tracker is not None:
                region.context = tracker.context()
            yield 1
            yield from parser.parse(region)
            pos = t
        if nxt is None:
            return
        if pending is not None:
            resume_at = pending
        else:
            resume_at = max(pos, len(window) - search.longest + 1, 0)
        # The carry must begin at a record boundary: the last one before the resume point.
        cut = framer.start(window, resume_at) if resume_at < len(window) else len(window)
        carry = window[cut:]
        if len(carry) > MAX_CARRY:
            raise CarryOverflow(stream.source)
        base_line = cursor_line + line_breaks(window, cursor, cut)
        if tracker is not None:
            tracker.advance(window, cursor, cut)
        base += cut
        resume = resume_at - cut
        block = nxt
