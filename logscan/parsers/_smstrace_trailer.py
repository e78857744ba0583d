"""The trailer of a legacy trace line: ``Component><stamp><thread=…>`` after the last ``$$<``.

Kept apart from the line logic in ``smstrace`` because the three generations of stamps
and threads (log-formats.md §2) are a grammar of their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from logscan.model import WarningCode

TRAILER_RE = re.compile(
    rb"""
    (?P<comp>[^<>]*) >                # component, up to the first '>'
    \s* < (?P<stamp>[^<>]*) >         # stamp; SMS 2.0 KB copies write '> <'
    \s* < thread= (?P<thread>[^<>]*) >
    \s* $
    """,
    re.VERBOSE,
)

# The shape ConfigMgr itself writes, read in one match; anything else takes the slow path.
_FAST = re.compile(
    rb"""
    (?P<comp>[A-Za-z0-9_]+) ><
    (?P<mon>\d\d) - (?P<day>\d\d) - (?P<year>\d{4}) [ ]
    (?P<h>\d\d) : (?P<mi>\d\d) : (?P<s>\d\d) \. (?P<ms>\d{3})
    (?P<bias>[+-]\d{1,3})                        # bias minutes: UTC = local + bias
    ><thread= (?P<dec>\d+) [ ] \(0x (?P<hex>[0-9A-Fa-f]+) \)> [ \t]*
    """,
    re.VERBOSE,
)
_GEN3_EXTRAS = {"generation": "3"}

_GEN3 = re.compile(
    rb"""
    (?P<mon>\d{1,2}) - (?P<day>\d{1,2}) - (?P<year>\d{4}) \s+
    (?P<h>\d{1,2}) : (?P<mi>\d{2}) : (?P<s>\d{2})
    (?: \. (?P<frac>\d{1,7}) )?       # 3 digits from ConfigMgr, 6 from PowerShell writers
    (?P<rest>.*)                      # the bias, checked apart so garbage can be named
    """,
    re.VERBOSE | re.DOTALL,
)

_BIAS = re.compile(rb"\s*([+-])(\d{1,3})\s*")  # Windows bias in minutes: UTC = local + bias

_CTIME = re.compile(
    rb"""
    \s* (?: [A-Za-z]{3} \s+ )?                  # weekday
    (?P<mon>[A-Za-z]{3}) \s+ (?P<day>\d{1,2}) \s+
    (?P<h>\d{1,2}) : (?P<mi>\d{2}) : (?P<s>\d{2})
    (?: \. (?P<ms>\d{1,3}) )?                   # SMS 2.0 adds milliseconds
    \s+ (?P<year>\d{4})
    (?: \s+ (?P<zone>[A-Za-z][A-Za-z .()-]*?) )?  # SMS 2.0: time-zone *name*
    \s* (?P<tilde>~)? \s*                       # SMS 1.x: '~' marker inside the stamp
    """,
    re.VERBOSE,
)

_THREAD = re.compile(
    rb"""
    \s* (?:
        (?P<dec>\d+) \s* \( 0x (?P<hex>[0-9A-Fa-f]+) \)   # 4120 (0x1018)
      | (?P<bare>[0-9A-Fa-f]+)                            # SMS 1.x hex 'DB'; PowerShell PID
    ) \s*
    """,
    re.VERBOSE,
)

_MONTHS = {
    m.encode(): i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# Windows biases run from -840 (UTC+14) to +720 (UTC-12).
_MIN_BIAS, _MAX_BIAS = -840, 720


@dataclass(slots=True)
class Trailer:
    """What a trailer says, plus the problems found reading it."""

    component: str = ""
    local_time: datetime | None = None
    bias: int | None = None
    thread: int | None = None
    generation: int = 3
    bad_time: bool = False
    extras: Mapping[str, str] = field(default_factory=dict)
    problems: list[tuple[WarningCode, str]] = field(default_factory=list)


def parse_trailer(tail: bytes, codec: str = "utf-8") -> Trailer:
    """Read the text after ``$$<``; never raises, problems are listed instead."""
    fast = _FAST.fullmatch(tail)
    if fast is not None:
        quick = _quick(fast)
        if quick is not None:
            return quick
    out = Trailer()
    m = TRAILER_RE.match(tail)
    if m is None:
        out.component = tail.split(b">", 1)[0].strip().decode(codec, "replace")
        out.bad_time = True
        shown = tail.strip().decode(codec, "replace")[:80]
        out.problems.append(
            (
                WarningCode.BAD_TIMESTAMP,
                f"trailer after $$< is not <component><time><thread=…>: {shown!r}",
            )
        )
        return out
    out.component = m["comp"].strip().decode(codec, "replace")
    _read_stamp(m["stamp"], out)
    _read_thread(m["thread"], out)
    out.extras = {"generation": str(out.generation), **out.extras}
    return out


def _quick(m: re.Match[bytes]) -> Trailer | None:
    """The common generation-3 trailer, or None when any field needs the careful path."""
    bias = int(m["bias"])
    thread = int(m["dec"])
    if not _MIN_BIAS <= bias <= _MAX_BIAS or int(m["hex"], 16) != thread:
        return None
    try:
        local = datetime(
            int(m["year"]),
            int(m["mon"]),
            int(m["day"]),
            int(m["h"]),
            int(m["mi"]),
            int(m["s"]),
            int(m["ms"]) * 1000,
        )
    except ValueError:
        return None
    return Trailer(
        component=m["comp"].decode("ascii"),
        local_time=local,
        bias=bias,
        thread=thread,
        extras=_GEN3_EXTRAS,
    )


def _read_stamp(stamp: bytes, out: Trailer) -> None:
    g3 = _GEN3.fullmatch(stamp)
    if g3 is not None:
        frac = (g3["frac"] or b"0")[:6].ljust(6, b"0")
        out.local_time = _datetime(out, stamp, g3, month=g3["mon"], micro=frac)
        rest = g3["rest"]
        if rest.strip():
            bias = _BIAS.fullmatch(rest)
            value = int(bias[2]) * (-1 if bias[1] == b"-" else 1) if bias else None
            if value is None or not _MIN_BIAS <= value <= _MAX_BIAS:
                out.problems.append(
                    (
                        WarningCode.BAD_BIAS,
                        f"time-zone bias {rest.strip().decode('ascii', 'replace')!r} is not "
                        "minutes between -840 and +720; UTC left unknown",
                    )
                )
            else:
                out.bias = value
        return
    old = _CTIME.fullmatch(stamp)
    month = _MONTHS.get(old["mon"].lower()) if old else None
    if old is None or month is None:
        out.bad_time = True
        out.problems.append(
            (
                WarningCode.BAD_TIMESTAMP,
                f"unreadable time {stamp.decode('ascii', 'replace')!r}",
            )
        )
        return
    out.generation = 2 if (old["ms"] or old["zone"]) and not old["tilde"] else 1
    frac = (old["ms"] or b"0").ljust(3, b"0") + b"000"
    out.local_time = _datetime(out, stamp, old, month=str(month).encode(), micro=frac)
    if old["zone"]:
        out.extras = {"zone": old["zone"].strip().decode("ascii")}


def _datetime(
    out: Trailer, stamp: bytes, m: re.Match[bytes], *, month: bytes, micro: bytes
) -> datetime | None:
    try:
        return datetime(
            int(m["year"]),
            int(month),
            int(m["day"]),
            int(m["h"]),
            int(m["mi"]),
            int(m["s"]),
            int(micro),
        )
    except ValueError:
        out.bad_time = True
        out.problems.append(
            (
                WarningCode.BAD_TIMESTAMP,
                f"impossible date or time {stamp.decode('ascii', 'replace')!r}",
            )
        )
        return None


def _read_thread(raw: bytes, out: Trailer) -> None:
    m = _THREAD.fullmatch(raw)
    if m is None:
        out.problems.append(
            (WarningCode.BAD_THREAD, f"thread {raw.decode('ascii', 'replace')!r} is not a number")
        )
        return
    if m["dec"] is not None:
        out.thread = int(m["dec"])
        if int(m["hex"], 16) != out.thread:
            out.problems.append(
                (
                    WarningCode.BAD_THREAD,
                    f"thread {m['dec'].decode()} and its hex form 0x{m['hex'].decode()} "
                    "disagree; the decimal value is kept",
                )
            )
        return
    bare = m["bare"]
    # SMS 1.x writes the thread in bare hex; later writers of a bare number (PowerShell
    # imitations) write the decimal PID. Letters can only mean hex.
    hexadecimal = out.generation == 1 or any(c in b"ABCDEFabcdef" for c in bare)
    out.thread = int(bare, 16 if hexadecimal else 10)
