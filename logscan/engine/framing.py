"""Record boundaries per format, so the engine can parse just the records around a hit.

A framer answers two questions about a buffer that begins at a record boundary: where
does the record holding position ``p`` start, and where does the next record start
after it. Parsing ``buf[start:end]`` on its own must give exactly the records a full
parse gives for that span; the engine's equivalence test holds every format to that.

Formats whose records depend on context further back in the file (USMT runs and program
names, legacy trace records spanning wrapped lines) have no framer: a file of those with
a candidate is parsed whole, which is cheap because such logs are small.
"""

from __future__ import annotations

from typing import Protocol

from logscan.model import LogFormat

_OPEN = b"<![LOG["


class Framer(Protocol):
    def start(self, buf: bytes, p: int) -> int:
        """A record boundary at or before ``p`` (0 when there is none in ``buf``)."""
        ...

    def end(self, buf: bytes, p: int, final: bool) -> int | None:
        """The next record boundary after ``p``; None when ``buf`` may not hold it yet."""
        ...


class _CcmFramer:
    """Every ``<![LOG[`` starts a record for the CCM parser (an unclosed record ends at
    the next one, and a torn fragment lies between a close and the next opening)."""

    def start(self, buf: bytes, p: int) -> int:
        i = buf.rfind(_OPEN, 0, p + 1)
        return max(i, 0)

    def end(self, buf: bytes, p: int, final: bool) -> int | None:
        j = buf.find(_OPEN, p + 1)
        if j >= 0:
            return j
        return len(buf) if final else None


class _LineFramer:
    """One physical line per record (CRLF, LF or bare CR end a line)."""

    def start(self, buf: bytes, p: int) -> int:
        return max(buf.rfind(b"\n", 0, p), buf.rfind(b"\r", 0, p)) + 1

    def end(self, buf: bytes, p: int, final: bool) -> int | None:
        lf = buf.find(b"\n", p)
        cr = buf.find(b"\r", p)
        ends = [i for i in (lf, cr) if i >= 0]
        if not ends:
            return len(buf) if final else None
        j = min(ends)
        if buf[j] == 0x0D:  # CR: a following LF belongs to the same line end
            if j + 1 < len(buf):
                return j + 2 if buf[j + 1] == 0x0A else j + 1
            return j + 1 if final else None
        return j + 1


FRAMERS: dict[LogFormat, Framer] = {
    LogFormat.CCM: _CcmFramer(),
    LogFormat.PLAIN: _LineFramer(),
    LogFormat.CMTRACE_COPY: _LineFramer(),
    LogFormat.USMT_PROGRESS: _LineFramer(),
}


def line_breaks(buf: bytes, a: int, b: int) -> int:
    """Line breaks in ``buf[a:b]`` counting CRLF, LF and bare CR once each.

    Callers only split at record boundaries, which never fall inside a CRLF pair."""
    return buf.count(b"\n", a, b) + buf.count(b"\r", a, b) - buf.count(b"\r\n", a, b)
