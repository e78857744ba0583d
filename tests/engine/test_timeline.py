"""Merging one host's logs by UTC: bias applied, local-only logs placed, order kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from logscan.engine.timeline import host_bias, merge_by_utc, utc_of
from logscan.model import Level, LogFormat, LogRecord


def rec(
    src: str, line: int, local: datetime | None, bias: int | None, fmt: LogFormat = LogFormat.CCM
) -> LogRecord:
    return LogRecord(src, line, 0, 0, local, bias, Level.INFO, "c", None, f"{src}:{line}", fmt)


def test_ccm_and_usmt_interleave_by_host_bias() -> None:
    t = datetime(2011, 3, 15, 14, 0, 0)
    ccm = [rec("smsts.log", i, t + timedelta(minutes=i * 10), 300) for i in range(4)]
    # USMT writes local time only; 14:15 local sits between the 14:10 and 14:20 CCM records.
    usmt = [rec("scanstate.log", 1, t + timedelta(minutes=15), None, LogFormat.USMT)]
    bias = host_bias(ccm)
    assert bias == 300
    merged = [r.message for r in merge_by_utc([ccm, usmt], bias=bias)]
    assert merged == [
        "smsts.log:0",
        "smsts.log:1",
        "scanstate.log:1",
        "smsts.log:2",
        "smsts.log:3",
    ]


def test_bias_sign_is_utc_equals_local_plus_bias() -> None:
    local = datetime(2011, 3, 15, 14, 0, 0)
    r = rec("x", 1, local, None, LogFormat.USMT)
    assert utc_of(r, 300) == datetime(2011, 3, 15, 19, 0, tzinfo=UTC)
    assert utc_of(r, -330) == datetime(2011, 3, 15, 8, 30, tzinfo=UTC)
    assert utc_of(r, None) is None


def test_untimed_records_stay_with_their_neighbours() -> None:
    t = datetime(2011, 3, 15, 14, 0, 0)
    a = [rec("a", 1, t, 0), rec("a", 2, None, None), rec("a", 3, t + timedelta(hours=2), 0)]
    b = [rec("b", 1, t + timedelta(hours=1), 0)]
    assert [r.message for r in merge_by_utc([a, b])] == ["a:1", "a:2", "b:1", "a:3"]


def test_time_going_backwards_inside_a_file_keeps_file_order() -> None:
    t = datetime(2011, 3, 15, 14, 0, 0)
    a = [rec("a", 1, t + timedelta(hours=1), 0), rec("a", 2, t, 0)]
    assert [r.message for r in merge_by_utc([a])] == ["a:1", "a:2"]
