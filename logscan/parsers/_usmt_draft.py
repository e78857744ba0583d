"""The USMT record being assembled, and the small readers the USMT parser applies to it.

A USMT record is one stamped line plus any continuation lines; blank lines only become
part of it when more text follows them. The message is capped at ``MAX_MESSAGE`` bytes
(the record's offset and length still cover every line) so a runaway block cannot
exhaust memory.
"""

from __future__ import annotations

import re
from datetime import datetime

from logscan.model import Level, ParseWarning, RecordFlag
from logscan.parsers._lines import PhysLine

MAX_MESSAGE = 1 << 20
_GLE = re.compile(rb"\[gle=0x(?P<gle>[0-9A-Fa-f]{1,8})\]\s*\Z")  # GetLastError suffix
_RETURN = re.compile(
    r"""
    \b (?:return|exit) \s+ code \b \s* [:=]? \s*   # "ScanState return code: 0", "exit code 38"
    \(? \s* (?P<value>0x[0-9A-Fa-f]+ | [-+]?\d+)   # decimal, or hex as OSDUSMT writes it
    """,
    re.VERBOSE | re.IGNORECASE,
)
PROGRAMS = {"scanstate": "ScanState", "loadstate": "LoadState", "usmtutils": "UsmtUtils"}


class Draft:
    """A record under construction; turned into a ``LogRecord`` by the parser."""

    __slots__ = (
        "bad_time",
        "capped",
        "component",
        "end",
        "extras",
        "first",
        "head",
        "level",
        "local_time",
        "message",
        "oversize",
        "pending",
        "problems",
        "run_start",
        "start",
        "truncated",
    )

    def __init__(
        self, first: PhysLine, head: bytes, local_time: datetime | None, *, bad_time: bool = False
    ) -> None:
        self.first = first
        self.start = first.pos
        self.head = head  # the message text on the first line
        self.message = bytearray(head[:MAX_MESSAGE])
        self.capped = len(head) > MAX_MESSAGE
        self.pending = bytearray(first.eol)  # line breaks and blank lines not yet committed
        self.end = first.end  # end of the last non-blank line
        self.local_time = local_time
        self.bad_time = bad_time
        self.level: Level | None = None
        self.component = ""
        self.run_start = False
        self.truncated = False
        self.oversize = first.oversize
        self.extras: dict[str, str] = {}
        self.problems: list[ParseWarning] = []

    def add(self, line: PhysLine) -> bool:
        """Append a continuation line; True when this line made the message hit the cap."""
        was_capped = self.capped
        if line.blank:
            self._keep(line.text + line.eol)
            return self.capped and not was_capped
        self._keep(line.text)
        if not self.capped:
            self.message += self.pending
        self.pending = bytearray(line.eol)
        self.end = line.end
        self.oversize = self.oversize or line.oversize
        return self.capped and not was_capped

    def _keep(self, data: bytes) -> None:
        if self.capped:
            return
        if len(self.message) + len(self.pending) + len(data) > MAX_MESSAGE:
            self.capped = True
            return
        self.pending += data

    def message_bytes(self) -> tuple[bytes, str | None]:
        """The message without its ``[gle=…]`` suffix, and that suffix's value."""
        raw = bytes(self.message)
        m = _GLE.search(raw, max(0, len(raw) - 64))
        if m is None:
            return raw, None
        return raw[: m.start()], "0x" + m["gle"].decode("ascii")

    def flags(self) -> set[RecordFlag]:
        flags: set[RecordFlag] = set()
        if self.bad_time:
            flags.add(RecordFlag.BAD_TIME)
        if self.run_start:
            flags.add(RecordFlag.RUN_START)
        if self.truncated:
            flags.add(RecordFlag.TRUNCATED)
        if self.oversize or self.capped:
            flags.add(RecordFlag.OVERSIZE)
        return flags


def return_code(message: str) -> str | None:
    """The return/exit code a message states, in decimal, or None."""
    m = _RETURN.search(message, 0, 4096)
    if m is None:
        return None
    value = m["value"]
    return str(int(value, 16)) if value[:2].lower() == "0x" else str(int(value))


def program_from_source(source: str) -> str | None:
    """ScanState/LoadState/UsmtUtils when the file name says so (``scanstate.log``,
    ``bundle.zip!SMSTSLog/LoadState.log``)."""
    name = re.split(r"[\\/!]", source)[-1].lower()
    for key, program in PROGRAMS.items():
        if key in name:
            return program
    return None
