"""The clock seam for repair: real UTC time, a fixed twin, and the folder time stamp.

Backup folders, plan times and audit records all take their time from a ``Clock`` so
tests (and the TUI's demo) get stable names and records.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of the current time; always timezone-aware UTC."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that says what it is told; ``step`` advances it after every reading."""

    def __init__(self, start: datetime, step: timedelta = timedelta(0)) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._step = step

    def now(self) -> datetime:
        current = self._now
        self._now += self._step
        return current


def stamp(moment: datetime) -> str:
    """A UTC time for file and folder names: ``20240315T140211Z`` (sorts, no colons)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def iso(moment: datetime) -> str:
    """A UTC time for records: ISO 8601 with ``Z``, to the millisecond."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
