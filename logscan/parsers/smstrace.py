"""Parser for the legacy SMS "simple" trace format: ``message  $$<Component><stamp><thread=…>``.

All three generations (log-formats.md §2) are read:

- 3 (SMS 2003, ConfigMgr 2007, CB site servers): ``<MM-DD-YYYY HH:MM:SS.mmm+240>`` and
  ``<thread=4120 (0x1018)>``; the suffix is the Windows bias, so UTC = local + bias;
- 2 (SMS 2.0): ``<Fri Mar 26 10:43:41.547 1999 Eastern Standard Time>``, possibly with
  spaces between ``> <``; local time only, the zone name goes to ``extras["zone"]``;
- 1 (SMS 1.x): ``<Wed May 21 17:09:27 1997~><thread=DB>``, bare hexadecimal thread,
  ``~`` markers at the start of message lines (dropped from the message).

Decisions:

- The trailer is found at the *last* ``$$<`` of a line, since messages may contain ``$$``.
- The message keeps its leading spaces as written (site components indent sub-items);
  the separator spaces before ``$$<`` and a trailing ``~~`` (managed code, flag MANAGED)
  are removed.
- The trailer *ends* a record, so lines without ``$$<`` are the start of the message
  that the next trailer closes: a message written with line breaks, a generation-1
  ``~`` continuation, or a KB page that wrapped the trailer onto its own line. Such a
  record starts at its first line and is flagged MULTILINE. Text that no trailer closes
  (end of file, a rollover marker, or more than ``_MAX_PENDING`` lines) becomes a record
  of its own, flagged UNCLOSED, with an UNCLOSED_RECORD warning.
- ``<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>`` is a record flagged ROLLOVER.
- Severity is inferred from the text as CMTrace does (``_severity``).
"""

from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType

from logscan.inputs.stream import TextStream
from logscan.model import Level, LogFormat, LogRecord, ParseWarning, RecordFlag, WarningCode
from logscan.parsers._lines import PhysLine, TextDecoder, head_lines, physical_lines
from logscan.parsers._severity import infer_level
from logscan.parsers._smstrace_trailer import TRAILER_RE, Trailer, parse_trailer
from logscan.parsers.base import ParseItem, register

_MARKER = b"$$<"
_ROLLOVER = b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>"
_MAX_PENDING = 200  # lines of unclosed text kept waiting for a trailer


@register
class SmsTraceParser:
    """Legacy ``$$<`` trace logs of SMS 1.x to ConfigMgr site servers."""

    format = LogFormat.SMSTRACE

    def sniff(self, head: str) -> float:
        lines = head_lines(head)
        hits = sum(
            1
            for line in lines
            if ("$$<" in line and TRAILER_RE.match(line.rsplit("$$<", 1)[1].encode()))
            or line.strip() == _ROLLOVER.decode()
        )
        if not hits:
            return 0.0
        return min(0.95, 0.6 + 0.35 * hits / len(lines))

    def parse(self, stream: TextStream) -> Iterator[ParseItem]:
        return _Run(stream).items()


