"""Decoding of captured tool output (systeminfo, wmic, manifests) into numbered lines.

Windows tools write in whatever the redirection gives them: wmic writes UTF-16LE (with a
BOM when redirected by cmd.exe), systeminfo and cmd write the OEM code page, hand-made
copies are UTF-8. Lines are split on LF only, so wmic's ``CR CR LF`` endings count as one
line, as a reader of the file would count them.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from logscan.inputs.stream import Encoding, detect_encoding, has_bom
from logscan.model import ParseWarning, WarningCode

# systeminfo and echo write the console (OEM) code page; 850 covers the Western European
# letters in localized labels, and every byte decodes, so nothing is ever lost.
_OEM = "cp850"


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of decoded text with its 1-based number and byte offset in the file."""

    number: int
    offset: int
    text: str


@dataclass(frozen=True, slots=True)
class DecodedText:
    source: str
    encoding: str
    lines: tuple[TextLine, ...]
    warnings: tuple[ParseWarning, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _codec(raw: bytes) -> tuple[str, int, bool]:
    """(codec, BOM length, whether UTF-16 was recognised without a BOM)."""
    enc = detect_encoding(raw[: 1 << 16])
    bom = enc.bom_length if has_bom(raw, enc) else 0
    if enc is Encoding.UTF8_BOM:
        return "utf-8", bom, False
    if enc.is_utf16:
        return enc.value, bom, bom == 0
    if enc is Encoding.CP1252:
        return _OEM, 0, False
    return "utf-8", 0, False


def decode_lines(source: str, raw: bytes) -> DecodedText:
    """Decode ``raw`` and split it into lines, warning (with location) about odd encodings."""
    warnings: list[ParseWarning] = []
    if not raw.strip(b"\x00 \t\r\n\xff\xfe\xef\xbb\xbf"):
        warnings.append(ParseWarning(source, 1, 0, WarningCode.EMPTY_FILE, "file is empty"))
        return DecodedText(source, "utf-8", (), tuple(warnings))
    codec, bom, no_bom_utf16 = _codec(raw)
    unit = 2 if codec.startswith("utf-16") else 1
    body = raw[bom:]
    if no_bom_utf16:
        warnings.append(
            ParseWarning(
                source,
                1,
                0,
                WarningCode.WRONG_ENCODING,
                f"{codec.upper()} without a byte-order mark (read anyway)",
            )
        )
    if unit == 2 and len(body) % 2:
        warnings.append(
            ParseWarning(
                source,
                1,
                len(raw) - 1,
                WarningCode.ODD_UTF16_LENGTH,
                "odd byte count in a UTF-16 file: the last byte is ignored (file cut short?)",
            )
        )
        body = body[:-1]
    text = codecs.decode(body, codec, errors="replace")
    lines: list[TextLine] = []
    offset = bom
    for number, part in enumerate(text.split("\n"), start=1):
        lines.append(TextLine(number, offset, part.rstrip("\r")))
        offset += len(part.encode(codec, errors="replace")) + unit
    if unit == 1 and "\x00" in text:
        first = next(line for line in lines if "\x00" in line.text)
        warnings.append(
            ParseWarning(
                source,
                first.number,
                first.offset,
                WarningCode.NUL_BYTES,
                "NUL bytes in 8-bit text (garbled or mixed-encoding copy); they are ignored",
            )
        )
        lines = [TextLine(n.number, n.offset, n.text.replace("\x00", "")) for n in lines]
    return DecodedText(source, codec, tuple(lines), tuple(warnings))
