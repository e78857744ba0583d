"""RecordTable: the per-record columns the viewer keeps instead of records.

A record costs 20 bytes here (a parsed ``LogRecord`` costs about a kilobyte): its file
offset, its time as an integer key for merging, its level, whether that key is UTC, and
its component as a small integer. That is enough to jump between errors, filter by
level or component and merge logs by time without parsing anything; everything else is
re-read from the file when a record is shown.
"""

from __future__ import annotations

from array import array
from collections import Counter
from datetime import UTC, datetime, timedelta
from enum import IntEnum

from logscan.model import LogRecord

EPOCH = datetime(1970, 1, 1)
EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
WIDE = 0xFFFF  # component ids from here on need the 32-bit column


class KeyKind(IntEnum):
    """What a record's time key is."""

    UTC = 0  # microseconds since the epoch, UTC
    LOCAL = 1  # local time only (no bias known for this record): microseconds, local
    NONE = 2  # no time at all: the key is carried over from the record before


def key_of(record: LogRecord, previous: int) -> tuple[int, KeyKind]:
    """The time key of a record; a record without time keeps ``previous``."""
    if record.utc is not None:
        return (record.utc - EPOCH_UTC) // US, KeyKind.UTC
    if record.local_time is not None:
        return (record.local_time - EPOCH) // US, KeyKind.LOCAL
    return previous, KeyKind.NONE


def datetime_of(key: int) -> datetime:
    """The UTC datetime of a key."""
    return EPOCH_UTC + key * US


class RecordTable:
    """Columns for the records of one file, appended in file order.

    ``carry`` is the key a record without time inherits: the key of the record before.
    """

    __slots__ = ("biases", "carry", "comps", "keys", "kinds", "levels", "offsets")

    def __init__(self, carry: int = 0) -> None:
        self.offsets = array("q")
        self.keys = array("q")
        self.levels = array("b")
        self.kinds = array("b")
        self.comps = array("H")
        self.biases: Counter[int] = Counter()  # bias of the records that carry UTC
        self.carry = carry

    def __len__(self) -> int:
        return len(self.offsets)

    def add(self, record: LogRecord, component_id: int) -> None:
        key, kind = key_of(record, self.carry)
        self.carry = key
        self.offsets.append(record.offset)
        self.keys.append(key)
        self.levels.append(record.level)
        self.kinds.append(kind)
        if component_id >= WIDE and self.comps.typecode == "H":
            self.comps = array("I", self.comps)
        self.comps.append(component_id)
        if kind is KeyKind.UTC and record.bias is not None:
            self.biases[record.bias] += 1

    def extend(self, batch: RecordTable) -> None:
        """Append a batch built against the same component ids."""
        self.offsets.extend(batch.offsets)
        self.keys.extend(batch.keys)
        self.levels.extend(batch.levels)
        self.kinds.extend(batch.kinds)
        comps = batch.comps
        if comps.typecode != self.comps.typecode:
            # Widen, never narrow: a batch without wide ids may follow one with them.
            if self.comps.typecode == "H":
                self.comps = array("I", self.comps)
            else:
                comps = array("I", comps)
        self.comps.extend(comps)
        self.biases.update(batch.biases)
        self.carry = batch.carry

    def truncate(self, count: int) -> None:
        """Forget the records from ``count`` on (they are about to be parsed again).

        ``biases`` is not rolled back: it only votes for the file's usual bias.
        """
        for column in (self.offsets, self.keys, self.levels, self.kinds, self.comps):
            del column[count:]
        self.carry = self.keys[-1] if self.keys else 0

    def usual_bias(self) -> int | None:
        """The bias most records with UTC were written with, None when none had one."""
        return self.biases.most_common(1)[0][0] if self.biases else None

    def nbytes(self) -> int:
        """Memory held by the columns."""
        columns = (self.offsets, self.keys, self.levels, self.kinds, self.comps)
        return sum(c.buffer_info()[1] * c.itemsize for c in columns)
