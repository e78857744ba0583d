"""Head sniffing helpers: decode a file head to text and tell text from binary garbage.

Discovery (which files are logs, which kind) and the reader (which format, is this
binary) both look at the first bytes of a file; they share these two helpers so they
agree on what a head says.
"""

from __future__ import annotations

import codecs

from logscan.inputs.stream import Encoding, detect_encoding, has_bom

# C0 controls that never occur in a text log. Tab, LF, VT, FF, CR and ESC do occur
# (ESC in console captures); NUL is judged separately, as a flood rather than garbage.
# U+FFFD does not count: a few unpaired surrogates do not make a UTF-16 log binary.
# Counted by deleting them from the UTF-8 form (each is one byte there and no multi-byte
# sequence holds a byte below 0x80): several times faster than a regex over a 64 KiB
# head, which every file of a batch pays twice.
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])

# Share of suspicious characters above which a head is binary. Random bytes score about
# 0.12 as cp1252; real logs score 0 (even UTF-8 misread as cp1252 adds no controls).
_BINARY_SHARE = 0.05
_MIN_SAMPLE = 16


def decode_head(head: bytes) -> str:
    """The head as text, decoded as ``TextStream.decode`` would, never failing.

    A character cut by the end of the head is left out. A UTF-8 head with stray 8-bit
    bytes reads as cp1252 (an ANSI writer in a UTF-8 log), not as replacement characters,
    so a few such bytes never make text look binary.
    """
    enc = detect_encoding(head)
    raw = head[enc.bom_length :] if has_bom(head, enc) else head
    codec = "utf-8" if enc is Encoding.UTF8_BOM else enc.value
    if codec == "utf-8":
        try:
            return codecs.getincrementaldecoder(codec)("strict").decode(raw, final=False)
        except UnicodeDecodeError:
            codec = "cp1252"
    return codecs.getincrementaldecoder(codec)("replace").decode(raw, final=False)


def binary_share(text: str) -> float:
    """Share of characters (NULs left out) that no text log contains."""
    sample = text.replace("\0", "")
    if len(sample) < _MIN_SAMPLE:
        return 0.0
    encoded = sample.encode("utf-8", "surrogatepass")
    controls = len(encoded) - len(encoded.translate(None, _CONTROL_BYTES))
    return controls / len(sample)


def looks_binary(text: str) -> bool:
    """Whether a decoded head is binary garbage (an executable, an image, compressed data)."""
    return binary_share(text) > _BINARY_SHARE
