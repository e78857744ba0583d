"""Where a parse may restart inside a file, and the state it must restart with.

A window of records is re-parsed from a checkpoint: a record start where the parser,
started fresh, produces exactly the records the full parse produced from there on.
For CCM, legacy trace, USMT progress, CMTrace copies and plain text every record start
qualifies: a record never depends on text before its first byte (the tests hold every
format to this on real and damaged logs). USMT is the exception: a record's component
is the program named by the last ``<PROGRAM>.EXE Version`` line and ``extras["run"]``
counts the runs before it, so a checkpoint carries both (``Resume``) and the records of
a window are corrected with them. A record right after a Version line is never a
checkpoint, because the run that line opened is counted differently when a fresh parse
meets the ``USMT Started at`` line first.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import MappingProxyType

from logscan.model import LogFormat, LogRecord, RecordFlag


@dataclass(frozen=True, slots=True)
class Resume:
    """Parser state at a checkpoint; ``program`` None means the parser's own default."""

    program: str | None = None
    run: int = 0


_START = Resume()


def _run_of(record: LogRecord) -> int:
    try:
        return int(record.extras.get("run", "0"))
    except ValueError:
        return 0


class Tracker:
    """Follows a parse record by record and says whether the next one may be a checkpoint."""

    __slots__ = ("_after_opener", "_program", "_run", "_usmt")

    def __init__(self, fmt: LogFormat, state: Resume = _START) -> None:
        self._usmt = fmt is LogFormat.USMT
        self._program = state.program
        self._run = state.run
        self._after_opener = False

    def state(self) -> Resume | None:
        """The checkpoint state for the next record, None when it cannot be one."""
        if not self._usmt:
            return _START
        if self._after_opener:
            return None
        return Resume(self._program, self._run)

    def observe(self, record: LogRecord) -> None:
        if not self._usmt:
            return
        run = _run_of(record)
        # A run opened by a Version line (not by "USMT Started at", which is flagged).
        self._after_opener = run > self._run and RecordFlag.RUN_START not in record.flags
        self._run = run
        self._program = record.component


class WindowFix:
    """Corrects, record by record, a parse started fresh at a checkpoint."""

    __slots__ = ("_active", "_own_program", "_previous", "_state")

    def __init__(self, fmt: LogFormat, state: Resume) -> None:
        self._active = fmt is LogFormat.USMT and state != _START
        self._state = state
        self._previous = 0
        self._own_program = False  # a Version line inside the window named the program

    def __call__(self, record: LogRecord) -> LogRecord:
        if not self._active:
            return record
        run = _run_of(record)
        if run > self._previous and RecordFlag.RUN_START not in record.flags:
            self._own_program = True
        self._previous = run
        extras = dict(record.extras)
        extras["run"] = str(self._state.run + run)
        component = record.component
        if not self._own_program and self._state.program is not None:
            component = self._state.program
        return dataclasses.replace(record, component=component, extras=MappingProxyType(extras))
