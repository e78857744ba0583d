"""Loaded rules: ``Rule`` (matches one record) and ``CorrelationRule`` (joins hits).

A ``Rule`` is immutable once loaded; ``Rule.match`` turns a record into a ``Hit`` or
None and raises ``RuleTimeout`` when one of its regular expressions runs out of time,
so the engine can report the rule instead of hanging on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

import regex

from logscan.errors import SourceLocation
from logscan.model import LogFormat, LogKind, LogRecord
from logscan.rules.match_text import format_code
from logscan.rules.matching import DEFAULT_TIMEOUT, Matcher, PatternTimeout, Subject
from logscan.rules.model import (
    Example,
    Hit,
    LogSourceSpec,
    ProblemCode,
    RuleLevel,
    RuleProblem,
    RuleTimeout,
    Status,
)
from logscan.rules.template import Template

# Placeholders every details template may use, besides the rule's own captures.
RECORD_FIELDS = (
    "message",
    "component",
    "thread",
    "level",
    "source",
    "line",
    "time",
    "format",
    "kind",
    "code",
    "codes",
)


@dataclass(frozen=True, slots=True)
class Extractor:
    """A ``captures:`` entry: a pattern run on the message after the rule matched."""

    name: str
    pattern: regex.Pattern[str]
    location: SourceLocation

    def extract(self, message: str, timeout: float) -> str | None:
        try:
            m = self.pattern.search(message, timeout=timeout)
        except TimeoutError:
            raise PatternTimeout(self.pattern.pattern, self.location) from None
        if m is None:
            return None
        if self.name in self.pattern.groupindex:
            value = m.group(self.name)
        else:
            value = m.group(1) if self.pattern.groups else m.group()
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """What every rule, detection or correlation, says about itself."""

    id: str
    title: str
    status: Status
    level: RuleLevel
    description: str
    references: tuple[str, ...]
    falsepositives: tuple[str, ...]
    tags: tuple[str, ...]
    location: SourceLocation  # the start of the rule's YAML document


@dataclass(frozen=True, slots=True)
class Rule:
    """A detection rule: which sources it reads, how it matches, what it says."""

    meta: RuleMeta
    logsource: LogSourceSpec
    matcher: Matcher = field(compare=False, repr=False)
    extractors: tuple[Extractor, ...]
    details: Template
    anchors: tuple[bytes, ...]  # lower-case; empty means the rule needs a full parse
    anchors_declared: bool
    examples: tuple[Example, ...]
    timeout: float = DEFAULT_TIMEOUT

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def needs_full_parse(self) -> bool:
        """No literal anchor: the engine cannot prefilter bytes for this rule."""
        return not self.anchors

    def applies_to(
        self, kind: LogKind | None = None, path: str | None = None, fmt: LogFormat | None = None
    ) -> bool:
        return self.logsource.applies(kind, path, fmt)

    def raw_may_match(self, raw: bytes) -> bool:
        """Whether raw record bytes contain an anchor (always true without anchors)."""
        if not self.anchors:
            return True
        low = raw.lower()
        return any(a in low for a in self.anchors)

    def match(self, record: LogRecord, kind: LogKind | None = None) -> Hit | None:
        """The hit for ``record``, or None; the caller has checked ``applies_to``.

        Raises RuleTimeout (a RuleError) when a regular expression runs out of time: a
        scan should report it and stop using this rule, since it will likely time out
        on every similar record."""
        subject = Subject(record, kind, self.timeout)
        try:
            if not self.matcher.test(subject):
                return None
            for ex in self.extractors:
                value = ex.extract(record.message, self.timeout)
                if value is not None:
                    subject.captures[ex.name] = value
        except PatternTimeout as exc:
            raise RuleTimeout(
                RuleProblem(
                    exc.location,
                    ProblemCode.REGEX_TIMEOUT,
                    f"regular expression timed out after {self.timeout:g} s on "
                    f"{record.source}:{record.line}; rewrite it without nested or "
                    "overlapping repetition such as (a|aa)+",
                    rule_id=self.id,
                )
            ) from None
        codes = tuple(dict.fromkeys([*subject.codes, *subject.mentioned_codes()]))
        captures = dict(subject.captures)
        values = _record_values(record, kind, codes)
        values.update(captures)
        return Hit(self.id, record, captures, codes, self.details.render(values))


def _record_values(
    record: LogRecord, kind: LogKind | None, codes: tuple[int, ...]
) -> dict[str, str]:
    when = record.utc or record.local_time
    return {
        "message": record.message,
        "component": record.component,
        "thread": "" if record.thread is None else str(record.thread),
        "level": record.level.name.lower(),
        "source": record.source,
        "line": str(record.line),
        "time": when.isoformat(sep=" ", timespec="milliseconds") if when else "",
        "format": record.format.value,
        "kind": kind.value if kind else "",
        "code": format_code(codes[0]) if codes else "",
        "codes": ", ".join(format_code(c) for c in codes),
    }


def hit_values(hit: Hit, prefix: str = "") -> dict[str, str]:
    """Template values of a hit: record fields, captures and its own details."""
    values = _record_values(hit.record, None, hit.codes)
    values.update(hit.captures)
    values["details"] = hit.details
    return {f"{prefix}{k}": v for k, v in values.items()}


@dataclass(frozen=True, slots=True)
class Step:
    """One required hit of a correlation: any of ``rules``, named ``name``."""

    name: str
    rules: tuple[str, ...]
    location: SourceLocation
    rule_locations: tuple[SourceLocation, ...] = ()  # where each id is written


@dataclass(frozen=True, slots=True)
class Absence:
    """No hit of ``rules`` within ``within`` after the hit of step ``after``."""

    rules: tuple[str, ...]
    after: str
    within: timedelta
    location: SourceLocation
    rule_locations: tuple[SourceLocation, ...] = ()

    def describe(self) -> str:
        return f"no {' or '.join(self.rules)} within {_duration(self.within)} after {self.after}"


@dataclass(frozen=True, slots=True)
class CorrelationRule:
    """Hits of several rules on one host, inside a time window, in order or not, with
    optional conditions on what must *not* have been logged."""

    meta: RuleMeta
    steps: tuple[Step, ...]
    window: timedelta
    ordered: bool
    absent: tuple[Absence, ...]
    details: Template
    examples: tuple[Example, ...]
    placeholder_locations: Mapping[str, SourceLocation] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return self.meta.id

    def referenced_ids(self) -> dict[str, SourceLocation]:
        """Every rule id this correlation names, with where it is written."""
        refs: dict[str, SourceLocation] = {}
        parts: tuple[Step | Absence, ...] = (*self.steps, *self.absent)
        for part in parts:
            locations = part.rule_locations or (part.location,) * len(part.rules)
            for rule_id, loc in zip(part.rules, locations, strict=True):
                refs.setdefault(rule_id, loc)
        return refs


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
