"""The matcher registry: what a ``match:`` item may say, and how it is built and run.

A matcher item in a rule is a mapping with exactly one registered matcher name as a key
(``literal: text``, ``regex: ...``, ``all: [...]``) plus that matcher's options. Matcher
modules add themselves with ``@register``; asking for an unknown name lists the known
ones. Matchers run against a ``Subject`` (one record plus per-evaluation state) and
report the literal anchors they imply for the engine's byte prefilter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from logscan import codes
from logscan.errors import SourceLocation
from logscan.model import LogKind, LogRecord
from logscan.rules._yaml import Map, Node, Scalar, Seq, type_name
from logscan.rules.anchors import Anchors
from logscan.rules.model import ProblemCode, RuleProblem, Severity

DEFAULT_TIMEOUT = 0.25  # seconds one regular expression may spend on one record


class PatternTimeout(Exception):
    """A regular expression ran out of time; the rule turns this into a RuleTimeout."""

    def __init__(self, pattern: str, location: SourceLocation) -> None:
        super().__init__(pattern)
        self.pattern = pattern
        self.location = location


@lru_cache(maxsize=4096)
def codes_in(message: str) -> tuple[int, ...]:
    """The codes ``message`` mentions, in order. Kept per message, not per subject: every
    rule evaluating a record asks again, and logs repeat their messages."""
    return tuple(m.code for m in codes.extract(message))


class Subject:
    """One record being evaluated by one rule: the record, its log kind, and what the
    matchers captured so far. Lower-cased text and extracted codes are computed once."""

    __slots__ = ("_codes", "_lower", "captures", "codes", "kind", "record", "timeout")

    def __init__(
        self, record: LogRecord, kind: LogKind | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.record = record
        self.kind = kind
        self.timeout = timeout
        self.captures: dict[str, str] = {}
        self.codes: list[int] = []  # codes a ``code`` matcher matched, in order
        self._lower: dict[str, str] = {}
        self._codes: tuple[int, ...] | None = None

    def text(self, name: str) -> str:
        """A text field by rule name: message, component or source."""
        if name == "message":
            return self.record.message
        if name == "component":
            return self.record.component
        return self.record.source

    def lower(self, name: str) -> str:
        cached = self._lower.get(name)
        if cached is None:
            cached = self._lower[name] = self.text(name).casefold()
        return cached

    def mentioned_codes(self) -> tuple[int, ...]:
        """Every error code the message mentions, normalised, in order of mention."""
        if self._codes is None:
            self._codes = codes_in(self.record.message)
        return self._codes

    def snapshot(self) -> tuple[dict[str, str], int]:
        return dict(self.captures), len(self.codes)

    def restore(self, state: tuple[dict[str, str], int]) -> None:
        self.captures = state[0]
        del self.codes[state[1] :]


class Matcher(Protocol):
    """A built matcher: a test on a subject, and what it proves about the raw bytes."""

    def test(self, subject: Subject) -> bool: ...

    def anchors(self) -> Anchors | None:
        """Strings one of which any matching record contains (None: none provable)."""
        ...

    def capture_names(self) -> frozenset[str]: ...


@dataclass
class BuildContext:
    """Where problems go while one rule file is being turned into rules."""

    problems: list[RuleProblem]
    rule_id: str | None = None
    failed: bool = False

    def error(self, loc: SourceLocation, code: ProblemCode, message: str) -> None:
        self.failed = True
        self.problems.append(RuleProblem(loc, code, message, Severity.ERROR, self.rule_id))

    def warn(self, loc: SourceLocation, code: ProblemCode, message: str) -> None:
        self.problems.append(RuleProblem(loc, code, message, Severity.WARNING, self.rule_id))

    def texts(self, node: Node, what: str) -> list[Scalar] | None:
        """A non-empty string, or a non-empty list of them, as scalars."""
        items = list(node.items) if isinstance(node, Seq) else [node]
        out: list[Scalar] = []
        for item in items:
            if not isinstance(item, Scalar) or item.value is None or isinstance(item.value, bool):
                self.error(
                    item.loc,
                    ProblemCode.WRONG_TYPE,
                    f"{what} must be text or a list of texts, not {type_name(item)}",
                )
                return None
            if str(item.value) == "":
                self.error(item.loc, ProblemCode.BAD_VALUE, f"{what} must not be empty")
                return None
            out.append(item)
        if not out:
            self.error(node.loc, ProblemCode.BAD_VALUE, f"{what} must list at least one value")
            return None
        return out

    def flag(self, options: Mapping[str, Node], name: str, default: bool) -> bool:
        node = options.get(name)
        if node is None:
            return default
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self.error(
            node.loc, ProblemCode.WRONG_TYPE, f"{name} must be true or false, not {type_name(node)}"
        )
        return default

    def choice(self, options: Mapping[str, Node], name: str, allowed: tuple[str, ...]) -> str:
        node = options.get(name)
        if node is None:
            return allowed[0]
        if isinstance(node, Scalar) and node.value in allowed:
            return str(node.value)
        self.error(
            node.loc,
            ProblemCode.BAD_VALUE,
            f"{name} must be one of {', '.join(allowed)}, not {type_name(node)}",
        )
        return allowed[0]


BuildFn = Callable[[Node, Mapping[str, Node], BuildContext], "Matcher | None"]


@dataclass(frozen=True, slots=True)
class MatcherSpec:
    """A registered matcher: its name, how to build it, and its documentation."""

    name: str
    build: BuildFn
    value: str  # what the value after the name is, for the schema docs
    doc: str
    options: Mapping[str, str] = field(default_factory=dict)


_MATCHERS: dict[str, MatcherSpec] = {}


def register(
    name: str, *, value: str, doc: str, options: Mapping[str, str] | None = None
) -> Callable[[BuildFn], BuildFn]:
    """Function decorator: file a matcher builder under ``name``."""

    def decorate(build: BuildFn) -> BuildFn:
        _MATCHERS[name] = MatcherSpec(name, build, value, doc, dict(options or {}))
        return build

    return decorate


def _load_all() -> None:
    # Imported for their @register side effect; kept here so importing the registry
    # alone is enough to build any rule.
    import logscan.rules.match_fields
    import logscan.rules.match_logic
    import logscan.rules.match_text  # noqa: F401


def known_matchers() -> dict[str, MatcherSpec]:
    _load_all()
    return dict(_MATCHERS)


def build_matcher(node: Node, ctx: BuildContext) -> Matcher | None:
    """Build one matcher item; problems go to ``ctx`` and give None."""
    _load_all()
    known = ", ".join(sorted(_MATCHERS))
    if not isinstance(node, Map) or not node.items:
        ctx.error(
            node.loc,
            ProblemCode.WRONG_TYPE,
            f"a matcher is a mapping such as `literal: some text`, not {type_name(node)}; "
            f"known matchers: {known}",
        )
        return None
    names = [key for key in node.items if key in _MATCHERS]
    if not names:
        key = next(iter(node.items))
        ctx.error(
            node.keys[key],
            ProblemCode.UNKNOWN_MATCHER,
            f"unknown matcher {key!r}; known matchers: {known}",
        )
        return None
    if len(names) > 1:
        ctx.error(
            node.keys[names[1]],
            ProblemCode.BAD_VALUE,
            f"one matcher per item, but {names[0]!r} and {names[1]!r} are both here; "
            "put them as separate items of an `all:` or `any:` list",
        )
        return None
    spec = _MATCHERS[names[0]]
    options = {k: v for k, v in node.items.items() if k != spec.name}
    for key in options:
        if key not in spec.options:
            allowed = ", ".join(sorted(spec.options)) or "none"
            ctx.error(
                node.keys[key],
                ProblemCode.UNKNOWN_FIELD,
                f"unknown option {key!r} for matcher {spec.name!r} (its options: {allowed}); "
                f"if this is another matcher, known matchers: {known}",
            )
            return None
    return spec.build(node.items[spec.name], options, ctx)
