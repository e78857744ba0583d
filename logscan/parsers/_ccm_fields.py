"""CCM field conversions shared by the fast and the by-name paths: date, time, bias, level.

The CCM time suffix is the Windows bias in minutes (UTC = local + bias), not an ISO
offset; see reference/log-formats.md section 1.2. The fast path caches
these conversions per distinct raw value.
"""

from __future__ import annotations

import re
from datetime import datetime

from logscan.model import Level

_DATE = re.compile(rb"(\d{1,2})[-/](\d{1,2})[-/](\d{4})\Z")

_TIME = re.compile(
    rb"""
    (\d{1,2}) : (\d{2}) : (\d{2})   # hour (1 or 2 digits), minute, second
    (?: \. (\d*) )?                 # fraction: 3 digits native, 7 .NET, 6 third-party
    (.*)                            # bias suffix, checked separately
    \Z
    """,
    re.X | re.S,
)

_BIAS = re.compile(rb"[+-]\d{1,3}\Z")

# Microseconds per unit of the last digit, by fraction length.
_FRAC_SCALE = (0, 100_000, 10_000, 1_000, 100, 10, 1)
MAX_FRACTION = 7

LEVELS: dict[bytes, Level] = {
    b"0": Level.VERBOSE,
    b"1": Level.INFO,
    b"2": Level.WARNING,
    b"3": Level.ERROR,
    b"": Level.INFO,
}


def frac_to_us(frac: bytes) -> int:
    """Microseconds from fraction digits; 7-digit .NET ticks are truncated, not rounded,
    so a record never moves into the next second."""
    n = len(frac)
    if n == 0:
        return 0
    if n <= 6:
        return int(frac) * _FRAC_SCALE[n]
    return int(frac[:6])


def date_parts(raw: bytes) -> tuple[int, int, int] | None:
    """(year, month, day) for a CCM ``M-D-YYYY`` date, or None when it is not a real date."""
    m = _DATE.match(raw)
    if m is None:
        return None
    month, day, year = int(m[1]), int(m[2]), int(m[3])
    try:
        datetime(year, month, day)
    except ValueError:
        return None
    return (year, month, day)


TimeSuffix = tuple[int, int | None]  # microseconds, bias

_SUFFIX = re.compile(rb"(?: \. (\d{0,7}) )? ([+-]\d{1,3})? \Z", re.X)


def time_suffix(raw: bytes) -> TimeSuffix | None:
    """Fraction and bias after ``H:MM:SS`` (``.476+240``), or None when either is odd."""
    m = _SUFFIX.match(raw)
    if m is None:
        return None
    us = frac_to_us(m[1] or b"")
    return us, None if m[2] is None else int(m[2])


class TimeFields:
    """Result of reading one record's ``time`` and ``date`` attributes."""

    __slots__ = ("bad", "bias", "local", "problems")

    def __init__(self) -> None:
        self.local: datetime | None = None
        self.bias: int | None = None
        self.bad = False  # a timestamp was present but unusable
        self.problems: list[tuple[str, str]] = []  # ("time"|"bias", explanation)


def read_times(time_raw: bytes | None, date_raw: bytes | None) -> TimeFields:
    """Local time, bias and UTC from raw attribute values, noting every anomaly."""
    out = TimeFields()
    if time_raw is None or date_raw is None:
        missing = [n for n, v in (("time", time_raw), ("date", date_raw)) if v is None]
        out.problems.append(("time", f"no {' or '.join(missing)} attribute"))
    clock: tuple[int, int, int, int] | None = None
    if time_raw is not None:
        m = _TIME.match(time_raw)
        if m is None or len(m[4] or b"") > MAX_FRACTION:
            out.bad = True
            out.problems.append(("time", f"unreadable time {show(time_raw)}"))
        else:
            clock = (int(m[1]), int(m[2]), int(m[3]), frac_to_us(m[4] or b""))
            suffix = m[5]
            if suffix:
                if _BIAS.match(suffix):
                    out.bias = int(suffix)
                else:
                    out.problems.append(("bias", f"unreadable time-zone bias {show(suffix)}"))
    day: tuple[int, int, int] | None = None
    if date_raw is not None:
        day = date_parts(date_raw)
        if day is None:
            out.bad = True
            out.problems.append(("time", f"unreadable date {show(date_raw)}"))
    if clock is not None and day is not None:
        try:
            out.local = datetime(*day, *clock)
        except ValueError:
            out.bad = True
            out.problems.append(("time", f"impossible time {show(time_raw or b'')}"))
    return out


def show(raw: bytes) -> str:
    """A raw value quoted for a warning message, shortened when long."""
    text = raw.decode("utf-8", "replace")
    return repr(text if len(text) <= 60 else text[:57] + "...")
