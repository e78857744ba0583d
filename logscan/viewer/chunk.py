"""Parse one checkpoint chunk again, and the stand-in rows for a chunk that cannot be.

A chunk is the bytes from one checkpoint to the next. ``parse_chunk`` runs the file's
parser over them (``SpanStream``), moves the records to their file line numbers,
applies the checkpoint's parser state (``resume.WindowFix``) and checks that the bytes
are still the ones indexed. When they are not, or cannot be read at all, ``stand_ins``
gives one row per indexed record saying why, so a view never loses or shifts rows.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable

from logscan.inputs.stream import Encoding
from logscan.model import Level, LogFormat, LogRecord
from logscan.parsers.base import Parser
from logscan.viewer.resume import Resume, WindowFix
from logscan.viewer.span import SpanStream

CHANGED = "the file changed since it was indexed (follow it, or open it again)"


def parse_chunk(
    parser: Parser,
    fmt: LogFormat,
    name: str,
    encoding: Encoding,
    *,
    start: int,
    raw: bytes,
    line: int | None,
    state: Resume,
    offsets: array[int],
) -> list[LogRecord] | None:
    """The records of a chunk read from ``raw`` (the file bytes from offset ``start``),
    whose first record is on ``line``; ``offsets`` are the indexed offsets of its
    records. None when the bytes no longer give those records.

    ``line`` None: the line is not known yet (a tail segment's), and every record gets
    line 0, which says so, rather than a number that would be wrong."""
    stream = SpanStream(name, encoding, start, raw=raw)
    parsed = [r for r in parser.parse(stream) if isinstance(r, LogRecord)]
    expected = len(offsets)
    if len(parsed) < expected or (expected and parsed[0].offset != offsets[0]):
        return None  # rewritten or rotated since it was indexed
    del parsed[expected:]
    if line is None:
        for record in parsed:
            _rebase_line(record, -record.line)
    elif line > 1:
        for record in parsed:
            _rebase_line(record, line - 1)
    fix = WindowFix(fmt, state)
    return [fix(r) for r in parsed]


def stand_ins(
    name: str, fmt: LogFormat, offsets: array[int], levels: array[int], why: str
) -> list[LogRecord]:
    """Rows for records whose bytes cannot be read again, saying why."""
    message = f"[logscan: this record cannot be read again: {why}]"
    return [
        LogRecord(
            source=name,
            line=0,
            offset=offset,
            length=0,
            local_time=None,
            bias=None,
            level=Level(level),
            component="",
            thread=None,
            message=message,
            format=fmt,
        )
        for offset, level in zip(offsets, levels, strict=True)
    ]


def why(exc: OSError) -> str:
    """An unreadable file, in a few words."""
    if isinstance(exc, FileNotFoundError):
        return "the file is gone (moved, rotated or deleted)"
    return exc.strerror or str(exc)


def _slot_setter(cls: type, name: str) -> Callable[[object, int], None] | None:
    slot = cls.__dict__.get(name)
    if slot is None or type(slot).__name__ != "member_descriptor":
        return None
    setter: Callable[[object, int], None] = slot.__set__
    return setter


_SET_LINE = _slot_setter(LogRecord, "line")


def _rebase_line(record: LogRecord, shift: int) -> None:
    """Move a record just parsed from a span (so not yet seen by anyone) to its line in
    the file. Through the slot: ``dataclasses.replace`` would triple the cost of reading
    a chunk. Falls back to rebuilding if LogRecord ever stops being a slots class."""
    if _SET_LINE is not None:
        _SET_LINE(record, record.line + shift)
    else:  # pragma: no cover - only if the model changes shape
        object.__setattr__(record, "line", record.line + shift)
