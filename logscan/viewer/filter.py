"""RecordFilter: hide the rows that do not match, giving a smaller view of the same logs.

Level and component are decided from the index columns alone, so a filter on them
costs a pass over a few bytes per record and parses nothing. A text condition then
looks only at the rows left, chunk by chunk, skipping chunks whose bytes cannot match
(``search.match_rows``). The result is a ``RecordView`` of row numbers: records are
parsed only when shown.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress

from logscan.model import Level
from logscan.viewer.query import Query
from logscan.viewer.search import RowProgress, match_rows
from logscan.viewer.view import RecordView


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """Which rows to keep. Every condition given must hold.

    ``levels``: keep only these levels (None: all). ``components``: keep only these
    components, compared case-insensitively (empty: all). ``text``: keep rows whose
    message matches, or with ``exclude`` hide them instead.
    """

    levels: frozenset[Level] | None = None
    components: frozenset[str] = frozenset()
    text: Query | None = None
    exclude: bool = False

    @classmethod
    def at_least(cls, level: Level) -> RecordFilter:
        return cls(levels=frozenset(x for x in Level if x >= level))

    @property
    def empty(self) -> bool:
        return self.levels is None and not self.components and self.text is None

    def describe(self) -> str:
        """A short human summary, for a status bar."""
        parts: list[str] = []
        if self.levels is not None:
            parts.append("level " + "/".join(x.name.lower() for x in sorted(self.levels)))
        if self.components:
            parts.append("component " + "/".join(sorted(self.components)))
        if self.text is not None:
            parts.append(("not " if self.exclude else "") + self.text.describe())
        return ", ".join(parts) or "none"


def _by_level(view: RecordView, levels: frozenset[Level] | None) -> Sequence[int]:
    n = view.head_rows  # a live view's tail is filtered once the log is indexed
    if levels is None:
        return range(n)
    keep = bytes(1 if x in levels else 0 for x in range(256))
    mask = view.levels(0, n).tobytes().translate(keep)
    return array("q", compress(range(n), mask))


def _by_component(view: RecordView, rows: Sequence[int], names: frozenset[str]) -> Sequence[int]:
    if not names:
        return rows
    wanted = [index.component_ids(names) for index in view.indexes]
    if view.live:
        comps = view.indexes[0].table.comps
        ids = wanted[0]
        return array("q", (r for r in rows if comps[r] in ids))
    columns = [index.table.comps for index in view.indexes]
    kept = array("q")
    for row in rows:
        s, i = view.locate(row)
        if columns[s][i] in wanted[s]:
            kept.append(row)
    return kept


def apply_filter(
    view: RecordView,
    flt: RecordFilter,
    *,
    progress: RowProgress | None = None,
    cancel: threading.Event | None = None,
) -> RecordView | None:
    """The rows of ``view`` that ``flt`` keeps, as a new view; None when cancelled.

    The new view is a snapshot: filter again after the logs have grown.
    """
    rows = _by_component(view, _by_level(view, flt.levels), flt.components)
    if flt.text is not None:
        matched = match_rows(
            view, rows, flt.text, invert=flt.exclude, progress=progress, cancel=cancel
        )
        rows = array("q", matched)
        if cancel is not None and cancel.is_set():
            return None
    return subset(view, rows)


def subset(view: RecordView, rows: Sequence[int]) -> RecordView:
    """A view of the given rows (ascending) of ``view``."""
    column = view.levels()
    levels = array("b", map(column.__getitem__, rows))
    if view.idx is None:
        return RecordView(view.indexes, None, array("q", rows), levels)
    idx = array("q", map(view.idx.__getitem__, rows))
    src = None if view.src is None else array("H", map(view.src.__getitem__, rows))
    return RecordView(view.indexes, src, idx, levels)
