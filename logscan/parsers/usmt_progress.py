"""Parser for the USMT progress log written by ``/progress:`` (log-formats.md §4.2).

``DD Mon YYYY, HH:MM:SS[ ±HH:MM], HH:MM:SS, key, value{, key, value}``. Decisions:

- The zone is an ISO offset (``-08:00`` is Pacific): UTC = local - offset. The record's
  ``bias`` is stored the Windows way, -offset in minutes, so UTC = local + bias holds for
  every format. Without the zone, bias and UTC are None.
- Every key/value pair goes to ``extras`` (plus ``elapsed``, the run time so far); the
  message is the pairs as ``key=value`` joined by ", ". Values may contain ", " (paths,
  command lines): a token that is not a known key is taken as part of the value before
  it when the pair count would not come out even; double-quoted text is never split.
- Level: an ``error`` pair is ERROR, or WARNING when ``action`` is ``Ignore`` (USMT
  skipped it under ``/c`` and carried on); ``numberOfIgnoredErrors`` above 0 is WARNING;
  everything else INFO. Component is ``USMT progress``.
- A line off the grammar is kept as a record with no time and a STRAY_TEXT warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from types import MappingProxyType

from logscan.inputs.stream import TextStream
from logscan.model import Level, LogFormat, LogRecord, ParseWarning, RecordFlag, WarningCode
from logscan.parsers._lines import PhysLine, TextDecoder, head_lines, physical_lines
from logscan.parsers._progress_pairs import level_of, split_pairs
from logscan.parsers._severity import infer_level
from logscan.parsers.base import ParseItem, register

COMPONENT = "USMT progress"
_LINE = re.compile(
    rb"""
    (?P<day>\d{1,2}) [ ]+ (?P<mon>[A-Za-z]{3}) [ ]+ (?P<year>\d{4}) [ ]* , [ ]*
    (?P<h>\d{1,2}) : (?P<mi>\d{2}) : (?P<s>\d{2})
    (?: [ ]+ (?P<sign>[+-]) (?P<oh>\d{1,2}) : (?P<om>\d{2}) )?   # ISO offset, east positive
    [ ]* , [ ]* (?P<elapsed>\d+ : \d{2} : \d{2})                 # time since USMT started
    [ ]* , [ ]? (?P<rest>.*)                                     # key, value, ...
    """,
    re.VERBOSE | re.DOTALL,
)
_MONTHS = {
    m.encode(): i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_MAX_OFFSET = 14 * 60  # ISO offsets run from -12:00 to +14:00


@register
class UsmtProgressParser:
    """The ``/progress:`` log of ScanState and LoadState."""

    format = LogFormat.USMT_PROGRESS

    def sniff(self, head: str) -> float:
        lines = head_lines(head)
        hits = sum(1 for line in lines if _LINE.match(line.encode("utf-8", "replace")))
        if not hits:
            return 0.0
        return min(0.9, 0.5 + 0.4 * hits / len(lines))

    def parse(self, stream: TextStream) -> Iterator[ParseItem]:
        decoder = TextDecoder(stream)
        for item in physical_lines(stream):
            if isinstance(item, ParseWarning):
                yield item
            elif not item.blank:
                yield from _line(stream, decoder, item)


def _line(stream: TextStream, decoder: TextDecoder, line: PhysLine) -> Iterator[ParseItem]:
    offset = stream.file_offset(line.pos)
    m = _LINE.match(line.text)
    flags: set[RecordFlag] = set()
    if line.oversize:
        flags.add(RecordFlag.OVERSIZE)
    text, warning = decoder.text(m["rest"] if m else line.text, line.number, offset, flags)
    if warning:
        yield warning
    if m is None:
        yield ParseWarning(
            stream.source,
            line.number,
            offset,
            WarningCode.STRAY_TEXT,
            "line is not 'DD Mon YYYY, HH:MM:SS, elapsed, key, value'; kept as plain text",
        )
        yield _record(stream, line, offset, text=text, level=infer_level(text), flags=flags)
        return
    local = _local(m)
    bias: int | None = None
    if local is None:
        flags.add(RecordFlag.BAD_TIME)
        yield _warn(stream, line, offset, WarningCode.BAD_TIMESTAMP, "impossible date or time")
    if m["sign"]:
        east = (int(m["oh"]) * 60 + int(m["om"])) * (-1 if m["sign"] == b"-" else 1)
        if abs(east) > _MAX_OFFSET or int(m["om"]) >= 60:
            yield _warn(stream, line, offset, WarningCode.BAD_BIAS, "zone offset out of range")
        else:
            bias = -east  # ISO offset east of UTC; the record's UTC is local + bias
    pairs = split_pairs(text)
    extras = {"elapsed": m["elapsed"].decode("ascii")}
    for key, value in pairs:
        extras[key] = f"{extras[key]}, {value}" if key in extras else value
    message = ", ".join(f"{key}={value}" for key, value in pairs)
    yield _record(
        stream,
        line,
        offset,
        text=message,
        level=level_of(pairs),
        flags=flags,
        local=local,
        bias=bias,
        extras=extras,
    )


def _local(m: re.Match[bytes]) -> datetime | None:
    month = _MONTHS.get(m["mon"].lower())
    if month is None:
        return None
    try:
        return datetime(
            int(m["year"]), month, int(m["day"]), int(m["h"]), int(m["mi"]), int(m["s"])
        )
    except ValueError:
        return None


def _warn(
    stream: TextStream, line: PhysLine, offset: int, code: WarningCode, text: str
) -> ParseWarning:
    return ParseWarning(stream.source, line.number, offset, code, text)


def _record(
    stream: TextStream,
    line: PhysLine,
    offset: int,
    *,
    text: str,
    level: Level,
    flags: set[RecordFlag],
    local: datetime | None = None,
    bias: int | None = None,
    extras: dict[str, str] | None = None,
) -> LogRecord:
    return LogRecord(
        source=stream.source,
        line=line.number,
        offset=offset,
        length=stream.file_offset(line.end) - offset,
        local_time=local,
        bias=bias,
        level=level,
        component=COMPONENT,
        thread=None,
        message=text,
        format=LogFormat.USMT_PROGRESS,
        flags=frozenset(flags),
        extras=MappingProxyType(extras or {}),
    )
