"""Literal prefilter: find the first rule anchor at or after a position in raw bytes.

The rules' anchors (lower-case ASCII literals) are compiled once into a Hyperscan
database, case-insensitive, and searched in the logical byte view of each file. The
engine only needs the *first* anchor after a point: it parses the record around it and
resumes after that record, so a dense file costs one callback per record, not one per
anchor occurrence. Without Hyperscan (an unsupported platform) a Python ``re``
alternation over a lower-cased copy gives the same answers, slower.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from typing import Protocol, cast


class AnchorSearch(Protocol):
    """Finds the end offset of the first anchor occurrence at or after ``start``."""

    longest: int  # length of the longest anchor (blocks overlap by this much)

    def first(self, data: bytes, start: int) -> int | None: ...


class _HyperscanSearch:
    def __init__(self, anchors: list[bytes]) -> None:
        import hyperscan  # lazy: the native library is only loaded when a scan runs

        self._hs = hyperscan
        self._db = hyperscan.Database()
        self._db.compile(
            expressions=anchors,
            ids=list(range(len(anchors))),
            elements=len(anchors),
            flags=hyperscan.HS_FLAG_CASELESS,
            literal=True,
        )
        self._scratch = hyperscan.Scratch(self._db)
        self.longest = max(len(a) for a in anchors)
        self._found: int | None = None

    def _on_match(self, _id: int, _start: int, end: int, _flags: int, _ctx: object) -> bool:
        self._found = end
        return True  # stop at the first match: the engine resumes after its record

    def first(self, data: bytes, start: int) -> int | None:
        self._found = None
        # A memoryview slice: no copy of the window for every resumed search.
        view = cast(bytes, memoryview(data)[start:])
        with contextlib.suppress(self._hs.ScanTerminated):
            self._db.scan(view, match_event_handler=self._on_match, scratch=self._scratch)
        return None if self._found is None else start + self._found


class _RegexSearch:
    """Pure-Python fallback: one alternation over a lower-cased copy of the data."""

    def __init__(self, anchors: list[bytes]) -> None:
        # Longest first so the alternation reports the same end as the literal engine
        # would for overlapping anchors (either end lies inside the same record).
        ordered = sorted(anchors, key=len, reverse=True)
        self._pattern = re.compile(b"|".join(re.escape(a) for a in ordered))
        self.longest = max(len(a) for a in anchors)
        self._source: bytes | None = None
        self._lowered = b""

    def first(self, data: bytes, start: int) -> int | None:
        if self._source is not data:
            self._lowered = data.lower()
            self._source = data
        m = self._pattern.search(self._lowered, start)
        return None if m is None else m.end()


def anchor_search(anchors: Iterable[bytes], *, prefer_native: bool = True) -> AnchorSearch | None:
    """A searcher for ``anchors`` (None when there are none: nothing can match)."""
    unique = sorted({a.lower() for a in anchors if a})
    if not unique:
        return None
    if prefer_native:
        try:
            return _HyperscanSearch(unique)
        except ImportError:
            pass
    return _RegexSearch(unique)
