"""Parser protocol, the format registry, and the shared line splitter.

A parser turns a ``TextStream`` into a stream of ``LogRecord`` and ``ParseWarning``; it
never raises on content. Formats register themselves with ``@register``; ``get`` names the
known formats when asked for an unknown one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar

from logscan.errors import ParseError
from logscan.inputs.stream import TextStream
from logscan.model import LogFormat, LogRecord, ParseWarning

ParseItem = LogRecord | ParseWarning

# Longest physical line a line-based parser keeps whole; longer lines are cut into pieces
# (with a warning) so a 200 MB file without a newline cannot exhaust memory.
MAX_LINE = 1 << 24


class Parser(Protocol):
    """One on-disk log grammar."""

    format: LogFormat

    def sniff(self, head: str) -> float:
        """How sure we are (0..1) that text starting with ``head`` is in this format."""
        ...

    def parse(self, stream: TextStream) -> Iterator[ParseItem]:
        """Records and warnings in file order; never raises on content."""
        ...


_REGISTRY: dict[LogFormat, Parser] = {}

P = TypeVar("P", bound=type)


def register(cls: P) -> P:
    """Class decorator: instantiate the parser and file it under its format."""
    parser = cls()
    _REGISTRY[parser.format] = parser
    return cls


_LOADED = False


def _load_all() -> None:
    """Import every parser module once, for the side effect of registration."""
    global _LOADED  # noqa: PLW0603 - a one-time import guard
    if _LOADED:
        return
    import importlib
    import pkgutil

    import logscan.parsers as package

    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_") and info.name != "base":
            importlib.import_module(f"logscan.parsers.{info.name}")
    _LOADED = True


def get(fmt: LogFormat | str) -> Parser:
    """The parser for a format, by enum or by name."""
    _load_all()
    try:
        key = LogFormat(fmt)
    except ValueError:
        known = ", ".join(sorted(f.value for f in _REGISTRY))
        raise ParseError(f"unknown log format {fmt!r}; known formats: {known}") from None
    return _REGISTRY[key]


def all_parsers() -> dict[LogFormat, Parser]:
    _load_all()
    return dict(_REGISTRY)


# Certain enough to stop asking the other parsers (saves the costly line-by-line sniffers
# on the common case of a CCM log).
_DECISIVE = 0.9
_SNIFF_ORDER = {
    LogFormat.CCM: 0,
    LogFormat.USMT: 1,
    LogFormat.SMSTRACE: 2,
    LogFormat.USMT_PROGRESS: 3,
    LogFormat.CMTRACE_COPY: 4,
}


def sniff_format(head: str) -> LogFormat:
    """The best-scoring format for a decoded file head; plain text when none claims it."""
    best, score = LogFormat.PLAIN, 0.0
    parsers = all_parsers()
    # Strong, cheap sniffers first; the line-by-line pasted-text sniffer last.
    order = sorted(parsers, key=lambda f: _SNIFF_ORDER.get(f, len(_SNIFF_ORDER)))
    for fmt in order:
        if fmt is LogFormat.PLAIN:
            continue
        s = parsers[fmt].sniff(head)
        if s > score:
            best, score = fmt, s
        if score >= _DECISIVE:
            break
    return best if score >= 0.3 else LogFormat.PLAIN


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line of the logical byte view."""

    pos: int  # logical position of the first byte
    number: int  # 1-based line number
    text: bytes  # without the line end
    eol: bytes  # b"\r\n", b"\n", b"\r", or b"" (end of file, or a cut oversize line)


def iter_lines(stream: TextStream, max_line: int = MAX_LINE) -> Iterator[Line]:
    """Split the stream on CRLF, LF and bare CR, counting lines, block by block.

    A line longer than ``max_line`` is yielded in pieces with ``eol == b""`` so callers
    can warn; memory stays bounded by the block size plus one line.
    """
    pos = 0
    number = stream.first_line
    carry = b""
    for block in stream.blocks():
        data = carry + block
        parts = data.splitlines(keepends=True)
        carry = b""
        if parts:
            last = parts[-1]
            # The last piece may be incomplete, or a CR whose LF is in the next block.
            if not last.endswith((b"\n", b"\r")) or last.endswith(b"\r"):
                carry = parts.pop()
        for part in parts:
            body, eol = _split_eol(part)
            yield Line(pos, number, body, eol)
            pos += len(part)
            number += 1
        while len(carry) > max_line:
            yield Line(pos, number, carry[:max_line], b"")
            pos += max_line
            carry = carry[max_line:]
    if carry:
        body, eol = _split_eol(carry)
        yield Line(pos, number, body, eol)


def _split_eol(part: bytes) -> tuple[bytes, bytes]:
    if part.endswith(b"\r\n"):
        return part[:-2], b"\r\n"
    if part.endswith((b"\n", b"\r")):
        return part[:-1], part[-1:]
    return part, b""


# "\r[^\n]" scans ~20% faster than "\r(?!\n)"; a CR as the range's last byte is
# checked separately.
_BARE_CR = re.compile(rb"\r[^\n]")


def line_breaks(buf: bytes, a: int, b: int) -> int:
    """Line breaks in ``buf[a:b]`` counting CRLF, LF and bare CR once each.

    A CR at ``b - 1`` counts as a break (LineCounter corrects for an LF that follows it
    in the next span). Most logs have no bare CR, so the (slow) CRLF count runs only when
    one may be present."""
    lf = buf.count(b"\n", a, b)
    if buf[b - 1 : b] != b"\r" and _BARE_CR.search(buf, a, b) is None:
        return lf
    return lf + buf.count(b"\r", a, b) - buf.count(b"\r\n", a, b)


class LineCounter:
    """Line numbers for increasing positions in a buffer-oriented parser (CCM)."""

    __slots__ = ("_number", "_pending_cr", "_pos")

    def __init__(self, first: int = 1) -> None:
        self._number = first  # the line of position 0 (``TextStream.first_line``)
        self._pos = 0
        self._pending_cr = False

    def advance(self, buf: bytes, buf_start: int, pos: int) -> int:
        """Line number at logical ``pos``; ``buf`` starts at logical ``buf_start`` and
        covers everything between the previous position and ``pos``."""
        if pos > self._pos:
            lo = self._pos - buf_start
            hi = pos - buf_start
            breaks = line_breaks(buf, lo, hi)
            # A CR ending the previous span and an LF starting this one were one break.
            if self._pending_cr and buf[lo : lo + 1] == b"\n":
                breaks -= 1
            self._number += breaks
            self._pending_cr = buf[hi - 1 : hi] == b"\r"
            self._pos = pos
        return self._number
