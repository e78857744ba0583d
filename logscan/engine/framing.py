"""Record boundaries per format, so the engine can parse just the records around a hit.

A framer answers two questions about a buffer that begins at a record boundary: where
does the record holding position ``p`` start, and where does the next record start
after it. Parsing ``buf[start:end]`` on its own must give exactly the records a full
parse gives for that span; the engine's equivalence test holds every format to that.

USMT records depend on context further back (the run number and the program named by
the last ``X.EXE Version`` line): its framer comes with a tracker that counts those
markers in the bytes skipped between regions and hands the parser that state. Legacy
trace records can span wrapped lines without a clear start; a legacy file with a
candidate is parsed whole, which is cheap because such logs are small.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

from logscan.model import LogFormat
from logscan.parsers._usmt_draft import PROGRAMS

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


# A USMT record starts at a line beginning with its timestamp.
_USMT_STAMP = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,")
_USMT_NEXT = re.compile(rb"[\r\n](?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,)")
_USMT_STARTED = b"USMT Started at"
_USMT_VERSION = re.compile(rb"\]\s(?P<prog>[A-Za-z][A-Za-z0-9_]*)\.exe\s+version\b", re.IGNORECASE)


class _UsmtFramer:
    """Records start at timestamped lines; continuation lines belong to the one before."""

    def start(self, buf: bytes, p: int) -> int:
        while p > 0:
            ls = max(buf.rfind(b"\n", 0, p), buf.rfind(b"\r", 0, p)) + 1
            if _USMT_STAMP.match(buf, ls):
                return ls
            p = ls - 1
        return 0

    def end(self, buf: bytes, p: int, final: bool) -> int | None:
        m = _USMT_NEXT.search(buf, p + 1)
        if m is not None:
            return m.end()
        return len(buf) if final else None


class UsmtTracker:
    """The USMT parser's run/program state at a position, from the bytes before it.

    Runs are counted by ``USMT Started at`` lines (the Version line just before one
    belongs to the same run, which the parser works out itself inside a region)."""

    def __init__(self) -> None:
        self.runs = 0
        self.program: str | None = None

    def advance(self, buf: bytes, a: int, b: int) -> None:
        self.runs += buf.count(_USMT_STARTED, a, b)
        # Version lines are rare: find the word with fast literal searches, then check
        # its line with the regex (running the regex over every byte costs 4x more).
        hit = max(buf.rfind(b"ersion", a, b), buf.rfind(b"ERSION", a, b))
        while hit >= a:
            line_start = max(buf.rfind(b"\n", a, hit), buf.rfind(b"\r", a, hit), a - 1) + 1
            m = None
            for m in _USMT_VERSION.finditer(buf, line_start, min(hit + 6, b)):  # noqa: B007
                pass
            if m is not None:
                name = m["prog"].decode("ascii")
                self.program = PROGRAMS.get(name.lower(), name)
                return
            hit = max(buf.rfind(b"ersion", a, hit), buf.rfind(b"ERSION", a, hit))

    def context(self) -> Mapping[str, str]:
        ctx = {"usmt.run": str(self.runs)}
        if self.program:
            ctx["usmt.program"] = self.program
        return ctx


FRAMERS: dict[LogFormat, Framer] = {
    LogFormat.USMT: _UsmtFramer(),
    LogFormat.CCM: _CcmFramer(),
    LogFormat.PLAIN: _LineFramer(),
    LogFormat.CMTRACE_COPY: _LineFramer(),
    LogFormat.USMT_PROGRESS: _LineFramer(),
}
