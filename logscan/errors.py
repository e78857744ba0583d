"""The logscan exception tree, each error carrying where it happened.

Bad *content* is never an exception (it becomes a ``ParseWarning``); these errors are for
inputs that cannot be read at all, broken rule files, bad command lines. Every message
names the file (and line or offset when known) and says what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A place in an input: a path (``bundle.zip!member`` for zip members) and optionally
    a 1-based line and column, or a byte offset."""

    path: str
    line: int | None = None
    column: int | None = None
    offset: int | None = None

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        elif self.offset is not None:
            text += f"@{self.offset}"
        return text


class LogscanError(Exception):
    """Root of every error logscan raises on purpose."""

    def __init__(self, message: str, location: SourceLocation | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class InputError(LogscanError):
    """An input path cannot be read: missing, unreadable, corrupt or hostile archive."""


class ParseError(LogscanError):
    """A parser was misused (unknown format name); content problems are warnings instead."""


class UsageError(LogscanError):
    """A command line or option that cannot be honoured."""
