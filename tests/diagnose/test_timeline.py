"""The migration timeline: UTC order across logs, USMT local time placed with the host's
bias of that moment, one entry per record, unplaced entries last."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from logscan.diagnose.model import Placement, TimelineKind
from logscan.diagnose.timeline import BiasPlacer, build_timeline
from logscan.model import Level, LogFormat, LogRecord
from logscan.rules.model import Hit


def _ccm(rule: str, utc: datetime, bias: int, line: int, message: str = "m") -> Hit:
    local = (utc - timedelta(minutes=bias)).replace(tzinfo=None)
    record = LogRecord(
        "smsts.log",
        line,
        0,
        1,
        local,
        bias,
        Level.INFO,
        "TSManager",
        1,
        message,
        LogFormat.CCM,
    )
    return Hit(rule, record, details=message)


def _usmt(rule: str, local: datetime, line: int, rc: str = "0") -> Hit:
    record = LogRecord(
        "scanstate.log",
        line,
        0,
        1,
        local,
        None,
        Level.INFO,
        "ScanState",
        None,
        f"ScanState return code: {rc}",
        LogFormat.USMT,
    )
    return Hit(rule, record, captures={"rc": rc}, details=f"ScanState returned {rc}")


T0 = datetime(2011, 3, 15, 14, 0, tzinfo=UTC)


def test_usmt_local_time_takes_the_bias_of_its_moment() -> None:
    full_os = _ccm("timeline.smsts.step_started", T0, 300, 10)  # local 09:00
    winpe = _ccm("timeline.smsts.step_started", T0 + timedelta(hours=2), 480, 90)  # local 08:00
    placer = BiasPlacer([full_os, winpe])
    # 09:05 local is 14:05 UTC at +300 (5 min from a +300 record) or 17:05 at +480.
    assert placer.place(datetime(2011, 3, 15, 9, 5)) == T0 + timedelta(minutes=5)
    # 08:10 local is 16:10 at +480 (10 min from the WinPE record) or 13:10 at +300.
    assert placer.place(datetime(2011, 3, 15, 8, 10)) == T0 + timedelta(hours=2, minutes=10)


def test_timeline_merges_logs_by_utc_and_lists_unplaced_last() -> None:
    hits = [
        _ccm("kb977203.osdsmpclient.import_failure", T0 + timedelta(minutes=10), 300, 50),
        _usmt("timeline.usmt.return_code", datetime(2011, 3, 15, 9, 5), 20),
        _ccm("timeline.smsts.step_started", T0, 300, 10),
    ]
    timeline = build_timeline(hits)
    assert [(t.path, t.line) for t in timeline] == [
        ("smsts.log", 10),
        ("scanstate.log", 20),
        ("smsts.log", 50),
    ]
    assert timeline[1].placement is Placement.HOST_BIAS
    assert timeline[2].kind is TimelineKind.FAILURE
    alone = build_timeline([_usmt("timeline.usmt.return_code", datetime(2011, 3, 15, 9, 5), 20)])
    assert [(t.placement, t.utc) for t in alone] == [(Placement.UNPLACED, None)]


def test_one_entry_per_record_under_its_most_specific_kind() -> None:
    same = [
        _ccm("timeline.smsts.step_failed", T0, 300, 30, "Failed to run the action: X."),
        _ccm(
            "kb977203.smsts.state_migration_step_failed",
            T0,
            300,
            30,
            "Failed to run the action: X.",
        ),
    ]
    [entry] = build_timeline(same)
    assert entry.kind is TimelineKind.FAILURE


def test_rules_outside_the_timeline_are_left_out() -> None:
    assert build_timeline([_ccm("host.smsts.machine_name", T0, 300, 1)]) == ()
