"""Parser for CMTrace clipboard text pasted into tickets, KB articles and blogs (§3.2, §3.4).

CMTrace copies a row as ``message<TAB>component<TAB>M/D/YYYY h:mm:ss AM<TAB>N (0xHEX)``;
web pages collapse the tabs to spaces, and KBs often quote only ``message component``.
Decisions:

- One record per non-blank line. With the date/time (US order, as CMTrace writes it; 12-
  or 24-hour clock) the token before it is the component, whatever it looks like, and the
  thread ``N (0xHEX)`` may follow. Without it, the last token is the component only when
  it looks like a ConfigMgr component (``looks_like_component``): KB977203's
  ``Failed to import client certificate store (0x80092024) OSDSMPClient`` gives
  component ``OSDSMPClient``. Other lines are records with an empty component.
- "Looks like a component": UPPER_SNAKE (``SMS_DISTRIBUTION_MANAGER``); CamelCase with at
  least two capitals and a lower-case letter (``OSDSMPClient``, ``TSManager``,
  ``PolicyAgent_ReplyAssignments``); all capitals, 5 letters or more, with a ConfigMgr
  prefix OSD/SMS/CCM/TS (``OSDUSMT``). Never "ERROR" or "FAILED". Lower-case components
  (``execmgr``) look like words, so only the date/time column reveals them.
- Time is local (no bias, no UTC); severity is inferred from the text as CMTrace does.
- Sniffing gives modest confidence (0.3-0.5) so any real log format wins over it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from logscan.inputs.stream import TextStream
from logscan.model import LogFormat, LogRecord, ParseWarning, RecordFlag, WarningCode
from logscan.parsers._lines import PhysLine, TextDecoder, head_lines, physical_lines
from logscan.parsers._severity import infer_level
from logscan.parsers.base import ParseItem, register

_FULL = re.compile(
    r"""
    (?P<msg>.*?) \s+
    (?P<comp>\S+) \s+                                      # component column
    (?P<mon>\d{1,2}) / (?P<day>\d{1,2}) / (?P<year>\d{4}) \s+   # US date
    (?P<h>\d{1,2}) : (?P<mi>\d{2}) : (?P<s>\d{2}) (?: \. (?P<ms>\d{1,3}) )?
    (?: \s* (?P<ampm>[AaPp][Mm]) )?                        # 12-hour clock in US locales
    (?: \s+ (?P<tid>\d+) (?: \s* \( \s* 0x (?P<hex>[0-9A-Fa-f]+) \s* \) )? )?   # thread
    \s*
    """,
    re.VERBOSE | re.DOTALL,
)
_TAIL_TOKEN = re.compile(r"(?P<msg>.*\S)\s+(?P<comp>\S+)\s*", re.DOTALL)
_WORD = re.compile(r"[A-Z][A-Za-z0-9_]*")
_SNAKE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_ACRONYM_PREFIXES = ("OSD", "SMS", "CCM", "TS")


def looks_like_component(word: str) -> bool:
    """True for ConfigMgr-style component names (see the module docstring)."""
    if _WORD.fullmatch(word) is None:
        return False
    if _SNAKE.fullmatch(word) is not None:
        return True
    if not any(c.islower() for c in word):
        # All capitals without "_": only prefixed acronyms, never "ERROR" or "FAILED".
        return len(word) >= 5 and word.startswith(_ACRONYM_PREFIXES)
    return sum(c.isupper() for c in word) >= 2


@register
class CmtraceCopyParser:
    """CMTrace rows copied as text."""

    format = LogFormat.CMTRACE_COPY

    def sniff(self, head: str) -> float:
        lines = head_lines(head)
        if not lines:
            return 0.0
        fits = sum(1 for line in lines if _fits(line.strip()))
        share = fits / len(lines)
        return 0.3 + 0.2 * share if share >= 0.5 else 0.0

    def parse(self, stream: TextStream) -> Iterator[ParseItem]:
        decoder = TextDecoder(stream)
        for item in physical_lines(stream):
            if isinstance(item, ParseWarning):
                yield item
            elif not item.blank:
                yield from _line(stream, decoder, item)


def _fits(line: str) -> bool:
    if _FULL.fullmatch(line):
        return True
    tail = _TAIL_TOKEN.fullmatch(line)
    return tail is not None and looks_like_component(tail["comp"])


def _line(stream: TextStream, decoder: TextDecoder, line: PhysLine) -> Iterator[ParseItem]:
    offset = stream.file_offset(line.pos)
    flags: set[RecordFlag] = set()
    if line.oversize:
        flags.add(RecordFlag.OVERSIZE)
    raw_text, warning = decoder.text(line.text, line.number, offset, flags)
    if warning:
        yield warning
    text = raw_text.strip()
    message, component = text, ""
    local: datetime | None = None
    thread: int | None = None
    full = _FULL.fullmatch(text)
    if full is not None:
        message, component = full["msg"].strip(), full["comp"]
        local = _local(full)
        if local is None:
            flags.add(RecordFlag.BAD_TIME)
            yield ParseWarning(
                stream.source,
                line.number,
                offset,
                WarningCode.BAD_TIMESTAMP,
                "impossible date or time (CMTrace copies use US M/D/YYYY order)",
            )
        if full["tid"] is not None:
            thread = int(full["tid"])
            if full["hex"] is not None and int(full["hex"], 16) != thread:
                yield ParseWarning(
                    stream.source,
                    line.number,
                    offset,
                    WarningCode.BAD_THREAD,
                    f"thread {thread} and its hex form 0x{full['hex']} disagree; "
                    "the decimal value is kept",
                )
    else:
        tail = _TAIL_TOKEN.fullmatch(text)
        if tail is not None and looks_like_component(tail["comp"]):
            message, component = tail["msg"].strip(), tail["comp"]
    yield LogRecord(
        source=stream.source,
        line=line.number,
        offset=offset,
        length=stream.file_offset(line.end) - offset,
        local_time=local,
        bias=None,
        level=infer_level(message),
        component=component,
        thread=thread,
        message=message,
        format=LogFormat.CMTRACE_COPY,
        flags=frozenset(flags),
    )


def _local(m: re.Match[str]) -> datetime | None:
    hour = int(m["h"])
    ampm = (m["ampm"] or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return datetime(
            int(m["year"]),
            int(m["mon"]),
            int(m["day"]),
            hour,
            int(m["mi"]),
            int(m["s"]),
            int((m["ms"] or "0").ljust(3, "0")) * 1000,
        )
    except ValueError:
        return None
