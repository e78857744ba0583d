"""TextStream: one log file read in blocks as ASCII-compatible bytes, with exact file offsets.

Parsers match ASCII markers (``<![LOG[``, ``$$<``, timestamps) on bytes, which is much
faster than on decoded text. For 8-bit encodings (UTF-8, cp1252) the blocks are the file's
own bytes. UTF-16 files are transcoded to UTF-8 block by block; a sparse checkpoint table
maps every position of that view back to the byte offset in the original file, so records
keep exact offsets whatever the encoding.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import BinaryIO

BLOCK_SIZE = 1 << 22  # 4 MiB: large enough for regex throughput, small enough for flat memory
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


class Encoding(StrEnum):
    """Detected encoding of a log file."""

    UTF8 = "utf-8"
    UTF8_BOM = "utf-8-sig"
    UTF16LE = "utf-16-le"
    UTF16BE = "utf-16-be"
    CP1252 = "cp1252"

    @property
    def bom_length(self) -> int:
        return {Encoding.UTF8_BOM: 3, Encoding.UTF16LE: 2, Encoding.UTF16BE: 2}.get(self, 0)

    @property
    def is_utf16(self) -> bool:
        return self in (Encoding.UTF16LE, Encoding.UTF16BE)


def _looks_utf16(head: bytes) -> str | None:
    """Guess BOM-less UTF-16 from NUL placement: ASCII text in UTF-16LE has NUL at odd
    offsets, in UTF-16BE at even ones. Requires a clear majority so binary is not taken."""
    sample = head[: 1 << 16]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    if odd_nul >= 0.4 * pairs and even_nul <= 0.05 * pairs:
        return "le"
    if even_nul >= 0.4 * pairs and odd_nul <= 0.05 * pairs:
        return "be"
    return None


def _valid_utf8_prefix(head: bytes) -> bool:
    """Strict UTF-8 check of a file head, tolerating a character cut at the end."""
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(head: bytes) -> Encoding:
    """BOM first, then the UTF-16 NUL pattern, then strict UTF-8, else cp1252."""
    if head.startswith(codecs.BOM_UTF8):
        return Encoding.UTF8_BOM
    if head.startswith(codecs.BOM_UTF16_LE):
        return Encoding.UTF16LE
    if head.startswith(codecs.BOM_UTF16_BE):
        return Encoding.UTF16BE
    guess = _looks_utf16(head)
    if guess == "le":
        return Encoding.UTF16LE
    if guess == "be":
        return Encoding.UTF16BE
    return Encoding.UTF8 if _valid_utf8_prefix(head) else Encoding.CP1252


def has_bom(head: bytes, encoding: Encoding) -> bool:
    """Whether the file really starts with the BOM of ``encoding`` (BOM-less UTF-16 has none)."""
    boms = {
        Encoding.UTF8_BOM: codecs.BOM_UTF8,
        Encoding.UTF16LE: codecs.BOM_UTF16_LE,
        Encoding.UTF16BE: codecs.BOM_UTF16_BE,
    }
    bom = boms.get(encoding)
    return bom is not None and head.startswith(bom)


def read_at_most(fh: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes from ``fh``, asking for no more than a file on disk holds.

    ``read(n)`` sets n bytes aside before reading: a 4 MiB block (or a 32 MiB cap) asked
    of a file of a few KiB made each read several times slower, and a batch reads every
    file of thousands of bundles. Zip members and pipes, whose size is not known here,
    are asked for ``size``. A file that grows meanwhile is read on to its new end."""
    try:
        left = os.fstat(fh.fileno()).st_size - fh.tell()
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        left = 0
    return fh.read(min(size, left) if left > 0 else size)


