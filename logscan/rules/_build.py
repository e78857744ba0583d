"""Turning one located YAML document into a ``Rule`` or ``CorrelationRule``.

Every mistake is reported at its own ``path:line:col`` and building carries on, so one
lint run lists all of a rule's problems; a rule with any error is not returned.
References between rules are resolved later, by the loader, once every file is read.
"""

from __future__ import annotations

import re

from logscan.model import LogFormat, LogKind
from logscan.rules import schema
from logscan.rules._build_corr import build_correlation
from logscan.rules._examples import read_examples
from logscan.rules._fields import RULE_ID, check_keys, enum_value, template, text, texts
from logscan.rules._yaml import Map, Node, Scalar, type_name
from logscan.rules.anchors import MIN_ANCHOR, strong_enough
from logscan.rules.match_text import compile_pattern
from logscan.rules.matching import BuildContext, build_matcher
from logscan.rules.model import LogSourceSpec, ProblemCode, RuleLevel, Status
from logscan.rules.rule import RECORD_FIELDS, CorrelationRule, Extractor, Rule, RuleMeta

_CAPTURE_NAME = re.compile(r"^[A-Za-z_]\w*$")
_DETECTION_ONLY = dict.fromkeys(
    ("match", "logsource", "captures", "anchors"),
    "detection rules only (this rule has `correlate:`)",
)


def build_rule(doc: Node, ctx: BuildContext) -> Rule | CorrelationRule | None:
    """The rule a document describes, or None when it has errors (all in ctx)."""
    if not isinstance(doc, Map):
        ctx.error(
            doc.loc,
            ProblemCode.WRONG_TYPE,
            f"a rule is a mapping of fields (id, title, status, ...), not {type_name(doc)}",
        )
        return None
    correlation = "correlate" in doc.items
    ctx.rule_id = _rule_id(doc, ctx)
    if correlation:
        check_keys(doc, schema.CORRELATION_FIELDS, ctx, "rule", _DETECTION_ONLY)
        return build_correlation(doc, _meta(doc, ctx), ctx)
    check_keys(doc, schema.DETECTION_FIELDS, ctx, "rule")
    return _detection(doc, _meta(doc, ctx), ctx)


def _rule_id(doc: Map, ctx: BuildContext) -> str | None:
    node = doc.items.get("id")
    if node is None:
        return None
    if isinstance(node, Scalar) and isinstance(node.value, str) and RULE_ID.match(node.value):
        return node.value
    ctx.error(
        node.loc,
        ProblemCode.BAD_VALUE,
        "id must be lower-case words joined by dots (a-z, 0-9, _ and -), such as "
        f"kb977203.osdsmpclient.import_failure, not {type_name(node)}",
    )
    return None


def _choice(
    node: Node | None, ctx: BuildContext, enum: type[Status] | type[RuleLevel], what: str
) -> str:
    if node is None:
        return ""
    value = node.value if isinstance(node, Scalar) else None
    if isinstance(value, str) and value in {m.value for m in enum}:
        return value
    ctx.error(
        node.loc,
        ProblemCode.BAD_VALUE,
        f"{what} must be one of {', '.join(m.value for m in enum)}, not {type_name(node)}",
    )
    return ""


def _meta(doc: Map, ctx: BuildContext) -> RuleMeta:
    get = doc.items.get
    status = _choice(get("status"), ctx, Status, "status")
    level = _choice(get("level"), ctx, RuleLevel, "level")
    return RuleMeta(
        id=ctx.rule_id or "",
        title=text(get("title"), ctx, "title"),
        status=Status(status) if status else Status.EXPERIMENTAL,
        level=RuleLevel(level) if level else RuleLevel.INFORMATIONAL,
        description=text(get("description"), ctx, "description"),
        references=tuple(str(s.value) for s in texts(get("references"), ctx, "references")),
        falsepositives=tuple(
            str(s.value) for s in texts(get("falsepositives"), ctx, "falsepositives")
        ),
        tags=tuple(str(s.value) for s in texts(get("tags"), ctx, "tags")),
        location=doc.loc,
    )


