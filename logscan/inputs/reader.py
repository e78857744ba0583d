"""read_source() and read_paths(): records and warnings from log sources, never an exception.

``read_source`` reads the head of a file once, picks the encoding and (unless told) the
format from it, and runs that format's parser, adding what only the input layer can see:

- EMPTY_FILE: nothing, or only a byte-order mark;
- BINARY_CONTENT: the head is binary garbage (an executable, an image, compressed data
  under a log's name). The file is then *not* parsed: one record per random "line"
  would bury the real evidence in noise, and nothing in such a file can be cited;
- NUL_BYTES: runs of NUL bytes anywhere in the text, located (``WatchedStream``); the
  parsers' own NUL_BYTES warnings are dropped, as they would say the same twice;
- DECODE_ERROR for unpaired surrogates in UTF-16 (which the transcoding hides from the
  parsers), also located by ``WatchedStream``;
- ODD_UTF16_LENGTH: a UTF-16 file whose byte count is odd (its last byte is cut off);
- UNREADABLE: the file vanished, became unreadable or is a damaged zip member, before or
  while being read. Records read up to then are kept.

``read_paths`` is the whole input pipeline for a command line: discover, order rotation
families oldest first, read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from logscan.errors import ParseError
from logscan.inputs.discover import find_logs
from logscan.inputs.sniff import decode_head, looks_binary
from logscan.inputs.source import HEAD_SIZE, InputProblem, LogSource
from logscan.inputs.stream import Encoding, detect_encoding, has_bom
from logscan.inputs.walk import reason_of
from logscan.inputs.watched import WatchedStream
from logscan.inputs.zipbundle import DEFAULT_LIMITS, ZipLimits
from logscan.model import LogFormat, LogRecord, ParseWarning, WarningCode
from logscan.parsers.base import Parser, all_parsers, sniff_format

ReadItem = LogRecord | ParseWarning


@dataclass(frozen=True, slots=True)
class Head:
    """What the first bytes of a source say about it, decided once for every reader."""

    encoding: Encoding
    bom: bool
    empty: bool  # nothing, or only a byte-order mark
    binary: bool  # not text: never parsed
    format: LogFormat  # sniffed (meaningless when empty or binary)


# The first look at a file: enough for the first records of any format we know. Only a
# file this does not settle (it sniffs as plain text) is looked at again, further
# (``HEAD_SIZE``): a CCM log whose first record is a 20 KiB policy body, say. A batch
# inspects every log of every host, and decoding 64 KiB each time was a tenth of a
# fleet host's time.
_FIRST_LOOK = 1 << 14


def inspect_head(source: LogSource) -> Head:
    """Encoding, emptiness, binary content and format from the head. Raises OSError."""
    raw = source.head(_FIRST_LOOK)
    head = _inspect(raw)
    if head.empty or head.binary or head.format is not LogFormat.PLAIN:
        return head
    if len(raw) < _FIRST_LOOK:
        return head  # that was the whole file
    return _inspect(source.head(HEAD_SIZE))


def _inspect(raw: bytes) -> Head:
    encoding = detect_encoding(raw)
    bom = has_bom(raw, encoding)
    if len(raw) == (encoding.bom_length if bom else 0):
        return Head(encoding, bom, True, False, LogFormat.PLAIN)
    text = decode_head(raw)
    if looks_binary(text):
        return Head(encoding, bom, False, True, LogFormat.PLAIN)
    return Head(encoding, bom, False, False, sniff_format(text.replace("\0", "")))


def read_source(source: LogSource, fmt: LogFormat | None = None) -> Iterator[ReadItem]:
    """Records and warnings of one source, in file order; ``fmt`` overrides sniffing."""
    name = source.display
    try:
        head = inspect_head(source)
    except OSError as exc:
        yield ParseWarning(name, 1, 0, WarningCode.UNREADABLE, f"cannot read: {_why(exc)}")
        return
    if head.empty:
        what = "only a byte-order mark" if head.bom else "no bytes"
        yield ParseWarning(name, 1, 0, WarningCode.EMPTY_FILE, f"empty file ({what})")
        return
    if head.binary:
        yield ParseWarning(
            name,
            1,
            0,
            WarningCode.BINARY_CONTENT,
            "binary content, not text: not parsed (is this really a log?)",
        )
        return
    parser = _parser(fmt or head.format, explicit=fmt is not None)
    stream = WatchedStream(name, source.opener, head.encoding, bom=head.bom)
    line, offset = 1, 0
    try:
        for item in parser.parse(stream):
            yield from stream.pending()
            line, offset = item.line, item.offset
            # The stream reports every NUL run itself; a parser that says so too would
            # double the warning.
            if not (isinstance(item, ParseWarning) and item.code is WarningCode.NUL_BYTES):
                yield item
    except OSError as exc:
        yield from stream.pending()
        yield ParseWarning(
            name,
            line,
            offset,
            WarningCode.UNREADABLE,
            f"reading stopped after line {line}: {_why(exc)}; anything later is missing",
        )
        return
    yield from stream.finish()
    if stream.odd_tail:
        yield ParseWarning(
            name,
            line,
            max(source.size - 1, 0),
            WarningCode.ODD_UTF16_LENGTH,
            "UTF-16 file with an odd number of bytes: the last byte is cut off and ignored",
        )


def read_paths(
    paths: Iterable[str | Path], *, limits: ZipLimits = DEFAULT_LIMITS
) -> Iterator[ReadItem | InputProblem]:
    """Everything under ``paths``: the input problems, then each rotation family's
    records, oldest generation first."""
    found = find_logs(paths, limits=limits)
    yield from found.problems
    for source in found.sources:
        yield from read_source(source)


def _parser(fmt: LogFormat, *, explicit: bool) -> Parser:
    """The parser for ``fmt``; a sniffed format without a parser falls back to plain."""
    parsers = all_parsers()
    parser = parsers.get(fmt)
    if parser is None and not explicit:
        parser = parsers.get(LogFormat.PLAIN)
    if parser is None:
        known = ", ".join(sorted(f.value for f in parsers)) or "none"
        raise ParseError(f"no parser for format {fmt.value!r}; registered: {known}")
    return parser


def _why(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "the file is gone (moved or deleted since it was found)"
    return reason_of(exc)