class TextStream:
    """Blocks of ASCII-compatible bytes for one file plus the map back to file offsets.

    ``blocks()`` may be consumed once. Positions passed to ``file_offset`` are logical
    positions: the index into the concatenation of all blocks yielded so far.

    ``context`` carries state a parser would have built from text *before* the first
    byte of this stream. It is empty for whole files; the engine fills it when it
    parses a region from the middle of a file (e.g. the USMT run number in force), and
    sets ``first_line``.
    """

    context: Mapping[str, str] = MappingProxyType({})
    # The line number of the stream's first byte: 1 for whole files; the engine sets it
    # for a region from the middle of a file, so parsers number lines as in the file.
    first_line: int = 1

    def __init__(
        self,
        source: str,
        opener: Callable[[], BinaryIO],
        encoding: Encoding,
        *,
        bom: bool,
        block_size: int = BLOCK_SIZE,
    ) -> None:
        self.source = source
        self.encoding = encoding
        self._opener = opener
        self._skip = encoding.bom_length if bom else 0
        self._block_size = block_size
        self._ck_pos = array("q")  # logical positions of checkpoints (UTF-16 only)
        self._ck_off = array("q")  # matching file offsets
        self._ck_ascii = array("b")  # whether an ASCII run starts at the checkpoint
        self.odd_tail = False  # UTF-16 file with an odd byte count

    @property
    def text_codec(self) -> str:
        """Codec for decoding slices of the logical byte view."""
        if self.encoding is Encoding.CP1252:
            return "cp1252"
        return "utf-8"

    def decode(self, raw: bytes) -> tuple[str, bool]:
        """Decode a slice of the logical view. Returns (text, clean).

        A UTF-8 file with a stray 8-bit byte falls back to cp1252 for that slice (the
        usual cause is a tool writing ANSI into a UTF-8 log); ``clean`` is False then.
        """
        codec = self.text_codec
        try:
            return raw.decode(codec), True
        except UnicodeDecodeError:
            pass
        if codec == "utf-8":
            try:
                return raw.decode("cp1252"), False
            except UnicodeDecodeError:
                pass
        return raw.decode(codec, errors="replace"), False

    def file_offset(self, pos: int) -> int:
        """Map a logical position to the byte offset in the original file.

        Exact for every position in ASCII text and at the start of every non-ASCII run
        (where records and lines begin); inside a run of non-ASCII characters the
        nearest earlier run start is used.
        """
        if not self.encoding.is_utf16:
            return pos + self._skip
        i = bisect_right(self._ck_pos, pos) - 1
        if i < 0:
            return pos + self._skip
        base_pos, base_off = self._ck_pos[i], self._ck_off[i]
        if self._ck_ascii[i]:
            return base_off + (pos - base_pos) * 2
        return base_off

    def blocks(self) -> Iterator[bytes]:
        with self._opener() as fh:
            if self._skip:
                fh.read(self._skip)
            if not self.encoding.is_utf16:
                while True:
                    chunk = read_at_most(fh, self._block_size)
                    if not chunk:
                        return
                    yield chunk
            else:
                yield from self._utf16_blocks(fh)

    def _utf16_blocks(self, fh: BinaryIO) -> Iterator[bytes]:
        decoder = codecs.getincrementaldecoder(self.encoding.value)("replace")
        logical = 0
        file_off = self._skip
        carry = b""
        while True:
            raw = fh.read(self._block_size)
            final = not raw
            data = carry + raw
            # Keep whole code units and never split a surrogate pair across blocks.
            cut = len(data) - (len(data) % 2) if not final else len(data)
            if not final and cut >= 2:
                last = data[cut - 2 : cut]
                hi = last[1] if self.encoding is Encoding.UTF16LE else last[0]
                if 0xD8 <= hi <= 0xDB:
                    cut -= 2
            carry = data[cut:]
            if final and len(data) % 2:
                self.odd_tail = True
            text = decoder.decode(data[:cut], final=final)
            if text:
                out = text.encode("utf-8", errors="surrogatepass")
                self._checkpoint(text, logical, file_off)
                logical += len(out)
                file_off += len(text.encode("utf-16-le", errors="surrogatepass"))
                yield out
            if final:
                return

    def _checkpoint(self, text: str, logical: int, file_off: int) -> None:
        """Record where ASCII and non-ASCII runs begin in both views.

        Inside an ASCII run one logical byte is one UTF-16 unit, so the run start is
        enough to map every position in it; ASCII-only files need a single checkpoint.
        """
        pos, off, prev = logical, file_off, 0
        self._add_checkpoint(pos, off, ascii_run=True)
        for m in _NON_ASCII.finditer(text):
            gap = m.start() - prev  # ASCII chars before this run
            pos += gap
            off += gap * 2
            run = m.group()
            self._add_checkpoint(pos, off, ascii_run=False)
            pos += len(run.encode("utf-8", errors="surrogatepass"))
            off += len(run.encode("utf-16-le", errors="surrogatepass"))
            self._add_checkpoint(pos, off, ascii_run=True)
            prev = m.end()

    def _add_checkpoint(self, pos: int, off: int, *, ascii_run: bool) -> None:
        if self._ck_pos and self._ck_pos[-1] == pos:
            self._ck_off[-1] = off
            self._ck_ascii[-1] = ascii_run
            return
        self._ck_pos.append(pos)
        self._ck_off.append(off)
        self._ck_ascii.append(ascii_run)
