"""LogIndex: one log file opened at once, indexed in the background, read by record number.

Opening reads only the head (encoding, format). ``build`` then runs the file's real
parser once over the whole file, keeping per record only a few columns
(``RecordTable``) plus a checkpoint every ~64 KiB; records are not kept. Asking for
records re-reads just the bytes of the checkpoint chunks that hold them and parses them
again with the same parser (``SpanStream``), so what the viewer shows is exactly what a
full parse gives, at any file size, in memory well below the file's size.

``build`` is synchronous and thread-safe against readers: a UI runs it in a worker
thread and may read records while it runs (everything committed so far is readable).
Following a growing file is ``poll`` plus another ``build``, which resumes from the last
checkpoint instead of the start.
"""

from __future__ import annotations

import threading
import time
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from logscan.inputs.discover import FileOpener
from logscan.inputs.reader import inspect_head
from logscan.inputs.source import LogSource
from logscan.inputs.stream import Encoding
from logscan.model import LogFormat, LogRecord, ParseWarning, WarningCode
from logscan.parsers.base import Parser, get
from logscan.viewer.chunk import CHANGED, parse_chunk, stand_ins, why
from logscan.viewer.follow import FileChange, FileState, compare, file_state
from logscan.viewer.resume import Resume
from logscan.viewer.scan import Checkpoint, ScanBatch, scan_span
from logscan.viewer.span import SpanStream
from logscan.viewer.table import RecordTable

_CACHE_CHUNKS = 48  # parsed chunks kept (a screenful needs one or two)
MAX_WARNINGS = 1000  # kept per file; the count goes on

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


