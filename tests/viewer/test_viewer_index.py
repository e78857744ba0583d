"""LogIndex: records read back by number equal a full parse, whatever the chunking."""

from __future__ import annotations

import random
import threading
from array import array
from pathlib import Path

import pytest
from viewer_support import ENCODINGS, KINDS, built, ccm, damaged_log, full, full_parse, source_of

from logscan.model import LogFormat, WarningCode
from logscan.viewer import scan
from logscan.viewer.index import LogIndex
from logscan.viewer.table import RecordTable

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_LOGS = sorted(
    p
    for p in (ROOT / "sample_logs").rglob("*")
    if p.is_file() and p.suffix.lower() in (".log", ".lo_") and "_build" not in p.parts
)


@pytest.fixture
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkpoint at every record that may be one: every record start is a restart."""
    monkeypatch.setattr(scan, "CHUNK_BYTES", 1)


def _real(real_logs: Path) -> list[Path]:
    return sorted(p for p in real_logs.iterdir() if p.name != "README.md")


@pytest.mark.parametrize("chunking", ["default", "tiny"])
def test_real_logs_equal_full_parse(
    real_logs: Path, chunking: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if chunking == "tiny":
        monkeypatch.setattr(scan, "CHUNK_BYTES", 1)
    for path in _real(real_logs):
        expected = full_parse(path)
        index = built(path)
        assert len(index) == len(expected), path.name
        assert full(index.records(0, len(index))) == full(expected), path.name
        if chunking == "tiny":
            assert index.chunk_count() > len(expected) // 2, path.name


def test_real_log_counts_match_readme(real_logs: Path) -> None:
    # The README's independently counted figures, through the index.
    assert len(built(real_logs / "mdt-standalone_smsts.log")) == 881
    assert len(built(real_logs / "cb-client_ccmsetup.log")) == 195
    assert len(built(real_logs / "legacy-server_component-start_BgbServer.lo_")) == 20
    usmt = built(real_logs / "usmt10_scanstate.log")
    assert usmt.format is LogFormat.USMT
    stamped = [r for r in usmt.records(0, len(usmt)) if r.local_time is not None]
    assert len(stamped) == 69


@pytest.mark.usefixtures("tiny_chunks")
@pytest.mark.parametrize("path", SAMPLE_LOGS, ids=lambda p: p.parent.name + "/" + p.name)
def test_sample_logs_equal_full_parse(path: Path) -> None:
    index = built(path)
    assert full(index.records(0, len(index))) == full(full_parse(path))


@pytest.mark.usefixtures("tiny_chunks")
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_damaged_logs_equal_full_parse(kind: str, tmp_path: Path) -> None:
    rng = random.Random(977203 + len(kind))
    for trial in range(25):
        encoding = ENCODINGS[trial % len(ENCODINGS)]
        raw = damaged_log(rng, kind, rng.randrange(1, 50), encoding)
        path = tmp_path / KINDS[kind][1]
        path.write_bytes(raw)
        index = built(path)
        expected = full_parse(path)
        got = index.records(0, len(index))
        assert full(got) == full(expected), (trial, encoding, raw[:300])


@pytest.mark.usefixtures("tiny_chunks")
def test_any_window_equals_the_same_slice_of_a_full_parse(tmp_path: Path) -> None:
    rng = random.Random(11)
    path = tmp_path / "CcmExec.log"
    path.write_bytes(damaged_log(rng, "ccm", 120, "utf-16-le"))
    expected = full_parse(path)
    index = built(path)
    for _ in range(60):
        a = rng.randrange(len(expected))
        b = rng.randrange(a, len(expected) + 1)
        index._cache.clear()
        assert full(index.records(a, b)) == full(expected[a:b])
    picks = sorted(rng.sample(range(len(expected)), 20))
    assert index.records_at(picks) == [expected[i] for i in picks]


def test_usmt_resume_state_across_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two runs of two programs: the component and run of records far from the Version
    # line that named them come from the checkpoint, not from a fresh parse.
    lines = [f"2011-03-15 14:01:{k % 60:02d}, Info  [0x000000] before {k}\r\n" for k in range(90)]
    lines += ["2011-03-15 14:02:00, Info  [0x000000] SCANSTATE.EXE Version 6.1.7601.0\r\n"]
    lines += [
        f"2011-03-15 14:02:{k % 60:02d}, Info  [0x000000] capture {k}\r\n" for k in range(300)
    ]
    lines += ["2011-03-15 14:09:00, Info  [0x000000] LOADSTATE.EXE Version 10.0\r\n"]
    lines += ["2011-03-15 14:09:01, Info  [0x000000] USMT Started at 2011/03/15\r\n"]
    lines += [f"2011-03-15 14:10:{k % 60:02d}, Info  [0x000000] apply {k}\r\n" for k in range(300)]
    path = tmp_path / "usmt.log"
    path.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(scan, "CHUNK_BYTES", 2048)
    index = built(path)
    expected = full_parse(path)
    assert index.chunk_count() > 10
    assert full(index.records(0, len(index))) == full(expected)
    assert {r.component for r in expected} == {"USMT", "ScanState", "LoadState"}
    assert (
        index.record(len(index) - 1).extras["run"] == "2"
    )  # run 0 before any, then one per program


def test_records_are_readable_while_indexing(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    rng = random.Random(3)
    path.write_bytes(damaged_log(rng, "ccm", 6000, "utf-8-sig"))
    expected = full_parse(path)
    index = LogIndex(source_of(path))
    stop = threading.Event()
    stop.set()  # cancelled from the start: one batch is committed, the rest resumes later
    index.build(cancel=stop)
    assert not index.done
    partial = len(index)
    assert 0 < partial < len(expected)
    assert full(index.records(0, partial)) == full(expected[:partial])
    index.build()
    assert index.done
    assert full(index.records(0, len(index))) == full(expected)


def test_columns_are_far_smaller_than_the_file(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    path.write_text("".join(ccm(f"record {k}", type_=k % 4) for k in range(20000)))
    index = built(path)
    size = path.stat().st_size
    assert index.table.nbytes() < size / 5
    assert index.table.nbytes() == 20 * len(index)


@pytest.mark.parametrize(
    ("raw", "code"),
    [(b"", WarningCode.EMPTY_FILE), (bytes(range(256)) * 64, WarningCode.BINARY_CONTENT)],
)
def test_unreadable_content_is_a_warning_not_records(
    tmp_path: Path, raw: bytes, code: WarningCode
) -> None:
    path = tmp_path / "odd.log"
    path.write_bytes(raw)
    index = built(path)
    assert len(index) == 0
    assert index.blocked is not None and index.blocked.code is code
    assert index.records(0, 10) == []


def test_number_of_finds_a_record_by_its_offset(real_logs: Path) -> None:
    # How a diagnosis jumps to its evidence: from a LogRecord's offset to the row.
    path = real_logs / "cb-client_ccmsetup.log"
    expected = full_parse(path)
    index = built(path)
    for n in (0, 1, len(expected) // 2, len(expected) - 1):
        assert index.number_of(expected[n].offset) == n
    assert index.number_of(expected[1].offset + 1) is None


def test_a_batch_without_wide_component_ids_after_one_with_them() -> None:
    # More than 65535 components widen the column; a later batch may not need to.
    table = RecordTable()
    wide = RecordTable()
    wide.comps = array("I", [70000])
    narrow = RecordTable()
    narrow.comps.append(3)
    table.extend(wide)
    table.extend(narrow)
    assert list(table.comps) == [70000, 3]
