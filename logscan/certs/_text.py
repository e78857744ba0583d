"""Decoding of text evidence files (JSON, certutil output) as Windows tools write them.

Windows PowerShell's ``>`` and ``Out-File`` write UTF-16LE with a BOM, ``cmd >`` writes the
OEM/ANSI code page, PowerShell 7 writes UTF-8: take a BOM first, then strict UTF-8, then
cp1252.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from logscan.errors import InputError, SourceLocation

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(raw: bytes) -> str:
    """Text of an evidence file; undecodable bytes become U+FFFD (never raises)."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return raw.decode(codec, "replace")
    sample = raw[:512]
    if len(sample) >= 4 and sample[1::2].count(0) > 0.4 * (len(sample) // 2):
        return raw.decode("utf-16-le", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def read_text(path: Path, display: str, what: str) -> str:
    """Read and decode a text evidence file; ``InputError`` naming it if unreadable."""
    try:
        return decode_text(path.read_bytes())
    except OSError as exc:
        raise InputError(
            f"cannot read {what}: {exc.strerror or exc}", SourceLocation(display)
        ) from exc


def line_of(text: str, needle: str) -> int | None:
    """1-based line of the first occurrence of ``needle`` (case-insensitive), if any."""
    pos = text.casefold().find(needle.casefold())
    return None if pos < 0 else text.count("\n", 0, pos) + 1
