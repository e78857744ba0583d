"""Cleaned physical lines, capped decode warnings and sniffing help for line-based parsers.

The legacy trace, USMT, USMT progress, CMTrace-copy and plain parsers all read a file
line by line. ``physical_lines`` wraps ``base.iter_lines`` with what they share:

- the pieces of a line cut at ``MAX_LINE`` are merged back into one ``PhysLine`` (the
  first piece is kept as text, positions cover the whole line) with one warning;
- a byte-order mark at the start of a line is skipped: USMT writes one again each time a
  process re-opens the log, so it can sit in the middle of a file;
- NUL bytes (the zero-filled tail a crash leaves in a preallocated log) are dropped; a
  line of nothing but NULs is not a line at all. The reader's ``WatchedStream`` locates
  every NUL run itself, so only on any other stream (a parser used on its own) do the
  parsers say so, with one NUL_BYTES warning per file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from logscan.inputs.stream import TextStream
from logscan.inputs.watched import WatchedStream
from logscan.model import ParseWarning, RecordFlag, WarningCode
from logscan.parsers.base import MAX_LINE, Line, iter_lines

_BOM = b"\xef\xbb\xbf"  # U+FEFF as it appears in the logical (UTF-8 or cp1252) view
_DECODE_WARNINGS = 100  # per file; past this a single "not reported further" warning
SNIFF_LINES = 200  # lines of the head a sniffer looks at


@dataclass(frozen=True, slots=True)
class PhysLine:
    """One physical line as the parsers see it."""

    pos: int  # logical position of text[0] (after any skipped BOM or leading NULs)
    number: int  # 1-based line number
    text: bytes  # without EOL and NULs; only the first MAX_LINE bytes of an oversize line
    end: int  # logical position just past the line's last byte (before the EOL)
    eol: bytes  # b"\r\n", b"\n", b"\r" or b"" (end of file)
    oversize: bool = False

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def physical_lines(
    stream: TextStream, max_line: int = MAX_LINE
) -> Iterator[PhysLine | ParseWarning]:
    """Lines of ``stream`` ready for matching, plus the warnings about them, in file order.

    A line is oversize when it is longer than ``max_line``, whether ``iter_lines`` cut it
    into pieces or (depending on where block boundaries fell) handed it over whole.
    """
    nul_seen = isinstance(stream, WatchedStream)  # it reports NUL runs itself
    head: Line | None = None  # first piece of a line that iter_lines cut
    head_end = 0
    last_eol = b""
    for line in iter_lines(stream, max_line):
        if head is not None:
            if line.number == head.number:
                head_end, last_eol = line.pos + len(line.text), line.eol
                continue
            yield from _long_line(
                stream, head, head_end, last_eol, max_line=max_line, nul_seen=nul_seen
            )
            nul_seen = nul_seen or b"\0" in head.text
            head = None
        if len(line.text) >= max_line:
            head, head_end, last_eol = line, line.pos + len(line.text), line.eol
            continue
        text, pos = line.text, line.pos
        if text.startswith(_BOM):
            text, pos = text[3:], pos + 3
        if b"\0" in text:
            if not nul_seen:
                nul_seen = True
                yield _nul_warning(stream, line.number, pos)
            stripped = text.lstrip(b"\0")
            pos += len(text) - len(stripped)
            text = stripped.replace(b"\0", b"")
            if not text:
                continue
        yield PhysLine(pos, line.number, text, line.pos + len(line.text), line.eol)
    if head is not None:
        yield from _long_line(
            stream, head, head_end, last_eol, max_line=max_line, nul_seen=nul_seen
        )


def _long_line(
    stream: TextStream, head: Line, end: int, eol: bytes, *, max_line: int, nul_seen: bool
) -> Iterator[PhysLine | ParseWarning]:
    """A line of at least ``max_line`` bytes (``head`` is its first or only piece)."""
    if not nul_seen and b"\0" in head.text:
        yield _nul_warning(stream, head.number, head.pos)
    text = head.text[:max_line].replace(b"\0", b"")
    if not text:
        return  # a NUL flood: nothing to keep
    oversize = end - head.pos > max_line
    if oversize:
        size = stream.file_offset(end) - stream.file_offset(head.pos)
        yield ParseWarning(
            stream.source,
            head.number,
            stream.file_offset(head.pos),
            WarningCode.OVERSIZE_RECORD,
            f"line of {size:,} bytes is longer than the {max_line:,}-byte cap; "
            "only its start is kept as the message",
        )
    yield PhysLine(head.pos, head.number, text, end, eol, oversize=oversize)


def _nul_warning(stream: TextStream, number: int, pos: int) -> ParseWarning:
    return ParseWarning(
        stream.source,
        number,
        stream.file_offset(pos),
        WarningCode.NUL_BYTES,
        "NUL bytes from here on (a crash often leaves a zero-filled tail); "
        "they are skipped, this is reported once per file",
    )


class TextDecoder:
    """Decodes record text for one stream and words the warning for undecodable bytes.

    Every unclean record gets the UNDECODABLE flag; warnings stop after a cap per file
    (with one last warning saying so) so a mis-encoded file cannot bury real findings.
    """

    __slots__ = ("_count", "_stream")

    def __init__(self, stream: TextStream) -> None:
        self._stream = stream
        self._count = 0

    def decode(self, raw: bytes) -> tuple[str, bool]:
        return self._stream.decode(raw)

    def text(
        self, raw: bytes, number: int, offset: int, flags: set[RecordFlag]
    ) -> tuple[str, ParseWarning | None]:
        """Decode a record's text; when bytes had to be replaced, add UNDECODABLE to
        ``flags`` and return the warning to yield (None past the cap)."""
        text, clean = self._stream.decode(raw)
        if clean:
            return text, None
        flags.add(RecordFlag.UNDECODABLE)
        return text, self.warning(number, offset)

    def warning(self, number: int, offset: int) -> ParseWarning | None:
        """The DECODE_ERROR warning for an unclean record, or None past the cap."""
        self._count += 1
        if self._count > _DECODE_WARNINGS:
            return None
        text = f"bytes not valid in {self._stream.encoding.value}; decoded with replacements"
        if self._count == _DECODE_WARNINGS:
            text += "; further decode errors in this file are flagged but not reported"
        return ParseWarning(self._stream.source, number, offset, WarningCode.DECODE_ERROR, text)


def head_lines(head: str) -> list[str]:
    """Non-blank lines of a file head for sniffing; a last line cut by the head size is
    dropped unless it is the only one."""
    lines = head.lstrip("\ufeff").splitlines()
    if len(lines) > 1 and not head.endswith(("\n", "\r")):
        lines.pop()
    return [line for line in lines[:SNIFF_LINES] if line.strip()]
