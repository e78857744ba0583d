"""Every line-based parser on any input: never raises, stays in bounds, ignores block size."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lineparser_support import full, run

from logscan.inputs.stream import detect_encoding
from logscan.model import LogRecord

FORMATS = ["smstrace", "usmt", "usmt_progress", "cmtrace_copy", "plain"]

# Fragments that matter to some grammar, glued at random: markers, stamps, line ends,
# NULs, byte-order marks, non-ASCII and invalid UTF-8.
_FRAGMENTS = [
    b"$$<",
    b"SMS_X><09-23-2026 12:33:53.001+240><thread=4120 (0x1018)>",
    b"<Wed May 21 17:09:27 1997~><thread=DB>",
    b"~~",
    b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>",
    b"2018-04-20 09:26:17, Info                  [0x000000] ",
    b"Error [0x0802e9] ",
    b"USMT Started at ",
    b"SCANSTATE.EXE Version 10",
    b"[gle=0x000000b7]",
    b"15 Jan 2011, 20:46:21 -08:00, 00:04:48, ",
    b"error, UnableToCopy, action, Ignore",
    b" OSDSMPClient",
    b" 1/14/2012 4:06:47 AM 5720 (0x1658)",
    b"\r\n",
    b"\n",
    b"\r",
    b"\0\0\0",
    b"\xef\xbb\xbf",
    "Zürich 日本".encode(),
    b"\xe9\xff",
    b"   ",
    b"failed warning text",
]


def _check(fmt: str, raw: bytes) -> None:
    records, _ = run(fmt, raw)
    # TextStream maps the U+FFFD standing for the odd last byte of a UTF-16 file as a
    # whole code unit, one byte past the end (the reader warns ODD_UTF16_LENGTH there).
    odd_utf16 = detect_encoding(raw[: 1 << 16]).is_utf16 and len(raw) % 2 == 1
    small = run(fmt, raw, block_size=3)
    assert [full(r) for r in records] == [full(r) for r in small[0]]
    for record in records:
        assert isinstance(record, LogRecord)
        assert record.offset >= 0 and record.length >= 0
        assert record.offset + record.length <= len(raw) + odd_utf16
        assert record.line >= 1


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.sampled_from(_FRAGMENTS), max_size=40))
def test_fragments_never_break_a_parser(fmt: str, parts: list[bytes]) -> None:
    _check(fmt, b"".join(parts))


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=30, deadline=None)
@given(raw=st.binary(max_size=300))
def test_random_bytes_never_break_a_parser(fmt: str, raw: bytes) -> None:
    _check(fmt, raw)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_real_file_under_every_line_parser(real_logs: Path, fmt: str) -> None:
    for path in sorted(real_logs.iterdir()):
        if path.name != "README.md":
            _check(fmt, path.read_bytes())
