"""CCM parser as a stream: block boundaries anywhere, UTF-16 offsets, huge records, flat memory."""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path
from unittest import mock

import pytest
from ccm_support import comparable, items, rec, run
from hypothesis import given, settings
from hypothesis import strategies as st

from logscan.model import LogRecord, RecordFlag, WarningCode
from logscan.parsers import cmtrace

# Pieces that exercise every path of the parser, including their interplay.
PIECES = [
    rec("plain"),
    rec("multi\r\nline\nbare\rcr", eol="\n"),
    rec("caf\u00e9 \u2603 \U0001f600 non-ASCII", eol=""),
    rec("<![CDATA[x]]> a < b > c ]LOG] <![LOG"),
    rec("no bias", time="10:22:50.8422964", date="1-2-2015", file=""),
    rec("bad bias", time="13:51:24.650+-420"),
    rec("bad date", date="13-45-2019"),
    rec("odd thread", thread="C:\\main.go 15", type_="9"),
    rec("nul \x00 inside"),
    '<![LOG[reordered]LOG]!><thread="1" type="2" date="10-18-2019" time="1:2:3.4+60">\r\n',
    '<![LOG[broken]LOG]!><time="10:20:57.476+240" file=x.log"" extra="1">\r\n',
    'torn tail]LOG]!><time="10:19:30.535+240" date="10-18-2019" component="C" type="1">\r\n',
    "<![LOG[unclosed \r\n",
    "stray text\r\n",
    "\x00\x00\x00\x00",
    "\r\n \r\n",
    "   ",
]


def _raw(indexes: list[int]) -> bytes:
    return "".join(PIECES[i] for i in indexes).encode()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, len(PIECES) - 1), min_size=1, max_size=12),
    st.integers(1, 97),
)
def test_any_block_size_gives_the_same_items(indexes: list[int], block_size: int) -> None:
    raw = _raw(indexes)
    assert comparable(items(raw, block_size=block_size)) == comparable(items(raw))


# Marker fragments and awkward bytes, shuffled: finds block-edge and quoting corner cases.
_TOKENS = [
    'time="1:02:03.+60"',
    'time="1:02:03.12345678"',
    'time="1:02:03+-420"',
    'time="01:02:03.5"',
    "<![LOG[",
    "]LOG]!><",
    "<![LOG",
    "]LOG]",
    'time="1:02:03.5+60"',
    'time="10:2"',
    ' date="1-2-2020"',
    ' type="2"',
    ' thread="1"',
    ' file=x""',
    '"',
    ">",
    "<",
    "]",
    "[",
    "\r",
    "\n",
    "\r\n",
    " ",
    "\x00",
    "x",
    "\u00e9",
    "\U0001f600",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_TOKENS + PIECES), max_size=40),
    st.integers(1, 23),
    st.sampled_from([None, 1, 9, 40]),
)
def test_arbitrary_marker_soup_never_fails_and_ignores_block_edges(
    tokens: list[str], block_size: int, cap: int | None
) -> None:
    # The BOM pins the encoding: NUL-heavy soup would otherwise be sniffed as UTF-16.
    raw = b"\xef\xbb\xbf" + "".join(tokens).encode()
    whole = items(raw, max_record=cap)
    assert comparable(items(raw, block_size=block_size, max_record=cap)) == comparable(whole)
    for item in whole:
        if isinstance(item, LogRecord):
            assert item.offset >= 3 and item.offset + item.length <= len(raw)
            if cap is not None:
                assert len(item.message.encode()) <= cap


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS + PIECES), max_size=30))
def test_fast_path_changes_nothing_but_speed(tokens: list[str]) -> None:
    raw = b"\xef\xbb\xbf" + "".join(tokens).encode()
    fast = comparable(items(raw))
    with mock.patch.object(cmtrace, "_FAST", re.compile(rb"(?!)")):  # matches nothing
        assert comparable(items(raw)) == fast


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(PIECES) - 1), min_size=1, max_size=12))
def test_records_cover_their_bytes_and_warnings_follow_records(indexes: list[int]) -> None:
    raw = _raw(indexes)
    previous_end = 0
    for item in items(raw):
        if isinstance(item, LogRecord):
            assert item.offset >= previous_end
            chunk = raw[item.offset : item.offset + item.length]
            # No line break at either end; a piece starting a line keeps its indentation.
            assert item.length > 0 and chunk == chunk.rstrip(b" \t\r\n")
            assert not chunk.startswith((b"\r", b"\n"))
            if not item.flags & {RecordFlag.UNDECODABLE, RecordFlag.STRAY}:
                assert item.message.encode() in chunk
            previous_end = item.offset + item.length