class _Run:
    """State of one parse: lines waiting for the trailer that closes them."""

    def __init__(self, stream: TextStream) -> None:
        self.stream = stream
        self.decoder = TextDecoder(stream)
        self.pending: list[PhysLine] = []

    def items(self) -> Iterator[ParseItem]:
        for item in physical_lines(self.stream):
            if isinstance(item, ParseWarning):
                yield item
                continue
            text = item.text
            cut = text.rfind(_MARKER)
            if cut >= 0:
                yield from self._record(item, text[:cut], text[cut + len(_MARKER) :])
            elif text.strip() == _ROLLOVER:
                yield from self._flush_pending()
                yield self._rollover(item)
            elif self.pending or not item.blank:
                self.pending.append(item)
                if len(self.pending) > _MAX_PENDING:
                    yield from self._flush_pending()
        yield from self._flush_pending()

    def _record(self, line: PhysLine, head: bytes, tail: bytes) -> Iterator[ParseItem]:
        stream = self.stream
        first = self.pending[0] if self.pending else line
        offset = stream.file_offset(first.pos)
        trailer = parse_trailer(tail, stream.text_codec)
        for code, text in trailer.problems:
            yield ParseWarning(stream.source, line.number, offset, code, text)
        flags: set[RecordFlag] = set()
        if trailer.bad_time:
            flags.add(RecordFlag.BAD_TIME)
        if line.oversize:
            flags.add(RecordFlag.OVERSIZE)
        message, managed = _message(self.pending, head, gen1=trailer.generation == 1)
        if managed:
            flags.add(RecordFlag.MANAGED)
        self.pending = []
        text, warning = self.decoder.text(message, first.number, offset, flags)
        if warning:
            yield warning
        if "\n" in text or "\r" in text:
            flags.add(RecordFlag.MULTILINE)
        yield _make(
            stream, first=first, last=line, offset=offset, trailer=trailer, text=text, flags=flags
        )

    def _rollover(self, line: PhysLine) -> LogRecord:
        offset = self.stream.file_offset(line.pos)
        return LogRecord(
            source=self.stream.source,
            line=line.number,
            offset=offset,
            length=self.stream.file_offset(line.end) - offset,
            local_time=None,
            bias=None,
            level=Level.INFO,
            component="",
            thread=None,
            message=_ROLLOVER.decode(),
            format=LogFormat.SMSTRACE,
            flags=frozenset({RecordFlag.ROLLOVER}),
        )

    def _flush_pending(self) -> Iterator[ParseItem]:
        """Text no trailer closed: one UNCLOSED record (trailing blank lines dropped)."""
        lines = self.pending
        self.pending = []
        while lines and lines[-1].blank:
            lines.pop()
        if not lines:
            return
        stream = self.stream
        first, last = lines[0], lines[-1]
        offset = stream.file_offset(first.pos)
        raw = b"".join(line.text + line.eol for line in lines[:-1]) + last.text
        flags = {RecordFlag.UNCLOSED}
        text, decode_warning = self.decoder.text(raw, first.number, offset, flags)
        if len(lines) > 1:
            flags.add(RecordFlag.MULTILINE)
        if any(line.oversize for line in lines):
            flags.add(RecordFlag.OVERSIZE)
        yield ParseWarning(
            stream.source,
            first.number,
            offset,
            WarningCode.UNCLOSED_RECORD,
            f"{len(lines)} line(s) of text without a $$<component><time><thread> trailer; "
            "kept as a record with no time",
        )
        if decode_warning:
            yield decode_warning
        yield LogRecord(
            source=stream.source,
            line=first.number,
            offset=offset,
            length=stream.file_offset(last.end) - offset,
            local_time=None,
            bias=None,
            level=infer_level(text),
            component="",
            thread=None,
            message=text,
            format=LogFormat.SMSTRACE,
            flags=frozenset(flags),
        )


def _message(pending: list[PhysLine], head: bytes, *, gen1: bool) -> tuple[bytes, bool]:
    """The message bytes of a record: waiting lines, then the text before ``$$<``."""
    body = head.rstrip()
    managed = body.endswith(b"~~")
    if managed:
        body = body[:-2].rstrip()
    if not pending:
        return (body[1:] if gen1 and body.startswith(b"~") else body), managed
    parts = [line.text for line in pending]
    eols = [line.eol for line in pending]
    if body.strip():
        parts.append(body)
    else:
        eols.pop()  # the trailer sat alone on its line: the message ends with the text above
    if gen1:
        parts = [p[1:] if p.startswith(b"~") else p for p in parts]
    out = bytearray()
    for i, part in enumerate(parts):
        out += part
        if i < len(eols):
            out += eols[i]
    return bytes(out), managed


def _make(
    stream: TextStream,
    *,
    first: PhysLine,
    last: PhysLine,
    offset: int,
    trailer: Trailer,
    text: str,
    flags: set[RecordFlag],
) -> LogRecord:
    return LogRecord(
        source=stream.source,
        line=first.number,
        offset=offset,
        length=stream.file_offset(last.end) - offset,
        local_time=trailer.local_time,
        bias=trailer.bias,
        level=infer_level(text),
        component=trailer.component,
        thread=trailer.thread,
        message=text,
        format=LogFormat.SMSTRACE,
        flags=frozenset(flags),
        extras=MappingProxyType(dict(trailer.extras)),
    )
