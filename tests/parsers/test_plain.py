"""Plain-text fallback: one record per line, NUL floods and binary garbage, never fails."""

from __future__ import annotations

import io
import random

from lineparser_support import assert_block_size_invariant, raw_text, run, semantic, utf16

from logscan.inputs.stream import Encoding, TextStream
from logscan.model import Level, LogRecord, ParseWarning, RecordFlag, WarningCode
from logscan.parsers.base import MAX_LINE, get, sniff_format

_TEXT = (
    b"Ticket 4711: capture failed on PC042\r\n"
    b"\r\n"
    b"   indented note, keep as written  \n"
    b"warning: store share nearly full\r"
    b"done\r\n"
)


def test_one_record_per_non_blank_line_as_written() -> None:
    records, warnings = run("plain", _TEXT)
    assert warnings == []
    assert [(r.line, r.message, r.level) for r in records] == [
        (1, "Ticket 4711: capture failed on PC042", Level.ERROR),
        (3, "   indented note, keep as written  ", Level.INFO),
        (4, "warning: store share nearly full", Level.WARNING),
        (5, "done", Level.INFO),
    ]
    for record in records:
        assert raw_text(_TEXT, record) == record.message
        assert record.component == "" and record.local_time is None and record.thread is None
    assert get("plain").sniff(_TEXT.decode()) < 0.3
    assert sniff_format(_TEXT.decode()) == "plain"


def test_nul_flood_is_one_warning_and_text_survives() -> None:
    raw = b"before the crash\r\n" + b"\0" * 100_000 + b"\r\n\0\0after restart\r\n" + b"\0" * 5000
    records, warnings = run("plain", raw)
    assert [r.message for r in records] == ["before the crash", "after restart"]
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.NUL_BYTES, 2)]
    assert raw_text(raw, records[1]) == "after restart"


def test_binary_garbage_is_one_warning_and_text_lines_stay() -> None:
    rng = random.Random(977203)
    noise = bytes(rng.randrange(256) for _ in range(20_000)).replace(b"\0", b"\1")
    garbage = b"\x01\x02\x03\x04\x05" + noise  # a binary stretch starts on line 2
    raw = b"text before\n" + garbage + b"\ntext after\n"
    records, warnings = run("plain", raw)
    assert [w.code for w in warnings] == [WarningCode.BINARY_CONTENT]
    assert warnings[0].line == 2
    assert records[0].message == "text before" and records[-1].message == "text after"
    assert [r.message for r in records] == ["text before", "text after"]


def test_undecodable_bytes_are_flagged_and_warnings_capped() -> None:
    raw = b"".join(b"line %d caf\xe9\n" % i for i in range(150))
    plain = TextStream("bad.log", lambda: io.BytesIO(raw), Encoding.UTF8, bom=False)
    items = list(get("plain").parse(plain))
    records = [i for i in items if isinstance(i, LogRecord)]
    warnings = [i for i in items if isinstance(i, ParseWarning)]
    assert len(records) == 150
    assert all(RecordFlag.UNDECODABLE in r.flags for r in records)
    assert records[0].message == "line 0 café"
    assert len(warnings) == 100 and {w.code for w in warnings} == {WarningCode.DECODE_ERROR}


def test_oversize_line_is_one_flagged_record() -> None:
    raw = b"head\n" + b"a" * (MAX_LINE + 1000) + b"\nnext\n"
    records, warnings = run("plain", raw)
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.OVERSIZE_RECORD, 2)]
    big = records[1]
    assert RecordFlag.OVERSIZE in big.flags
    assert len(big.message) == MAX_LINE
    assert (big.offset, big.length) == (5, MAX_LINE + 1000)
    assert records[2].message == "next" and records[2].line == 3


def test_block_boundaries_and_utf16() -> None:
    raw = _TEXT + "Zürich — 日本 error\r\n".encode()
    assert_block_size_invariant("plain", raw)
    raw16 = utf16(raw)
    records16, warnings = run("plain", raw16)
    assert warnings == []
    assert [semantic(r) for r in records16] == [semantic(r) for r in run("plain", raw)[0]]
    for record in records16:
        assert raw_text(raw16, record, "utf-16-le") == record.message