@pytest.mark.parametrize("block_size", [7, 8, 64, 4093])
def test_real_logs_are_independent_of_block_size(real_logs: Path, block_size: int) -> None:
    for name in (
        "cb-client_ccmsetup.log",
        "plaso_sccm_various.log",
        "malformed-thirdparty_helloworld.log",
    ):
        raw = (real_logs / name).read_bytes()
        assert comparable(items(raw, block_size=block_size)) == comparable(items(raw))


def test_big_real_log_with_odd_block_size(real_logs: Path) -> None:
    raw = (real_logs / "mdt-standalone_smsts.log").read_bytes()
    assert comparable(items(raw, block_size=1021)) == comparable(items(raw))


_UTF16_TEXT = (
    "\ufeff"
    + rec("caf\u00e9 \u2603 \U0001f600 non-ASCII")
    + rec("multi\r\nline \u00fc\nend")
    + 'torn \u00e9]LOG]!><time="1:02:03.004+0" date="1/2/2020" component="c" type="2">\r\n'
    + rec(time="13:51:24.650+-420")
    + "<![LOG[unclosed \u00e9 at end"
)


@pytest.mark.parametrize(
    ("codec", "bom"), [("utf-16-le", True), ("utf-16-be", True), ("utf-16-le", False)]
)
@pytest.mark.parametrize("block_size", [4, 11, 1 << 20])
def test_utf16_gives_the_same_records_and_exact_offsets(
    codec: str, bom: bool, block_size: int
) -> None:
    text = _UTF16_TEXT if bom else _UTF16_TEXT[1:]
    raw = text.encode(codec)
    utf8 = _UTF16_TEXT[1:].encode()
    expected = items(utf8)
    got = items(raw, block_size=block_size)
    assert [type(i) for i in got] == [type(i) for i in expected]
    assert sum(isinstance(i, LogRecord) for i in got) == 5
    for r, ref in zip(got, expected, strict=True):
        if not isinstance(r, LogRecord):
            assert (r.code, r.line, r.message) == (ref.code, ref.line, ref.message)
            continue
        assert (r.message, r.line, r.local_time, r.utc, r.flags, dict(r.extras)) == (
            ref.message,
            ref.line,
            ref.local_time,
            ref.utc,
            ref.flags,
            dict(ref.extras),
        )
        # The raw file bytes at offset/length are exactly the record, in UTF-16.
        on_disk = raw[r.offset : r.offset + r.length].decode(codec)
        assert on_disk == utf8[ref.offset : ref.offset + ref.length].decode()
        assert r.message in on_disk
    assert got[0].offset == (2 if bom else 0)


def test_50_megabyte_record_is_one_record() -> None:
    body = ("x" * 99 + "\n") * 500_000  # 50 MB, line breaks every 100 bytes
    raw = (rec("first") + rec(body) + rec("last")).encode()
    records, warnings = run(raw)
    assert warnings == []
    assert [len(r.message) for r in records] == [5, len(body), 4]
    assert records[1].flags == {RecordFlag.MULTILINE}
    assert records[1].length == len(rec(body)) - 2
    assert records[2].line == 3 + 500_000


@pytest.mark.parametrize("block_size", [100, 1000, 1 << 22])
def test_record_over_the_cap_is_cut_but_keeps_its_attributes(block_size: int) -> None:
    cap = 1000
    huge = "\u00e9" * 3000  # 6000 bytes of UTF-8
    raw = (rec("a") + rec(huge) + rec("b")).encode()
    records, warnings = run(raw, block_size=block_size, max_record=cap)
    assert [r.message for r in records] == ["a", "\u00e9" * 500, "b"]
    big = records[1]
    assert big.flags == {RecordFlag.OVERSIZE}
    assert big.component == "TSManager" and big.local_time is not None
    assert (big.offset, big.length) == (len(rec("a").encode()), len(rec(huge).encode()) - 2)
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.OVERSIZE_RECORD, 2)]
    assert "6000 bytes" in warnings[0].message
    assert records[2].line == 3


