"""Helpers for the CCM parser tests: build CCM text, run the parser, compare runs."""

from __future__ import annotations

import io
from typing import Any

from logscan.inputs.stream import TextStream, detect_encoding, has_bom
from logscan.model import LogRecord, ParseWarning
from logscan.parsers.cmtrace import CcmParser


def stream(raw: bytes, *, block_size: int = 1 << 22, source: str = "test.log") -> TextStream:
    """Same as tests/conftest.py ``stream_of``, importable from test modules."""
    enc = detect_encoding(raw[: 1 << 16])
    return TextStream(
        source, lambda: io.BytesIO(raw), enc, bom=has_bom(raw, enc), block_size=block_size
    )


def items(raw: bytes, *, block_size: int = 1 << 22, max_record: int | None = None) -> list[Any]:
    parser = CcmParser() if max_record is None else CcmParser(max_record=max_record)
    return list(parser.parse(stream(raw, block_size=block_size)))


def run(
    raw: bytes, *, block_size: int = 1 << 22, max_record: int | None = None
) -> tuple[list[LogRecord], list[ParseWarning]]:
    """Records and warnings of ``raw``."""
    records: list[LogRecord] = []
    warnings: list[ParseWarning] = []
    for item in items(raw, block_size=block_size, max_record=max_record):
        (records if isinstance(item, LogRecord) else warnings).append(item)
    return records, warnings


def comparable(seq: list[Any]) -> list[Any]:
    """Items with record extras included (LogRecord equality leaves them out)."""
    return [(i, dict(i.extras)) if isinstance(i, LogRecord) else i for i in seq]


def rec(
    message: str = "hello",
    *,
    time: str = "10:20:57.476+240",
    date: str = "10-18-2019",
    component: str = "TSManager",
    context: str = "",
    type_: str = "1",
    thread: str = "2408",
    file: str = "engine.cxx:143",
    eol: str = "\r\n",
) -> str:
    """One canonical CCM record line, as ConfigMgr writes it."""
    return (
        f'<![LOG[{message}]LOG]!><time="{time}" date="{date}" component="{component}" '
        f'context="{context}" type="{type_}" thread="{thread}" file="{file}">{eol}'
    )


def line_of(raw: bytes, offset: int) -> int:
    """1-based line number of byte ``offset``, counted independently of the parser
    (CRLF, LF and bare CR each end a line)."""
    head = raw[:offset]
    return 1 + head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n")
