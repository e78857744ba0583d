"""Details templates: ``{name}`` placeholders checked at load time, rendered per hit.

``str.format`` would allow attribute and index lookups (``{0.__class__}``) in text that
comes from user rule files; this renderer only replaces ``{name}`` (letters, digits,
``_`` and ``.``) from a flat mapping. ``{{`` and ``}}`` stand for literal braces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import regex

_PLACEHOLDER = regex.compile(
    r"""
    \{\{ | \}\}                     # escaped braces
    | \{ (?P<name>[A-Za-z_][\w.]*) \}  # a placeholder
    | (?P<stray>[{}])               # a brace that is neither
    """,
    regex.VERBOSE,
)

MISSING = "?"  # rendered for a placeholder without a value (an optional capture)


@dataclass(frozen=True, slots=True)
class Template:
    text: str
    placeholders: tuple[tuple[int, str], ...]  # (index in text, name)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(name for _, name in self.placeholders)

    def render(self, values: Mapping[str, str]) -> str:
        def replace(m: regex.Match[str]) -> str:
            name = m.group("name")
            if name is None:
                return m.group()[0]
            return values.get(name) or MISSING

        return _PLACEHOLDER.sub(replace, self.text)

    def unknown(self, known: Iterable[str]) -> list[tuple[int, str]]:
        """Placeholders not in ``known``, as ``(index, message)`` problems."""
        allowed = set(known)
        listing = ", ".join(sorted(allowed))
        return [
            (index, f"unknown placeholder {{{name}}}; known: {listing}")
            for index, name in self.placeholders
            if name not in allowed
        ]


def parse_template(text: str) -> tuple[Template, list[tuple[int, str]]]:
    """The template and its syntax problems as ``(index in text, message)`` pairs."""
    placeholders: list[tuple[int, str]] = []
    problems: list[tuple[int, str]] = []
    for m in _PLACEHOLDER.finditer(text):
        if m.group("stray"):
            problems.append((m.start(), "unbalanced brace: write {{ or }} for a literal brace"))
        elif (name := m.group("name")) is not None:
            placeholders.append((m.start(), name))
    return Template(text, tuple(placeholders)), problems