@pytest.mark.parametrize("block_size", [64, 1 << 22])
@pytest.mark.parametrize(
    ("middle", "flags", "code"),
    [
        ("<![LOG[" + "u" * 5000 + "\r\n", {RecordFlag.UNCLOSED}, WarningCode.UNCLOSED_RECORD),
        ("stray " * 1000 + "\r\n", {RecordFlag.STRAY}, WarningCode.STRAY_TEXT),
        (rec("t" * 5000)[len("<![LOG[") :], {RecordFlag.TRUNCATED}, WarningCode.TORN_RECORD),
    ],
)
def test_oversize_unclosed_stray_and_torn_items(
    block_size: int, middle: str, flags: set[RecordFlag], code: WarningCode
) -> None:
    raw = (rec("a") + middle + rec("b")).encode()
    records, warnings = run(raw, block_size=block_size, max_record=1000)
    assert [r.message for r in records][::2] == ["a", "b"]
    big = records[1]
    assert big.flags == flags | {RecordFlag.OVERSIZE}
    assert len(big.message) == 1000
    assert big.offset + big.length == len(rec("a")) + len(middle.rstrip())
    assert [w.code for w in warnings] == [code, WarningCode.OVERSIZE_RECORD]
    assert comparable(items(raw, block_size=block_size, max_record=1000)) == comparable(
        items(raw, max_record=1000)
    )


_TAIL = b']LOG]!><time="1:02:03" date="1-1-2020" component="c">'


@pytest.mark.parametrize(
    ("raw", "flags"),
    [
        (b"<![LOG[" + b"z" * (24 << 20), {RecordFlag.UNCLOSED}),
        (b"y" * (24 << 20), {RecordFlag.STRAY}),
        (b"t" * (24 << 20) + _TAIL, {RecordFlag.TRUNCATED}),
        (b"<![LOG[" + b"r" * (24 << 20) + _TAIL, set()),
    ],
    ids=["unclosed", "stray", "torn", "record"],
)
def test_memory_stays_flat_for_huge_items(raw: bytes, flags: set[RecordFlag]) -> None:
    block = cap = 1 << 20
    tracemalloc.start()
    try:
        records, warnings = run(raw, block_size=block, max_record=cap)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [r.flags for r in records] == [flags | {RecordFlag.OVERSIZE}]
    assert (records[0].length, len(records[0].message)) == (len(raw), cap)
    # The input is 24 blocks; the kept head (the cap) is built once from held blocks.
    assert peak < 2 * cap + 4 * block
    assert WarningCode.OVERSIZE_RECORD in {w.code for w in warnings}


def test_fast_record_constructor_builds_equal_records() -> None:
    from logscan.model import Level, LogFormat
    from logscan.parsers._ccm_record import make_record

    args = (
        "s",
        1,
        2,
        3,
        None,
        240,
        Level.INFO,
        "c",
        7,
        "m",
        LogFormat.CCM,
        frozenset(),
        {"a": "b"},
    )
    fast, slow = make_record(*args), LogRecord(*args)  # type: ignore[arg-type]
    assert fast == slow and fast.extras == slow.extras and hash(fast) == hash(slow)
    with pytest.raises(AttributeError):
        fast.line = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    "piece",
    [
        b"<![LOG[never closed message\r\n",  # a writer that never closes records
        b"<![LOG[",  # openers without line breaks
        b'torn]LOG]!><time="1:02:03" x="1">\r\n',  # tails only
        b"x]LOG]!><",  # closers without line breaks
        b"<![LOG[a]LOG]!><odd attribute order>\r\n",  # no record canonical
    ],
)
def test_broken_input_takes_linear_time(piece: bytes) -> None:
    # Quadratic behaviour shows as minutes here; linear parsing takes well under a second.
    raw = piece * (600_000 // len(piece))
    started = time.perf_counter()
    records, _ = run(raw)
    assert time.perf_counter() - started < 15
    assert len(records) >= raw.count(b"]LOG]!><")
