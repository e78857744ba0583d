"""Building a correlation rule: steps, window, order and absence conditions.

Step references stay unresolved here (they may name rules in files not read yet); the
loader checks them, and the ``{step.field}`` placeholders, once every file is loaded.
"""

from __future__ import annotations

from datetime import timedelta

from logscan.errors import SourceLocation
from logscan.rules import schema
from logscan.rules._examples import read_examples
from logscan.rules._fields import check_keys, duration, rule_ids, template, text
from logscan.rules._yaml import Map, Node, Scalar, Seq, position_in_scalar, type_name
from logscan.rules.matching import BuildContext
from logscan.rules.model import ProblemCode
from logscan.rules.rule import Absence, CorrelationRule, RuleMeta, Step


def build_correlation(doc: Map, meta: RuleMeta, ctx: BuildContext) -> CorrelationRule | None:
    node = doc.items["correlate"]
    steps: list[Step] = []
    absent: list[Absence] = []
    window, ordered = timedelta(0), False
    if not isinstance(node, Map):
        ctx.error(
            node.loc, ProblemCode.WRONG_TYPE, f"correlate must be a mapping, not {type_name(node)}"
        )
    else:
        check_keys(node, schema.CORRELATE_FIELDS, ctx, "correlate")
        steps = _steps(node.items.get("steps"), ctx)
        window = duration(node.items.get("window"), ctx, "window")
        ordered_node = node.items.get("ordered")
        if ordered_node is not None:
            if isinstance(ordered_node, Scalar) and isinstance(ordered_node.value, bool):
                ordered = ordered_node.value
            else:
                ctx.error(
                    ordered_node.loc,
                    ProblemCode.WRONG_TYPE,
                    f"ordered must be true or false, not {type_name(ordered_node)}",
                )
        absent = _absences(node.items.get("absent"), steps, ctx)
    details_node = doc.items.get("details")
    details = template(details_node, ctx, None)
    names = {s.name for s in steps}
    positions: dict[str, SourceLocation] = {}
    for index, name in details.placeholders:
        if not isinstance(details_node, Scalar):
            break
        positions.setdefault(name, position_in_scalar(details_node, index))
        if name.split(".", 1)[0] not in names or "." not in name:
            ctx.error(
                positions[name],
                ProblemCode.BAD_TEMPLATE,
                f"unknown placeholder {{{name}}}; write {{step.field}} with a step name "
                f"({', '.join(sorted(names))}) and a record field, capture or `details`",
            )
    examples = read_examples(doc.items.get("tests"), ctx, correlation=True, default_kind=None)
    if ctx.failed:
        return None
    return CorrelationRule(
        meta, tuple(steps), window, ordered, tuple(absent), details, examples, positions
    )


def _steps(node: Node | None, ctx: BuildContext) -> list[Step]:
    if not isinstance(node, Seq) or not node.items:
        if node is not None:
            ctx.error(
                node.loc,
                ProblemCode.WRONG_TYPE,
                f"steps must be a non-empty list, not {type_name(node)}",
            )
        return []
    out: list[Step] = []
    for i, item in enumerate(node.items, 1):
        if not isinstance(item, Map):
            ctx.error(
                item.loc,
                ProblemCode.WRONG_TYPE,
                f"a step is a mapping {{name, rule}}, not {type_name(item)}",
            )
            continue
        check_keys(item, schema.STEP_FIELDS, ctx, "step")
        name = text(item.items.get("name"), ctx, "step name") or f"step{i}"
        if any(s.name == name for s in out):
            ctx.error(item.loc, ProblemCode.BAD_VALUE, f"step name {name!r} is used twice")
        refs = rule_ids(item.items.get("rule"), ctx, "rule")
        out.append(Step(name, tuple(refs), item.loc, tuple(refs.values())))
    return out


def _absences(node: Node | None, steps: list[Step], ctx: BuildContext) -> list[Absence]:
    if node is None:
        return []
    if not isinstance(node, Seq):
        ctx.error(node.loc, ProblemCode.WRONG_TYPE, f"absent must be a list, not {type_name(node)}")
        return []
    names = [s.name for s in steps]
    out = []
    for item in node.items:
        if not isinstance(item, Map):
            ctx.error(
                item.loc,
                ProblemCode.WRONG_TYPE,
                f"an absence is a mapping {{rule, after, within}}, not {type_name(item)}",
            )
            continue
        check_keys(item, schema.ABSENT_FIELDS, ctx, "absent")
        after_node = item.items.get("after")
        after = text(after_node, ctx, "after") if after_node else (names[-1] if names else "")
        if after_node is not None and after and after not in names:
            ctx.error(
                after_node.loc,
                ProblemCode.UNKNOWN_REFERENCE,
                f"after: {after!r} is not a step name; steps: {', '.join(names)}",
            )
        within = duration(item.items.get("within"), ctx, "within")
        refs = rule_ids(item.items.get("rule"), ctx, "rule")
        out.append(Absence(tuple(refs), after, within, item.loc, tuple(refs.values())))
    return out
