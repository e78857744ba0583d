"""LogIndex: one log file opened at once, indexed in the background, read by record number.

Opening reads only the head (encoding, format). ``build`` then runs the file's real
parser once over the whole file, keeping per record only a few columns
(``RecordTable``) plus a checkpoint every ~64 KiB; records are not kept. Asking for
records re-reads just the bytes of the checkpoint chunks that hold them and parses them
again with the same parser (``SpanStream``), so what the viewer shows is exactly what a
full parse gives, at any file size, in memory well below the file's size.

A big log is indexed from both ends (``tail``): right after the first screen, ``build``
indexes the last few megabytes as a tail segment, then goes on from the start and joins
the tail when it reaches it. Until then record numbers (``len``, ``records``) are the
head's; ``layout`` and ``segment_records`` give the tail to a view (``RecordView``), and
``reach_back`` indexes more of the gap before the tail when someone is looking there.

``build`` is synchronous and thread-safe against readers: a UI runs it in a worker
thread and may read records while it runs (everything committed so far is readable).
Following a growing file is ``poll`` plus ``update``, which resumes from the last
checkpoint (of the tail while there is one) instead of the start.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable

from logscan.inputs.discover import FileOpener
from logscan.inputs.reader import inspect_head
from logscan.inputs.source import LogSource
from logscan.inputs.stream import Encoding
from logscan.model import LogFormat, LogRecord, ParseWarning, WarningCode
from logscan.parsers.base import get
from logscan.viewer.chunk import CHANGED, parse_chunk, stand_ins, why
from logscan.viewer.follow import file_state
from logscan.viewer.indexing import Indexing, IndexProgress, Progress
from logscan.viewer.resume import Resume
from logscan.viewer.scan import Bound, Checkpoint
from logscan.viewer.segment import Segment
from logscan.viewer.table import RecordTable
from logscan.viewer.tail import Layout

_CACHE_CHUNKS = 48  # parsed chunks kept (a screenful needs one or two)

__all__ = ["IndexProgress", "LogIndex", "Progress"]


class LogIndex(Indexing):
    """Random access by record number to the records of one log file (the scans that
    fill it are ``Indexing``'s)."""

    def __init__(self, source: LogSource, fmt: LogFormat | None = None) -> None:
        self.source = source
        self.name = source.display
        opener = source.opener
        self.path: str | None = opener.path if isinstance(opener, FileOpener) else None
        self._forced = fmt
        super().__init__()
        self.generation = 0
        self._reset()

    # -- opening -------------------------------------------------------------------------

    def _reset(self) -> None:
        self.generation += 1
        self._cache: OrderedDict[tuple[int, int, int], list[LogRecord]] = OrderedDict()
        self._state = file_state(self.path) if self.path else None
        self.blocked = None
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
        self._parser = get(self.format)
        self._head = Segment(Checkpoint(0, start, 1, Resume()))
        if self.blocked is not None:
            self._head.add_warnings([self.blocked])
            self._head.done = True
        self._tail = None
        self._bound = Bound()  # where the head's scan stops: the tail's first record
        self._tail_tried = False
        self.size = self.source.size

    def _problem(self, code: WarningCode, text: str) -> ParseWarning:
        return ParseWarning(self.name, 1, 0, code, text)

    def reset(self) -> None:
        """Forget everything and read the head again (after a rotation)."""
        self._stop.set()
        with self._build_lock, self._tail_lock, self._lock:
            self._stop.clear()
            self._reset()

    # -- the head, by record number ------------------------------------------------------

    @property
    def table(self) -> RecordTable:
        """The columns of the head's records (of every record once indexing is done)."""
        return self._head.table

    @property
    def component_names(self) -> list[str]:
        return self._head.names

    @property
    def warnings(self) -> list[ParseWarning]:
        return self._head.warnings

    @property
    def warning_count(self) -> int:
        with self._lock:
            tail = self._tail
            return self._head.warning_count + (tail.warning_count if tail else 0)

    def __len__(self) -> int:
        with self._lock:
            return self._head.readable()

    @property
    def total(self) -> int:
        """Records indexed so far, including one whose end is still being read."""
        return len(self._head.table)

    def record(self, i: int) -> LogRecord:
        return self.records_at([i])[0]

    def records(self, start: int, stop: int) -> list[LogRecord]:
        """Records ``start`` to ``stop`` (exclusive), clipped to what is readable."""
        return self.records_at(range(max(start, 0), min(stop, len(self))))

    def records_at(self, indices: Iterable[int]) -> list[LogRecord]:
        """The records at ascending record numbers (each must be below ``len(self)``)."""
        return self.segment_records(self._head, indices)

    def number_of(self, offset: int) -> int | None:
        """The record number of the record starting at file ``offset`` (a
        ``LogRecord.offset``, e.g. of a piece of evidence), None if none starts there."""
        with self._lock:
            offsets = self._head.table.offsets
            i = bisect_left(offsets, offset)
            return i if i < len(offsets) and offsets[i] == offset else None

    def chunk_of(self, i: int) -> int:
        """The checkpoint chunk holding record ``i``."""
        with self._lock:
            return self._head.chunk_of(i)

    def chunk_count(self) -> int:
        with self._lock:
            return len(self._head.cks)

    def checkpoint_line(self, c: int) -> int:
        """The line number of chunk ``c``'s first record."""
        with self._lock:
            return self._head.cks[c].line

    def chunk_span(self, c: int) -> tuple[int, int, int, int]:
        """(first record, end record, start offset, end offset) of chunk ``c`` as now known."""
        with self._lock:
            return self._head.chunk_span(c)

    def chunk_raw(self, c: int) -> bytes:
        """The file bytes of chunk ``c``."""
        _, _, start, end = self.chunk_span(c)
        return self._read(start, end)

    def chunk_records(self, c: int, raw: bytes | None = None) -> tuple[int, list[LogRecord]]:
        """(first record number, records) of chunk ``c``, parsed again from the file."""
        return self._chunk_records(self._head, c, raw)

    # -- any segment (the tail, for a view) ----------------------------------------------

    def layout(self) -> Layout:
        """Where a live view's rows come from now: the head, and the tail after a gap."""
        with self._lock:
            tail = self._tail
            return Layout(
                self._head.readable(),
                self._head.end,
                tail,
                tail.readable() if tail is not None else 0,
            )

    def segment_records(self, segment: Segment, indices: Iterable[int]) -> list[LogRecord]:
        """The records at ascending numbers of ``segment`` (the head or a tail from a
        ``layout``; a tail's records have line 0 until it is joined to the head)."""
        out: list[LogRecord] = []
        chunk_no = -1
        chunk: list[LogRecord] = []
        first = 0
        for i in indices:
            if chunk_no < 0 or not first <= i < first + len(chunk):
                with self._lock:
                    chunk_no = segment.chunk_of(i)
                first, chunk = self._chunk_records(segment, chunk_no)
            out.append(chunk[i - first])
        return out

    def _chunk_records(
        self, segment: Segment, c: int, raw: bytes | None = None
    ) -> tuple[int, list[LogRecord]]:
        with self._lock:
            rec0, rec1, start, end = segment.chunk_span(c)
            key = (segment.serial, c, end)
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return rec0, hit
            checkpoint = segment.cks[c]
            offsets = segment.table.offsets[rec0:rec1]
            levels = segment.table.levels[rec0:rec1]
            line = checkpoint.line if segment.lines_known else None
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
                line=line,
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

    def component_ids(self, names: Iterable[str]) -> set[int]:
        """Ids of the components named (case-insensitive), in the head's table."""
        wanted = {n.casefold() for n in names}
        with self._lock:
            return {i for i, n in enumerate(self._head.names) if n.casefold() in wanted}
