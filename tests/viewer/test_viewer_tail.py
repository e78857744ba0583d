"""Tail-first indexing: the end of a big log indexed first, shown after a gap row, and
joined to the head exactly as one scan from the start builds the index."""

from __future__ import annotations

import dataclasses
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from viewer_support import ENCODINGS, KINDS, ccm, damaged_log, full, full_parse, source_of

from logscan.inputs.stream import Encoding
from logscan.inputs.watched import MAX_RUN_WARNINGS
from logscan.model import Level, LogRecord, WarningCode
from logscan.viewer import scan, tail
from logscan.viewer.filter import RecordFilter, apply_filter
from logscan.viewer.follow import FileChange
from logscan.viewer.index import LogIndex
from logscan.viewer.query import Query
from logscan.viewer.search import search
from logscan.viewer.view import GAP, RecordView

_RUNS = {WarningCode.NUL_BYTES, WarningCode.DECODE_ERROR}


@pytest.fixture(autouse=True)
def small_tails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every log gets a tail; the head scans in small batches with many checkpoints."""
    monkeypatch.setattr(tail, "TAIL_FROM", 0)
    monkeypatch.setattr(tail, "TAIL_BYTES", 2048)
    monkeypatch.setattr(scan, "BATCH", 16)
    monkeypatch.setattr(scan, "CHUNK_BYTES", 512)


def _forward(path: Path, monkeypatch: pytest.MonkeyPatch) -> LogIndex:
    """The index one scan from the start builds (no tail)."""
    with monkeypatch.context() as m:
        m.setattr(tail, "TAIL_FROM", 1 << 62)
        index = LogIndex(source_of(path))
        index.build()
    assert index.done and not index.has_gap
    return index


def _build_watching(index: LogIndex) -> bool:
    """Build ``index``; whether it had a tail at some point."""
    seen = []
    index.build(lambda _: seen.append(index.has_gap))
    return any(seen)


@contextmanager
def held_with_tail(path: Path) -> Iterator[LogIndex]:
    """An index whose head's scan is held right after its tail is indexed; the scan
    finishes (and joins the tail) when the block ends."""
    index = LogIndex(source_of(path))
    opened = threading.Event()

    def progress(_: object) -> None:
        if index.has_gap:
            opened.set()

    with index.holding():
        worker = threading.Thread(target=index.build, args=(progress,))
        worker.start()
        assert opened.wait(10), "no tail was indexed"
        yield index
    worker.join(10)
    assert index.done and not index.has_gap


def _names(index: LogIndex) -> list[str]:
    return [index.component_names[c] for c in index.table.comps]


def _warnings(index: LogIndex, codes: set[WarningCode] | None = None) -> list[Any]:
    return sorted(
        (w.offset, w.line, w.code, w.message)
        for w in index.warnings
        if codes is None or w.code not in codes
    )


def _assert_same_index(got: LogIndex, ref: LogIndex, expected: list[LogRecord]) -> None:
    assert len(got) == len(ref) == len(expected)
    for column in ("offsets", "keys", "kinds", "levels"):
        assert list(getattr(got.table, column)) == list(getattr(ref.table, column)), column
    assert _names(got) == _names(ref)
    assert got.table.biases == ref.table.biases
    # Checkpoints sit elsewhere than a plain scan's, but each names its record right
    # (the first is the start of the file, before any record).
    assert got.chunk_span(0)[:3] == ref.chunk_span(0)[:3]
    for c in range(1, got.chunk_count()):
        first, end, start, _ = got.chunk_span(c)
        assert start == expected[first].offset
        assert got.checkpoint_line(c) == expected[first].line
        assert end - first <= scan.CHUNK_RECORDS
    assert full(got.records(0, len(got))) == full(expected)
    # Parser warnings are the same; NUL and UTF-16 runs are capped per scan, so they
    # match only while a file has no more runs than the cap.
    assert _warnings(got, _RUNS) == _warnings(ref, _RUNS)
    runs = [w for w in ref.warnings if w.code in _RUNS]
    if len(runs) <= MAX_RUN_WARNINGS:
        assert _warnings(got) == _warnings(ref)
        assert got.warning_count == ref.warning_count


def test_the_joined_index_equals_one_scan_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    path = tmp_path / "CcmExec.log"
    tails = 0
    for trial in range(40):
        encoding = ENCODINGS[trial % len(ENCODINGS)]
        raw = damaged_log(rng, "ccm", rng.randrange(150, 500), encoding)
        path.write_bytes(raw)
        monkeypatch.setattr(tail, "TAIL_BYTES", rng.randrange(100, len(raw) // 3))
        ref = _forward(path, monkeypatch)
        index = LogIndex(source_of(path))
        tails += _build_watching(index)
        assert index.done and not index.has_gap
        _assert_same_index(index, ref, full_parse(path))
    assert tails >= 30  # most logs were long enough after the head's first batch


def _tail_of(index: LogIndex, expected: list[LogRecord]) -> int:
    """The number of the first record of the tail in the whole file."""
    layout = index.layout()
    assert layout.tail is not None
    return next(i for i, r in enumerate(expected) if r.offset == layout.tail.start)


def _unknown_line(record: LogRecord, line: int) -> tuple[Any, ...]:
    assert record.line == 0  # not known until the tail is joined to the head
    return full([dataclasses.replace(record, line=line)])[0]


def _brute(levels: list[int], row: int, at_least: Level, forward: bool) -> int | None:
    rows = range(row + 1, len(levels)) if forward else range(row - 1, -1, -1)
    return next((r for r in rows if levels[r] == GAP or levels[r] >= at_least), None)


def test_a_view_shows_the_head_a_gap_row_and_the_tail(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    path.write_bytes(damaged_log(random.Random(8), "ccm", 400, "utf-16-le"))
    expected = full_parse(path)
    with held_with_tail(path) as index:
        view = RecordView.of(index)
        gap = view.gap_row
        assert gap is not None and gap == len(index) == view.head_rows
        first = _tail_of(index, expected)
        assert len(view) == gap + 1 + len(expected) - first
        rows = view.records(0, len(view))
        assert full(rows[:gap]) == full(expected[:gap])
        assert rows[gap].message == view.gap_text()
        assert view.gap_text().endswith("not indexed yet …")
        pairs = zip(rows[gap + 1 :], expected[first:], strict=True)
        assert [_unknown_line(r, e.line) for r, e in pairs] == full(expected[first:])
        levels = list(view.levels())
        assert levels == [*(r.level for r in expected[:gap]), GAP] + [
            r.level for r in expected[first:]
        ]
        assert view.level(gap) is None and view.level(gap + 1) is expected[first].level
        # Level jumps stop at the gap: what it stands for is not known yet.
        for at_least in (Level.WARNING, Level.ERROR):
            for row in (0, gap - 1, gap, gap + 1, len(view) - 1):
                for forward in (True, False):
                    got = view.find_level(row, at_least, forward=forward)
                    assert got == _brute(levels, row, at_least, forward), (row, forward)
        # Rows are found again by file offset; record numbers end at the gap.
        for row in (0, gap - 1, gap + 1, len(view) - 1):
            offset = view.offset_at(row)
            assert offset is not None and view.row_at(offset) == row
        assert view.offset_at(gap) is None
        assert view.locate(len(view) - 1) == (0, gap)
        assert view.position_of(0, gap + 5) == gap
        # Searches and filters look at the head until the log is indexed whole.
        assert all(row < gap for row in search(view, Query.parse("e")))
        filtered = apply_filter(RecordView.of(index, tail=False), RecordFilter(text=None))
        assert filtered is not None and len(filtered) == gap
        old_offsets = [view.offset_at(row) for row in range(len(view))]
    move = view.refresh()  # the head's scan met the tail: joined
    assert move is not None and view.gap_row is None
    assert len(view) == len(expected)
    assert full(view.records(0, len(view))) == full(expected)
    for row, offset in enumerate(old_offsets):
        if offset is None:  # the gap row: now the last record before the tail
            assert move(row) == first - 1
        else:
            assert view.offset_at(move(row)) == offset


def test_rows_keep_their_records_while_the_head_grows(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    path.write_bytes(damaged_log(random.Random(9), "ccm", 600, "utf-8"))
    expected = full_parse(path)
    stop = threading.Event()
    index = LogIndex(source_of(path))
    # The first batch and the tail, then cancelled.
    index.build(lambda _: stop.set() if index.has_gap else None, stop)
    assert index.has_gap
    view = RecordView.of(index)
    offsets = [view.offset_at(row) for row in range(len(view))]
    head = view.head_rows
    index.build(cancel=stop)  # one more batch: the head grows, the gap shrinks
    move = view.refresh()
    assert move is not None and view.head_rows > head
    for row, offset in enumerate(offsets):
        if offset is not None:
            assert view.offset_at(move(row)) == offset
    assert move(head) == view.gap_row  # the gap row stays the gap row
    index.build()
    assert full(index.records(0, len(index))) == full(expected)


def _quiet_log(path: Path, records: int, last_error: int) -> None:
    """Records with no error after record ``last_error``."""
    path.write_text(
        "".join(
            ccm(f"record {k}", type_=3 if k == last_error or k % 97 == 5 else 1)
            for k in range(records)
            if k <= last_error or k % 97 != 5
        ),
        encoding="utf-8",
    )


def test_reach_back_indexes_the_gap_back_to_the_previous_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "CcmExec.log"
    _quiet_log(path, 4000, 2300)
    expected = full_parse(path)
    last_error = max(i for i, r in enumerate(expected) if r.level is Level.ERROR)
    ref = _forward(path, monkeypatch)
    with held_with_tail(path) as index:
        view = RecordView.of(index)
        end = len(view) - 1
        assert view.find_level(end, Level.ERROR, forward=False) == view.gap_row
        before = view.offset_at(end)
        assert before is not None
        start = view.offset_at(view.head_rows + 1)
        assert index.reach_back(Level.ERROR, before)
        move = view.refresh()
        assert move is not None
        new_start = view.offset_at(view.head_rows + 1)
        assert new_start is not None and start is not None and new_start < start
        row = view.find_level(move(end), Level.ERROR, forward=False)
        assert row is not None and row != view.gap_row
        found = view.record(row)
        assert found.offset == expected[last_error].offset
        assert _unknown_line(found, expected[last_error].line) == full([expected[last_error]])[0]
        # The tail still reads as the same records of the whole file.
        first = _tail_of(index, expected)
        tail_rows = view.records(view.head_rows + 1, len(view))
        assert [r.offset for r in tail_rows] == [r.offset for r in expected[first:]]
    _assert_same_index(index, ref, expected)


def test_reach_back_leaves_a_small_gap_to_the_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "CcmExec.log"
    _quiet_log(path, 400, 3)
    after_first_batch = full_parse(path)[scan.BATCH].offset
    monkeypatch.setattr(tail, "TAIL_BYTES", (path.stat().st_size - after_first_batch) * 2 // 5)
    with held_with_tail(path) as index:
        layout = index.layout()
        assert layout.tail is not None
        # Less than two reaches to go: the head's scan closes the gap as soon.
        assert layout.gap_bytes < 2 * tail.TAIL_BYTES
        assert not index.reach_back(Level.ERROR, layout.tail.start + 1)
        assert index.layout().tail is layout.tail


def test_a_followed_log_grows_its_tail_while_the_head_is_indexed(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    path.write_bytes(damaged_log(random.Random(12), "ccm", 300, "utf-8"))
    with held_with_tail(path) as index:
        view = RecordView.of(index)
        rows = len(view)
        assert index.poll() is FileChange.NONE
        with path.open("a", encoding="utf-8", newline="") as fh:
            fh.write("".join(ccm(f"appended {k}", type_=3) for k in range(40)))
        assert index.poll() is FileChange.GREW
        index.update()
        assert index.poll() is FileChange.NONE
        assert view.refresh() is None  # rows were only added at the end
        assert len(view) == rows + 40
        assert view.record(len(view) - 1).message == "appended 39"
    assert full(index.records(0, len(index))) == full(full_parse(path))


def test_a_tail_that_does_not_start_at_a_record_is_dropped_at_the_join(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The safety net: should a tail ever start where the whole file's parse has no
    # record, the head's scan does not join it but reads on alone.
    found = tail.record_start

    def off_by_three(*args: Any) -> int | None:
        start = found(*args)
        return None if start is None else start + 3

    monkeypatch.setattr(tail, "record_start", off_by_three)
    path = tmp_path / "CcmExec.log"
    path.write_bytes(damaged_log(random.Random(13), "ccm", 300, "utf-8"))
    ref = _forward(path, monkeypatch)
    index = LogIndex(source_of(path))
    assert _build_watching(index)
    _assert_same_index(index, ref, full_parse(path))


@pytest.mark.parametrize("kind", ["usmt", "legacy", "plain"])
def test_formats_without_exact_restarts_get_no_tail(kind: str, tmp_path: Path) -> None:
    path = tmp_path / KINDS[kind][1]
    path.write_bytes(damaged_log(random.Random(14), kind, 400, "utf-8"))
    index = LogIndex(source_of(path))
    assert not index.tail_expected
    assert not _build_watching(index)
    assert full(index.records(0, len(index))) == full(full_parse(path))


def test_a_big_ccm_log_expects_a_tail_until_it_has_tried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A view waits for the end while a tail is expected: so until it is there.
    path = tmp_path / "CcmExec.log"
    path.write_bytes(damaged_log(random.Random(15), "ccm", 300, "utf-8"))
    index = LogIndex(source_of(path))
    found = tail.record_start
    expected_meanwhile = []

    def record_start(*args: Any) -> int | None:
        expected_meanwhile.append(index.tail_expected)
        return found(*args)

    monkeypatch.setattr(tail, "record_start", record_start)
    assert index.tail_expected
    index.build()
    assert expected_meanwhile == [True]
    assert not index.tail_expected


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_record_start_is_the_first_opener_at_or_after_a_position(
    encoding: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tail, "_SEEK_STEP", 64)  # markers cut by the step's edge too
    path = tmp_path / "CcmExec.log"
    text = "".join(ccm(f"record {k} ünï", type_=k % 4) for k in range(60))
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    path.write_bytes(bom + text.encode(encoding))
    index = LogIndex(source_of(path))
    starts = [r.offset for r in full_parse(path)]
    size = path.stat().st_size
    base = len(bom) or (3 if encoding == "utf-8-sig" else 0)
    rng = random.Random(16)
    for pos in [0, 1, 2, *rng.sample(range(size), 40)]:
        got = tail.record_start(index._read, Encoding(encoding), base, pos, size)
        assert got == next((s for s in starts if s >= pos), None), pos
    assert tail.record_start(index._read, Encoding(encoding), base, starts[-1] + 1, size) is None
