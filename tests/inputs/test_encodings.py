"""Encoding sniffing and exact file offsets of TextStream (logscan/inputs/stream.py).

Line splitting comes from ``parsers.base.iter_lines``, the splitter every line parser
uses, so these tests check what parsers will actually cite: line numbers, text and the
byte offset in the original file, whatever the encoding, line ends and block size.
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logscan.inputs.discover import FileOpener
from logscan.inputs.stream import Encoding, TextStream, detect_encoding, has_bom, read_at_most
from logscan.parsers.base import Line, iter_lines

BOMS = {
    Encoding.UTF8: b"",
    Encoding.UTF8_BOM: codecs.BOM_UTF8,
    Encoding.UTF16LE: codecs.BOM_UTF16_LE,
    Encoding.UTF16BE: codecs.BOM_UTF16_BE,
    Encoding.CP1252: b"",
}
CODECS = {
    Encoding.UTF8: "utf-8",
    Encoding.UTF8_BOM: "utf-8",
    Encoding.UTF16LE: "utf-16-le",
    Encoding.UTF16BE: "utf-16-be",
    Encoding.CP1252: "cp1252",
}

Expected = list[tuple[str, str]]  # (line text, line end)


def stream_of(raw: bytes, block_size: int = 1 << 22) -> TextStream:
    """A stream over in-memory bytes, encoding sniffed from the head as for a real file."""
    enc = detect_encoding(raw[: 1 << 16])
    return TextStream(
        "t.log", lambda: io.BytesIO(raw), enc, bom=has_bom(raw, enc), block_size=block_size
    )


def encode(lines: Expected, enc: Encoding, *, bom: bool = True) -> bytes:
    text = "".join(body + eol for body, eol in lines)
    return (BOMS[enc] if bom else b"") + text.encode(CODECS[enc], errors="surrogatepass")


def expected_offsets(lines: Expected, enc: Encoding, *, bom: bool = True) -> list[int]:
    offsets, at = [], len(BOMS[enc]) if bom else 0
    for body, eol in lines:
        offsets.append(at)
        at += len((body + eol).encode(CODECS[enc], errors="surrogatepass"))
    return offsets


def read_lines(stream: TextStream) -> list[Line]:
    return list(iter_lines(stream))


def check(lines: Expected, enc: Encoding, block_size: int, *, bom: bool = True) -> TextStream:
    raw = encode(lines, enc, bom=bom)
    stream = stream_of(raw, block_size=block_size)
    assert stream.encoding is enc
    got = read_lines(stream)
    assert [(stream.decode(g.text)[0], g.eol.decode()) for g in got] == lines
    assert [g.number for g in got] == list(range(1, len(lines) + 1))
    assert [stream.file_offset(g.pos) for g in got] == expected_offsets(lines, enc, bom=bom)
    return stream


# --- detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "enc"),
    [
        (b"plain ascii\r\n", Encoding.UTF8),
        ("caf\u00e9 \u20ac\r\n".encode(), Encoding.UTF8),
        (codecs.BOM_UTF8 + b"x\r\n", Encoding.UTF8_BOM),
        (codecs.BOM_UTF16_LE + "x\r\n".encode("utf-16-le"), Encoding.UTF16LE),
        (codecs.BOM_UTF16_BE + "x\r\n".encode("utf-16-be"), Encoding.UTF16BE),
        ("no bom here\r\n".encode("utf-16-le"), Encoding.UTF16LE),
        ("no bom here\r\n".encode("utf-16-be"), Encoding.UTF16BE),
        ("caf\u00e9 na\u00efve\r\n".encode("cp1252"), Encoding.CP1252),
        (b"\x80\x81 broken", Encoding.CP1252),
    ],
)
def test_detect_encoding(raw: bytes, enc: Encoding) -> None:
    assert detect_encoding(raw) is enc


def test_bom_wins_over_content() -> None:
    # A UTF-8 BOM followed by cp1252 bytes is still declared UTF-8 (decode falls back).
    assert detect_encoding(codecs.BOM_UTF8 + "\u00e9".encode("cp1252")) is Encoding.UTF8_BOM


def test_utf8_head_cut_inside_a_character_is_still_utf8() -> None:
    raw = ("x" * 10 + "\u20ac").encode()[:-1]  # last character cut by the head limit
    assert detect_encoding(raw) is Encoding.UTF8


def test_binary_and_nul_floods_are_not_taken_for_utf16() -> None:
    assert detect_encoding(bytes(4096)) is Encoding.UTF8  # NUL flood: NULs at both parities
    noise = bytes((i * 7919 + 13) % 251 for i in range(4096))
    assert not detect_encoding(noise).is_utf16


def test_has_bom() -> None:
    assert has_bom(codecs.BOM_UTF16_LE + b"x\x00", Encoding.UTF16LE)
    assert not has_bom(b"x\x00y\x00", Encoding.UTF16LE)
    assert not has_bom(b"x", Encoding.UTF8)


# --- offsets and line ends ---------------------------------------------------------------

SAMPLE: Expected = [
    ("<![LOG[caf\u00e9]LOG]!>", "\r\n"),
    ("bare LF", "\n"),
    ("bare CR \u20ac", "\r"),
    ("", "\r\n"),
    ("emoji \U0001f600 end", "\r\n"),
    ("last line without end", ""),
]


@pytest.mark.parametrize("enc", [Encoding.UTF8_BOM, Encoding.UTF16LE, Encoding.UTF16BE])
@pytest.mark.parametrize("block_size", [1, 2, 3, 5, 8, 64, 1 << 22])
def test_offsets_with_bom(enc: Encoding, block_size: int) -> None:
    check(SAMPLE, enc, block_size)


@pytest.mark.parametrize("block_size", [1, 3, 64])
def test_offsets_utf8_without_bom(block_size: int) -> None:
    check(SAMPLE, Encoding.UTF8, block_size, bom=False)


@pytest.mark.parametrize("enc", [Encoding.UTF16LE, Encoding.UTF16BE])
@pytest.mark.parametrize("block_size", [2, 7, 4096])
def test_offsets_bomless_utf16(enc: Encoding, block_size: int) -> None:
    lines = [(f"line {i} with ascii text", "\r\n") for i in range(20)] + [("z\u00e9", "\n")]
    check(lines, enc, block_size, bom=False)


@pytest.mark.parametrize("block_size", [1, 4, 64])
def test_offsets_cp1252(block_size: int) -> None:
    lines = [("caf\u00e9 \u20ac 5", "\r\n"), ("na\u00efve", "\r"), ("end", "")]
    check(lines, Encoding.CP1252, block_size, bom=False)


def test_crlf_split_across_blocks_is_one_line_end() -> None:
    lines: Expected = [("ab", "\r\n"), ("cd", "\r\n")]
    for block_size in range(1, 8):
        check(lines, Encoding.UTF8, block_size, bom=False)


def test_offset_of_every_ascii_position_and_every_non_ascii_run_start() -> None:
    text = "ab\u00e9\u00e9cd \U0001f600x \u20ac\r\nq"
    for enc in (Encoding.UTF16LE, Encoding.UTF16BE, Encoding.UTF8_BOM):
        raw = BOMS[enc] + text.encode(CODECS[enc])
        stream = stream_of(raw, block_size=3)
        b"".join(stream.blocks())
        logical = "utf-8"
        prev_ascii = True
        for i, ch in enumerate(text):
            if ch.isascii() or prev_ascii:
                pos = len(text[:i].encode(logical))
                want = len(BOMS[enc]) + len(text[:i].encode(CODECS[enc]))
                assert stream.file_offset(pos) == want, (enc, i, ch)
            prev_ascii = ch.isascii()


def split_reference(text: str) -> Expected:
    """Lines as CMTrace counts them: CRLF, LF and bare CR each end one line."""
    lines = [(m.group(1), m.group(2)) for m in re.finditer(r"([^\r\n]*)(\r\n|\r|\n)", text)]
    rest = re.sub(r"^.*[\r\n]", "", text, flags=re.DOTALL)
    return lines + ([(rest, "")] if rest else [])


_LINE_BODY = st.text(
    alphabet=st.sampled_from('aZ0 <>[]!="\t\u00e9\u00fc\u20ac\u4e2d\U0001f600'), max_size=12
)


@settings(max_examples=150, deadline=None)
@given(
    body=st.lists(st.tuples(_LINE_BODY, st.sampled_from(["\r\n", "\n", "\r"])), max_size=8),
    last=_LINE_BODY,
    enc=st.sampled_from([Encoding.UTF8_BOM, Encoding.UTF16LE, Encoding.UTF16BE]),
    block_size=st.integers(min_value=1, max_value=40),
)
def test_offsets_property(body: Expected, last: str, enc: Encoding, block_size: int) -> None:
    text = "".join(b + e for b, e in body) + last
    check(split_reference(text), enc, block_size)


# --- odd UTF-16 byte counts and unpaired surrogates -----------------------------------------


@pytest.mark.parametrize("enc", [Encoding.UTF16LE, Encoding.UTF16BE])
@pytest.mark.parametrize("block_size", [2, 3, 1 << 22])
def test_odd_utf16_byte_count(enc: Encoding, block_size: int) -> None:
    lines: Expected = [("first", "\r\n"), ("second", "\r\n")]
    raw = encode(lines, enc) + b"x"
    stream = stream_of(raw, block_size=block_size)
    got = read_lines(stream)
    assert stream.odd_tail
    assert [stream.decode(g.text)[0] for g in got] == ["first", "second", "\ufffd"]
    assert [stream.file_offset(g.pos) for g in got] == [2, 2 + 14, 2 + 30]


def test_even_utf16_has_no_odd_tail() -> None:
    stream = stream_of(encode([("x", "\r\n")], Encoding.UTF16LE))
    read_lines(stream)
    assert not stream.odd_tail


@pytest.mark.parametrize("enc", [Encoding.UTF16LE, Encoding.UTF16BE])
@pytest.mark.parametrize("block_size", [2, 4, 6, 1 << 22])
@pytest.mark.parametrize("lone", ["\ud800", "\udc00", "\udbff"])
def test_unpaired_surrogates_in_utf16(enc: Encoding, block_size: int, lone: str) -> None:
    lines = [(f"A{lone}B", "\r\n"), ("next", "\r\n"), (f"end{lone}", "")]
    raw = encode(lines, enc)
    stream = stream_of(raw, block_size=block_size)
    got = read_lines(stream)
    assert [stream.decode(g.text)[0] for g in got] == ["A\ufffdB", "next", "end\ufffd"]
    assert [stream.file_offset(g.pos) for g in got] == expected_offsets(lines, enc)


@pytest.mark.parametrize("block_size", [2, 4, 6, 8])
def test_surrogate_pair_split_across_blocks(block_size: int) -> None:
    lines: Expected = [("ab\U0001f600cd", "\r\n"), ("\U0001f600", "")]
    for enc in (Encoding.UTF16LE, Encoding.UTF16BE):
        check(lines, enc, block_size)


def test_unpaired_surrogate_in_utf8_bytes_falls_back_cleanly() -> None:
    # CESU-style surrogate bytes (ED A0 80) are not UTF-8: beyond the head the slice falls
    # back to cp1252 and is marked unclean; nothing raises.
    raw = b"x" * 70_000 + b"\r\nbad \xed\xa0\x80 here\r\nok\r\n"
    stream = stream_of(raw, block_size=4096)
    assert stream.encoding is Encoding.UTF8
    got = read_lines(stream)
    texts = [stream.decode(g.text) for g in got]
    assert texts[1] == ("bad \u00ed\u00a0\u20ac here", False)
    assert texts[2] == ("ok", True)
    assert stream.file_offset(got[2].pos) == raw.index(b"ok")


def test_invalid_utf8_in_head_means_cp1252() -> None:
    raw = b"ok\r\nbad \xff\xfe\xed\r\n"
    stream = stream_of(raw)
    assert stream.encoding is Encoding.CP1252
    got = read_lines(stream)
    assert stream.decode(got[1].text) == ("bad \u00ff\u00fe\u00ed", True)


def test_stream_reopens_read_only_per_blocks_call() -> None:
    opened: list[int] = []
    raw = b"abc\r\n"

    def opener() -> io.BytesIO:
        opened.append(1)
        return io.BytesIO(raw)

    stream = TextStream("t", opener, Encoding.UTF8, bom=False)
    assert b"".join(stream.blocks()) == raw
    assert b"".join(stream.blocks()) == raw
    assert len(opened) == 2


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 10_000])
@pytest.mark.parametrize("bom", [False, True])
def test_blocks_of_a_file_on_disk_are_its_bytes(tmp_path: Path, size: int, bom: bool) -> None:
    # Reads ask for no more than the file holds (``read_at_most``); whatever the size
    # against the block, every byte comes out once, in order.
    data = bytes(range(32, 127)) * (size // 95 + 1)
    path = tmp_path / "a.log"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data[:size])
    stream = TextStream(
        "a.log",
        FileOpener(str(path)),
        Encoding.UTF8_BOM if bom else Encoding.UTF8,
        bom=bom,
        block_size=4096,
    )
    blocks = list(stream.blocks())
    assert b"".join(blocks) == data[:size]
    assert all(0 < len(b) <= 4096 for b in blocks)


def test_a_file_growing_while_read_is_read_to_its_new_end(tmp_path: Path) -> None:
    path = tmp_path / "a.log"
    path.write_bytes(b"x" * 5000)
    stream = TextStream("a.log", FileOpener(str(path)), Encoding.UTF8, bom=False, block_size=4096)
    blocks = stream.blocks()
    first = next(blocks)
    with path.open("ab") as fh:
        fh.write(b"y" * 3000)  # appended after the size was taken
    assert first + b"".join(blocks) == b"x" * 5000 + b"y" * 3000


def test_blocks_of_a_stream_without_a_file_are_all_read() -> None:
    data = b"z" * 10_000
    stream = TextStream("m", lambda: io.BytesIO(data), Encoding.UTF8, bom=False, block_size=4096)
    assert b"".join(stream.blocks()) == data


def test_read_at_most_stops_at_the_cap_and_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"a" * 1000)
    with path.open("rb") as fh:
        assert read_at_most(fh, 301) == b"a" * 301  # a cap check reads one byte past it
        assert read_at_most(fh, 10_000) == b"a" * 699  # then what is left, no more
        assert read_at_most(fh, 10) == b""
    assert read_at_most(io.BytesIO(b"b" * 50), 20) == b"b" * 20  # no file behind it
