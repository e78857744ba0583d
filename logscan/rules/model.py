"""Rule-layer data: statuses, levels, problems, the RuleError tree, Hit and Finding.

A ``Hit`` is one record matched by one detection rule; a ``Finding`` is what a
correlation rule makes of several hits of one host. Both are frozen so the engine,
diagnosis and every surface can pass them around freely. They live here, not in
``logscan.model``, because only the rule layer creates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fnmatch import fnmatchcase
from types import MappingProxyType

from logscan.errors import LogscanError, SourceLocation
from logscan.model import LogFormat, LogKind, LogRecord

_NO_CAPTURES: Mapping[str, str] = MappingProxyType({})


class Status(StrEnum):
    """How far a rule can be trusted (Sigma's maturity ladder, minus ``unsupported``)."""

    EXPERIMENTAL = "experimental"
    TEST = "test"
    STABLE = "stable"
    DEPRECATED = "deprecated"


class RuleLevel(StrEnum):
    """How much a hit matters to the person reading the report."""

    INFORMATIONAL = "informational"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Severity(StrEnum):
    """Whether a rule problem stops the rule from loading."""

    ERROR = "error"  # the rule (or file) is not loaded
    WARNING = "warning"  # loaded, but lint asks for a change


class ProblemCode(StrEnum):
    """Closed set of rule problems, stable for machine output and tests."""

    YAML_SYNTAX = "yaml_syntax"
    DUPLICATE_KEY = "duplicate_key"
    DUPLICATE_ID = "duplicate_id"
    EMPTY_FILE = "empty_file"
    MISSING_PATH = "missing_path"
    UNREADABLE = "unreadable"
    WRONG_TYPE = "wrong_type"
    MISSING_FIELD = "missing_field"
    UNKNOWN_FIELD = "unknown_field"
    BAD_VALUE = "bad_value"
    UNKNOWN_MATCHER = "unknown_matcher"
    BAD_REGEX = "bad_regex"
    REGEX_TIMEOUT = "regex_timeout"
    UNKNOWN_REFERENCE = "unknown_reference"
    BAD_TEMPLATE = "bad_template"
    NEEDS_FULL_PARSE = "needs_full_parse"
    WEAK_ANCHOR = "weak_anchor"
    ANCHOR_GAP = "anchor_gap"
    NO_EXAMPLES = "no_examples"
    NO_REFERENCES = "no_references"
    EXAMPLE_FAILED = "example_failed"


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """One thing wrong with a rule file, located at ``path:line:col``."""

    location: SourceLocation
    code: ProblemCode
    message: str
    severity: Severity = Severity.ERROR
    rule_id: str | None = None

    def __str__(self) -> str:
        rule = f" ({self.rule_id})" if self.rule_id else ""
        return f"{self.location}: {self.severity.value}: {self.message} [{self.code.value}]{rule}"


class RuleError(LogscanError):
    """A rule file that cannot be used; raised in strict mode, collected otherwise."""

    def __init__(self, problem: RuleProblem) -> None:
        self.problem = problem
        super().__init__(f"{problem.message} [{problem.code.value}]", problem.location)


class RuleTimeout(RuleError):
    """A rule's regular expression ran past its time budget on one record."""


@dataclass(frozen=True, slots=True)
class LogSourceSpec:
    """Which sources a rule reads: any listed kind or file glob, then any listed format.

    Empty ``kinds`` and ``files`` mean every source; empty ``formats`` means every format.
    """

    kinds: frozenset[LogKind] = frozenset()
    files: tuple[str, ...] = ()
    formats: frozenset[LogFormat] = frozenset()

    def applies(
        self, kind: LogKind | None = None, path: str | None = None, fmt: LogFormat | None = None
    ) -> bool:
        if self.formats and fmt is not None and fmt not in self.formats:
            return False
        if not self.kinds and not self.files:
            return True
        if kind is not None and kind in self.kinds:
            return True
        if path is not None and self.files:
            name = path.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1].lower()
            return any(fnmatchcase(name, glob.lower()) for glob in self.files)
        return False


class ExampleKind(StrEnum):
    MUST_MATCH = "must_match"
    MUST_NOT_MATCH = "must_not_match"


@dataclass(frozen=True, slots=True)
class LogSnippet:
    """Raw log text in its native format, as one file of a rule example."""

    text: str
    kind: LogKind | None = None
    format: LogFormat | None = None


@dataclass(frozen=True, slots=True)
class Example:
    """One must-match or must-not-match example, located in its rule file.

    A detection rule's example is one snippet; a correlation rule's example is a small
    scenario of several snippets (one per log file).
    """

    expect: ExampleKind
    logs: tuple[LogSnippet, ...]
    location: SourceLocation
    name: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    """One record matched by one detection rule."""

    rule_id: str
    record: LogRecord
    captures: Mapping[str, str] = field(default_factory=lambda: _NO_CAPTURES)
    codes: tuple[int, ...] = ()
    details: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """What a correlation rule concluded from several hits of one host.

    ``hits`` are in step order and ``steps`` names the step each one filled; ``absent``
    describes each absence condition that held (the evidence of something that did not
    happen).
    """

    rule_id: str
    hits: tuple[Hit, ...]
    steps: tuple[str, ...]
    absent: tuple[str, ...]
    details: str
    host: str | None = None
