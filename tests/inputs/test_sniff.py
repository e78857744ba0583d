"""Head decoding and the text-versus-binary test."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from logscan.inputs.sniff import decode_head, looks_binary

PE_HEAD = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00"
    b"\x00\x00\x00\x00@\x00\x00\x00" + bytes(32) + b"\x0e\x1f\xba\x0e\x00\xb4\t\xcd!\xb8\x01L"
    b"\xcd!This program cannot be run in DOS mode.\r\r\n$" + bytes(7) + b"PE\x00\x00L\x01\x05\x00"
)


@pytest.mark.parametrize(
    ("head", "text"),
    [
        (b"\xef\xbb\xbfplain", "plain"),
        ("caf\u00e9".encode(), "caf\u00e9"),
        ("x\u20ac".encode()[:-1], "x"),  # character cut by the head limit
        (b"ANSI caf\xe9 in a UTF-8 log", "ANSI caf\u00e9 in a UTF-8 log"),
        (b"\xef\xbb\xbfok \xe9 here", "ok \u00e9 here"),
        (b"\xff\xfe" + "w\u00e9".encode("utf-16-le") + b"!", "w\u00e9"),  # odd tail left out
        ("bom-less".encode("utf-16-be"), "bom-less"),
    ],
)
def test_decode_head(head: bytes, text: str) -> None:
    assert decode_head(head) == text


@pytest.mark.parametrize(
    "head",
    [
        PE_HEAD,
        zlib.compress(b"".join(b"record %d\r\n" % i for i in range(3000)), 9),
        bytes((i * 7919 + 13) % 251 for i in range(4096)),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
        b"\x5c\x72\xa8\x66\x00\x00\x00\x04sBIT\x08\x08\x08\x08\x7c\x08\x64\x88",
    ],
)
def test_binary_heads(head: bytes) -> None:
    assert looks_binary(decode_head(head))


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"short\x01\x02",  # too short to judge
        b'\xef\xbb\xbf<![LOG[x]LOG]!><time="1:2:3.4+0">\r\n' * 50,
        b"\x1b[31mred console output\x1b[0m\r\n" * 20,
        b"text then a flood" + bytes(60_000),
        bytes(60_000),
        "UTF-16 text \u00e9\r\n".encode("utf-16-le") * 100,
        b"caf\xe9 \x80 \x93quoted\x94 cp1252 text\r\n" * 30,
        "\u4e2d\u6587 \u65e5\u672c\u8a9e\r\n".encode() * 30,
    ],
)
def test_text_heads(head: bytes) -> None:
    assert not looks_binary(decode_head(head))


def test_real_logs_are_text(real_logs: Path) -> None:
    for path in sorted(real_logs.glob("*.lo*")):
        assert not looks_binary(decode_head(path.read_bytes()[: 1 << 16])), path.name
