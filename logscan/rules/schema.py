"""The rule-file schema as data: field tables the builder enforces and README renders.

``rules/README.md`` holds a generated reference section between two markers; a test
compares it with ``render_reference()`` so the documentation cannot drift from the code.
Refresh it with ``logscan rules schema --write`` after changing a table or a matcher.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from logscan.model import LogFormat, LogKind
from logscan.rules.model import RuleLevel, Status


class Shape(StrEnum):
    """The YAML shape a field takes."""

    TEXT = "text"
    TEXTS = "list of texts"
    TEXT_OR_TEXTS = "text or list of texts"
    MAPPING = "mapping"
    LIST = "list"
    MATCHER = "matcher"
    BOOL = "true/false"
    DURATION = "duration"
    EXAMPLE = "text or mapping"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    shape: Shape
    required: bool
    doc: str


def _f(name: str, shape: Shape, required: bool, doc: str) -> FieldSpec:
    return FieldSpec(name, shape, required, doc)


_COMMON = (
    _f(
        "id",
        Shape.TEXT,
        True,
        "stable id, lower case, dotted: `kb977203.osdsmpclient.import_failure`; "
        "never reused for a different meaning",
    ),
    _f("title", Shape.TEXT, True, "one line saying what the rule found"),
    _f("status", Shape.TEXT, True, "maturity: " + ", ".join(s.value for s in Status)),
    _f(
        "level",
        Shape.TEXT,
        True,
        "how much a hit matters: " + ", ".join(v.value for v in RuleLevel),
    ),
    _f(
        "description",
        Shape.TEXT,
        True,
        "why it matters and where the wording comes from (say "
        "when wording is reconstructed rather than observed)",
    ),
    _f("references", Shape.TEXTS, False, "KB numbers (`KB977203`) and links"),
    _f("falsepositives", Shape.TEXTS, False, "situations where a hit does not mean the problem"),
    _f("tags", Shape.TEXTS, False, "free-form labels such as `kb977203`, `usmt`, `near_miss`"),
    _f(
        "details",
        Shape.TEXT,
        True,
        "one-line explanation per hit with `{placeholders}`: record "
        "fields (message, component, thread, level, source, line, time, format, kind, code, "
        "codes) and capture names; correlation rules use `{step.field}`",
    ),
)

DETECTION_FIELDS: tuple[FieldSpec, ...] = (
    *_COMMON,
    _f("logsource", Shape.MAPPING, True, "which logs the rule reads (see logsource)"),
    _f("match", Shape.MATCHER, True, "one matcher item (see matchers); combine with all/any/not"),
    _f(
        "captures",
        Shape.MAPPING,
        False,
        "name: regex run on the message after a match; the "
        "named group of that name, else group 1, else the whole match becomes the capture",
    ),
    _f(
        "anchors",
        Shape.TEXTS,
        False,
        "literal strings one of which every matching record "
        "contains; derived from the match block when omitted",
    ),
    _f("tests", Shape.MAPPING, True, "must_match / must_not_match examples (see tests)"),
)

CORRELATION_FIELDS: tuple[FieldSpec, ...] = (
    *_COMMON,
    _f("correlate", Shape.MAPPING, True, "steps, window, order and absences (see correlate)"),
    _f("tests", Shape.MAPPING, True, "must_match / must_not_match scenarios (see tests)"),
)

LOGSOURCE_FIELDS = (
    _f("kinds", Shape.TEXTS, False, "log kinds: " + ", ".join(k.value for k in LogKind)),
    _f("files", Shape.TEXTS, False, "file-name globs, case-insensitive (`smsts*.log`)"),
    _f(
        "formats",
        Shape.TEXTS,
        False,
        "only these formats: " + ", ".join(f.value for f in LogFormat),
    ),
)

TESTS_FIELDS = (
    _f("must_match", Shape.LIST, True, "examples the rule must match (at least one)"),
    _f("must_not_match", Shape.LIST, False, "near misses the rule must not match"),
)

EXAMPLE_FIELDS = (
    _f(
        "text",
        Shape.TEXT,
        True,
        "raw log text in its native format (CCM `<![LOG[` records, "
        "legacy `$$<` lines, USMT lines, CMTrace copy text); a plain string example means this",
    ),
    _f(
        "kind",
        Shape.TEXT,
        False,
        "log kind the text comes from (default: the first logsource kind)",
    ),
    _f("format", Shape.TEXT, False, "parser to use (default: sniffed from the text)"),
    _f("name", Shape.TEXT, False, "what the example shows"),
    _f(
        "logs",
        Shape.LIST,
        False,
        "correlation scenarios only: a list of {text, kind, format} "
        "snippets, one per log file, instead of `text`",
    ),
)

CORRELATE_FIELDS = (
    _f(
        "steps",
        Shape.LIST,
        True,
        "required hits: items `{name, rule}` where rule is an id or a list of ids (any of them)",
    ),
    _f(
        "window",
        Shape.DURATION,
        True,
        "all step hits lie within this span (`30s`, `15m`, `2h`, `7d`)",
    ),
    _f("ordered", Shape.BOOL, False, "steps must happen in the listed order (default false)"),
    _f(
        "absent",
        Shape.LIST,
        False,
        "items `{rule, after, within}`: no hit of rule (id or list) "
        "within the duration after step `after` (default: the last step)",
    ),
)

STEP_FIELDS = (
    _f("name", Shape.TEXT, False, "step name for `after:` and details (default: step1, step2...)"),
    _f("rule", Shape.TEXT_OR_TEXTS, True, "rule id, or a list of ids any of which fills the step"),
)

ABSENT_FIELDS = (
    _f("rule", Shape.TEXT_OR_TEXTS, True, "rule id, or a list of ids none of which may hit"),
    _f("after", Shape.TEXT, False, "step name the window starts at (default: the last step)"),
    _f("within", Shape.DURATION, True, "how long after that step nothing may be logged"),
)

BEGIN = "<!-- schema reference: generated by logscan.rules.schema, do not edit below -->"
END = "<!-- end of generated schema reference -->"


def _table(title: str, specs: tuple[FieldSpec, ...]) -> list[str]:
    rows = [f"### {title}", "", "| field | shape | required | meaning |", "|---|---|---|---|"]
    rows += [
        f"| `{s.name}` | {s.shape.value} | {'yes' if s.required else 'no'} | {s.doc} |"
        for s in specs
    ]
    return [*rows, ""]


def render_reference() -> str:
    """The generated part of ``rules/README.md``."""
    from logscan.rules.anchors import MIN_ANCHOR
    from logscan.rules.matching import DEFAULT_TIMEOUT, known_matchers

    lines = [BEGIN, ""]
    lines += _table("Detection rule fields", DETECTION_FIELDS)
    lines += _table("Correlation rule fields", CORRELATION_FIELDS)
    lines += _table("logsource", LOGSOURCE_FIELDS)
    lines += _table("tests", TESTS_FIELDS)
    lines += _table("Example (mapping form)", EXAMPLE_FIELDS)
    lines += _table("correlate", CORRELATE_FIELDS)
    lines += _table("correlate.steps items", STEP_FIELDS)
    lines += _table("correlate.absent items", ABSENT_FIELDS)
    lines += ["### Matchers", "", "| matcher | value | meaning | options |", "|---|---|---|---|"]
    for name, spec in sorted(known_matchers().items()):
        options = "<br>".join(f"`{k}`: {v}" for k, v in sorted(spec.options.items())) or "–"
        lines.append(f"| `{name}` | {spec.value} | {spec.doc} | {options} |")
    lines += [
        "",
        f"Regular expressions get {DEFAULT_TIMEOUT:g} s per record; derived anchors shorter "
        f"than {MIN_ANCHOR} characters are not used.",
        "",
        END,
    ]
    return "\n".join(lines)


def readme_path() -> Path:
    from logscan.rules.loader import shipped_rules_dir

    return shipped_rules_dir() / "README.md"


def update_readme(path: Path) -> bool:
    """Rewrite the generated section of ``path``; True when it changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + render_reference() + text[end:]
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True
