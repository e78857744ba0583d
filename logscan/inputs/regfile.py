"""Reader for ``reg export`` / regedit files (REGEDIT5 UTF-16LE and REGEDIT4 ANSI).

The file is decoded block by block and parsed line by line, so memory stays flat however
large the export; callers that want only a few keys pass ``wanted`` and the values of every
other key are skipped unparsed. Continuation lines (``\\`` at the end) are joined before a
value is parsed, because element headers in certificate blobs routinely straddle them.

Values keep the bytes the registry would hold (``raw``): strings as UTF-16LE with their
terminator, REGEDIT4 ``hex(2)``/``hex(7)`` data converted from ANSI to UTF-16LE. Content
problems become located ``ParseWarning``s; only a file that is not a registry export at all
raises ``InputError``. ``format_reg_file`` (from ``regwrite``) is the inverse.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import BinaryIO

from logscan.errors import InputError, SourceLocation
from logscan.inputs._regvalue import RegKey, RegType, RegValue, ValueParser
from logscan.inputs.regwrite import format_reg_file
from logscan.inputs.stream import read_at_most
from logscan.model import ParseWarning, WarningCode

__all__ = [
    "RegEncoding",
    "RegFile",
    "RegKey",
    "RegReader",
    "RegType",
    "RegValue",
    "RegVersion",
    "format_reg_file",
    "read_reg_file",
    "read_reg_path",
]

HEADER_V5 = "Windows Registry Editor Version 5.00"
HEADER_V4 = "REGEDIT4"
ROOTS = frozenset(
    {
        "HKEY_LOCAL_MACHINE",
        "HKEY_CURRENT_USER",
        "HKEY_CLASSES_ROOT",
        "HKEY_USERS",
        "HKEY_CURRENT_CONFIG",
        "HKEY_DYN_DATA",
        "HKEY_PERFORMANCE_DATA",
    }
)
_BLOCK = 1 << 20
_NEW_ENTRY = ("[", '"', "@", ";")  # what a continuation line can never start with


class RegVersion(IntEnum):
    """Export format named by the first line."""

    V4 = 4  # "REGEDIT4", ANSI
    V5 = 5  # "Windows Registry Editor Version 5.00", UTF-16LE with BOM


class RegEncoding(StrEnum):
    """How the file's bytes were decoded."""

    UTF16LE = "utf-16-le"
    UTF16BE = "utf-16-be"
    UTF8 = "utf-8"
    CP1252 = "cp1252"


@dataclass(frozen=True, slots=True)
class RegFile:
    """A parsed export: its keys in file order and every anomaly met on the way."""

    source: str
    version: RegVersion
    encoding: RegEncoding
    keys: tuple[RegKey, ...]
    warnings: tuple[ParseWarning, ...]

    def key(self, path: str) -> RegKey | None:
        """The last section for ``path`` (case-insensitive); regedit merges repeats, so do we."""
        folded = path.casefold()
        found = [k for k in self.keys if k.path.casefold() == folded and not k.deleted]
        if not found:
            return None
        merged: dict[str, RegValue] = {}
        for k in found:
            for val in k.values:
                merged[val.name.casefold()] = val
        return RegKey(found[0].path, found[0].line, tuple(merged.values()))


