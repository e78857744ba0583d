"""The general CCM scanner: everything the canonical fast pattern did not take.

It walks a range of the window and sorts it into records (attributes read by name), torn
fragments, unclosed records, stray text and NUL runs, in file order. In an open-ended
range (more data may follow) it stops before the first piece that could still change,
and says whether that piece is waiting for a marker (``<![LOG[`` or ``]LOG]!><``).
"""

from __future__ import annotations

import re
from collections.abc import Generator

from logscan.parsers._ccm_attrs import Fields, read_attributes
from logscan.parsers._ccm_emit import CLOSER, OPENER, SPACE, Emitter, Kind
from logscan.parsers.base import ParseItem

# Attributes never span lines; this bounds a runaway attribute part on a line that never ends.
ATTR_CAP = 1 << 16

_GAP = re.compile(rb"[\s\x00]*")  # blank space and zero fill between records
_BLANK = re.compile(rb"[ \t]*")


Scan = Generator[ParseItem, None, tuple[int, bool]]


def rstrip_end(data: bytes, lo: int, hi: int) -> int:
    """Index just past the last non-blank byte of data[lo:hi] (lo if all blank)."""
    return lo + len(data[lo:hi].rstrip(SPACE))


def _end_of(m: re.Match[bytes] | None, default: int) -> int:
    # Both patterns can match empty, so a match always exists; this satisfies the types.
    return m.end() if m else default


class _Marks:
    """Next ``]LOG]!><`` / ``<![LOG[`` at or after a position, each searched for once per
    stretch, so a run of torn or unclosed records costs linear time, not quadratic."""

    __slots__ = ("_closer", "_data", "_hi", "_opener")

    def __init__(self, data: bytes, hi: int) -> None:
        self._data, self._hi = data, hi
        self._closer = self._opener = -2  # -2: not searched yet; -1: none before hi

    def closer(self, pos: int) -> int:
        if -1 != self._closer < pos:
            self._closer = self._data.find(CLOSER, pos, self._hi)
        return self._closer

    def opener(self, pos: int) -> int:
        if -1 != self._opener < pos:
            self._opener = self._data.find(OPENER, pos, self._hi)
        return self._opener


def attributes_at(
    em: Emitter, a: int, hi: int, bounded: bool, marks: _Marks
) -> tuple[int, Fields] | None:
    """Read the attribute part starting at window index ``a``.

    The part ends at the first line break or marker on its line; None means that end is
    not in the window yet (only when ``bounded`` is false).
    """
    data = em.data
    stop = min(hi, a + ATTR_CAP)
    for mark in (marks.closer(a), marks.opener(a)):
        if mark != -1:
            stop = min(stop, mark)
    for eol in (b"\n", b"\r"):
        i = data.find(eol, a, stop)
        if i != -1:
            stop = i
    if stop == hi and not bounded and hi - a < ATTR_CAP:
        return None
    fields = read_attributes(data[a:stop], em.stream.decode)
    end = a + fields.end if fields.end is not None else rstrip_end(data, a, stop)
    return end, fields


def scan(em: Emitter, lo: int, hi: int, bounded: bool) -> Scan:
    """Records and warnings for window [lo, hi); returns (consumed, waiting_for_marker).

    ``bounded`` means nothing more belongs to this range (end of file, or the next
    record starts at ``hi``).
    """
    data = em.data
    marks = _Marks(data, hi)
    pos = lo
    while True:
        q = _end_of(_GAP.match(data, pos, hi), pos)
        # A piece that starts a fresh line keeps its leading spaces (indented messages).
        eol = max(data.rfind(b"\n", pos, q), data.rfind(b"\r", pos, q))
        line_start = eol + 1 if eol != -1 else 0 if pos == 0 and em.fresh_line else q
        start = q
        if _end_of(_BLANK.match(data, line_start, q), line_start) == q:
            start = line_start
        em.note_nuls(pos, start)
        if q == hi:
            if bounded:
                yield from em.flush_nuls()
                return hi, False
            return start, False
        if data.startswith(OPENER, q):
            c = marks.closer(q + len(OPENER))
            o = marks.opener(q + len(OPENER))
            if c != -1 and (o == -1 or c < o):
                got = attributes_at(em, c + len(CLOSER), hi, bounded, marks)
                if got is None:
                    return q, False
                end, fields = got
                msg = data[q + len(OPENER) : c]
                yield from em.emit(
                    em.base + q, em.base + end, em.line_at(q), msg, Kind.RECORD, fields=fields
                )
                pos = end
                continue
            if o == -1 and not bounded:
                return q, True
            stop = o if o != -1 else hi
            end = rstrip_end(data, q + len(OPENER), stop)
            msg = data[q + len(OPENER) : end]
            yield from em.emit(em.base + q, em.base + end, em.line_at(q), msg, Kind.UNCLOSED)
            pos = stop
            continue
        c = marks.closer(q)
        o = marks.opener(q)
        if c != -1 and (o == -1 or c < o):
            got = attributes_at(em, c + len(CLOSER), hi, bounded, marks)
            if got is None:
                return start, False
            end, fields = got
            big = em.cont
            if big is not None and start == 0 and c == 0:
                # The closer of an oversize item whose middle was skipped.
                em.cont = None
                kind = Kind.FRAGMENT if big.orphan else Kind.RECORD
                yield from em.emit(
                    big.start,
                    em.base + end,
                    big.line,
                    big.head,
                    kind,
                    fields=fields,
                    oversize=big.size,
                )
            else:
                msg = data[start:c]
                yield from em.emit(
                    em.base + start,
                    em.base + end,
                    em.line_at(start),
                    msg,
                    Kind.FRAGMENT,
                    fields=fields,
                )
            pos = end
            continue
        if o == -1 and not bounded:
            return start, True
        stop = o if o != -1 else hi
        end = rstrip_end(data, start, stop)
        yield from em.emit(
            em.base + start, em.base + end, em.line_at(start), data[start:end], Kind.STRAY
        )
        pos = stop
