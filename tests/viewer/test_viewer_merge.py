"""Merge: every record once, each log's own order kept, ordered by UTC, USMT placed by bias."""

from __future__ import annotations

from pathlib import Path

from viewer_support import built, ccm

from logscan.inputs.reader import read_source
from logscan.model import LogRecord
from logscan.viewer.index import LogIndex
from logscan.viewer.merge import effective_keys, host_bias, merge
from logscan.viewer.open import open_logs
from logscan.viewer.view import RecordView

ROOT = Path(__file__).resolve().parents[2]


def _stamp(second: int) -> str:
    return f"14:02:{second:02d}.000+300"


def _ccm_at(second: int, message: str) -> str:
    return ccm(message).replace(
        'time="10:20:57.476+240" date="10-18-2019"', f'time="{_stamp(second)}" date="03-15-2011"'
    )


def _check_merge(indexes: list[LogIndex], view: RecordView) -> None:
    seen = list(view.rows(0, len(view)))
    assert sorted(seen) == sorted((s, i) for s, ix in enumerate(indexes) for i in range(len(ix)))
    for s in range(len(indexes)):
        own = [i for src, i in seen if src == s]
        assert own == sorted(own)  # each log's own order is kept


def test_ccm_and_usmt_interleave_by_utc(tmp_path: Path) -> None:
    ccm_log = tmp_path / "smsts.log"
    ccm_log.write_text("".join(_ccm_at(s, f"ts {s}") for s in (10, 20, 30, 40)))
    usmt_log = tmp_path / "scanstate.log"  # local time, no bias: placed with the host's +300
    usmt_log.write_text(
        "2011-03-15 14:02:15, Info  [0x000000] usmt 15\r\n"
        "2011-03-15 14:02:35, Error [0x000000] usmt 35\r\n"
        "  continuation of 35\r\n"
    )
    indexes = [built(ccm_log), built(usmt_log)]
    assert host_bias(indexes) == 300
    view = merge(indexes)
    assert view is not None
    _check_merge(indexes, view)
    records = view.records(0, len(view))
    assert [r.message.split("\r")[0] for r in records] == [
        "ts 10",
        "usmt 15",
        "ts 20",
        "ts 30",
        "usmt 35",
        "ts 40",
    ]
    assert [r.source for r in records][:2] == ["smsts.log", "scanstate.log"]
    assert list(view.levels()) == [r.level for r in records]


def test_records_without_time_stay_after_their_predecessor(tmp_path: Path) -> None:
    a = tmp_path / "a.log"
    a.write_text(_ccm_at(10, "a10") + "stray text without time\r\n" + _ccm_at(50, "a50"))
    b = tmp_path / "b.log"
    b.write_text(_ccm_at(30, "b30"))
    indexes = [built(a), built(b)]
    view = merge(indexes)
    assert view is not None
    assert [r.message for r in view.records(0, 9)] == [
        "a10",
        "stray text without time",
        "b30",
        "a50",
    ]


def test_merge_of_a_sample_host(tmp_path: Path) -> None:
    opened = open_logs([ROOT / "sample_logs" / "WKS-XP-0311"])
    for index in opened.indexes:
        index.build()
    indexes = list(opened.indexes)
    assert len(indexes) >= 4
    view = merge(indexes)
    assert view is not None
    _check_merge(indexes, view)
    bias = host_bias(indexes)
    keys = [effective_keys(ix, bias) for ix in indexes]
    merged = [keys[s][i] for s, i in view.rows(0, len(view))]
    if all(list(k) == sorted(k) for k in keys):
        assert merged == sorted(merged)
    # Rows show their source, and records equal each log's own full parse.
    for s, index in enumerate(indexes):
        rows = [r for r, (src, _) in enumerate(view.rows(0, len(view))) if src == s]
        shown = [view.record(r) for r in rows]
        expected = [r for r in read_source(index.source) if isinstance(r, LogRecord)]
        assert shown == expected
        assert {r.source for r in shown} == {index.name}