def _sniff_encoding(head: bytes) -> tuple[RegEncoding, int]:
    """Encoding and BOM length of a .reg file, from its first bytes."""
    if head.startswith(codecs.BOM_UTF16_LE):
        return RegEncoding.UTF16LE, 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return RegEncoding.UTF16BE, 2
    if head.startswith(codecs.BOM_UTF8):
        return RegEncoding.UTF8, 3
    sample = head[:512]
    if len(sample) >= 4 and sample[1::2].count(0) > 0.4 * (len(sample) // 2):
        return RegEncoding.UTF16LE, 0
    if len(sample) >= 4 and sample[0::2].count(0) > 0.4 * (len(sample) // 2):
        return RegEncoding.UTF16BE, 0
    return RegEncoding.CP1252, 0


class RegReader:
    """Streaming parser over one open export; iterate ``iter_keys()`` once.

    ``version``/``encoding`` are known once iteration has started; ``warnings`` fills as
    the file is read. ``wanted(path)`` returning False skips that key's values cheaply.
    """

    def __init__(
        self,
        source: str,
        fh: BinaryIO,
        wanted: Callable[[str], bool] | None = None,
    ) -> None:
        self.source = source
        self._fh = fh
        self._wanted = wanted
        self.version = RegVersion.V5
        self.encoding = RegEncoding.UTF16LE
        self.warnings: list[ParseWarning] = []

    def _warn(self, line: int, offset: int, code: WarningCode, message: str) -> None:
        self.warnings.append(ParseWarning(self.source, line, offset, code, message))

    def _lines(self) -> Iterator[tuple[int, int, str]]:
        """(line number, byte offset, text without line ending) for every physical line."""
        head = read_at_most(self._fh, _BLOCK)
        self.encoding, bom = _sniff_encoding(head)
        decoder = codecs.getincrementaldecoder(self.encoding.value)("replace")
        unit = 2 if self.encoding in (RegEncoding.UTF16LE, RegEncoding.UTF16BE) else 1
        offset, number, pending = bom, 0, ""
        chunk = head[bom:]
        total = len(head)
        while True:
            final = not chunk
            text = pending + decoder.decode(chunk, final=final)
            parts = text.split("\n")
            pending = "" if final else parts.pop()
            for part in parts:
                number += 1
                yield number, offset, part.removesuffix("\r")
                offset += _byte_len(part, unit, self.encoding) + unit
            if final:
                break
            chunk = read_at_most(self._fh, _BLOCK)
            total += len(chunk)
        if unit == 2 and total % 2:
            self._warn(
                number, offset, WarningCode.ODD_UTF16_LENGTH, "odd byte count in a UTF-16 file"
            )

    def _logical(self) -> Iterator[tuple[int, int, str]]:
        """Physical lines with ``\\``-continuations joined (line/offset of the first part)."""
        parts: list[str] = []
        start = (0, 0)
        for number, offset, text in self._lines():
            if parts and text.lstrip().startswith(_NEW_ENTRY):
                # reg export indents continuations; a new key or value means the '\\' dangled.
                self._warn(
                    start[0],
                    start[1],
                    WarningCode.BAD_VALUE,
                    f"line ends with '\\' but line {number} starts a new entry",
                )
                yield start[0], start[1], "".join(parts)
                parts = []
            if not parts:
                start = (number, offset)
                stripped = text.rstrip()
                if stripped.startswith(("[", ";")) or not stripped.endswith("\\"):
                    yield number, offset, text
                    continue
                parts.append(stripped[:-1])
                continue
            piece = text.strip()
            if piece.endswith("\\"):
                parts.append(piece[:-1])
                continue
            parts.append(piece)
            yield start[0], start[1], "".join(parts)
            parts = []
        if parts:
            self._warn(
                start[0], start[1], WarningCode.BAD_VALUE, "file ends inside a continued line"
            )
            yield start[0], start[1], "".join(parts)

    def _header(self, number: int, offset: int, text: str) -> None:
        line = text.lstrip("\ufeff").strip()
        if line == HEADER_V5:
            self.version = RegVersion.V5
        elif line == HEADER_V4:
            self.version = RegVersion.V4
        else:
            raise InputError(
                f"not a registry export: first line is {line[:60]!r}, expected "
                f"{HEADER_V5!r} or {HEADER_V4!r} (export with 'reg export' or regedit)",
                SourceLocation(self.source, line=number, offset=offset),
            )
        expected = RegEncoding.UTF16LE if self.version is RegVersion.V5 else RegEncoding.CP1252
        if self.encoding is not expected or (self.version is RegVersion.V5 and offset == 0):
            if self.encoding is RegEncoding.CP1252:
                how = "ANSI (cp1252)"
            else:
                how = f"{self.encoding.value}{'' if offset else ' without BOM'}"
            self._warn(
                number,
                offset,
                WarningCode.WRONG_ENCODING,
                f"{'REGEDIT5' if self.version is RegVersion.V5 else 'REGEDIT4'} file encoded "
                f"as {how}; reg export writes "
                f"{'UTF-16LE with BOM' if self.version is RegVersion.V5 else 'ANSI'}"
                " (read anyway)",
            )

    def iter_keys(self) -> Iterator[RegKey]:
        values: ValueParser | None = None
        current: tuple[str, int, bool] | None = None
        collected: list[RegValue] = []
        keep = True
        header_seen = False
        for number, offset, text in self._logical():
            if not header_seen:
                if not text.strip():
                    continue
                self._header(number, offset, text)
                values = ValueParser(self.source, self.version, self._warn)
                header_seen = True
                continue
            assert values is not None
            line = text.strip()
            if not line or line.startswith(";"):
                continue
            if line.startswith("["):
                if current is not None:
                    yield RegKey(current[0], current[1], tuple(collected), current[2])
                current = self._key_line(number, offset, line)
                collected = []
                keep = current is not None and (self._wanted is None or self._wanted(current[0]))
                continue
            if current is None:
                self._warn(number, offset, WarningCode.STRAY_TEXT, "value before any [key] line")
                continue
            if not keep:
                continue
            parsed = values.parse(number, offset, line)
            if parsed is not None:
                if current[2]:
                    self._warn(number, offset, WarningCode.BAD_VALUE, "value under a deleted key")
                collected.append(parsed)
        if not header_seen:
            raise InputError(
                "empty file: not a registry export", SourceLocation(self.source, line=1, offset=0)
            )
        if current is not None:
            yield RegKey(current[0], current[1], tuple(collected), current[2])

    def _key_line(self, number: int, offset: int, line: str) -> tuple[str, int, bool] | None:
        if not line.endswith("]"):
            self._warn(number, offset, WarningCode.BAD_KEY, f"key line without ']': {line[:80]!r}")
            return None
        deleted = line.startswith("[-")
        path = line[2:-1] if deleted else line[1:-1]
        root = path.split("\\", 1)[0]
        if root.upper() not in ROOTS:
            self._warn(
                number,
                offset,
                WarningCode.BAD_KEY,
                f"key {path[:80]!r} does not start with a HKEY_... root (read anyway)",
            )
        return path, number, deleted


def _byte_len(text: str, unit: int, encoding: RegEncoding) -> int:
    """Bytes ``text`` took in the file (exact unless decoding replaced bad bytes)."""
    if unit == 2:
        extra = 0 if text.isascii() else sum(1 for c in text if ord(c) > 0xFFFF)
        return 2 * (len(text) + extra)
    if encoding is RegEncoding.UTF8 and not text.isascii():
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text)


def read_reg_stream(
    source: str, fh: BinaryIO, wanted: Callable[[str], bool] | None = None
) -> RegFile:
    """Parse an open export completely; see ``RegReader`` for ``wanted``."""
    reader = RegReader(source, fh, wanted)
    keys = tuple(reader.iter_keys())
    return RegFile(source, reader.version, reader.encoding, keys, tuple(reader.warnings))


def read_reg_file(source: str, raw: bytes, wanted: Callable[[str], bool] | None = None) -> RegFile:
    """Parse an export held in memory; ``source`` is the name warnings cite."""
    import io

    return read_reg_stream(source, io.BytesIO(raw), wanted)


def read_reg_path(
    path: str | Path, wanted: Callable[[str], bool] | None = None, display: str | None = None
) -> RegFile:
    """Parse an export on disk (opened read-only, streamed)."""
    name = display or str(path)
    try:
        with open(path, "rb") as fh:
            return read_reg_stream(name, fh, wanted)
    except OSError as exc:
        raise InputError(
            f"cannot read registry export: {exc.strerror or exc}", SourceLocation(name)
        ) from exc


def iter_values(keys: Iterable[RegKey], name: str) -> Iterator[tuple[RegKey, RegValue]]:
    """Every (key, value) pair whose value is called ``name`` (case-insensitive)."""
    for key in keys:
        val = key.value(name)
        if val is not None:
            yield key, val
