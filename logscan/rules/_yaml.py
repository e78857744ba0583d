"""Located YAML: rule documents as trees of nodes that know their ``path:line:col``.

PyYAML's ``safe_load`` forgets where values came from and silently keeps the last of
two equal keys. Rule errors must point at the exact place to fix, so documents are
composed into PyYAML nodes (which carry marks) and converted here into ``Scalar``,
``Map`` and ``Seq`` with 1-based locations, reporting duplicate keys on the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from logscan.errors import SourceLocation
from logscan.rules.model import ProblemCode, RuleProblem


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar with its resolved value (str, int, bool, None, date...) and source text."""

    value: object
    text: str
    style: str | None  # None (plain), "'", '"', "|", ">"
    loc: SourceLocation
    source: str = field(repr=False, default="")  # the scalar's exact source characters


@dataclass(frozen=True, slots=True)
class Map:
    """A mapping with string keys; ``keys`` keeps each key's own location."""

    items: dict[str, Node]
    keys: dict[str, SourceLocation]
    loc: SourceLocation


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple[Node, ...]
    loc: SourceLocation


Node = Scalar | Map | Seq


def type_name(node: Node) -> str:
    """How a node reads in an error message ("a list", "the text 'x'")."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    if node.value is None:
        return "an empty value"
    return f"{type(node.value).__name__} {node.text!r}"


# libyaml's loader when PyYAML was built with it: about ten times faster, and loading the
# rule pack is most of what an unchanged batch re-run costs. Its marks count characters,
# like the pure-Python loader's, so locations and source slices are the same.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _loc(path: str, mark: yaml.Mark | None) -> SourceLocation:
    if mark is None:
        return SourceLocation(path)
    return SourceLocation(path, mark.line + 1, mark.column + 1)


def load_documents(
    text: str, path: str, problems: list[RuleProblem]
) -> Iterator[tuple[Node, SourceLocation]]:
    """Every document of ``text`` as a located tree, in order.

    Syntax errors end the file (PyYAML cannot resume after one) and are appended to
    ``problems``; duplicate keys are appended too, and the document is still yielded so
    that other mistakes in it are found in the same run.
    """
    loader = _LOADER(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            yield _convert(node, loader, text, path, problems), _loc(path, node.start_mark)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "cannot parse"
        context = exc.context_mark
        if exc.context and context is not None and context is not mark:
            what += (
                f" ({exc.context} that starts at line {context.line + 1}, "
                f"column {context.column + 1})"
            )
        problems.append(
            RuleProblem(
                _loc(path, mark),
                ProblemCode.YAML_SYNTAX,
                f"YAML syntax error: {what}; fix the indentation or quoting here",
            )
        )
    except yaml.YAMLError as exc:
        problems.append(
            RuleProblem(
                _reader_location(text, path, exc),
                ProblemCode.YAML_SYNTAX,
                f"YAML cannot read this file: {exc}",
            )
        )
    finally:
        loader.dispose()


def _reader_location(text: str, path: str, exc: yaml.YAMLError) -> SourceLocation:
    """ReaderError (a control character, say) has a character position, not a mark."""
    position = getattr(exc, "position", None)
    if not isinstance(position, int):
        return SourceLocation(path)
    before = text[:position]
    line = before.count("\n") + 1
    return SourceLocation(path, line, position - (before.rfind("\n") + 1) + 1)


def _convert(
    node: yaml.Node, loader: yaml.SafeLoader, text: str, path: str, problems: list[RuleProblem]
) -> Node:
    loc = _loc(path, node.start_mark)
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_object(node, deep=True)
        start, end = node.start_mark.index, node.end_mark.index
        source = text[start:end]
        # libyaml marks a plain scalar with "" where the Python loader uses None.
        return Scalar(value, node.value, node.style or None, loc, source)
    if isinstance(node, yaml.SequenceNode):
        return Seq(tuple(_convert(item, loader, text, path, problems) for item in node.value), loc)
    assert isinstance(node, yaml.MappingNode)
    items: dict[str, Node] = {}
    keys: dict[str, SourceLocation] = {}
    for key_node, value_node in node.value:
        key_loc = _loc(path, key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            problems.append(
                RuleProblem(
                    key_loc,
                    ProblemCode.WRONG_TYPE,
                    "keys must be plain names (YAML merge keys and complex keys are not "
                    "supported in rules)",
                )
            )
            continue
        key = str(key_node.value)
        if key in keys:
            first = keys[key]
            problems.append(
                RuleProblem(
                    key_loc,
                    ProblemCode.DUPLICATE_KEY,
                    f"duplicate key {key!r} (first at line {first.line}, column "
                    f"{first.column}); YAML would silently keep only this last value, "
                    "so remove or rename one of them",
                )
            )
            continue
        keys[key] = key_loc
        items[key] = _convert(value_node, loader, text, path, problems)
    return Map(items, keys, loc)


def position_in_scalar(scalar: Scalar, index: int) -> SourceLocation:
    """The file location of character ``index`` of a scalar's value, where that can be
    worked out exactly (plain, quoted without escapes, literal block); otherwise the
    scalar's own start."""
    loc = scalar.loc
    if loc.line is None or loc.column is None:
        return loc
    text = scalar.text
    if scalar.style in (None, "'", '"') and "\n" not in scalar.source:
        quote = 1 if scalar.style else 0
        if scalar.style == '"' and "\\" in scalar.source:
            return loc
        if scalar.style == "'":
            # '' stands for one quote: shift by one for each before the index.
            index += text[:index].count("'")
        return SourceLocation(loc.path, loc.line, loc.column + quote + index)
    if scalar.style == "|":
        lines = scalar.source.split("\n")
        body = lines[1:]  # the indicator line ("|", "|-", "|2") comes first
        indent = next((len(b) - len(b.lstrip(" ")) for b in body if b.strip()), 0)
        row = text[:index].count("\n")
        col = index - (text[:index].rfind("\n") + 1)
        return SourceLocation(loc.path, loc.line + 1 + row, indent + col + 1)
    return loc
