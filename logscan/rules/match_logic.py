"""Combinators: ``all`` (every item), ``any`` (first matching item), ``not`` (negation).

Anchors combine the way the logic does: ``all`` may use the most selective anchor set of
any item (each item is required), ``any`` needs every item to bring anchors (any item
may be the one that matched), and ``not`` proves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from logscan.rules._yaml import Node, Seq, type_name
from logscan.rules.anchors import Anchors, best, union
from logscan.rules.matching import BuildContext, Matcher, Subject, build_matcher, register
from logscan.rules.model import ProblemCode


def _items(value: Node, ctx: BuildContext, name: str) -> list[Matcher] | None:
    if not isinstance(value, Seq) or not value.items:
        ctx.error(
            value.loc,
            ProblemCode.WRONG_TYPE,
            f"{name} takes a non-empty list of matchers, not {type_name(value)}",
        )
        return None
    built = [build_matcher(item, ctx) for item in value.items]
    out = [m for m in built if m is not None]
    return out if len(out) == len(built) else None


@dataclass(frozen=True, slots=True)
class _All:
    items: tuple[Matcher, ...]

    def test(self, subject: Subject) -> bool:
        state = subject.snapshot()
        if all(m.test(subject) for m in self.items):
            return True
        subject.restore(state)
        return False

    def anchors(self) -> Anchors | None:
        return best(m.anchors() for m in self.items)

    def capture_names(self) -> frozenset[str]:
        return frozenset().union(*(m.capture_names() for m in self.items))


@register("all", value="a list of matchers", doc="every item matches")
def _build_all(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> _All | None:
    items = _items(value, ctx, "all")
    return None if items is None else _All(tuple(items))


@dataclass(frozen=True, slots=True)
class _Any:
    items: tuple[Matcher, ...]

    def test(self, subject: Subject) -> bool:
        return any(m.test(subject) for m in self.items)

    def anchors(self) -> Anchors | None:
        return union(m.anchors() for m in self.items)

    def capture_names(self) -> frozenset[str]:
        return frozenset().union(*(m.capture_names() for m in self.items))


@register("any", value="a list of matchers", doc="at least one item matches (the first one wins)")
def _build_any(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> _Any | None:
    items = _items(value, ctx, "any")
    return None if items is None else _Any(tuple(items))


@dataclass(frozen=True, slots=True)
class _Not:
    item: Matcher

    def test(self, subject: Subject) -> bool:
        # Whatever the negated item captured belongs to a match that did not count.
        state = subject.snapshot()
        matched = self.item.test(subject)
        subject.restore(state)
        return not matched

    def anchors(self) -> Anchors | None:
        return None

    def capture_names(self) -> frozenset[str]:
        return frozenset()


@register("not", value="one matcher", doc="the item does not match")
def _build_not(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> _Not | None:
    item = build_matcher(value, ctx)
    return None if item is None else _Not(item)
