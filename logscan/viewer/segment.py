"""Segment: the index columns of one stretch of a log, from an exact record start on.

A log's index is one segment from its first record to the end of the file. While a big
log is still being indexed from the start (its *head*), its last megabytes are indexed
too (its *tail*, from a record start found near the end), so the end of the log can be
shown at once. The tail is a segment of its own: its record numbers count from its first
record, its line numbers from its first line (the true ones are not known until the head
gets there) and it has its own component table. When the head's scan meets the tail's
first record, ``append`` moves the tail onto the head and rebases all of that: the
result is what one scan from the start builds (the tests hold it to that).
"""

from __future__ import annotations

import dataclasses
import itertools
from array import array
from bisect import bisect_right

from logscan.model import ParseWarning
from logscan.viewer.scan import Checkpoint, ScanBatch
from logscan.viewer.table import WIDE, KeyKind, RecordTable

MAX_WARNINGS = 1000  # kept per file; the count goes on

_SERIALS = itertools.count(1)


class Segment:
    """Columns, checkpoints, component names and warnings of the records from one start.

    Only ever appended to (``commit``, ``append``) or cut back to a checkpoint to be
    read again (``truncate``), so a reader that saw ``n`` records can read them until
    it looks again. The owning ``LogIndex`` serialises every change under its lock.
    """

    __slots__ = (
        "ck_rec",
        "cks",
        "done",
        "end",
        "ids",
        "lines_known",
        "names",
        "serial",
        "table",
        "warning_count",
        "warnings",
    )

    def __init__(self, start: Checkpoint, *, lines_known: bool = True) -> None:
        self.table = RecordTable()
        self.cks = [start]
        self.ck_rec = array("q", [start.record])  # the record numbers of cks, for bisect
        self.names: list[str] = []  # component names; a record's column holds the index
        self.ids: dict[str, int] = {}
        self.warnings: list[ParseWarning] = []
        self.warning_count = 0
        self.end = start.offset  # file offset the scan has read to
        self.done = False  # read to the end of the file
        # False for a tail: its lines count from its own first line, not the file's.
        self.lines_known = lines_known
        self.serial = next(_SERIALS)  # names the segment in the index's chunk cache

    @property
    def start(self) -> int:
        """File offset of the first record."""
        return self.cks[0].offset

    def readable(self) -> int:
        """Records whose end is known (while scanning, the last one's is not)."""
        n = len(self.table)
        return n if self.done else max(n - 1, 0)

    # -- chunks --------------------------------------------------------------------------

    def chunk_of(self, i: int) -> int:
        """The checkpoint chunk holding record ``i``."""
        return bisect_right(self.ck_rec, i) - 1

    def chunk_span(self, c: int) -> tuple[int, int, int, int]:
        """(first record, end record, start offset, end offset) of chunk ``c`` as now known."""
        ck = self.cks[c]
        rec0, off0 = ck.record, ck.offset
        if c + 1 < len(self.cks):
            after = self.cks[c + 1]
            return rec0, after.record, off0, after.offset
        n = len(self.table)
        if self.done:
            return rec0, n, off0, self.end
        if n - 1 > rec0:
            return rec0, n - 1, off0, self.table.offsets[n - 1]
        return rec0, rec0, off0, off0

    # -- growing -------------------------------------------------------------------------

    def truncate(self, c: int) -> None:
        """Drop what lies after checkpoint ``c``: it is being read again."""
        start = self.cks[c]
        self.table.truncate(start.record)
        del self.cks[c + 1 :], self.ck_rec[c + 1 :]
        self.warnings = [w for w in self.warnings if w.offset < start.offset]
        self.done = False

    def commit(self, batch: ScanBatch) -> None:
        self.table.extend(batch.table)
        for ck in batch.checkpoints:
            self.cks.append(ck)
            self.ck_rec.append(ck.record)
        self.add_warnings(batch.warnings)
        self.end = batch.reached
        self.done = batch.final

    def add_warnings(self, warnings: list[ParseWarning], count: int | None = None) -> None:
        room = max(MAX_WARNINGS - len(self.warnings), 0)
        self.warnings.extend(warnings[:room])
        self.warning_count += len(warnings) if count is None else count

    def append(self, other: Segment, at: Checkpoint) -> None:
        """Take in ``other``, whose first record is the one this segment's scan stopped
        at: ``at`` is that record as this scan counted it (record number, line).

        ``other`` is left as it was, so a reader still holding it can go on reading it.
        """
        if other.lines_known or other.start != at.offset or len(self.table) != at.record:
            raise ValueError("a segment can only take in the one that starts where it stops")
        shift = at.line - 1
        self.table.extend(self._moved(other))
        for ck in other.cks:
            moved = Checkpoint(ck.record + at.record, ck.offset, ck.line + shift, ck.state)
            self.cks.append(moved)
            self.ck_rec.append(moved.record)
        warnings = [dataclasses.replace(w, line=w.line + shift) for w in other.warnings]
        self.add_warnings(warnings, other.warning_count)
        self.end = other.end
        self.done = other.done

    def _moved(self, other: Segment) -> RecordTable:
        """``other``'s columns in this segment's terms: its component ids mapped onto this
        table (new names appended), and its first records without a time given the key
        of this segment's last record, as one scan would have carried it over."""
        remap = [self._component_id(name) for name in other.names]
        src = other.table
        out = RecordTable()
        out.offsets = src.offsets
        out.levels = src.levels
        out.kinds = src.kinds
        wide = bool(remap) and max(remap) >= WIDE
        out.comps = array("I" if wide else "H", map(remap.__getitem__, src.comps))
        out.keys = src.keys
        none = KeyKind.NONE
        lead = 0
        while lead < len(src) and src.kinds[lead] == none:
            lead += 1
        if lead:
            out.keys = array("q", src.keys)
            out.keys[:lead] = array("q", [self.table.carry]) * lead
        out.biases = src.biases
        out.carry = src.carry if lead < len(src) else self.table.carry
        return out

    def _component_id(self, name: str) -> int:
        cid = self.ids.get(name)
        if cid is None:
            cid = self.ids[name] = len(self.names)
            self.names.append(name)
        return cid