def _logsource(node: Node | None, ctx: BuildContext) -> tuple[LogSourceSpec, LogKind | None]:
    """The spec and the first kind listed (the default kind of plain-text examples)."""
    if not isinstance(node, Map):
        if node is not None:
            ctx.error(
                node.loc,
                ProblemCode.WRONG_TYPE,
                f"logsource must be a mapping, not {type_name(node)}",
            )
        return LogSourceSpec(), None
    check_keys(node, schema.LOGSOURCE_FIELDS, ctx, "logsource")
    get = node.items.get
    kinds = [enum_value(s, LogKind, "log kind", ctx) for s in texts(get("kinds"), ctx, "kinds")]
    formats = [
        enum_value(s, LogFormat, "log format", ctx) for s in texts(get("formats"), ctx, "formats")
    ]
    files = tuple(str(s.value) for s in texts(get("files"), ctx, "files"))
    spec = LogSourceSpec(
        frozenset(k for k in kinds if k), files, frozenset(f for f in formats if f)
    )
    return spec, next((k for k in kinds if k), None)


def _extractors(node: Node | None, ctx: BuildContext) -> tuple[Extractor, ...]:
    if node is None:
        return ()
    if not isinstance(node, Map):
        ctx.error(
            node.loc,
            ProblemCode.WRONG_TYPE,
            f"captures must be a mapping of name: regex, not {type_name(node)}",
        )
        return ()
    out = []
    for name, value in node.items.items():
        if not _CAPTURE_NAME.match(name) or name in RECORD_FIELDS:
            ctx.error(
                node.keys[name],
                ProblemCode.BAD_VALUE,
                f"capture name {name!r} must be an identifier and not a record field "
                f"({', '.join(RECORD_FIELDS)})",
            )
            continue
        if not isinstance(value, Scalar) or not isinstance(value.value, str):
            ctx.error(
                value.loc,
                ProblemCode.WRONG_TYPE,
                f"capture {name!r} must be a regex, not {type_name(value)}",
            )
            continue
        compiled = compile_pattern(value, ctx)
        if compiled is not None:
            out.append(Extractor(name, compiled, value.loc))
    return tuple(out)


def _declared_anchors(node: Node | None, ctx: BuildContext) -> tuple[bytes, ...] | None:
    if node is None:
        return None
    out = []
    for s in texts(node, ctx, "anchors"):
        value = str(s.value)
        if len(value) < MIN_ANCHOR or not value.isascii():
            ctx.error(
                s.loc,
                ProblemCode.BAD_VALUE,
                f"anchor {value!r} must be ASCII and at least {MIN_ANCHOR} characters long "
                "(raw bytes are searched case-insensitively for it)",
            )
        out.append(value.lower().encode("ascii", "replace"))
    if not out and not ctx.failed:
        ctx.error(node.loc, ProblemCode.BAD_VALUE, "anchors, when given, must list at least one")
    return tuple(sorted(set(out)))


def _detection(doc: Map, meta: RuleMeta, ctx: BuildContext) -> Rule | None:
    get = doc.items.get
    logsource, default_kind = _logsource(get("logsource"), ctx)
    match_node = get("match")
    matcher = build_matcher(match_node, ctx) if match_node is not None else None
    extractors = _extractors(get("captures"), ctx)
    captures = set(matcher.capture_names() if matcher else ()) | {e.name for e in extractors}
    details = template(get("details"), ctx, {*RECORD_FIELDS, *captures})
    declared = _declared_anchors(get("anchors"), ctx)
    examples = read_examples(get("tests"), ctx, correlation=False, default_kind=default_kind)
    if ctx.failed or matcher is None:
        return None
    if declared is not None:
        anchors = declared
    else:
        derived = strong_enough(matcher.anchors())
        anchors = tuple(sorted(a.encode("utf-8") for a in derived)) if derived else ()
    return Rule(
        meta=meta,
        logsource=logsource,
        matcher=matcher,
        extractors=extractors,
        details=details,
        anchors=anchors,
        anchors_declared=declared is not None,
        examples=examples,
    )
