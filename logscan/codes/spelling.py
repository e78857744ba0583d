"""Turn one written code into its unsigned 32-bit value: ``normalize("80092024") == 0x80092024``.

Rule files write ``code: 0x80092024`` and must match every spelling a log uses; the CLI
accepts what a user pastes. Accepted, with optional surrounding parentheses:

    0x80092024  0X80092024  0x(80092024)  80092024  2148081700  -2146885596  38  0x26
    CRYPT_E_NOT_CHAR_STRING (a name in logscan's table)
    Error: 80092024; Source: Windows (any text holding exactly one code)

Exactly eight digits are read as hex (that is how OSD writes HRESULTs without ``0x``);
any other run of digits is decimal. An ``int`` is taken as the value itself, so a YAML
loader must keep an unquoted ``80092024`` as text: YAML would read it as decimal.
"""

from __future__ import annotations

import re

from logscan.codes.extraction import extract
from logscan.codes.hresult import MASK32
from logscan.codes.lookup import by_name

_HEX = re.compile(r"0x\(?([0-9a-f]{1,8})\)?|([0-9a-f]{8})", re.IGNORECASE)
_DEC = re.compile(r"[+-]?\d{1,10}")


def normalize(spelling: str | int) -> int | None:
    """The unsigned 32-bit value of one code spelling, or None when it is not one."""
    if isinstance(spelling, bool):
        return None  # bool is an int subclass, never a code
    if isinstance(spelling, int):
        return spelling & MASK32 if -(1 << 31) <= spelling <= MASK32 else None
    text = spelling.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if not text:
        return None
    hex_match = _HEX.fullmatch(text)
    if hex_match:
        return int(hex_match[1] or hex_match[2], 16)
    if _DEC.fullmatch(text):
        number = int(text)
        return number & MASK32 if -(1 << 31) <= number <= MASK32 else None
    named = by_name(text)
    if named is not None:
        return named.code
    values = {mention.code for mention in extract(text)}
    return values.pop() if len(values) == 1 else None
