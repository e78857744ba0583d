"""Query: what the user typed into search or filter, as a text matcher with a byte prefilter.

A literal query (the default) matches case-insensitively unless it holds a capital
letter, as in less and lnav ("smart case"); a regex query is Python ``re`` syntax.
Records are matched on their message, the column CMTrace's Find looks at.

The prefilter lets a search skip whole chunks of a file without parsing them: when a
chunk's raw bytes do not contain the query, none of its messages can. That holds only
where a message is a verbatim slice of the file, so it is used for literal ASCII
queries without line breaks, on formats whose messages are copied from the file
(not the USMT progress log, whose message is rebuilt from key/value pairs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from logscan.errors import UsageError
from logscan.model import LogFormat, LogRecord

_REBUILT = frozenset({LogFormat.USMT_PROGRESS})  # message is not a slice of the file


@dataclass(frozen=True, slots=True)
class Query:
    """A search or filter text. Build with ``Query.parse``; a bad regex is a UsageError."""

    text: str
    regex: bool = False
    ignore_case: bool = True
    pattern: re.Pattern[str] = field(compare=False, repr=False, default=re.compile(""))
    raw: re.Pattern[bytes] | None = field(compare=False, repr=False, default=None)

    @classmethod
    def parse(cls, text: str, *, regex: bool = False, ignore_case: bool | None = None) -> Query:
        """A query for ``text``; ``ignore_case`` None means smart case."""
        if ignore_case is None:
            ignore_case = text == text.lower()
        flags = re.IGNORECASE if ignore_case else 0
        source = text if regex else re.escape(text)
        try:
            pattern = re.compile(source, flags)
        except re.error as exc:
            raise UsageError(f"not a valid regular expression: {text!r} ({exc})") from None
        raw: re.Pattern[bytes] | None = None
        if not regex and text.isascii() and "\n" not in text and "\r" not in text:
            # ASCII case folding is exact for ASCII text, except that Unicode folding
            # also matches the Kelvin sign and long s; an ASCII-only pattern keeps
            # both sides folding the same way.
            pattern = re.compile(source, flags | re.ASCII)
            raw = re.compile(re.escape(text.encode("ascii")), flags)
        return cls(text, regex, ignore_case, pattern, raw)

    def matches(self, record: LogRecord) -> bool:
        return self.pattern.search(record.message) is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the query matches ``text`` (for highlighting); empty matches left out."""
        return [m.span() for m in self.pattern.finditer(text) if m.end() > m.start()]

    def prefilter(self, fmt: LogFormat) -> re.Pattern[bytes] | None:
        """A byte pattern every chunk with a match must contain, or None if none is safe."""
        if self.raw is None or fmt in _REBUILT or not self.text:
            return None
        return self.raw

    def describe(self) -> str:
        kind = "regex" if self.regex else "text"
        case = "" if self.ignore_case else ", case-sensitive"
        return f"{kind} {self.text!r}{case}"
