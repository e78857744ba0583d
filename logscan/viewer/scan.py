"""The background scan: the real parser run over a span, folded into column batches.

``scan_span`` is a pure generator: it parses from a checkpoint to the end of the file (or
to a ``Bound``) and yields ``ScanBatch`` es (columns for a few thousand records, the
checkpoints met, the warnings) that ``LogIndex`` commits under its lock. Keeping the
fold here keeps the index free of parsing details and lets the loop stay tight: it runs
once per record of a file that may hold millions.
"""

from __future__ import annotations

import dataclasses
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from logscan.model import LogFormat, ParseWarning
from logscan.parsers.base import Parser
from logscan.viewer.resume import Resume, Tracker, WindowFix
from logscan.viewer.span import SpanStream
from logscan.viewer.table import EPOCH, EPOCH_UTC, US, WIDE, KeyKind, RecordTable

CHUNK_BYTES = 64 << 10  # checkpoint spacing: one chunk parses in about a millisecond
CHUNK_RECORDS = 2048  # ... or this many records, whichever comes first
BATCH = 4096  # records per batch


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A record start where a fresh parse gives the same records as the full parse."""

    record: int  # record number
    offset: int  # file offset
    line: int  # line number of the record's first line
    state: Resume


class Bound:
    """Where a scan must stop: at the first record starting at or after ``offset``.

    Mutable, and read once per record, so another thread may move it while the scan
    runs (a log's tail segment is indexed, extended or dropped while its head is
    still being scanned towards it)."""

    __slots__ = ("offset",)

    def __init__(self, offset: int = sys.maxsize) -> None:
        self.offset = offset


_NEVER = Bound()


@dataclass(slots=True)
class ScanBatch:
    """Columns for consecutive records, with the checkpoints and warnings among them."""

    table: RecordTable
    checkpoints: list[Checkpoint] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    reached: int = 0  # file offset read up to when the batch was cut
    final: bool = False
    # The record that met the bound, as a checkpoint (not in this batch): the scan ends.
    stop: Checkpoint | None = None
    # The scan went past its bound, where no record starts: it reads on without one.
    passed: bool = False


def scan_span(
    parser: Parser,
    fmt: LogFormat,
    stream: SpanStream,
    start: Checkpoint,
    names: list[str],
    ids: dict[str, int],
    carry: int,
    bound: Bound | None = None,
) -> Iterator[ScanBatch]:
    """Batches for every record from checkpoint ``start`` to the end of ``stream``.

    ``names``/``ids`` are the file's component table, extended in place (a new name is
    appended before any record using it is committed, so readers never miss one).
    With a ``bound``, the scan ends at the record starting there, which is left out and
    handed back as the last batch's ``stop`` checkpoint (its record number and line, as
    this scan counted them); the warnings of the records before it come first, since a
    parser yields a record's warnings right after it, and so do the stream's (NUL runs)
    found before it. A scan that meets no record (that may be a checkpoint) at the bound
    reads on to the end, and says so in the batch that went past it (``passed``).
    """
    shift = start.line - 1
    tracker = Tracker(fmt, start.state)
    fix = WindowFix(fmt, start.state)
    stateful = fmt is LogFormat.USMT
    batch = ScanBatch(RecordTable(carry))
    table = batch.table
    # Bound methods and constants in locals: this loop runs once per record.
    add_offset, add_key = table.offsets.append, table.keys.append
    add_level, add_kind, add_comp = table.levels.append, table.kinds.append, table.comps.append
    biases = table.biases
    utc_kind, local_kind, none_kind = KeyKind.UTC, KeyKind.LOCAL, KeyKind.NONE
    epoch, epoch_utc, us = EPOCH, EPOCH_UTC, US
    n = ck_rec = start.record
    ck_off = start.offset
    size = 0
    limit = bound if bound is not None else _NEVER
    for item in parser.parse(stream):
        if isinstance(item, ParseWarning):
            shifted = dataclasses.replace(item, line=item.line + shift) if shift else item
            batch.warnings.append(shifted)
            continue
        record = fix(item) if stateful else item
        if record.offset >= limit.offset:
            state = tracker.state() if record.offset == limit.offset else None
            if state is None:
                batch.passed = True
                limit = _NEVER
            else:
                # The stream's own warnings (NUL runs) before the stop are this scan's.
                for warning in stream.pending():
                    if warning.offset < record.offset:
                        batch.warnings.append(
                            dataclasses.replace(warning, line=warning.line + shift)
                        )
                table.carry = carry
                batch.reached = record.offset
                batch.stop = Checkpoint(n, record.offset, record.line + shift, state)
                yield batch
                return
        if n > ck_rec and (n - ck_rec >= CHUNK_RECORDS or record.offset - ck_off >= CHUNK_BYTES):
            state = tracker.state()
            if state is not None:
                batch.checkpoints.append(Checkpoint(n, record.offset, record.line + shift, state))
                ck_rec, ck_off = n, record.offset
        if stateful:
            tracker.observe(record)
        cid = ids.get(record.component)
        if cid is None:
            cid = ids[record.component] = len(names)
            names.append(record.component)
            if cid >= WIDE and table.comps.typecode == "H":
                table.comps = array("I", table.comps)
                add_comp = table.comps.append
        utc = record.utc
        if utc is not None:
            carry = (utc - epoch_utc) // us
            add_kind(utc_kind)
            if record.bias is not None:
                biases[record.bias] += 1
        elif record.local_time is not None:
            carry = (record.local_time - epoch) // us
            add_kind(local_kind)
        else:
            add_kind(none_kind)
        add_key(carry)
        add_offset(record.offset)
        add_level(record.level)
        add_comp(cid)
        n += 1
        size += 1
        if size >= BATCH:
            table.carry = carry
            batch.reached = stream.reached
            yield batch
            batch = ScanBatch(RecordTable(carry))
            table = batch.table
            add_offset, add_key = table.offsets.append, table.keys.append
            add_level, add_kind = table.levels.append, table.kinds.append
            add_comp = table.comps.append
            biases = table.biases
            size = 0
    table.carry = carry
    for warning in stream.finish():
        batch.warnings.append(dataclasses.replace(warning, line=warning.line + shift))
    batch.reached = stream.reached
    batch.final = True
    yield batch
