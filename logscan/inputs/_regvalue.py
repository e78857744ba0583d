"""Registry value types, the RegValue/RegKey dataclasses, and the parser for one value line.

Split from ``regfile`` so the line grammar (names, escapes, ``hex(N):`` data) sits in one
place shared by the reader and, for its inverse, the writer.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from logscan.model import WarningCode


class RegType(IntEnum):
    """Registry value types as numbered by Windows; OTHER holds any unknown number."""

    OTHER = -1
    NONE = 0
    SZ = 1
    EXPAND_SZ = 2
    BINARY = 3
    DWORD = 4
    DWORD_BIG_ENDIAN = 5
    LINK = 6
    MULTI_SZ = 7
    RESOURCE_LIST = 8
    FULL_RESOURCE_DESCRIPTOR = 9
    RESOURCE_REQUIREMENTS_LIST = 10
    QWORD = 11

    @classmethod
    def of(cls, type_id: int) -> RegType:
        try:
            return cls(type_id)
        except ValueError:
            return cls.OTHER


_TEXT_TYPES = (RegType.SZ, RegType.EXPAND_SZ, RegType.LINK)


@dataclass(frozen=True, slots=True)
class RegValue:
    """One value as the registry stores it.

    ``raw`` is the stored data (strings UTF-16LE with terminator); ``type_id`` is the
    numeric type, equal to ``type`` unless ``type`` is OTHER; ``name`` ``""`` is the
    default value (``@``). ``deleted`` marks ``"name"=-`` (a request to delete).
    """

    name: str
    type: RegType
    raw: bytes
    line: int
    type_id: int = -1
    deleted: bool = False

    def __post_init__(self) -> None:
        if self.type_id == -1 and self.type is not RegType.OTHER:
            object.__setattr__(self, "type_id", int(self.type))

    def as_str(self) -> str:
        """The text of a string value up to its terminator (embedded NULs kept)."""
        text = self.raw[: len(self.raw) - len(self.raw) % 2].decode("utf-16-le", "replace")
        return text.removesuffix("\0") if self.type in _TEXT_TYPES else text.rstrip("\0")

    def as_int(self) -> int:
        """DWORD, big-endian DWORD or QWORD as an int; ValueError for other types/sizes."""
        if self.type is RegType.DWORD and len(self.raw) == 4:
            return int(struct.unpack("<I", self.raw)[0])
        if self.type is RegType.DWORD_BIG_ENDIAN and len(self.raw) == 4:
            return int(struct.unpack(">I", self.raw)[0])
        if self.type is RegType.QWORD and len(self.raw) == 8:
            return int(struct.unpack("<Q", self.raw)[0])
        raise ValueError(f"value {self.name!r} is {self.type.name} of {len(self.raw)} bytes")

    def as_multi(self) -> tuple[str, ...]:
        """The strings of a REG_MULTI_SZ (list ends at the empty string / double NUL)."""
        text = self.raw[: len(self.raw) - len(self.raw) % 2].decode("utf-16-le", "replace")
        out: list[str] = []
        for item in text.split("\0"):
            if not item:
                break
            out.append(item)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class RegKey:
    """One ``[path]`` section; ``deleted`` for ``[-path]`` (a request to delete the key)."""

    path: str
    line: int
    values: tuple[RegValue, ...] = ()
    deleted: bool = False

    def value(self, name: str) -> RegValue | None:
        """The value called ``name`` (case-insensitive, as in the registry); ``""`` = default."""
        folded = name.casefold()
        for val in self.values:
            if val.name.casefold() == folded:
                return val
        return None


Warn = Callable[[int, int, WarningCode, str], None]
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "r": "\r"}


def _unquote(text: str, start: int) -> tuple[str, int, str | None]:
    """Read a quoted string whose opening quote is at ``start``.

    Returns (value, index after the closing quote or -1 if unterminated, first odd escape).
    """
    out: list[str] = []
    i = start + 1
    odd: str | None = None
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            return "".join(out), i + 1, odd
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            mapped = _ESCAPES.get(nxt)
            if mapped is None:
                odd = odd or f"\\{nxt}"
                out.append(ch)
                i += 1
                continue
            out.append(mapped)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out), -1, odd


def parse_hex(data: str) -> bytes | None:
    """``aa,bb,cc`` (whitespace ignored, trailing comma allowed) as bytes; None if malformed."""
    cleaned = "".join(data.split())
    if cleaned.endswith(","):
        cleaned = cleaned[:-1]
    if not cleaned:
        return b""
    count = (len(cleaned) + 1) // 3
    if len(cleaned) != 3 * count - 1 or cleaned[2::3] != "," * (count - 1):
        return None
    try:
        return bytes.fromhex(cleaned.replace(",", " "))
    except ValueError:
        return None


class ValueParser:
    """Parses value lines of one file; REGEDIT4 text data is converted from ANSI."""

    def __init__(self, source: str, version: int, warn: Warn) -> None:
        self.source = source
        self.ansi = version == 4
        self._warn = warn

    def _text_bytes(self, text: str) -> bytes:
        return text.encode("utf-16-le", "surrogatepass") + b"\0\0"

    def parse(self, number: int, offset: int, line: str) -> RegValue | None:
        """One joined value line, or None (with a warning) if it cannot be read."""
        if line.startswith("@"):
            name, rest = "", line[1:].lstrip()
        elif line.startswith('"'):
            name, end, odd = _unquote(line, 0)
            if end < 0:
                self._warn(number, offset, WarningCode.BAD_VALUE, "unterminated value name")
                return None
            if odd:
                self._warn(number, offset, WarningCode.BAD_VALUE, f"unknown escape {odd} in name")
            rest = line[end:].lstrip()
        else:
            self._warn(number, offset, WarningCode.STRAY_TEXT, f"not a value line: {line[:80]!r}")
            return None
        shown = name or "@"
        if not rest.startswith("="):
            self._warn(number, offset, WarningCode.BAD_VALUE, f"value {shown!r} has no '='")
            return None
        data = rest[1:].strip()
        if data == "-":
            return RegValue(name, RegType.NONE, b"", number, deleted=True)
        if data.startswith('"'):
            text, end, odd = _unquote(data, 0)
            if end < 0:
                self._warn(number, offset, WarningCode.BAD_VALUE, f"unterminated string {shown!r}")
                return None
            if odd:
                self._warn(
                    number, offset, WarningCode.BAD_VALUE, f"unknown escape {odd} in {shown!r}"
                )
            if data[end:].strip():
                self._warn(number, offset, WarningCode.BAD_VALUE, f"text after string {shown!r}")
            return RegValue(name, RegType.SZ, self._text_bytes(text), number)
        lowered = data[:16].lower()
        if lowered.startswith("dword:"):
            digits = data[6:].strip()
            if not 1 <= len(digits) <= 8 or not all(c in "0123456789abcdefABCDEF" for c in digits):
                self._warn(
                    number, offset, WarningCode.BAD_VALUE, f"bad dword {data[:30]!r} in {shown!r}"
                )
                return None
            return RegValue(name, RegType.DWORD, struct.pack("<I", int(digits, 16)), number)
        return self._hex(number, offset, name, data)

    def _hex(self, number: int, offset: int, name: str, data: str) -> RegValue | None:
        shown = name or "@"
        lowered = data[:16].lower()
        if lowered.startswith("hex:"):
            type_id, body = int(RegType.BINARY), data[4:]
        elif lowered.startswith("hex(") and ")" in lowered and "):" in data[:16]:
            close = data.index(")")
            try:
                type_id = int(data[4:close], 16)
            except ValueError:
                self._warn(number, offset, WarningCode.BAD_VALUE, f"bad type in {shown!r}")
                return None
            body = data[close + 2 :]
        else:
            self._warn(
                number, offset, WarningCode.BAD_VALUE, f"unknown data {data[:30]!r} in {shown!r}"
            )
            return None
        raw = parse_hex(body)
        if raw is None:
            self._warn(
                number,
                offset,
                WarningCode.BAD_VALUE,
                f"malformed hex data in {shown!r} (value skipped)",
            )
            return None
        kind = RegType.of(type_id)
        if kind is RegType.OTHER:
            self._warn(
                number, offset, WarningCode.BAD_VALUE, f"unknown type 0x{type_id:x} in {shown!r}"
            )
        if self.ansi and kind in (RegType.EXPAND_SZ, RegType.MULTI_SZ):
            # REGEDIT4 stores these as ANSI bytes; the registry holds UTF-16LE.
            raw = raw.decode("cp1252", "replace").encode("utf-16-le", "surrogatepass")
        return RegValue(name, kind, raw, number, type_id=type_id)
