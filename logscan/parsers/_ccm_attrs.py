"""By-name reader for the attribute part of a CCM record (``time="…" date="…" … >``).

Used when the canonical fast pattern does not match: attributes in another order, missing
ones, unknown ones, broken quoting. Nothing here raises; every anomaly becomes a
(WarningCode, message) pair for the caller to locate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from logscan.model import Level, RecordFlag, WarningCode
from logscan.parsers._ccm_fields import LEVELS, read_times, show

_TOKEN = re.compile(
    rb"""
    \s*
    (?:
        (?P<name> [A-Za-z_][A-Za-z0-9_.:-]* ) [ \t]* = [ \t]*  # attribute name and '='
        (?:
            " (?P<quoted> [^"]* ) " (?= [\s>] | \Z )  # well-formed quoted value
          | (?P<bare> [^\s>]* )                        # anything else up to a separator
        )
      | (?P<end> > )                                   # end of the record
      | (?P<junk> [^\s>]+ )                            # text that is no attribute at all
    )
    """,
    re.X,
)

_THREAD_DIGITS = 10  # a 32-bit thread id; also keeps int() away from absurd inputs
_KNOWN = ("time", "date", "component", "context", "type", "thread", "file")

Decoder = Callable[[bytes], tuple[str, bool]]


@dataclass(slots=True)
class Fields:
    """Everything read from one record's attributes."""

    end: int | None  # index just past the closing '>' in the region, None if unclosed
    local: datetime | None = None
    bias: int | None = None
    level: Level = Level.INFO
    component: str = ""
    thread: int | None = None
    extras: dict[str, str] = field(default_factory=dict)
    flags: set[RecordFlag] = field(default_factory=set)
    warnings: list[tuple[WarningCode, str]] = field(default_factory=list)


def _tokens(
    region: bytes, warn: list[tuple[WarningCode, str]]
) -> tuple[dict[str, bytes], int | None]:
    """Attribute values by lower-case name (first one wins) and where the record ends."""
    values: dict[str, bytes] = {}
    pos = 0
    while True:
        m = _TOKEN.match(region, pos)
        if m is None:
            return values, None
        pos = m.end()
        if m["end"] is not None:
            return values, pos
        if m["junk"] is not None:
            warn.append(
                (WarningCode.BAD_ATTRIBUTE, f"stray text {show(m['junk'])} among attributes")
            )
            continue
        name = m["name"].decode("ascii")
        value = m["quoted"]
        if value is None:
            value = m["bare"].strip(b'"')
            warn.append(
                (
                    WarningCode.BAD_ATTRIBUTE,
                    f"attribute {name} is not properly quoted: {show(m[0].strip())}",
                )
            )
        key = name.lower()
        if key in values:
            warn.append(
                (WarningCode.BAD_ATTRIBUTE, f"attribute {name} repeated; the first value is kept")
            )
            continue
        values[key] = value
        if key not in _KNOWN:
            warn.append((WarningCode.UNKNOWN_ATTRIBUTE, f"unknown attribute {name}"))


def read_attributes(region: bytes, decode: Decoder) -> Fields:
    """Read attributes by name from ``region`` (the text after ``]LOG]!><`` up to the end
    of its line); anomalies are collected in ``Fields.warnings``."""
    warn: list[tuple[WarningCode, str]] = []
    values, end = _tokens(region, warn)
    out = Fields(end=end, warnings=warn)
    if end is None:
        warn.append((WarningCode.BAD_ATTRIBUTE, "attributes are not closed by '>'"))

    def text(raw: bytes) -> str:
        s, clean = decode(raw)
        if not clean:
            out.flags.add(RecordFlag.UNDECODABLE)
            warn.append(
                (WarningCode.DECODE_ERROR, f"attribute value {show(raw)} is not valid text")
            )
        return s

    times = read_times(values.get("time"), values.get("date"))
    out.local, out.bias = times.local, times.bias
    if times.bad:
        out.flags.add(RecordFlag.BAD_TIME)
    for kind, problem in times.problems:
        warn.append(
            (WarningCode.BAD_BIAS if kind == "bias" else WarningCode.BAD_TIMESTAMP, problem)
        )

    type_raw = values.get("type")
    if type_raw is not None:
        level = LEVELS.get(type_raw)
        if level is None:
            warn.append((WarningCode.BAD_LEVEL, f"unknown type {show(type_raw)}; read as info"))
        else:
            out.level = level

    thread_raw = values.get("thread")
    if thread_raw:
        if thread_raw.isdigit() and len(thread_raw) <= _THREAD_DIGITS:
            out.thread = int(thread_raw)
        else:
            out.extras["thread"] = text(thread_raw)
            warn.append(
                (WarningCode.BAD_THREAD, f"thread {show(thread_raw)} is not a decimal thread id")
            )

    out.component = text(values.get("component", b""))
    for name, raw in values.items():
        if name in ("time", "date", "type", "thread", "component") or not raw:
            continue
        out.extras[name] = text(raw)
    return out


def frozen_extras(extras: dict[str, str]) -> Mapping[str, str]:
    """Extras as an immutable mapping (records are shared freely between layers)."""
    return MappingProxyType(extras)
