"""WatchedStream: a TextStream that locates NUL runs and undecodable UTF-16 as it is read.

A log whose writer died mid-write, or whose disk was restored from a zero-filled image,
holds runs of NUL bytes where text should be; parsers drop them, the reader wants to say
where they were. A UTF-16 file with unpaired surrogates is transcoded with U+FFFD in
their place, which no parser can tell from text (the logical view is valid UTF-8), so
the stream reports those runs too (DECODE_ERROR). Watching the blocks as they stream
past costs one byte search per block and never a second pass over the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from logscan.inputs.stream import BLOCK_SIZE, Encoding, TextStream
from logscan.model import ParseWarning, WarningCode

MAX_RUN_WARNINGS = 10  # per file and kind; the rest are summed up in one closing warning
MAX_NUL_WARNINGS = MAX_RUN_WARNINGS
_NUL = b"\x00"
_REPLACEMENT = "\ufffd".encode()  # U+FFFD as the UTF-16 transcoding writes it


class _Runs:
    """Runs of one repeated unit in the logical view, located and capped."""

    def __init__(
        self, stream: TextStream, unit: bytes, code: WarningCode, label: str, detail: str
    ) -> None:
        self._stream = stream
        self.unit = unit
        self._pattern = re.compile(b"(?:" + re.escape(unit) + b")+")
        self._code = code
        self._label = label  # "NUL byte(s)"
        self._detail = detail  # what it means, after the count and label
        self._count = 0
        self._unlisted = 0
        self._unlisted_units = 0
        self._last_unlisted = (0, 0)  # (line, offset) of the last run not listed
        self.open: tuple[int, int, int] | None = None  # (pos, line, byte length)
        self.found: list[ParseWarning] = []

    def scan(self, block: bytes, pos: int, line: int, prev_cr: bool) -> None:
        if self.open is not None and not block.startswith(self.unit):
            self.close()
        if block.find(self.unit) < 0:
            return
        for m in self._pattern.finditer(block):
            start, end = m.span()
            if start == 0 and self.open is not None:
                first, first_line, length = self.open
                self.open = (first, first_line, length + end)
            else:
                self.open = (pos + start, line + _breaks(block, 0, start, prev_cr), end - start)
            if end < len(block):
                self.close()

    def close(self) -> None:
        if self.open is None:
            return
        start, line, length = self.open
        self.open = None
        units = length // len(self.unit)
        if units == 0:
            return
        self._count += 1
        offset = self._stream.file_offset(start)
        if self._count > MAX_RUN_WARNINGS:
            self._unlisted += 1
            self._unlisted_units += units
            self._last_unlisted = (line, offset)
            return
        self.found.append(
            ParseWarning(
                self._stream.source,
                line,
                offset,
                self._code,
                f"{units:,} {self._label} {self._detail}",
            )
        )

    def summary(self) -> list[ParseWarning]:
        if not self._unlisted:
            return []
        return [
            ParseWarning(
                self._stream.source,
                *self._last_unlisted,
                self._code,
                f"{self._unlisted:,} more run(s) of {self._label} ({self._unlisted_units:,} "
                "in all, the last one here) not listed one by one",
            )
        ]


class WatchedStream(TextStream):
    """A ``TextStream`` that collects NUL_BYTES (and, for UTF-16, DECODE_ERROR) warnings
    while its blocks are read.

    ``pending()`` hands over the warnings found so far (the reader interleaves them with
    the parser's output); ``finish()`` adds the runs still open at the end of the file
    and the summaries of runs beyond ``MAX_RUN_WARNINGS``.
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
        self._nul = _Runs(
            self,
            _NUL,
            WarningCode.NUL_BYTES,
            "NUL byte(s)",
            "in the text (zero-filled after a crash or a torn write?)",
        )
        self._watch = [self._nul]
        if encoding.is_utf16:
            self._bad = _Runs(
                self,
                _REPLACEMENT,
                WarningCode.DECODE_ERROR,
                "undecodable UTF-16 unit(s)",
                "(unpaired surrogates), read as U+FFFD",
            )
            self._watch.append(self._bad)

    def blocks(self) -> Iterator[bytes]:
        pos = 0
        line = 1
        prev_cr = False
        for block in super().blocks():
            for runs in self._watch:
                runs.scan(block, pos, line, prev_cr)
            line += _breaks(block, 0, len(block), prev_cr)
            prev_cr = block.endswith(b"\r")
            pos += len(block)
            yield block
        if self.odd_tail and self.encoding.is_utf16:
            self._drop_odd_tail(pos)
        for runs in self._watch:
            runs.close()

    def _drop_odd_tail(self, end: int) -> None:
        """The U+FFFD standing for the cut last byte is ODD_UTF16_LENGTH's to report."""
        run = self._bad.open
        if run is not None and run[0] + run[2] == end:
            self._bad.open = (run[0], run[1], run[2] - len(_REPLACEMENT))

    def pending(self) -> list[ParseWarning]:
        """Warnings found since the last call, in file order."""
        found = [w for runs in self._watch for w in runs.found]
        for runs in self._watch:
            runs.found = []
        return sorted(found, key=lambda w: w.offset) if len(self._watch) > 1 else found

    def finish(self) -> list[ParseWarning]:
        """The remaining warnings once the parser is done, including the summaries."""
        for runs in self._watch:
            runs.close()
        return self.pending() + [w for runs in self._watch for w in runs.summary()]


def _breaks(block: bytes, start: int, end: int, prev_cr: bool) -> int:
    """Line breaks (CRLF, LF, bare CR) in ``block[start:end]``, as ``iter_lines`` counts
    them; an LF right after a CR that ended the previous block does not count again."""
    lf = block.count(b"\n", start, end)
    cr = block.count(b"\r", start, end)
    # The CRLF count is the costly one; LF-only and CR-only text need none.
    crlf = block.count(b"\r\n", start, end) if lf and cr else 0
    if prev_cr and start == 0 and block[:1] == b"\n" and end > 0:
        lf -= 1
    return lf + cr - crlf
