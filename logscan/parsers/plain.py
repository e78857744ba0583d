"""Fallback parser: any text, one record per non-blank line; never fails.

Used for files no other format claims (notes, pasted tickets, unknown tool logs) so their
text can still be searched and cited. Decisions:

- A record is one non-blank physical line, message as written (no trimming, so the
  bytes at offset/length decode to exactly the message); no time, no component, no
  thread; severity inferred from the text as CMTrace does.
- NUL bytes are dropped with one NUL_BYTES warning per file (``_lines``); a line of only
  NULs is not a record.
- A line is binary garbage, not text, when more than 5% of its bytes are control
  characters, or when it is not valid in the file's encoding and more than 30% of it is
  non-ASCII (random bytes; a stray ANSI letter in UTF-8 text stays text). Inside a
  binary stretch, where random bytes also make short "lines" that pass those tests, a
  line must be at least 90% printable ASCII to count as text again. Binary lines are
  skipped; the first one in a file raises one BINARY_CONTENT warning. Text lines around
  a binary stretch are still records.
"""

from __future__ import annotations

from collections.abc import Iterator

from logscan.inputs.stream import TextStream
from logscan.model import LogFormat, LogRecord, ParseWarning, RecordFlag, WarningCode
from logscan.parsers._lines import TextDecoder, physical_lines
from logscan.parsers._severity import infer_level
from logscan.parsers.base import ParseItem, register

# Bytes that occur in text: tab, form feed, ESC (colour codes), printable ASCII, and
# every byte >= 0x80 (UTF-8 sequences, cp1252 letters). The rest are control bytes.
_TEXT_BYTES = bytes([0x09, 0x0C, 0x1B, *range(0x20, 0x7F), *range(0x80, 0x100)])
_ASCII = bytes(range(0x80))
_PRINTABLE_ASCII = bytes([0x09, *range(0x20, 0x7F)])


@register
class PlainParser:
    """Plain text, line by line."""

    format = LogFormat.PLAIN

    def sniff(self, head: str) -> float:
        # Always applicable, never preferred: sniff_format falls back to plain anyway.
        return 0.05

    def parse(self, stream: TextStream) -> Iterator[ParseItem]:
        decoder = TextDecoder(stream)
        binary_seen = False
        in_binary = False  # the previous non-blank line was binary
        for line in physical_lines(stream):
            if isinstance(line, ParseWarning):
                yield line
                continue
            if line.blank:
                continue
            offset = stream.file_offset(line.pos)
            text, clean = decoder.decode(line.text)
            in_binary = _is_binary(line.text, clean=clean) or (
                in_binary and not _mostly_ascii(line.text)
            )
            if in_binary:
                if not binary_seen:
                    binary_seen = True
                    yield ParseWarning(
                        stream.source,
                        line.number,
                        offset,
                        WarningCode.BINARY_CONTENT,
                        "binary content, not text; such lines are skipped (reported once per file)",
                    )
                continue
            flags: set[RecordFlag] = set()
            if line.oversize:
                flags.add(RecordFlag.OVERSIZE)
            if not clean:
                flags.add(RecordFlag.UNDECODABLE)
                warning = decoder.warning(line.number, offset)
                if warning:
                    yield warning
            yield LogRecord(
                source=stream.source,
                line=line.number,
                offset=offset,
                length=stream.file_offset(line.end) - offset,
                local_time=None,
                bias=None,
                level=infer_level(text),
                component="",
                thread=None,
                message=text,
                format=LogFormat.PLAIN,
                flags=frozenset(flags),
            )


def _is_binary(text: bytes, *, clean: bool) -> bool:
    if len(text.translate(None, _TEXT_BYTES)) * 20 > len(text):
        return True
    return not clean and len(text.translate(None, _ASCII)) * 10 > len(text) * 3


def _mostly_ascii(text: bytes) -> bool:
    return len(text.translate(None, _PRINTABLE_ASCII)) * 10 <= len(text)