class LogIndex:
    """Random access by record number to the records of one log file."""

    def __init__(self, source: LogSource, fmt: LogFormat | None = None) -> None:
        self.source = source
        self.name = source.display
        opener = source.opener
        self.path: str | None = opener.path if isinstance(opener, FileOpener) else None
        self._forced = fmt
        self._lock = threading.RLock()
        self._build_lock = threading.Lock()
        self._stop = threading.Event()
        self.generation = 0
        self._reset()

    # -- opening -------------------------------------------------------------------------

    def _reset(self) -> None:
        self.generation += 1
        self.table = RecordTable()
        self.component_names: list[str] = []
        self._ids: dict[str, int] = {}
        self.warnings: list[ParseWarning] = []
        self.warning_count = 0
        self._cache: OrderedDict[tuple[int, int, int], list[LogRecord]] = OrderedDict()
        self._state: FileState | None = file_state(self.path) if self.path else None
        self.blocked: ParseWarning | None = None
        self.encoding = Encoding.UTF8
        self.format = self._forced or LogFormat.PLAIN
        start = 0
        try:
            head = inspect_head(self.source)
        except OSError as exc:
            self.blocked = self._problem(WarningCode.UNREADABLE, f"cannot read: {why(exc)}")
        else:
            self.encoding = head.encoding
            start = self.encoding.bom_length if head.bom else 0
            if head.empty:
                self.blocked = self._problem(WarningCode.EMPTY_FILE, "empty file")
            elif head.binary:
                self.blocked = self._problem(
                    WarningCode.BINARY_CONTENT, "binary content, not text: not parsed"
                )
            elif self._forced is None:
                self.format = head.format
        self._parser: Parser = get(self.format)
        self._cks = [Checkpoint(0, start, 1, Resume())]
        self._ck_rec = array("q", [0])  # the record numbers of _cks, for bisect
        self._end = start  # file offset the scan has read to
        self.size = self.source.size
        self.done = self.blocked is not None

    def _problem(self, code: WarningCode, text: str) -> ParseWarning:
        warning = ParseWarning(self.name, 1, 0, code, text)
        self.warnings.append(warning)
        self.warning_count += 1
        return warning

    def reset(self) -> None:
        """Forget everything and read the head again (after a rotation)."""
        self._stop.set()
        with self._build_lock, self._lock:
            self._stop.clear()
            self._reset()

    # -- reading -------------------------------------------------------------------------

    def __len__(self) -> int:
        with self._lock:
            n = len(self.table)
            # While scanning, the last record's end is not known yet.
            return n if self.done else max(n - 1, 0)

    @property
    def total(self) -> int:
        """Records indexed so far, including one whose end is still being read."""
        return len(self.table)

    def record(self, i: int) -> LogRecord:
        return self.records_at([i])[0]

    def records(self, start: int, stop: int) -> list[LogRecord]:
        """Records ``start`` to ``stop`` (exclusive), clipped to what is readable."""
        return self.records_at(range(max(start, 0), min(stop, len(self))))

    def records_at(self, indices: Iterable[int]) -> list[LogRecord]:
        """The records at ascending record numbers (each must be below ``len(self)``)."""
        out: list[LogRecord] = []
        chunk_no = -1
        chunk: list[LogRecord] = []
        first = 0
        for i in indices:
            if chunk_no < 0 or not first <= i < first + len(chunk):
                chunk_no = self.chunk_of(i)
                first, chunk = self.chunk_records(chunk_no)
            out.append(chunk[i - first])
        return out

    def number_of(self, offset: int) -> int | None:
        """The record number of the record starting at file ``offset`` (a
        ``LogRecord.offset``, e.g. of a piece of evidence), None if none starts there."""
        with self._lock:
            offsets = self.table.offsets
            i = bisect_left(offsets, offset)
            return i if i < len(offsets) and offsets[i] == offset else None

    def chunk_of(self, i: int) -> int:
        """The checkpoint chunk holding record ``i``."""
        with self._lock:
            return bisect_right(self._ck_rec, i) - 1

    def chunk_count(self) -> int:
        with self._lock:
            return len(self._cks)

    def checkpoint_line(self, c: int) -> int:
        """The line number of chunk ``c``'s first record."""
        with self._lock:
            return self._cks[c].line

    def chunk_span(self, c: int) -> tuple[int, int, int, int]:
        """(first record, end record, start offset, end offset) of chunk ``c`` as now known."""
        with self._lock:
            ck = self._cks[c]
            rec0, off0 = ck.record, ck.offset
            if c + 1 < len(self._cks):
                after = self._cks[c + 1]
                return rec0, after.record, off0, after.offset
            n = len(self.table)
            if self.done:
                return rec0, n, off0, self._end
            if n - 1 > rec0:
                return rec0, n - 1, off0, self.table.offsets[n - 1]
            return rec0, rec0, off0, off0

    def chunk_raw(self, c: int) -> bytes:
        """The file bytes of chunk ``c``."""
        _, _, start, end = self.chunk_span(c)
        return self._read(start, end)

    def chunk_records(self, c: int, raw: bytes | None = None) -> tuple[int, list[LogRecord]]:
        """(first record number, records) of chunk ``c``, parsed again from the file."""
        with self._lock:
            rec0, rec1, start, end = self.chunk_span(c)
            key = (self.generation, c, end)
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return rec0, hit
            checkpoint = self._cks[c]
            offsets = self.table.offsets[rec0:rec1]
            levels = self.table.levels[rec0:rec1]
        problem = CHANGED
        if raw is None:
            try:
                raw = self._read(start, end)
            except OSError as exc:
                problem, raw = why(exc), None
        records = None
        if raw is not None:
            records = parse_chunk(
                self._parser,
                self.format,
                self.name,
                self.encoding,
                start=start,
                raw=raw,
                line=checkpoint.line,
                state=checkpoint.state,
                offsets=offsets,
            )
        if records is None:  # never cached: the file may come back
            return rec0, stand_ins(self.name, self.format, offsets, levels, problem)
        with self._lock:
            self._cache[key] = records
            while len(self._cache) > _CACHE_CHUNKS:
                self._cache.popitem(last=False)
        return rec0, records

    def logical(self, raw: bytes) -> bytes:
        """File bytes as the parsers see them (UTF-16 is read as UTF-8)."""
        if not self.encoding.is_utf16:
            return raw
        text = raw.decode(self.encoding.value, errors="replace")
        return text.encode("utf-8", errors="surrogatepass")

    def _read(self, start: int, end: int) -> bytes:
        if end <= start:
            return b""
        # Opened per read: a handle held open would stop ConfigMgr renaming the log on
        # Windows when it rotates it.
        with self.source.opener() as fh:
            fh.seek(start)
            return fh.read(end - start)

    def component_ids(self, names: Iterable[str]) -> set[int]:
        """Ids of the components named (case-insensitive)."""
        wanted = {n.casefold() for n in names}
        with self._lock:
            return {i for i, n in enumerate(self.component_names) if n.casefold() in wanted}

    def progress(self) -> IndexProgress:
        with self._lock:
            return IndexProgress(self.name, len(self.table), self._end, self.size, self.done)

    # -- scanning ------------------------------------------------------------------------

    def build(
        self, progress: Progress | None = None, cancel: threading.Event | None = None
    ) -> None:
        """Scan to the end of the file (resuming from the last checkpoint), committing
        columns as it goes. Returns early, resumable, when ``cancel`` is set."""
        with self._build_lock:
            if self.blocked is None:
                self._scan(progress, cancel)
            if progress is not None:
                progress(self.progress())

    def _scan(self, progress: Progress | None, cancel: threading.Event | None) -> None:
        with self._lock:
            c = len(self._cks) - 1
            start = self._cks[c]
            carry = self.table.keys[start.record - 1] if start.record else 0
            generation = self.generation
            if self.path is not None:
                self._state = file_state(self.path)
                if self._state is not None:
                    self.size = self._state.size
        stream = SpanStream(self.name, self.encoding, start.offset, opener=self.source.opener)
        batches = scan_span(
            self._parser, self.format, stream, start, self.component_names, self._ids, carry
        )
        first = True
        last_report = 0.0  # the first batch is reported at once: it fills the first screen
        try:
            for batch in batches:
                with self._lock:
                    if generation != self.generation:
                        return
                    if first:
                        # Swapped in one step: readers see the old tail until the new one.
                        self._truncate(c)
                        first = False
                    self._commit(batch)
                if self._stop.is_set() or (cancel is not None and cancel.is_set()):
                    return
                now = time.monotonic()
                if progress is not None and now - last_report > 0.1:
                    last_report = now
                    progress(self.progress())
        except OSError as exc:
            with self._lock:
                if first:
                    self._truncate(c)
                self._add_warnings(
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
                self._end = stream.reached
                self.done = True

    def _truncate(self, c: int) -> None:
        """Drop what lies after checkpoint ``c``: it is being read again."""
        start = self._cks[c]
        self.table.truncate(start.record)
        del self._cks[c + 1 :], self._ck_rec[c + 1 :]
        self.warnings = [w for w in self.warnings if w.offset < start.offset]
        self.done = False

    def _commit(self, batch: ScanBatch) -> None:
        self.table.extend(batch.table)
        for ck in batch.checkpoints:
            self._cks.append(ck)
            self._ck_rec.append(ck.record)
        self._add_warnings(batch.warnings)
        self._end = batch.reached
        self.done = batch.final

    def _add_warnings(self, warnings: list[ParseWarning]) -> None:
        room = max(MAX_WARNINGS - len(self.warnings), 0)
        self.warnings.extend(warnings[:room])
        self.warning_count += len(warnings)

    # -- following -----------------------------------------------------------------------

    def poll(self) -> FileChange:
        """Whether the file grew, was rotated or is gone since it was last read.

        Only files on disk can be followed; anything else never changes."""
        if self.path is None or self._build_lock.locked():
            return FileChange.NONE
        with self._lock:
            before, read_to = self._state, self._end
        return compare(before, file_state(self.path), read_to)
