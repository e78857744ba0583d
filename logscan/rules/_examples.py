"""Reading a rule's ``tests:`` block into located must-match / must-not-match examples.

A detection rule's example is raw log text (a string, or ``{text, kind, format, name}``);
a correlation rule's example is a scenario ``{name, logs: [{text, kind, format}, ...]}``
with one snippet per log file.
"""

from __future__ import annotations

from logscan.model import LogFormat, LogKind
from logscan.rules import schema
from logscan.rules._fields import check_keys, enum_value, text
from logscan.rules._yaml import Map, Node, Scalar, Seq, type_name
from logscan.rules.matching import BuildContext
from logscan.rules.model import Example, ExampleKind, LogSnippet, ProblemCode

_DETECTION_KEYS = tuple(f for f in schema.EXAMPLE_FIELDS if f.name != "logs")
_SCENARIO_KEYS = tuple(
    schema.FieldSpec(f.name, f.shape, f.name == "logs", f.doc)
    for f in schema.EXAMPLE_FIELDS
    if f.name in ("name", "logs")
)
_SNIPPET_KEYS = tuple(f for f in schema.EXAMPLE_FIELDS if f.name in ("text", "kind", "format"))


def read_examples(
    node: Node | None, ctx: BuildContext, *, correlation: bool, default_kind: LogKind | None
) -> tuple[Example, ...]:
    if node is None:
        return ()
    if not isinstance(node, Map):
        ctx.error(
            node.loc,
            ProblemCode.WRONG_TYPE,
            f"tests must be a mapping with must_match and must_not_match, not {type_name(node)}",
        )
        return ()
    check_keys(node, schema.TESTS_FIELDS, ctx, "tests")
    out: list[Example] = []
    for expect in ExampleKind:
        items = node.items.get(expect.value)
        if items is None:
            continue
        if not isinstance(items, Seq):
            ctx.error(
                items.loc,
                ProblemCode.WRONG_TYPE,
                f"{expect.value} must be a list of examples, not {type_name(items)}",
            )
            continue
        if expect is ExampleKind.MUST_MATCH and not items.items:
            ctx.error(
                items.loc,
                ProblemCode.NO_EXAMPLES,
                "must_match needs at least one example: every rule proves it matches something",
            )
        for item in items.items:
            example = (
                _scenario(item, expect, ctx)
                if correlation
                else _example(item, expect, ctx, default_kind)
            )
            if example is not None:
                out.append(example)
    return tuple(out)


def _snippet(item: Map, ctx: BuildContext, default_kind: LogKind | None) -> LogSnippet | None:
    raw = item.items.get("text")
    body = text(raw, ctx, "text") if raw is not None else ""
    kind_node, format_node = item.items.get("kind"), item.items.get("format")
    kind = default_kind
    fmt = None
    if isinstance(kind_node, Scalar):
        kind = enum_value(kind_node, LogKind, "log kind", ctx)
    elif kind_node is not None:
        ctx.error(kind_node.loc, ProblemCode.WRONG_TYPE, "kind must be a log kind name")
    if isinstance(format_node, Scalar):
        fmt = enum_value(format_node, LogFormat, "log format", ctx)
    elif format_node is not None:
        ctx.error(format_node.loc, ProblemCode.WRONG_TYPE, "format must be a log format name")
    return LogSnippet(body, kind, fmt) if body else None


def _example(
    item: Node, expect: ExampleKind, ctx: BuildContext, default_kind: LogKind | None
) -> Example | None:
    if isinstance(item, Scalar) and isinstance(item.value, str) and item.value.strip():
        return Example(expect, (LogSnippet(item.value, default_kind),), item.loc)
    if not isinstance(item, Map):
        ctx.error(
            item.loc,
            ProblemCode.WRONG_TYPE,
            f"an example is raw log text or a mapping {{text, kind, format, name}}, "
            f"not {type_name(item)}",
        )
        return None
    check_keys(item, _DETECTION_KEYS, ctx, "example")
    snippet = _snippet(item, ctx, default_kind)
    name = text(item.items.get("name"), ctx, "name")
    return None if snippet is None else Example(expect, (snippet,), item.loc, name)


def _scenario(item: Node, expect: ExampleKind, ctx: BuildContext) -> Example | None:
    if not isinstance(item, Map):
        ctx.error(
            item.loc,
            ProblemCode.WRONG_TYPE,
            f"a correlation example is a mapping {{name, logs: [...]}}, not {type_name(item)}",
        )
        return None
    check_keys(item, _SCENARIO_KEYS, ctx, "correlation example")
    logs = item.items.get("logs")
    snippets: list[LogSnippet] = []
    if isinstance(logs, Seq):
        for entry in logs.items:
            if not isinstance(entry, Map):
                ctx.error(
                    entry.loc,
                    ProblemCode.WRONG_TYPE,
                    f"each log is a mapping {{text, kind, format}}, not {type_name(entry)}",
                )
                continue
            check_keys(entry, _SNIPPET_KEYS, ctx, "log snippet")
            snippet = _snippet(entry, ctx, None)
            if snippet is not None:
                snippets.append(snippet)
    elif logs is not None:
        ctx.error(logs.loc, ProblemCode.WRONG_TYPE, f"logs must be a list, not {type_name(logs)}")
    name = text(item.items.get("name"), ctx, "name")
    return Example(expect, tuple(snippets), item.loc, name)
