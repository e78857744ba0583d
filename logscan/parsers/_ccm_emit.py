"""Record building for the CCM parser: offsets, lines, message decoding, flags, warnings.

One ``Emitter`` lives for one parse. It owns the logical byte window being parsed
(``data`` starting at logical ``base``) and the line counter, so every path of the parser
(fast match, by-name attributes, torn fragment, unclosed, stray text, oversize) builds its
record and warnings the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from logscan.inputs.stream import TextStream
from logscan.model import Level, LogFormat, LogRecord, ParseWarning, RecordFlag, WarningCode
from logscan.parsers._ccm_attrs import Fields, frozen_extras
from logscan.parsers.base import LineCounter, ParseItem

OPENER = b"<![LOG["
CLOSER = b"]LOG]!><"
SPACE = b" \t\r\n\x0b\x0c"
_INFO = Level.INFO
_NO_EXTRAS = frozen_extras({})


class Lines(LineCounter):
    """The shared LineCounter, plus a jump for spans the fast path counted itself."""

    __slots__ = ()

    def jump(self, pos: int, number: int) -> None:
        """Line ``number`` is current at logical ``pos``, which ends a record (a '>')."""
        if pos > self._pos:
            self._pos = pos
            self._number = number
            self._pending_cr = False


class Kind(Enum):
    """What a piece of CCM text turned out to be."""

    RECORD = "record"  # <![LOG[ ... ]LOG]!>< ... >
    FRAGMENT = "fragment"  # ... ]LOG]!>< ... > whose start was lost (torn write)
    UNCLOSED = "unclosed"  # <![LOG[ ... never closed
    STRAY = "stray"  # text that belongs to no record


_KIND_NOTE = {
    Kind.FRAGMENT: (
        RecordFlag.TRUNCATED,
        WarningCode.TORN_RECORD,
        "record without its '<![LOG[' start (torn or interleaved write); message is partial",
    ),
    Kind.UNCLOSED: (
        RecordFlag.UNCLOSED,
        WarningCode.UNCLOSED_RECORD,
        "record opened with '<![LOG[' is never closed by ']LOG]!><'",
    ),
    Kind.STRAY: (
        RecordFlag.STRAY,
        WarningCode.STRAY_TEXT,
        "text between records that belongs to no record",
    ),
}


def cut_text(raw: bytes, size: int, utf8: bool) -> bytes:
    """The first ``size`` bytes, backing off so no UTF-8 character is split."""
    cut = raw[:size]
    if not utf8 or len(cut) < size:
        return cut
    k = 0
    while k < 3 and k < len(cut) and cut[-1 - k] & 0xC0 == 0x80:
        k += 1
    if k < len(cut):
        lead = cut[-1 - k]
        need = 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        if need > k + 1:
            return cut[: len(cut) - k - 1]
    return cut


@dataclass(slots=True)
class Big:
    """An item over the size cap whose middle was skipped to keep memory flat."""

    start: int  # logical position of its first byte
    line: int
    head: bytes  # the kept start of its message (already cut to the cap)
    orphan: bool  # began without '<![LOG[' (torn fragment or stray text)
    last_end: int  # logical end of the last non-blank byte seen so far
    size: int = 0  # true message size, known once its end is found


class Emitter:
    """Turns located pieces of the current window into records and warnings."""

    def __init__(self, stream: TextStream, max_record: int) -> None:
        self.stream = stream
        self.source = stream.source
        self.max_record = max_record
        self.codec = stream.text_codec
        self.utf16 = stream.encoding.is_utf16
        self.skip = stream.file_offset(0) if not self.utf16 else 0
        self.lines = Lines(stream.first_line)
        self.data = b""  # the window: logical bytes not yet consumed
        self.base = 0  # logical position of data[0]
        self.fresh_line = True  # data[0] starts a line (file start, or after CR/LF)
        self.cont: Big | None = None  # oversize item whose closer starts the window
        self.nul_pending = 0  # NUL bytes seen between records, reported as one warning
        self._nul_pos = 0
        self._nul_line = 0

    # -- window management -------------------------------------------------------------

    def line_at(self, pos: int) -> int:
        """Line number of window index ``pos`` (positions must not go backwards)."""
        return self.lines.advance(self.data, self.base, self.base + pos)

    def drop(self, n: int) -> None:
        """Forget the first ``n`` bytes of the window (line counting moves past them)."""
        if n:
            self.lines.advance(self.data, self.base, self.base + n)
            self.fresh_line = self.data[n - 1] in (10, 13)
            self.data = self.data[n:]
            self.base += n

    def file_span(self, start: int, end: int) -> tuple[int, int]:
        """File offset and byte length of the logical range [start, end)."""
        if not self.utf16:
            return start + self.skip, end - start
        off = self.stream.file_offset(start)
        return off, self.stream.file_offset(end) - off

    # -- NUL runs between records ------------------------------------------------------

    def note_nuls(self, lo: int, hi: int) -> None:
        """Count NUL bytes in window [lo, hi) that lie between records."""
        n = self.data.count(b"\x00", lo, hi)
        if n:
            if not self.nul_pending:
                first = self.data.find(b"\x00", lo, hi)
                self._nul_pos = self.base + first
                self._nul_line = self.line_at(first)
            self.nul_pending += n

    def flush_nuls(self) -> Iterator[ParseItem]:
        if self.nul_pending:
            off, _ = self.file_span(self._nul_pos, self._nul_pos)
            yield ParseWarning(
                self.source,
                self._nul_line,
                off,
                WarningCode.NUL_BYTES,
                f"{self.nul_pending} NUL bytes between records "
                "(a zero-filled region, e.g. after a crash)",
            )
            self.nul_pending = 0

    # -- records -----------------------------------------------------------------------

    def emit(
        self,
        start: int,
        end: int,
        line: int,
        message: bytes,
        kind: Kind,
        *,
        fields: Fields | None = None,
        oversize: int = 0,
    ) -> Iterator[ParseItem]:
        """Build the record for logical range [start, end) and its warnings.

        ``oversize`` is the true message size when the caller already cut ``message``.
        """
        yield from self.flush_nuls()
        flags: set[RecordFlag] = set(fields.flags) if fields else set()
        notes: list[tuple[WarningCode, str]] = []
        if kind is not Kind.RECORD:
            flag, code, text = _KIND_NOTE[kind]
            flags.add(flag)
            notes.append((code, text))
        if fields:
            notes.extend(fields.warnings)
        if len(message) > self.max_record:
            oversize = len(message)
            message = cut_text(message, self.max_record, self.codec == "utf-8")
        if oversize:
            flags.add(RecordFlag.OVERSIZE)
            notes.append(
                (
                    WarningCode.OVERSIZE_RECORD,
                    f"message of {oversize} bytes is over the {self.max_record}-byte cap; "
                    f"only its first {len(message)} bytes are kept",
                )
            )
        if b"\n" in message or b"\r" in message:
            flags.add(RecordFlag.MULTILINE)
        if b"\x00" in message:
            notes.append((WarningCode.NUL_BYTES, "message contains NUL bytes"))
        try:
            text_msg = message.decode(self.codec)
        except UnicodeDecodeError:
            text_msg, _ = self.stream.decode(message)
            flags.add(RecordFlag.UNDECODABLE)
            notes.append(
                (
                    WarningCode.DECODE_ERROR,
                    f"message is not valid {self.codec}; decoded with fallback",
                )
            )
        offset, length = self.file_span(start, end)
        yield LogRecord(
            self.source,
            line,
            offset,
            length,
            fields.local if fields else None,
            fields.bias if fields else None,
            fields.level if fields else _INFO,
            fields.component if fields else "",
            fields.thread if fields else None,
            text_msg,
            LogFormat.CCM,
            frozenset(flags),
            frozen_extras(fields.extras) if fields and fields.extras else _NO_EXTRAS,
        )
        for code, text in notes:
            yield ParseWarning(self.source, line, offset, code, text)
