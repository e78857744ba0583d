"""WatchedStream: a TextStream that notes runs of NUL bytes, located, as the parser reads.

A log whose writer died mid-write, or whose disk was restored from a zero-filled image,
holds runs of NUL bytes where text should be. Parsers see them as odd text; the reader
wants to say where they are. Watching the blocks as they stream past costs one byte
search per block and never a second pass over the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from logscan.inputs.stream import BLOCK_SIZE, Encoding, TextStream
from logscan.model import ParseWarning, WarningCode

_NUL_RUN = re.compile(rb"\x00+")
MAX_NUL_WARNINGS = 10  # per file; the rest are summed up in one closing warning


class WatchedStream(TextStream):
    """A ``TextStream`` that collects NUL_BYTES warnings while its blocks are read.

    ``pending()`` hands over the warnings found so far (the reader interleaves them with
    the parser's output); ``finish()`` adds the run still open at the end of the file and
    the summary of runs beyond ``MAX_NUL_WARNINGS``.
    """

    def __init__(
        self,
        source: str,
        opener: Callable[[], BinaryIO],
        encoding: Encoding,
        *,
        bom: bool,
        block_size: int = BLOCK_SIZE,
    ) -> None:
        super().__init__(source, opener, encoding, bom=bom, block_size=block_size)
        self._runs = 0
        self._unlisted = 0
        self._unlisted_bytes = 0
        self._last_unlisted = (0, 0)  # (line, offset) of the last run not listed
        self._open: tuple[int, int, int] | None = None  # (pos, line, length) of a run
        self._pending: list[ParseWarning] = []

    def blocks(self) -> Iterator[bytes]:
        pos = 0
        line = 1
        prev_cr = False
        for block in super().blocks():
            if block.find(b"\x00") >= 0 or self._open is not None:
                self._scan(block, pos, line, prev_cr)
            line += _breaks(block, 0, len(block), prev_cr)
            prev_cr = block.endswith(b"\r")
            pos += len(block)
            yield block
        self._close_open_run()

    def _scan(self, block: bytes, pos: int, line: int, prev_cr: bool) -> None:
        if self._open is not None and not block.startswith(b"\x00"):
            self._close_open_run()
        for m in _NUL_RUN.finditer(block):
            start, end = m.span()
            if start == 0 and self._open is not None:
                first, first_line, length = self._open
                self._open = (first, first_line, length + end)
            else:
                self._open = (pos + start, line + _breaks(block, 0, start, prev_cr), end - start)
            if end < len(block):
                self._close_open_run()

    def _close_open_run(self) -> None:
        if self._open is None:
            return
        start, line, length = self._open
        self._open = None
        self._runs += 1
        if self._runs > MAX_NUL_WARNINGS:
            self._unlisted += 1
            self._unlisted_bytes += length
            self._last_unlisted = (line, self.file_offset(start))
            return
        self._pending.append(
            ParseWarning(
                self.source,
                line,
                self.file_offset(start),
                WarningCode.NUL_BYTES,
                f"{length:,} NUL byte(s) in the text (zero-filled after a crash or a torn write?)",
            )
        )

    def pending(self) -> list[ParseWarning]:
        """Warnings found since the last call."""
        found = self._pending
        self._pending = []
        return found

    def finish(self) -> list[ParseWarning]:
        """The remaining warnings once the parser is done, including the summary."""
        self._close_open_run()
        found = self.pending()
        if self._unlisted:
            found.append(
                ParseWarning(
                    self.source,
                    *self._last_unlisted,
                    WarningCode.NUL_BYTES,
                    f"{self._unlisted:,} more run(s) of NUL bytes ({self._unlisted_bytes:,} "
                    "bytes, the last one here) not listed one by one",
                )
            )
        return found


def _breaks(block: bytes, start: int, end: int, prev_cr: bool) -> int:
    """Line breaks (CRLF, LF, bare CR) in ``block[start:end]``, as ``iter_lines`` counts
    them; an LF right after a CR that ended the previous block does not count again."""
    lf = block.count(b"\n", start, end)
    cr = block.count(b"\r", start, end)
    crlf = block.count(b"\r\n", start, end)
    if prev_cr and start == 0 and block[:1] == b"\n" and end > 0:
        lf -= 1
    return lf + cr - crlf
