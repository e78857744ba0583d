"""SpanStream: the logical byte view of one byte range of a log file, with file offsets.

The viewer never parses a whole file to show part of it: it hands the real parser a
stream over ``[start, end)`` of the file, where ``start`` is a record start the full
parse also saw. The parser then sees exactly the bytes a full parse sees from there on,
and every offset it computes is mapped back to the file by adding ``start``. Line numbers
come out relative to the span (its first line is 1) and are rebased by the caller.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import BinaryIO, cast

from logscan.inputs.stream import BLOCK_SIZE, Encoding
from logscan.inputs.watched import WatchedStream


class _Slice(io.RawIOBase):
    """Read-only window ``[start, end)`` over a file object; ``end=None`` reads to EOF.

    ``consumed`` tells how far reading got, so a scan knows which file offset it reached
    even when the file grows while being read.
    """

    def __init__(self, fh: BinaryIO, start: int, end: int | None) -> None:
        super().__init__()
        self._fh = fh
        self._end = end
        self.position = start
        if start:
            fh.seek(start)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        want = len(buffer)
        if self._end is not None:
            want = min(want, self._end - self.position)
        if want <= 0:
            return 0
        data = self._fh.read(want)
        n = len(data)
        buffer[:n] = data
        self.position += n
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


class SpanStream(WatchedStream):
    """A ``WatchedStream`` over ``[start, end)`` of a file whose encoding is already known.

    ``opener`` opens the whole file (as ``LogSource.opener`` does); ``raw`` may be given
    instead when the span's bytes are already in memory. ``start`` is never inside a
    byte-order mark, so there is nothing to skip.
    """

    def __init__(
        self,
        source: str,
        encoding: Encoding,
        start: int,
        *,
        opener: Callable[[], BinaryIO] | None = None,
        raw: bytes | None = None,
        block_size: int = BLOCK_SIZE,
    ) -> None:
        self._start = start
        self._slice: _Slice | None = None
        self._file_opener = opener
        self._raw = raw
        super().__init__(source, self._open, encoding, bom=False, block_size=block_size)

    def _open(self) -> BinaryIO:
        if self._raw is not None:
            return io.BytesIO(self._raw)
        assert self._file_opener is not None, "SpanStream needs an opener or raw bytes"
        self._slice = _Slice(self._file_opener(), self._start, None)
        return cast(BinaryIO, self._slice)

    @property
    def reached(self) -> int:
        """File offset just past the last byte read so far."""
        if self._raw is not None:
            return self._start + len(self._raw)
        return self._slice.position if self._slice is not None else self._start

    def file_offset(self, pos: int) -> int:
        return super().file_offset(pos) + self._start
