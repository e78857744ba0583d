"""Follow mode: a log the test appends to, rotates, rewrites and deletes."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from viewer_support import ccm, full, full_parse, source_of

from logscan.inputs.discover import discover
from logscan.inputs.source import LogSource
from logscan.model import RecordFlag
from logscan.viewer import scan
from logscan.viewer.follow import FileChange
from logscan.viewer.index import LogIndex
from logscan.viewer.view import RecordView


def _lines(start: int, count: int) -> str:
    return "".join(ccm(f"record {k}", ms=k % 1000) for k in range(start, start + count))


def _follow(path: Path) -> LogIndex:
    index = LogIndex(source_of(path))
    index.build()
    assert index.poll() is FileChange.NONE
    return index


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(text)


def test_appended_records_are_read_from_the_last_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    path.write_text(_lines(0, 3000), encoding="utf-8", newline="")
    index = _follow(path)
    view = RecordView.of(index)
    checkpoints = index.chunk_count()
    assert checkpoints > 3
    _append(path, _lines(3000, 500))
    assert index.poll() is FileChange.GREW
    index.build()
    assert index.poll() is FileChange.NONE
    assert len(view) == 3500
    assert full(index.records(0, len(index))) == full(full_parse(path))
    assert view.record(3499).message == "record 3499"


def test_a_record_written_in_two_pieces(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    path.write_text(_lines(0, 10), encoding="utf-8", newline="")
    index = _follow(path)
    whole = ccm("the slow one", type_=3)
    _append(path, whole[:25])  # the writer is mid-record
    assert index.poll() is FileChange.GREW
    index.build()
    assert len(index) == 11
    assert RecordFlag.UNCLOSED in index.record(10).flags
    _append(path, whole[25:])
    assert index.poll() is FileChange.GREW
    index.build()
    assert len(index) == 11
    last = index.record(10)
    assert last.message == "the slow one" and not last.flags
    assert full(index.records(0, 11)) == full(full_parse(path))


def test_rotation_by_rename_is_detected_and_reread(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    path.write_text(_lines(0, 50), encoding="utf-8", newline="")
    index = _follow(path)
    # ConfigMgr renames the full log to .lo_ and starts a new one.
    os.replace(path, tmp_path / "CcmExec.lo_")
    path.write_text(_lines(900, 5), encoding="utf-8", newline="")
    assert index.poll() is FileChange.ROTATED
    index.reset()
    index.build()
    assert [r.message for r in index.records(0, 99)] == [f"record {k}" for k in range(900, 905)]


def test_rewrite_in_place_is_a_rotation(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    path.write_text(_lines(0, 5), encoding="utf-8", newline="")
    index = _follow(path)
    with path.open("r+b") as fh:  # same file, new content from the start, longer
        fh.write(_lines(7000, 8).encode())
    assert index.poll() is FileChange.ROTATED
    index.reset()
    index.build()
    assert full(index.records(0, len(index))) == full(full_parse(path))


def test_truncation_is_a_rotation_and_deletion_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    path.write_text(_lines(0, 20), encoding="utf-8", newline="")
    index = _follow(path)
    with path.open("r+b") as fh:
        fh.truncate(100)
    assert index.poll() is FileChange.ROTATED
    path.unlink()
    assert index.poll() is FileChange.GONE
    assert len(index) == 20  # the rows stay; their text cannot be read again
    assert index.record(19).message.startswith("[logscan: this record cannot be read again")
    assert index.record(19).offset == index.table.offsets[19]


def test_usmt_log_appended_keeps_run_state(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(scan, "CHUNK_BYTES", 512)
    path = tmp_path / "loadstate.log"
    head = "2011-03-15 14:02:00, Info  [0x000000] LOADSTATE.EXE Version 10.0\r\n"
    body = "".join(
        f"2011-03-15 14:02:{k % 60:02d}, Info  [0x000000] apply {k}\r\n" for k in range(80)
    )
    path.write_text(head + body, encoding="utf-8", newline="")
    index = _follow(path)
    _append(path, "2011-03-15 14:04:00, Error [0x000000] failed late\r\n  detail line\r\n")
    assert index.poll() is FileChange.GREW
    index.build()
    expected = full_parse(path)
    assert full(index.records(0, len(index))) == full(expected)
    assert expected[-1].component == "LoadState" and expected[-1].extras["run"] == "1"


def test_zip_members_are_not_followed(tmp_path: Path) -> None:
    bundle = tmp_path / "HOST.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("Logs/CcmExec.log", _lines(0, 3))
    (source,) = [s for s in discover([bundle]) if isinstance(s, LogSource)]
    index = LogIndex(source)
    index.build()
    assert index.path is None
    assert len(index) == 3
    assert index.poll() is FileChange.NONE


def test_a_file_rewritten_under_the_index_gives_stand_ins_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    path.write_text(_lines(0, 40), encoding="utf-8", newline="")
    index = _follow(path)
    path.write_text("short\r\n" + _lines(500, 2), encoding="utf-8", newline="")
    records = index.records(0, len(index))  # read before the next poll notices
    assert len(records) == 40
    assert all("changed since it was indexed" in r.message for r in records)
    assert [r.offset for r in records] == list(index.table.offsets)
    assert index.poll() is FileChange.ROTATED
