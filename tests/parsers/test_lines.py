"""Physical lines for the line-based parsers: cut lines merged, BOMs and NULs, decode cap."""

from __future__ import annotations

import io

from lineparser_support import stream

from logscan.inputs.stream import Encoding, TextStream
from logscan.inputs.watched import WatchedStream
from logscan.model import ParseWarning, WarningCode
from logscan.parsers._lines import PhysLine, TextDecoder, head_lines, physical_lines


def _split(items: list[PhysLine | ParseWarning]) -> tuple[list[PhysLine], list[ParseWarning]]:
    lines = [i for i in items if isinstance(i, PhysLine)]
    return lines, [i for i in items if isinstance(i, ParseWarning)]


def test_cut_pieces_become_one_oversize_line() -> None:
    raw = b"short\r\n" + b"x" * 35 + b"\r\nafter\n"
    for block_size in (4, 1 << 20):
        lines, warnings = _split(list(physical_lines(stream(raw, block_size=block_size), 10)))
        assert [(ln.number, ln.text, ln.oversize) for ln in lines] == [
            (1, b"short", False),
            (2, b"x" * 10, True),
            (3, b"after", False),
        ]
        assert lines[1].pos == 7 and lines[1].end == 42 and lines[1].eol == b"\r\n"
        assert [(w.code, w.line, w.offset) for w in warnings] == [
            (WarningCode.OVERSIZE_RECORD, 2, 7)
        ]


def test_line_exactly_at_the_cap_at_end_of_file_is_not_oversize() -> None:
    lines, warnings = _split(list(physical_lines(stream(b"ab\n" + b"y" * 10), 10)))
    assert warnings == []
    assert lines[-1].text == b"y" * 10 and not lines[-1].oversize


def test_mid_file_bom_is_skipped_with_position_moved() -> None:
    raw = b"one\r\n\xef\xbb\xbftwo\r\n"
    lines, warnings = _split(list(physical_lines(stream(raw))))
    assert warnings == []
    assert lines[1].text == b"two" and lines[1].pos == 8


def test_nul_runs_dropped_once_warned_and_nul_only_lines_gone() -> None:
    raw = b"one\n" + b"\0" * 50 + b"\n\0\0\0two\0x\n" + b"\0" * 20
    lines, warnings = _split(list(physical_lines(stream(raw))))
    assert [(ln.number, ln.text) for ln in lines] == [(1, b"one"), (3, b"twox")]
    assert lines[1].pos == raw.index(b"two")
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.NUL_BYTES, 2)]


def test_watched_stream_reports_nuls_itself() -> None:
    raw = b"one\n\0\0\0two\n"
    watched = WatchedStream("w.log", lambda: io.BytesIO(raw), Encoding.UTF8, bom=False)
    lines, warnings = _split(list(physical_lines(watched)))
    assert warnings == [] and [ln.text for ln in lines] == [b"one", b"two"]


def test_decode_warnings_are_capped_per_file() -> None:
    plain = TextStream("d.log", lambda: io.BytesIO(b""), Encoding.UTF8, bom=False)
    decoder = TextDecoder(plain)
    text, clean = decoder.decode(b"caf\xe9")
    assert (text, clean) == ("café", False)
    warnings = [decoder.warning(n, n) for n in range(1, 151)]
    given = [w for w in warnings if w is not None]
    assert len(given) == 100
    assert all(w.code is WarningCode.DECODE_ERROR for w in given)
    assert "not reported" in given[-1].message and "not reported" not in given[0].message


def test_head_lines_drop_a_cut_last_line() -> None:
    assert head_lines("\ufeffa\r\n\r\nb\nc") == ["a", "b"]
    assert head_lines("a\nb\n") == ["a", "b"]
    assert head_lines("only") == ["only"]
