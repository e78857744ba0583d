"""Text matchers: ``literal``, ``regex`` (with a per-record time budget) and ``code``.

Regular expressions go through the ``regex`` module because it can stop a search after
a timeout: a catastrophic pattern in somebody's rule must cost a reported problem, not
a hung fleet scan. ``code`` compares normalised error codes, so one rule value matches
every spelling the logs use (``0x80092024``, ``80092024``, ``2148081700``,
``-2146885596``, ``Error: 80092024; Source: Windows``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import regex

from logscan import codes
from logscan.errors import SourceLocation
from logscan.rules._yaml import Node, Scalar, position_in_scalar
from logscan.rules.anchors import (
    Anchors,
    code_anchors,
    literal_anchors,
    regex_anchors,
    union,
)
from logscan.rules.matching import BuildContext, PatternTimeout, Subject, register
from logscan.rules.model import ProblemCode

_FIELDS = ("message", "component", "source")
_TEXT_OPTIONS = {
    "case_sensitive": "true to compare case-sensitively (default false)",
    "field": "record field to search: message (default), component or source",
}


@dataclass(frozen=True, slots=True)
class _Literal:
    needles: tuple[str, ...]  # casefolded unless case-sensitive
    case_sensitive: bool
    field: str

    def test(self, subject: Subject) -> bool:
        hay = subject.text(self.field) if self.case_sensitive else subject.lower(self.field)
        return any(n in hay for n in self.needles)

    def anchors(self) -> Anchors | None:
        return literal_anchors(self.needles) if self.field == "message" else None

    def capture_names(self) -> frozenset[str]:
        return frozenset()


@register(
    "literal",
    value="text, or a list of texts (any of them)",
    doc="the field contains the text; case-insensitive unless `case_sensitive: true`",
    options=_TEXT_OPTIONS,
)
def _build_literal(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> _Literal | None:
    scalars = ctx.texts(value, "literal")
    case_sensitive = ctx.flag(options, "case_sensitive", False)
    field = ctx.choice(options, "field", _FIELDS)
    if scalars is None:
        return None
    texts = [str(s.value) for s in scalars]
    needles = tuple(texts if case_sensitive else [t.casefold() for t in texts])
    return _Literal(needles, case_sensitive, field)


@dataclass(frozen=True, slots=True)
class _Pattern:
    compiled: regex.Pattern[str]
    location: SourceLocation


@dataclass(frozen=True, slots=True)
class _Regex:
    patterns: tuple[_Pattern, ...]
    field: str
    derived: Anchors | None

    def test(self, subject: Subject) -> bool:
        hay = subject.text(self.field)
        for p in self.patterns:
            try:
                m = p.compiled.search(hay, timeout=subject.timeout)
            except TimeoutError:
                raise PatternTimeout(p.compiled.pattern, p.location) from None
            if m is not None:
                subject.captures.update({k: v for k, v in m.groupdict().items() if v is not None})
                return True
        return False

    def anchors(self) -> Anchors | None:
        return self.derived if self.field == "message" else None

    def capture_names(self) -> frozenset[str]:
        return frozenset(name for p in self.patterns for name in p.compiled.groupindex)


def compile_pattern(
    scalar: Scalar, ctx: BuildContext, *, case_sensitive: bool = False, verbose: bool = False
) -> regex.Pattern[str] | None:
    """Compile a rule's pattern; a syntax error is reported at its exact column."""
    flags = (0 if case_sensitive else regex.IGNORECASE) | (regex.VERBOSE if verbose else 0)
    try:
        return regex.compile(str(scalar.value), flags)
    except regex.error as exc:
        # regex.error carries msg/pos like re.error, but its stubs do not say so.
        raw_pos = getattr(exc, "pos", None)
        pos = raw_pos if isinstance(raw_pos, int) else 0
        msg = getattr(exc, "msg", None) or str(exc)
        ctx.error(
            position_in_scalar(scalar, pos),
            ProblemCode.BAD_REGEX,
            f"bad regular expression: {msg} at position {pos} of the pattern; "
            "escape literal characters such as ( [ . with a backslash",
        )
        return None


@register(
    "regex",
    value="a regular expression, or a list of them (any of them); named groups are captures",
    doc="`regex`-module search in the field, stopped after the time budget; "
    "case-insensitive unless `case_sensitive: true`",
    options={**_TEXT_OPTIONS, "verbose": "true for verbose mode (whitespace and # comments)"},
)
def _build_regex(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> _Regex | None:
    scalars = ctx.texts(value, "regex")
    case_sensitive = ctx.flag(options, "case_sensitive", False)
    verbose = ctx.flag(options, "verbose", False)
    field = ctx.choice(options, "field", _FIELDS)
    if scalars is None:
        return None
    patterns: list[_Pattern] = []
    for s in scalars:
        compiled = compile_pattern(s, ctx, case_sensitive=case_sensitive, verbose=verbose)
        if compiled is not None:
            patterns.append(_Pattern(compiled, s.loc))
    if len(patterns) != len(scalars):
        return None
    derived = union(regex_anchors(str(s.value), verbose=verbose) for s in scalars)
    return _Regex(tuple(patterns), field, derived)


@dataclass(frozen=True, slots=True)
class _Code:
    wanted: frozenset[int]
    ordered: tuple[int, ...]

    def test(self, subject: Subject) -> bool:
        found = [c for c in subject.mentioned_codes() if c in self.wanted]
        if not found:
            return False
        subject.codes.extend(found)
        subject.captures.setdefault("code", format_code(found[0]))
        return True

    def anchors(self) -> Anchors | None:
        return union(code_anchors(c) for c in self.ordered)

    def capture_names(self) -> frozenset[str]:
        return frozenset({"code"})


def format_code(code: int) -> str:
    """How a captured code reads in details: HRESULT-style hex, small codes in decimal."""
    return f"0x{code:08X}" if code >= 0x10000 else str(code)


@register(
    "code",
    value="an error code in any spelling (0x80092024, 80092024, 2148081700, "
    "-2146885596), or a list of them",
    doc="the message mentions one of the codes in any spelling (normalised by "
    "logscan.codes); captures `code`",
)
def _build_code(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> _Code | None:
    scalars = ctx.texts(value, "code")
    if scalars is None:
        return None
    out: list[int] = []
    for s in scalars:
        # The source text, not YAML's reading of it: a plain 80092024 is hex in logs
        # but a decimal integer to YAML.
        code = codes.normalize(s.text)
        if code is None:
            ctx.error(
                s.loc,
                ProblemCode.BAD_VALUE,
                f"{s.text!r} is not an error code; write it as 0x80092024, 80092024, "
                "a decimal such as 2148081700, or a small decimal such as 27",
            )
            return None
        out.append(code)
    return _Code(frozenset(out), tuple(out))
