"""Literal anchors: byte strings one of which every record a rule matches must contain.

The engine searches raw bytes for the union of all rules' anchors before it parses
anything, so an anchor set that misses a spelling silently loses evidence. Everything
here errs on the side of "no anchor" (the rule then needs a full parse): a regular
expression feature this module does not fully understand gives ``None``, never a guess.

An anchor set is a ``frozenset`` of lower-case strings; "some member occurs, compared
case-insensitively" is the promise. Only ASCII letters fold reliably on bytes, so
non-ASCII characters end a literal run instead of joining it.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

Anchors = frozenset[str]

MIN_ANCHOR = 3  # shorter derived anchors would match almost every record: treat as none

# A code below this has a decimal spelling of four digits or fewer ("exit code 27"),
# which also occurs in times, dates and counts: no useful anchor.
_MIN_CODE_FOR_ANCHOR = 0x10000


class _Unsupported(Exception):
    """A pattern feature whose literal content cannot be proven."""


def best(candidates: Iterable[Anchors | None]) -> Anchors | None:
    """Of several sets that are each required, the most selective one."""
    usable = [c for c in candidates if c]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(len(a) for a in c), -len(c)))


def union(alternatives: Iterable[Anchors | None]) -> Anchors | None:
    """Anchors of "any of these": every alternative must bring its own."""
    out: set[str] = set()
    for alt in alternatives:
        if not alt:
            return None
        out |= alt
    return _minimal(out)


def _minimal(texts: Iterable[str]) -> Anchors:
    """ "a" already covers "aa": keep only members that contain no other member."""
    out = {t.lower() for t in texts}
    return frozenset(a for a in out if not any(b != a and b in a for b in out))


def strong_enough(anchors: Anchors | None) -> Anchors | None:
    if anchors is None or min(len(a) for a in anchors) < MIN_ANCHOR:
        return None
    return anchors


def code_anchors(code: int) -> Anchors | None:
    """Every spelling of a 32-bit code contains one of: its hex digits (without leading
    zeros, so ``0x``, bare and zero-padded forms all contain it), its unsigned decimal
    form, and for HRESULT-style codes its signed decimal form without the minus."""
    if code < _MIN_CODE_FOR_ANCHOR:
        return None
    out = {f"{code:x}", str(code)}
    if code >= 1 << 31:
        out.add(str((1 << 32) - code))
    return frozenset(out)


def literal_anchors(needles: Iterable[str]) -> Anchors | None:
    return union(_ascii_part(n) for n in needles)


def _ascii_part(text: str) -> Anchors | None:
    """The longest ASCII run of a literal (the only part that folds on bytes)."""
    runs = [r for r in regex.split(r"[^\x00-\x7f]+", text) if r]
    if not runs:
        return None
    return frozenset({max(runs, key=len).lower()})


def regex_anchors(pattern: str, *, verbose: bool = False) -> Anchors | None:
    """Literals required by ``pattern``, or None when they cannot be proven."""
    for m in _FLAGS.finditer(pattern):
        on, off = m.group(1), m.group(2) or ""
        if "V" in on + off or "x" in off:
            return None  # VERSION1 set syntax, or verbose switched off somewhere
        if "x" in on:
            # Only a leading global (?x) is understood: a scoped or later switch
            # changes how part of the pattern reads.
            if m.start() != 1 or m.group(3) != ")":
                return None
            verbose = True
    try:
        parser = _Parser(pattern, verbose)
        result = parser.alternation()
        if parser.pos != len(pattern):
            raise _Unsupported("unbalanced parenthesis")
    except _Unsupported:
        return None
    return result


_Atom = str | tuple[Anchors | None, frozenset[str] | None] | None
_MAX_EXPANSION = 64  # alternatives a literal run may fan out to before it is cut
_SIMPLE_QUANT = {"*": 0, "+": 1, "?": 0}
_CLASS_ESCAPES = set("dDwWsShHvVX")
_ZERO_WIDTH_ESCAPES = set("bBAZzGmMK")
_CONTROL_ESCAPES = set("tnrfae")
_QUANT = regex.compile(r"\{(\d*)(?:,(\d*))?\}")
_GROUP_NAME = regex.compile(r"\?(?:P?<(?![=!])[^>]*>|'[^']*')")
_FLAGS = regex.compile(r"\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])")


class _Parser:
    """Recursive descent over a pattern.

    Each branch yields its most selective required-literal set, plus, when the branch
    is nothing but literal text, the exact set of texts it can match: an exact group
    can then extend the literal run around it (``KB97(?:7203|7384)`` requires
    ``kb977203`` or ``kb977384``, not just ``kb97``).
    """

    def __init__(self, pattern: str, verbose: bool) -> None:
        self.p = pattern
        self.pos = 0
        self.verbose = verbose

    def peek(self) -> str:
        return self.p[self.pos] if self.pos < len(self.p) else ""

    def alternation(self) -> Anchors | None:
        return self.branches()[0]

    def branches(self) -> tuple[Anchors | None, frozenset[str] | None]:
        results = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            results.append(self.sequence())
        if len(results) == 1:
            return results[0]
        exact: frozenset[str] | None = None
        if all(e is not None for _, e in results):
            exact = frozenset(s for _, e in results if e is not None for s in e)
        return union(b for b, _ in results), exact

    def sequence(self) -> tuple[Anchors | None, frozenset[str] | None]:
        candidates: list[Anchors] = []
        run: frozenset[str] = frozenset({""})
        exact = True

        def flush() -> None:
            nonlocal run, exact
            exact = False
            if "" not in run:
                candidates.append(_minimal(run))
            run = frozenset({""})

        while True:
            self.skip_verbose()
            ch = self.peek()
            if ch in ("", "|", ")"):
                break
            kind, value = self.atom()
            minimum = self.quantifier()
            texts: frozenset[str] | None = None
            if kind == "lit" and isinstance(value, str):
                texts = frozenset({value})
            elif kind == "group" and isinstance(value, tuple):
                inner, texts = value
                if texts is None and minimum != 0 and inner:
                    candidates.append(inner)
            if texts is not None and minimum != 0:
                if len(run) * len(texts) > _MAX_EXPANSION:
                    flush()
                run = frozenset(a + b for a in run for b in texts)
                if minimum is not None:  # repeated: what follows is not adjacent
                    flush()
            else:
                flush()
        final = run if exact else None
        if "" not in run:
            candidates.append(_minimal(run))
        return best(candidates), final

    def skip_verbose(self) -> None:
        if not self.verbose:
            return
        while self.pos < len(self.p):
            ch = self.p[self.pos]
            if ch.isspace():
                self.pos += 1
            elif ch == "#":
                end = self.p.find("\n", self.pos)
                self.pos = len(self.p) if end < 0 else end + 1
            else:
                return

    def atom(self) -> tuple[str, _Atom]:
        """("lit", char) | ("group", (anchors, exact)) | ("other", None) | ("zero", None)."""
        ch = self.p[self.pos]
        self.pos += 1
        if ch == "\\":
            return self.escape()
        if ch == "[":
            self.char_class()
            return "other", None
        if ch == "(":
            return self.group()
        if ch in ".":
            return "other", None
        if ch in "^$":
            return "zero", None
        if ch in "*+?{}":
            raise _Unsupported(f"{ch} without an atom or a non-quantifier brace")
        if ord(ch) > 0x7F:
            return "other", None
        return "lit", ch

    def escape(self) -> tuple[str, _Atom]:
        if self.pos >= len(self.p):
            raise _Unsupported("trailing backslash")
        ch = self.p[self.pos]
        self.pos += 1
        if ch in _ZERO_WIDTH_ESCAPES:
            return "zero", None
        if ch in _CLASS_ESCAPES or ch in _CONTROL_ESCAPES:
            return "other", None
        if ch in "pPN":
            self.skip_braced()
            return "other", None
        if ch in "xuU":
            self.skip_hex(ch)
            return "other", None
        if ch.isdigit():
            while self.peek().isdigit():
                self.pos += 1
            return "other", None
        if ch == "g":
            end = self.p.find(">", self.pos)
            if end < 0:
                raise _Unsupported("bad \\g")
            self.pos = end + 1
            return "other", None
        if ch.isalnum() or ord(ch) > 0x7F:
            raise _Unsupported(f"escape \\{ch}")
        return "lit", ch

    def skip_braced(self) -> None:
        if self.peek() == "{":
            end = self.p.find("}", self.pos)
            if end < 0:
                raise _Unsupported("unclosed brace")
            self.pos = end + 1
        else:
            self.pos += 1  # \pL: one-letter property

    def skip_hex(self, kind: str) -> None:
        if kind == "x" and self.peek() == "{":
            self.skip_braced()
            return
        width = {"x": 2, "u": 4, "U": 8}[kind]
        self.pos += width

    def char_class(self) -> None:
        if self.peek() == "^":
            self.pos += 1
        if self.peek() == "]":
            self.pos += 1
        while self.pos < len(self.p):
            ch = self.p[self.pos]
            if ch == "\\":
                self.pos += 2
            elif ch == "[" and self.p.startswith("[:", self.pos):
                end = self.p.find(":]", self.pos + 2)
                if end < 0:
                    raise _Unsupported("unclosed POSIX class")
                self.pos = end + 2
            elif ch == "[":
                raise _Unsupported("nested set")
            elif ch == "]":
                self.pos += 1
                return
            else:
                self.pos += 1
        raise _Unsupported("unclosed character class")

    def group(self) -> tuple[str, _Atom]:
        rest = self.p[self.pos :]
        zero = False
        if rest.startswith("?#"):
            end = self.p.find(")", self.pos)
            if end < 0:
                raise _Unsupported("unclosed comment")
            self.pos = end + 1
            return "zero", None
        if rest.startswith(("?=", "?!")):
            self.pos += 2
            zero = True
        elif rest.startswith(("?<=", "?<!")):
            self.pos += 3
            zero = True
        elif rest.startswith(("?:", "?>", "?|")):
            self.pos += 2
        elif m := _GROUP_NAME.match(rest):
            self.pos += m.end()
        elif m := _FLAGS.match(rest):
            self.pos += m.end()
            if m.group(3) == ")":
                return "zero", None
        elif rest.startswith("?"):
            raise _Unsupported("conditional, recursion or unknown group")
        inner = self.branches()
        if self.peek() != ")":
            raise _Unsupported("unclosed group")
        self.pos += 1
        return ("zero", None) if zero else ("group", inner)

    def quantifier(self) -> int | None:
        """The minimum repeat count of a following quantifier, None when there is none."""
        self.skip_verbose()
        ch = self.peek()
        if ch in _SIMPLE_QUANT:
            self.pos += 1
            minimum: int = _SIMPLE_QUANT[ch]
        elif ch == "{":
            m = _QUANT.match(self.p, self.pos)
            if m is None or (not m.group(1) and m.group(2) is None):
                raise _Unsupported("fuzzy constraint or literal brace")
            self.pos = m.end()
            minimum = int(m.group(1) or 0)
        else:
            return None
        if self.peek() in ("?", "+"):
            self.pos += 1
        return minimum
