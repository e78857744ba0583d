"""Writer for ``.reg`` files that lays out bytes exactly as ``reg export`` does.

Used for test fixtures and backups, so a value written here and read back by
``logscan.inputs.regfile`` gives the same bytes. Layout (Wine ``programs/reg/export.c``,
confirmed on a real Windows export): header line, then per key an empty line and
``[path]``; hex data as lower-case ``xx,`` pairs wrapped with ``\\`` + CRLF + two spaces
once the running line length reaches 77 (22 bytes on a ``"Blob"=hex:`` first line, 25 on
each continuation); a final empty line. A string value whose stored bytes would not
survive the quoted form (embedded NUL, missing terminator, line breaks) is written as
``hex(1):`` instead, so nothing is lost.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from logscan.inputs._regvalue import RegKey, RegType, RegValue

_MAX_HEX_CHARS = 77
_CONTINUE = "\\\r\n  "


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _name_part(value: RegValue) -> str:
    # Line breaks in a name would end the line; Wine's reg escapes them as \n / \r.
    name = _escape(value.name).replace("\n", "\\n").replace("\r", "\\r")
    return f'"{name}"=' if value.name else "@="


def _quoted_text(raw: bytes) -> str | None:
    """The text of a REG_SZ if the quoted form round-trips exactly, else None."""
    if len(raw) < 2 or len(raw) % 2 or raw[-2:] != b"\0\0":
        return None
    text = raw[:-2].decode("utf-16-le", "surrogatepass")
    if "\0" in text or "\r" in text or "\n" in text:
        return None
    return text


def _hex_lines(prefix_len: int, data: bytes) -> str:
    """Comma-separated hex wrapped as reg export does; ``prefix_len`` = chars already written.

    reg export adds 3 to a running length per ``xx,`` and wraps once it reaches 77, so the
    first line holds ``ceil((77 - prefix_len) / 3)`` bytes (at least one) and every
    continuation (which starts at length 2) holds 25.
    """
    first = max(1, -(-(_MAX_HEX_CHARS - prefix_len) // 3))
    per_line = -(-(_MAX_HEX_CHARS - 2) // 3)
    chunks = [data[:first]]
    chunks.extend(data[i : i + per_line] for i in range(first, len(data), per_line))
    return ("," + _CONTINUE).join(chunk.hex(",") for chunk in chunks if chunk)


def format_value(value: RegValue, version: int = 5) -> str:
    """One value line (possibly wrapped), without the final line break."""
    name = _name_part(value)
    if value.deleted:
        return f"{name}-"
    if value.type is RegType.SZ:
        text = _quoted_text(value.raw)
        if text is not None and (version == 5 or _cp1252_safe(text)):
            return f'{name}"{_escape(text)}"'
    if value.type is RegType.DWORD and len(value.raw) == 4:
        return f"{name}dword:{struct.unpack('<I', value.raw)[0]:08x}"
    data = value.raw
    if version == 4 and value.type in (RegType.EXPAND_SZ, RegType.MULTI_SZ):
        data = data.decode("utf-16-le", "replace").encode("cp1252", "replace")
    kind = "hex:" if value.type_id == RegType.BINARY else f"hex({value.type_id:x}):"
    prefix = name + kind
    return prefix + _hex_lines(len(prefix), data)


def _cp1252_safe(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def format_reg_file(keys: Iterable[RegKey], version: int = 5) -> bytes:
    """A complete export: REGEDIT5 as UTF-16LE with BOM, REGEDIT4 as cp1252; CRLF lines."""
    if version not in (4, 5):
        raise ValueError(f"version must be 4 or 5, not {version}")
    parts = ["Windows Registry Editor Version 5.00" if version == 5 else "REGEDIT4", "\r\n"]
    for key in keys:
        parts.append(f"\r\n[{'-' if key.deleted else ''}{key.path}]\r\n")
        for value in key.values:
            parts.append(format_value(value, version))
            parts.append("\r\n")
    parts.append("\r\n")
    text = "".join(parts)
    if version == 5:
        return b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass")
    return text.encode("cp1252", "replace")
