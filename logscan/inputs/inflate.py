"""Reading a deflated zip member straight from its archive (or nested zip), with ISA-L.

``zipfile`` inflates with zlib; Intel's ISA-L (the ``isal`` package) inflates the same
streams faster, and a zipped host bundle is mostly one inflate
(``benchmarks/bench_layers.py`` with and without ``--zlib``: 11.3 → 9.4 ms of worker time
per zipped host). This reader takes what the archive's central directory says about a
member (``ZipInfo``), checks its local header, inflates its data in chunks and checks
the size and CRC-32 at the end, as ``zipfile`` does. Without ``isal`` (a platform with
no wheel) it inflates with zlib: same answers, slower.

Damage surfaces as ``zlib.error`` or ``zipfile.BadZipFile`` (the caller's damage types);
the member's byte limit is the caller's business (``zipbundle._BoundedRaw``).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from types import ModuleType
from typing import BinaryIO

_inflate_lib: ModuleType
try:
    from isal import isal_zlib as _inflate_lib
except ImportError:  # pragma: no cover - every platform logscan ships on has a wheel
    _inflate_lib = zlib

_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then name and extra lengths
_LOCAL_SIGNATURE = b"PK\x03\x04"
_UTF8_FLAG = 0x800
_CHUNK = 1 << 18  # compressed bytes read at a time
_WBITS = -15  # a raw deflate stream, as zip stores it


class DeflatedMember(io.RawIOBase):
    """One deflated, unencrypted member of an open archive file, read sequentially.

    ``fh`` is the archive (its position is this reader's own: nothing else may read
    it meanwhile); closing the reader does not close it."""

    def __init__(self, fh: BinaryIO, info: zipfile.ZipInfo) -> None:
        super().__init__()
        fh.seek(info.header_offset)
        header = fh.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size:
            raise zipfile.BadZipFile(f"truncated local header for {info.filename!r}")
        signature, name_len, extra_len = _LOCAL_HEADER.unpack(header)
        if signature != _LOCAL_SIGNATURE:
            raise zipfile.BadZipFile(f"bad local header signature for {info.filename!r}")
        # Decoded as zipfile decodes it: UTF-8 when flagged so, else code page 437.
        encoding = "utf-8" if info.flag_bits & _UTF8_FLAG else "cp437"
        name = fh.read(name_len).decode(encoding, errors="replace")
        if name != info.orig_filename:
            raise zipfile.BadZipFile(
                f"member name in the directory ({info.orig_filename!r}) and in its header "
                f"({name!r}) differ"
            )
        fh.seek(extra_len, io.SEEK_CUR)
        self._fh = fh
        self._info = info
        self._compressed_left = info.compress_size
        self._inflater = _inflate_lib.decompressobj(_WBITS)
        self._pending = b""  # compressed bytes read but not yet inflated
        self._ready = b""  # the last inflated piece, handed out from ``_at`` on
        self._at = 0
        self._crc = 0
        self._produced = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes; the inflater's own output when it fits, not a copy."""
        if size is None or size < 0:
            return self.readall()
        while size and self._at == len(self._ready) and not self._done:
            self._inflate(size)
        ready, at = self._ready, self._at
        if at == 0 and len(ready) <= size:
            self._at = len(ready)
            return ready
        self._at = min(at + size, len(ready))  # an offset, so small reads stay linear
        return ready[at : self._at]

    def _inflate(self, want: int) -> None:
        if not self._pending and self._compressed_left:
            self._pending = self._fh.read(min(_CHUNK, self._compressed_left))
            if not self._pending:
                raise zipfile.BadZipFile(f"{self._info.filename!r}: compressed data cut short")
            self._compressed_left -= len(self._pending)
        # Never more than the directory declares, as zipfile: a member that holds more
        # ends at its declared size and fails its CRC check.
        left = self._info.file_size - self._produced
        if left <= 0:  # an empty member (a max_length of 0 would mean "no limit")
            self._done = True
            self._check()
            return
        try:
            data = self._inflater.decompress(self._pending, min(want, left))
            self._pending = self._inflater.unconsumed_tail
            finished = self._inflater.eof or (not self._pending and not self._compressed_left)
            if finished and len(data) < left:
                # All input is in: what the inflater still holds comes out with flush
                # (ISA-L keeps up to its window back when asked for little at a time).
                data += self._inflater.flush()[: left - len(data)]
                if not self._inflater.eof:
                    raise zlib.error(f"{self._info.filename!r}: deflate stream ends early")
        except _inflate_lib.error as exc:  # ISA-L's own error type: shown as zlib's
            raise zlib.error(str(exc)) from exc
        self._crc = _inflate_lib.crc32(data, self._crc)
        self._produced += len(data)
        self._ready, self._at = data, 0
        if finished or self._produced == self._info.file_size:
            self._done = True
            self._check()

    def _check(self) -> None:
        if self._produced != self._info.file_size:
            raise zipfile.BadZipFile(
                f"{self._info.filename!r}: {self._produced:,} bytes inflated, "
                f"{self._info.file_size:,} declared"
            )
        if self._crc != self._info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self._info.filename!r}")
