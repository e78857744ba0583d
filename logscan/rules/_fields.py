"""Field readers shared by the rule builders: typed values out of located YAML nodes.

Each reader reports a wrong shape at the node's own location (through the
``BuildContext``) and returns a neutral value, so building continues and one run finds
every mistake in a rule.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TypeVar

from logscan.errors import SourceLocation
from logscan.model import LogFormat, LogKind
from logscan.rules import schema
from logscan.rules._yaml import Map, Node, Scalar, Seq, position_in_scalar, type_name
from logscan.rules.matching import BuildContext
from logscan.rules.model import ProblemCode
from logscan.rules.template import Template, parse_template

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*$")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

_E = TypeVar("_E", LogKind, LogFormat)


def check_keys(
    node: Map,
    specs: tuple[schema.FieldSpec, ...],
    ctx: BuildContext,
    where: str,
    hints: dict[str, str] | None = None,
) -> None:
    """Unknown keys and missing required ones, against a schema table."""
    for key in node.items:
        if key not in {s.name for s in specs}:
            hint = (hints or {}).get(key)
            why = f"{key!r} is for {hint}" if hint else f"unknown field {key!r} in {where}"
            ctx.error(
                node.keys[key],
                ProblemCode.UNKNOWN_FIELD,
                f"{why}; known fields: {', '.join(s.name for s in specs)}",
            )
    for spec in specs:
        if spec.required and spec.name not in node.items:
            ctx.error(
                node.loc,
                ProblemCode.MISSING_FIELD,
                f"missing required field {spec.name!r} in {where} ({spec.doc})",
            )


def text(node: Node | None, ctx: BuildContext, what: str) -> str:
    if node is None:
        return ""
    if isinstance(node, Scalar) and isinstance(node.value, str) and node.value.strip():
        return node.value
    ctx.error(
        node.loc, ProblemCode.WRONG_TYPE, f"{what} must be non-empty text, not {type_name(node)}"
    )
    return ""


def texts(
    node: Node | None, ctx: BuildContext, what: str, *, single_ok: bool = False
) -> list[Scalar]:
    """A list of texts (numbers allowed: YAML reads some ids and codes as numbers)."""
    if node is None:
        return []
    if single_ok and isinstance(node, Scalar):
        items: tuple[Node, ...] = (node,)
    elif isinstance(node, Seq):
        items = node.items
    else:
        ctx.error(
            node.loc,
            ProblemCode.WRONG_TYPE,
            f"{what} must be a list of texts, not {type_name(node)}",
        )
        return []
    out = []
    for item in items:
        if (
            isinstance(item, Scalar)
            and isinstance(item.value, str | int)
            and not isinstance(item.value, bool)
            and str(item.value).strip()
        ):
            out.append(item)
        else:
            ctx.error(
                item.loc,
                ProblemCode.WRONG_TYPE,
                f"each of {what} must be text, not {type_name(item)}",
            )
    return out


def enum_value(scalar: Scalar, enum: type[_E], what: str, ctx: BuildContext) -> _E | None:
    try:
        return enum(str(scalar.value).lower())
    except ValueError:
        ctx.error(
            scalar.loc,
            ProblemCode.BAD_VALUE,
            f"unknown {what} {scalar.value!r}; known: {', '.join(m.value for m in enum)}",
        )
        return None


def duration(node: Node | None, ctx: BuildContext, what: str) -> timedelta:
    if isinstance(node, Scalar):
        value = node.value
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return timedelta(seconds=value)
        m = _DURATION.match(str(value))
        if m and int(m.group(1)) > 0:
            return timedelta(seconds=int(m.group(1)) * _UNITS[m.group(2)])
    if node is not None:
        ctx.error(
            node.loc,
            ProblemCode.BAD_VALUE,
            f"{what} must be a positive duration such as 30s, 15m, 2h or 7d, not {type_name(node)}",
        )
    return timedelta(0)


def rule_ids(node: Node | None, ctx: BuildContext, what: str) -> dict[str, SourceLocation]:
    """One rule id or a list of them, each with its own location."""
    out: dict[str, SourceLocation] = {}
    for s in texts(node, ctx, what, single_ok=True):
        if not RULE_ID.match(str(s.value)):
            ctx.error(s.loc, ProblemCode.BAD_VALUE, f"{what} {s.value!r} is not a rule id")
        out[str(s.value)] = s.loc
    return out


def template(node: Node | None, ctx: BuildContext, known: set[str] | None) -> Template:
    """The details template; placeholders are checked against ``known`` unless None."""
    source = text(node, ctx, "details")
    parsed, problems = parse_template(source)
    if known is not None:
        problems += parsed.unknown(known)
    for index, message in problems:
        assert isinstance(node, Scalar)  # only a text scalar has placeholders to complain about
        ctx.error(position_in_scalar(node, index), ProblemCode.BAD_TEMPLATE, message)
    return parsed
