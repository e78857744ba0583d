"""Parser for USMT ScanState/LoadState/UsmtUtils logs (USMT 4/5/10, and trimmed USMT 3).

``YYYY-MM-DD HH:MM:SS, Level<pad>[0xNNNNNN] message[gle=0xNNNNNNNN]`` (log-formats.md
§4.1). Decisions:

- The level column is padded to 22 characters on disk and collapsed by web copies, so
  any whitespace is accepted; ``Info``/``Warning``/``Error`` map to INFO/WARNING/ERROR.
  The stampless USMT 3 shape ``Error  [0x0802e9] message`` starts a record too (no time).
- Lines that start no record continue the previous one, line breaks kept as written
  (MULTILINE). Blank lines *after* a record's last text separate records and are not
  part of it; blank lines inside a block are. Text before the first record (a log that
  starts mid-record) becomes a record flagged TRUNCATED with a STRAY_TEXT warning.
- Time is local; USMT writes no zone, so bias and UTC stay None.
- ``extras``: ``code`` (the ``0xNNNNNN`` message code), ``gle`` (the ``[gle=…]`` suffix,
  removed from the message), ``run`` (see below) and ``return_code`` (decimal) when the
  message states a ``return code``/``exit code`` (e.g. ``UsmtUtils return code: 0``).
- ``component`` is the program: from the ``SCANSTATE.EXE Version …`` line when seen,
  else from the file name (scanstate/loadstate/usmtutils), else ``USMT``.
- USMT appends each run to an existing log. A run starts at ``USMT Started at`` (flag
  RUN_START); the ``<PROGRAM>.EXE Version`` line just before it belongs to the same run.
  ``extras["run"]`` numbers runs from 1; records before any run start are run 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from types import MappingProxyType

from logscan.inputs.stream import TextStream
from logscan.model import Level, LogFormat, LogRecord, ParseWarning, RecordFlag, WarningCode
from logscan.parsers._lines import PhysLine, TextDecoder, head_lines, physical_lines
from logscan.parsers._severity import infer_level
from logscan.parsers._usmt_draft import (
    MAX_MESSAGE,
    PROGRAMS,
    Draft,
    program_from_source,
    return_code,
)
from logscan.parsers.base import ParseItem, register

_STAMPED = re.compile(
    rb"""
    (?P<y>\d{4}) - (?P<mo>\d{2}) - (?P<d>\d{2}) [ ]+
    (?P<h>\d{2}) : (?P<mi>\d{2}) : (?P<s>\d{2})   # local time, no zone, no fraction
    , [ \t]*
    (?P<rest>.*)
    """,
    re.VERBOSE | re.DOTALL,
)
_LEVELED = re.compile(
    rb"""
    (?P<level>[A-Za-z]+) [ \t]*           # Info / Warning / Error, padded to 22 columns
    \[ 0x (?P<code>[0-9A-Fa-f]+) \] [ ]?  # USMT message code
    (?P<msg>.*)
    """,
    re.VERBOSE | re.DOTALL,
)
_LEVEL_ONLY = re.compile(rb"(?P<level>Info|Warning|Error)\b[ \t]*(?P<msg>.*)", re.DOTALL)
_STAMPLESS = re.compile(  # USMT 3 logs trimmed of their stamps
    rb"(?P<level>Info|Warning|Error)[ \t]+\[0x(?P<code>[0-9A-Fa-f]+)\][ ]?(?P<msg>.*)",
    re.DOTALL,
)
_VERSION = re.compile(rb"(?P<prog>[A-Za-z][A-Za-z0-9_]*)\.exe\s+version\b", re.IGNORECASE)
_STARTED = b"USMT Started at"
_LEVELS = {b"info": Level.INFO, b"warning": Level.WARNING, b"error": Level.ERROR}


@register
class UsmtParser:
    """ScanState.log, LoadState.log and UsmtUtils.log."""

    format = LogFormat.USMT

    def sniff(self, head: str) -> float:
        lines = head_lines(head)
        stamped = bare = 0
        for line in lines:
            raw = line.encode("utf-8", "replace")
            m = _STAMPED.match(raw)
            if m and _LEVELED.match(m["rest"]):
                stamped += 1
            elif _STAMPLESS.match(raw):
                bare += 1
        if stamped:
            return 0.9
        if bare:
            return min(0.7, 0.4 + 0.3 * bare / len(lines))
        return 0.0

    def parse(self, stream: TextStream) -> Iterator[ParseItem]:
        return _Run(stream).items()


class _Run:
    """One parse: the open record, the program and run number in force."""

    def __init__(self, stream: TextStream) -> None:
        self.stream = stream
        self.decoder = TextDecoder(stream)
        # A region parsed from the middle of a file starts with the program and run in
        # force there (see TextStream.context); a whole file starts from nothing.
        seed = stream.context
        self.program = seed.get("usmt.program") or program_from_source(stream.source) or "USMT"
        self.run = int(seed.get("usmt.run", "0"))
        self.version_opened_run = False  # the previous record was a run's Version line
        self.draft: Draft | None = None

    def items(self) -> Iterator[ParseItem]:
        for item in physical_lines(self.stream):
            if isinstance(item, ParseWarning):
                if self.draft is not None:
                    self.draft.problems.append(item)
                else:
                    yield item
                continue
            started = self._start(item)
            if started is not None:
                if self.draft is not None:
                    yield from self._close(self.draft)
                self.draft = started
            elif self.draft is not None:
                if self.draft.add(item):
                    self.draft.problems.append(
                        self._warn(
                            item,
                            WarningCode.OVERSIZE_RECORD,
                            f"record longer than {MAX_MESSAGE >> 20} MiB; the rest of its "
                            "text is not kept in the message",
                        )
                    )
            elif not item.blank:
                self.draft = self._orphan(item)
        if self.draft is not None:
            yield from self._close(self.draft)

    def _start(self, line: PhysLine) -> Draft | None:
        """A new record if ``line`` starts one."""
        text = line.text
        local: datetime | None = None
        problems: list[ParseWarning] = []
        stamped = _STAMPED.match(text)
        if stamped is not None:
            local = self._time(stamped, line, problems)
            rest = stamped["rest"]
            leveled = _LEVELED.match(rest) or _LEVEL_ONLY.match(rest)
            if leveled is None:
                problems.append(self._warn(line, WarningCode.BAD_LEVEL, "no level after the time"))
            msg = leveled["msg"] if leveled else rest
            draft = Draft(line, msg, local, bad_time=local is None)
        else:
            leveled = _STAMPLESS.match(text)
            if leveled is None:
                return None
            draft = Draft(line, leveled["msg"], None)
        draft.problems.extend(problems)
        if leveled is not None:
            word = leveled["level"]
            draft.level = _LEVELS.get(word.lower())
            if draft.level is None:
                shown = word.decode("ascii", "replace")
                draft.problems.append(
                    self._warn(line, WarningCode.BAD_LEVEL, f"unknown level {shown!r}")
                )
            if "code" in leveled.groupdict():
                draft.extras["code"] = "0x" + leveled["code"].decode("ascii")
        self._track_run(draft)
        return draft

    def _orphan(self, line: PhysLine) -> Draft:
        draft = Draft(line, line.text, None)
        draft.truncated = True
        draft.problems.append(
            self._warn(
                line,
                WarningCode.STRAY_TEXT,
                "text before the first USMT record (the log starts mid-record); kept as a "
                "record with no time",
            )
        )
        draft.extras["run"] = str(self.run)
        draft.component = self.program
        return draft

    def _time(
        self, m: re.Match[bytes], line: PhysLine, problems: list[ParseWarning]
    ) -> datetime | None:
        try:
            return datetime(
                int(m["y"]), int(m["mo"]), int(m["d"]), int(m["h"]), int(m["mi"]), int(m["s"])
            )
        except ValueError:
            shown = line.text[: m.start("rest")].decode("ascii", "replace").rstrip(", ")
            problems.append(
                self._warn(line, WarningCode.BAD_TIMESTAMP, f"impossible date or time {shown!r}")
            )
            return None

    def _track_run(self, draft: Draft) -> None:
        first_line = draft.head
        version = _VERSION.match(first_line)
        if version is not None:
            name = version["prog"].decode("ascii")
            self.program = PROGRAMS.get(name.lower(), name)
            self.run += 1
            self.version_opened_run = True
        elif first_line.startswith(_STARTED):
            draft.run_start = True
            if not self.version_opened_run:
                self.run += 1
            self.version_opened_run = False
        else:
            self.version_opened_run = False
        draft.component = self.program
        draft.extras["run"] = str(self.run)

    def _warn(self, line: PhysLine, code: WarningCode, text: str) -> ParseWarning:
        offset = self.stream.file_offset(line.pos)
        return ParseWarning(self.stream.source, line.number, offset, code, text)

    def _close(self, draft: Draft) -> Iterator[ParseItem]:
        stream = self.stream
        offset = stream.file_offset(draft.start)
        yield from draft.problems
        raw, gle = draft.message_bytes()
        flags = draft.flags()
        text, warning = self.decoder.text(raw, draft.first.number, offset, flags)
        if warning:
            yield warning
        if "\n" in text or "\r" in text:
            flags.add(RecordFlag.MULTILINE)
        extras = dict(draft.extras)
        if gle is not None:
            extras["gle"] = gle
        code = return_code(text)
        if code is not None:
            extras["return_code"] = code
        yield LogRecord(
            source=stream.source,
            line=draft.first.number,
            offset=offset,
            length=stream.file_offset(draft.end) - offset,
            local_time=draft.local_time,
            bias=None,
            level=draft.level if draft.level is not None else infer_level(text),
            component=draft.component,
            thread=None,
            message=text,
            format=LogFormat.USMT,
            flags=frozenset(flags),
            extras=MappingProxyType(extras),
        )
