"""The scans that fill a ``LogIndex``: its head from the start, its tail from near the
end, their join, and reaching back into the gap between them.

``Indexing`` is the half of ``LogIndex`` that writes; the other half (``index``) reads.
Every change to a segment happens under the index's lock, in one step a reader cannot
see half of. Three more locks order the writers: the head's scan (``build``) holds
``_build_lock``; anything that changes the tail (opening, growing, reaching back,
joining) holds ``_tail_lock``, always taken before ``_lock``. A caller waiting for the
tail (``reach_back``) also holds the head's scan between two batches (``holding``), so
the one core Python gives them both goes to what someone is looking at.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import BinaryIO

from logscan.inputs.source import LogSource
from logscan.inputs.stream import Encoding
from logscan.model import Level, LogFormat, ParseWarning, WarningCode
from logscan.parsers.base import Parser
from logscan.viewer import tail as tails
from logscan.viewer.follow import FileChange, FileState, compare, file_state
from logscan.viewer.resume import Resume
from logscan.viewer.scan import Bound, Checkpoint, ScanBatch, scan_span
from logscan.viewer.segment import Segment
from logscan.viewer.span import SpanStream

_HELD_POLL = 0.05  # seconds between looks at the cancel flags while the head is held

Progress = Callable[["IndexProgress"], None]


@dataclass(frozen=True, slots=True)
class IndexProgress:
    """How far the background scan of one file has got."""

    source: str
    records: int
    scanned: int  # file bytes read
    size: int  # file size when the scan began (a growing file may pass it)
    done: bool

    @property
    def fraction(self) -> float:
        return 1.0 if self.done or self.size <= 0 else min(self.scanned / self.size, 1.0)


class Indexing:
    """Building a log's index: the scans, their locks, and the head/tail bookkeeping."""

    # Set up by LogIndex (see index.py).
    source: LogSource
    name: str
    path: str | None
    encoding: Encoding
    format: LogFormat
    blocked: ParseWarning | None
    size: int
    generation: int
    _parser: Parser
    _state: FileState | None
    _head: Segment
    _tail: Segment | None
    _bound: Bound
    _tail_tried: bool

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._build_lock = threading.Lock()  # the head's scan
        self._tail_lock = threading.Lock()  # changes to the tail; taken before _lock
        self._stop = threading.Event()
        self._held = threading.Condition()  # guards _holds and _scanning
        self._holds = 0
        self._scanning = False  # the head's scan is between two waits (see holding)

    @property
    def done(self) -> bool:
        """Indexed to the end of the file (then there is no tail: it was joined)."""
        return self._head.done

    def progress(self) -> IndexProgress:
        with self._lock:
            head = self._head
            return IndexProgress(self.name, len(head.table), head.end, self.size, head.done)

    def _read(self, start: int, end: int) -> bytes:
        if end <= start:
            return b""
        # Opened per read: a handle held open would stop ConfigMgr renaming the log on
        # Windows when it rotates it.
        fh: BinaryIO
        with self.source.opener() as fh:
            fh.seek(start)
            return fh.read(end - start)

    # -- scanning ------------------------------------------------------------------------

    def build(
        self, progress: Progress | None = None, cancel: threading.Event | None = None
    ) -> None:
        """Scan to the end of the file (resuming from the last checkpoint), committing
        columns as it goes; a big log gets its tail first. Returns early, resumable,
        when ``cancel`` is set."""
        with self._build_lock:
            if self.blocked is None:
                while self._scan(progress, cancel):
                    pass
            if progress is not None:
                progress(self.progress())

    def _scan(self, progress: Progress | None, cancel: threading.Event | None) -> bool:
        """One pass of the head from its last checkpoint; True when it should go on (it
        joined a tail that had not been read to the end, or dropped one)."""
        with self._lock:
            head = self._head
            c = len(head.cks) - 1
            generation = self.generation
            self._look()
        batches, stream = self._batches(head, c, self._bound)
        first = True
        last_report = 0.0  # the first batch is reported at once: it fills the first screen
        try:
            # A first pass fills the first screen at once (nothing can hold it before
            # there is a tail); a resumed one waits while held, like every batch does.
            # Cancelled, either still commits one batch: readers get what was asked.
            self._proceed(cancel, wait=len(head.table) > 0, anyway=True)
            for batch in batches:
                if batch.stop is not None:
                    return self._meet_tail(batch, c, first, generation)
                with self._lock:
                    if generation != self.generation:
                        return False
                    if first:
                        # Swapped in one step: readers see the old records until the new.
                        head.truncate(c)
                    head.commit(batch)
                    if batch.passed:
                        # No record of the whole file's parse starts where the tail
                        # does: the head reads on alone (a safety net; see ``tail``).
                        self._drop_tail()
                first = False
                if self._cancelled(cancel):
                    return False
                now = time.monotonic()
                if progress is not None and now - last_report > 0.1:
                    last_report = now
                    progress(self.progress())
                if not self._tail_tried and not batch.final:
                    opened = self._open_tail(cancel)
                    self._tail_tried = True  # only now: until then the tail is expected
                    if opened and progress is not None:
                        progress(self.progress())  # a view can show the end now
                if not self._proceed(cancel):
                    return False
        except OSError as exc:
            with self._lock:
                if first:
                    head.truncate(c)
                head.add_warnings(
                    [
                        ParseWarning(
                            self.name,
                            1,
                            stream.reached,
                            WarningCode.UNREADABLE,
                            f"reading stopped: {exc}; anything later is missing",
                        )
                    ]
                )
                head.end = stream.reached
                head.done = True
                self._drop_tail()
        finally:
            with self._held:
                self._scanning = False
                self._held.notify_all()
        return False

    def _batches(
        self, segment: Segment, c: int, bound: Bound | None
    ) -> tuple[Iterator[ScanBatch], SpanStream]:
        """A scan of ``segment`` from its checkpoint ``c`` to the end (or ``bound``)."""
        with self._lock:
            start = segment.cks[c]
            carry = segment.table.keys[start.record - 1] if start.record else 0
        stream = SpanStream(self.name, self.encoding, start.offset, opener=self.source.opener)
        batches = scan_span(
            self._parser, self.format, stream, start, segment.names, segment.ids, carry, bound
        )
        return batches, stream

    def _look(self) -> None:
        """Note the file as it is now (called under the lock before a scan reads it)."""
        if self.path is not None:
            self._state = file_state(self.path)
            if self._state is not None:
                self.size = self._state.size

    def _cancelled(self, cancel: threading.Event | None) -> bool:
        return self._stop.is_set() or (cancel is not None and cancel.is_set())

    # -- the tail ------------------------------------------------------------------------

    @property
    def has_gap(self) -> bool:
        """Whether a tail is indexed with unread bytes between it and the head."""
        return self._tail is not None

    @property
    def tail_expected(self) -> bool:
        """Whether ``build`` is yet to try indexing a tail for this log (a view then
        shows the end of the log shortly)."""
        return not self._tail_tried and not self.done and self._tail_worth()

    def _tail_worth(self) -> bool:
        if self.path is None or self.blocked is not None:
            return False
        with self._lock:
            size, reach = self.size, self._reach()
        if not tails.tail_capable(self.format) or size < tails.TAIL_FROM:
            return False
        return size - reach >= 2 * tails.TAIL_BYTES

    def _open_tail(self, cancel: threading.Event | None) -> bool:
        """Index the last few megabytes of a big log as its tail (see ``tail``)."""
        if not self._tail_worth():
            return False
        with self._lock:
            size, base = self.size, self._head.start
        with self._tail_lock:
            generation = self.generation
            try:
                start = tails.record_start(
                    self._read, self.encoding, base, size - tails.TAIL_BYTES, size
                )
                if start is None:
                    return False  # one record fills the last megabytes: no cheap tail
                segment = Segment(Checkpoint(0, start, 1, Resume()), lines_known=False)
                self._fill(segment, None, cancel)
            except OSError:
                return False
            with self._lock:
                if generation != self.generation or not segment.done:
                    return False
                if self._reach() >= start:
                    return False  # the head got there first (a small or slow-growing log)
                self._tail = segment
                self._bound.offset = start
        return True

    def _fill(
        self, segment: Segment, bound: Bound | None, cancel: threading.Event | None
    ) -> Checkpoint | None:
        """Scan ``segment`` from its last checkpoint to the end of the file (or to
        ``bound``: then the checkpoint it stopped at), committing under the lock."""
        c = len(segment.cks) - 1
        batches, _ = self._batches(segment, c, bound)
        first = True
        for batch in batches:
            with self._lock:
                if first:
                    segment.truncate(c)
                    first = False
                segment.commit(batch)
            if batch.stop is not None:
                return batch.stop
            if batch.passed or self._cancelled(cancel):
                return None
        return None

    def _meet_tail(self, batch: ScanBatch, c: int, first: bool, generation: int) -> bool:
        """The head's scan reached the tail's first record: join the tail to the head."""
        stop = batch.stop
        assert stop is not None
        with self._tail_lock, self._lock:
            if generation != self.generation:
                return False
            head = self._head
            if first:
                head.truncate(c)
            head.commit(batch)
            tail = self._tail
            if tail is None or tail.start != stop.offset:  # pragma: no cover - defensive
                # The bound only moves with the tail, and not while the head scans.
                self._drop_tail()
                return True
            head.append(tail, stop)
            self._tail = None
            self._bound.offset = Bound().offset
            return not head.done

    def _drop_tail(self) -> None:
        self._tail = None
        self._bound.offset = Bound().offset

    def _reach(self) -> int:
        """File offset of the head's last record: every record after it is yet to meet
        the head's bound (called under the lock, with the head's scan waiting)."""
        offsets = self._head.table.offsets
        return offsets[-1] if offsets else self._head.start - 1

    def reach_back(self, level: Level, before: int, cancel: threading.Event | None = None) -> bool:
        """Index more of the gap, just before the tail, until the tail holds a record of
        ``level`` or worse starting before file offset ``before``. True when it does;
        False when there is no tail, the head is about to close the gap anyway, or the
        gap could not be read exactly (then the head's scan will get there).

        For "previous error" from the end of a big log while its head is still being
        indexed: each round reads twice as much as the one before, and the head's scan
        waits meanwhile (someone is looking at the tail)."""
        step = tails.TAIL_BYTES
        with self.holding():
            # Records the head's scan has parsed but not committed would not see the
            # bound moved: wait until it stands still between two batches.
            with self._held:
                while self._scanning and not self._cancelled(cancel):
                    self._held.wait(_HELD_POLL)
            with self._tail_lock:
                return self._reach_back(level, before, step, cancel)

    def _reach_back(
        self, level: Level, before: int, step: int, cancel: threading.Event | None
    ) -> bool:
        while not self._cancelled(cancel):
            with self._lock:
                tail, reach, generation = self._tail, self._reach(), self.generation
                if tail is None:
                    return False
                if _has_level(tail, level, before):
                    return True
            end = tail.start
            pos = end - step
            if pos < reach + tails.TAIL_BYTES:
                return False
            step *= 2
            start = tails.record_start(self._read, self.encoding, self._head.start, pos, end)
            if start is None:
                continue  # one record fills the span: look further back
            segment = Segment(Checkpoint(0, start, 1, Resume()), lines_known=False)
            at = self._fill(segment, Bound(end), cancel)
            if at is None or at.offset != end:
                return False
            with self._lock:
                if generation != self.generation or self._tail is not tail:
                    return False
                if self._reach() >= start:
                    return False
                segment.append(tail, at)
                self._tail = segment
                self._bound.offset = start
        return False

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Hold the head's scan between two batches while the block runs (it waits for
        someone looking at the tail, or for a test)."""
        with self._held:
            self._holds += 1
        try:
            yield
        finally:
            with self._held:
                self._holds -= 1
                self._held.notify_all()

    def _proceed(
        self, cancel: threading.Event | None, *, wait: bool = True, anyway: bool = False
    ) -> bool:
        """Called by the head's scan before it parses on: waits while it is held; False
        when it is to stop instead (unless it goes on ``anyway``)."""
        with self._held:
            self._scanning = False
            self._held.notify_all()
            while wait and self._holds and not self._cancelled(cancel):
                self._held.wait(_HELD_POLL)
            self._scanning = anyway or not self._cancelled(cancel)
            return self._scanning

    # -- following -----------------------------------------------------------------------

    def poll(self) -> FileChange:
        """Whether the file grew, was rotated or is gone since it was last read.

        Only files on disk can be followed; anything else never changes."""
        if self.path is None:
            return FileChange.NONE
        with self._lock:
            tail = self._tail
            if tail is not None:
                if self._tail_lock.locked():
                    return FileChange.NONE
                read_to = tail.end
            else:
                if self._build_lock.locked():
                    return FileChange.NONE
                read_to = self._head.end
            before = self._state
        return compare(before, file_state(self.path), read_to)

    def update(self) -> None:
        """Read what was appended since the last look: into the tail while there is one
        (the head's scan may still be running), else from the head's last checkpoint."""
        with self._tail_lock:
            with self._lock:
                tail = self._tail
                if tail is not None:
                    self._look()
            if tail is not None:
                with suppress(OSError):  # the next poll says what became of the file
                    self._fill(tail, None, None)
                return
        self.build()


def _has_level(segment: Segment, level: Level, before: int) -> bool:
    """Whether ``segment`` has a readable record of ``level`` or worse before ``before``."""
    n = bisect_left(segment.table.offsets, before, 0, segment.readable())
    return max(segment.table.levels[:n], default=-1) >= level
