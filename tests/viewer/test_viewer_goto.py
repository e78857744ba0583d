"""record_at_line: every record's first line (and its continuation lines) finds it."""

from __future__ import annotations

from pathlib import Path

from viewer_support import source_of

from logscan.viewer.goto import record_at_line
from logscan.viewer.index import LogIndex

SMSTS = (
    Path(__file__).resolve().parents[2]
    / "sample_logs/WKS-XP-0142/WINDOWS/system32/CCM/Logs/smsts.log"
)


def test_every_line_finds_its_record(tmp_path: Path) -> None:
    index = LogIndex(source_of(SMSTS))
    index.build()
    records = index.records(0, len(index))
    assert records
    for n, record in enumerate(records):
        assert record_at_line(index, record.line) == n
    # A line inside a multi-line record belongs to that record.
    multi = [n for n, r in enumerate(records[:-1]) if records[n + 1].line - r.line > 1]
    for n in multi:
        assert record_at_line(index, records[n].line + 1) == n
    assert record_at_line(index, 0) is None


def test_multiline_records_in_small_chunks(tmp_path: Path) -> None:
    path = tmp_path / "multi.log"
    lines = []
    for k in range(3000):
        lines.append(f"first {k}\n  continued {k}\n" if k % 7 == 0 else f"single {k}\n")
    path.write_text("".join(lines))
    index = LogIndex(source_of(path))
    index.build()
    records = index.records(0, len(index))
    for n in (0, 1, 7, 1500, len(records) - 1):
        assert record_at_line(index, records[n].line) == n
