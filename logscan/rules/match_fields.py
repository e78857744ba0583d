"""Field matchers: ``component``, ``level``, ``thread``, ``kind``, ``format``, ``time``.

They test parsed fields rather than text, so they prove nothing about the raw bytes:
their anchors are None and a rule needs a text matcher next to them (in an ``all:``)
to stay on the engine's fast path.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from typing import TypeVar

from logscan.model import Level, LogFormat, LogKind
from logscan.rules._yaml import Map, Node, Scalar, Seq, type_name
from logscan.rules.anchors import Anchors
from logscan.rules.matching import BuildContext, Subject, register
from logscan.rules.model import ProblemCode

_NOTHING: frozenset[str] = frozenset()


class _NoAnchors:
    __slots__ = ()

    def anchors(self) -> Anchors | None:
        return None

    def capture_names(self) -> frozenset[str]:
        return _NOTHING


@dataclass(frozen=True, slots=True)
class _Component(_NoAnchors):
    globs: tuple[str, ...]  # casefolded fnmatch patterns

    def test(self, subject: Subject) -> bool:
        name = subject.lower("component")
        return any(fnmatchcase(name, g) for g in self.globs)


@register(
    "component",
    value="a component name or glob (OSDSMPClient, OSD*), or a list of them",
    doc="the record's component equals one of them, ignoring case",
)
def _build_component(
    value: Node, options: Mapping[str, Node], ctx: BuildContext
) -> _Component | None:
    scalars = ctx.texts(value, "component")
    if scalars is None:
        return None
    return _Component(tuple(str(s.value).casefold() for s in scalars))


_OPS: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
}


@dataclass(frozen=True, slots=True)
class _Level(_NoAnchors):
    op: Callable[[int, int], bool]
    level: Level

    def test(self, subject: Subject) -> bool:
        return self.op(subject.record.level, self.level)


@register(
    "level",
    value="a record level (verbose, info, warning, error), optionally after >=, <=, >, < or ==",
    doc="compares the record's level: `level: error` or `level: '>= warning'`",
)
def _build_level(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> _Level | None:
    names = ", ".join(lv.name.lower() for lv in Level)
    if not isinstance(value, Scalar) or not isinstance(value.value, str | int):
        ctx.error(value.loc, ProblemCode.WRONG_TYPE, "level must be text such as '>= warning'")
        return None
    text = str(value.value).strip()
    op = "=="
    for candidate in sorted(_OPS, key=len, reverse=True):
        if text.startswith(candidate):
            op, text = candidate, text[len(candidate) :].strip()
            break
    level: Level | None = None
    if text.isdigit() and int(text) in Level._value2member_map_:
        level = Level(int(text))
    elif text.upper() in Level.__members__:
        level = Level[text.upper()]
    if level is None:
        ctx.error(
            value.loc,
            ProblemCode.BAD_VALUE,
            f"unknown level {text!r}; known levels: {names} (or 0-3), optionally after "
            ">=, <=, >, < or ==",
        )
        return None
    return _Level(_OPS[op], level)


@dataclass(frozen=True, slots=True)
class _Thread(_NoAnchors):
    threads: frozenset[int]

    def test(self, subject: Subject) -> bool:
        return subject.record.thread in self.threads


@register(
    "thread", value="a thread id, or a list of them", doc="the record's thread is one of them"
)
def _build_thread(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> _Thread | None:
    items = list(value.items) if isinstance(value, Seq) else [value]
    out: set[int] = set()
    for item in items:
        if (
            not isinstance(item, Scalar)
            or isinstance(item.value, bool)
            or not isinstance(item.value, int)
        ):
            ctx.error(
                item.loc, ProblemCode.WRONG_TYPE, f"thread must be a number, not {type_name(item)}"
            )
            return None
        out.add(item.value)
    return _Thread(frozenset(out))


_E = TypeVar("_E", LogKind, LogFormat)


def _enum_values(value: Node, ctx: BuildContext, enum: type[_E], what: str) -> frozenset[_E] | None:
    scalars = ctx.texts(value, what)
    if scalars is None:
        return None
    out: set[_E] = set()
    for s in scalars:
        try:
            out.add(enum(str(s.value).lower()))
        except ValueError:
            known = ", ".join(m.value for m in enum)
            ctx.error(s.loc, ProblemCode.BAD_VALUE, f"unknown {what} {s.value!r}; known: {known}")
            return None
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class _Kind(_NoAnchors):
    kinds: frozenset[LogKind]

    def test(self, subject: Subject) -> bool:
        return subject.kind in self.kinds


@register(
    "kind",
    value="a log kind (logscan.model.LogKind: ccmexec, smsts, scanstate, ...) or a list",
    doc="the record comes from a log of one of these kinds",
)
def _build_kind(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> _Kind | None:
    kinds = _enum_values(value, ctx, LogKind, "log kind")
    return None if kinds is None else _Kind(kinds)


@dataclass(frozen=True, slots=True)
class _Format(_NoAnchors):
    formats: frozenset[LogFormat]

    def test(self, subject: Subject) -> bool:
        return subject.record.format in self.formats


@register(
    "format",
    value="a log format (logscan.model.LogFormat: ccm, smstrace, usmt, ...) or a list",
    doc="the record was parsed from this on-disk format",
)
def _build_format(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> _Format | None:
    formats = _enum_values(value, ctx, LogFormat, "log format")
    return None if formats is None else _Format(formats)


def record_time(subject: Subject) -> datetime | None:
    """UTC when known, else local time read as UTC (USMT logs carry no zone)."""
    when = subject.record.utc or subject.record.local_time
    if when is None:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class _Time(_NoAnchors):
    after: datetime | None
    before: datetime | None

    def test(self, subject: Subject) -> bool:
        when = record_time(subject)
        if when is None:
            return False
        return (self.after is None or when >= self.after) and (
            self.before is None or when < self.before
        )


def _instant(node: Node, ctx: BuildContext) -> datetime | None:
    value = node.value if isinstance(node, Scalar) else None
    when: datetime | None = None
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, date):
        when = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            when = None
    if when is None:
        ctx.error(
            node.loc,
            ProblemCode.BAD_VALUE,
            f"expected an ISO date or time such as 2010-06-01T12:00:00Z, not {type_name(node)}",
        )
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


@register(
    "time",
    value="a mapping with `after` and/or `before` (ISO date/time; UTC unless an offset is given)",
    doc="the record's time (UTC, or local time for logs without a zone) is in [after, before)",
)
def _build_time(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> _Time | None:
    if not isinstance(value, Map) or not value.items:
        ctx.error(value.loc, ProblemCode.WRONG_TYPE, "time must be a mapping with after/before")
        return None
    bounds: dict[str, datetime | None] = {"after": None, "before": None}
    for key, node in value.items.items():
        if key not in bounds:
            ctx.error(
                value.keys[key],
                ProblemCode.UNKNOWN_FIELD,
                f"unknown key {key!r} in time; use after, before",
            )
            return None
        bounds[key] = _instant(node, ctx)
        if bounds[key] is None:
            return None
    return _Time(bounds["after"], bounds["before"])
