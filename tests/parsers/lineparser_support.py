"""Helpers shared by the tests of the line-based parsers (smstrace, usmt, usmt_progress,
cmtrace_copy, plain): run a parser over bytes, compare runs, check offsets against bytes."""

from __future__ import annotations

import codecs
import io
from typing import Any

from logscan.inputs.stream import TextStream, detect_encoding, has_bom
from logscan.model import LogRecord, ParseWarning
from logscan.parsers.base import get


def stream(raw: bytes, source: str = "test.log", block_size: int = 1 << 22) -> TextStream:
    enc = detect_encoding(raw[: 1 << 16])
    return TextStream(
        source, lambda: io.BytesIO(raw), enc, bom=has_bom(raw, enc), block_size=block_size
    )


def run(
    fmt: str, raw: bytes, *, source: str = "test.log", block_size: int = 1 << 22
) -> tuple[list[LogRecord], list[ParseWarning]]:
    """Records and warnings of ``raw`` parsed as ``fmt``."""
    records: list[LogRecord] = []
    warnings: list[ParseWarning] = []
    for item in get(fmt).parse(stream(raw, source, block_size)):
        (records if isinstance(item, LogRecord) else warnings).append(item)
    return records, warnings


def full(record: LogRecord) -> tuple[Any, ...]:
    """Every field, extras included (LogRecord equality leaves extras out)."""
    return (record, dict(record.extras))


def semantic(record: LogRecord) -> tuple[Any, ...]:
    """The fields that must not depend on the encoding (offsets do)."""
    return (
        record.line,
        record.local_time,
        record.bias,
        record.utc,
        record.level,
        record.component,
        record.thread,
        record.message,
        record.flags,
        dict(record.extras),
    )


def assert_block_size_invariant(fmt: str, raw: bytes, source: str = "test.log") -> None:
    """Tiny blocks (markers, CRLFs and characters split everywhere) change nothing."""
    big = run(fmt, raw, source=source)
    small = run(fmt, raw, source=source, block_size=5)
    assert [full(r) for r in big[0]] == [full(r) for r in small[0]]
    assert big[1] == small[1]


def utf16(raw_utf8: bytes, bom: bool = True) -> bytes:
    """The same text as UTF-16LE (a UTF-8 BOM in the input is dropped)."""
    text = raw_utf8.decode("utf-8-sig")
    return (codecs.BOM_UTF16_LE if bom else b"") + text.encode("utf-16-le")


def raw_text(raw: bytes, record: LogRecord, codec: str = "utf-8") -> str:
    """The file bytes a record points at, decoded."""
    return raw[record.offset : record.offset + record.length].decode(codec)
