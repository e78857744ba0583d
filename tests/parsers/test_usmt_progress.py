"""USMT progress-log parser: ISO zone to bias/UTC, key/value pairs, levels, robustness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lineparser_support import assert_block_size_invariant, raw_text, run, semantic, utf16

from logscan.model import Level, RecordFlag, WarningCode
from logscan.parsers._progress_pairs import split_pairs
from logscan.parsers.base import get, sniff_format

# The real line quoted in log-formats.md §4.2, then lines in the documented key set.
_LOG = (
    b"15 Jan 2011, 20:46:21 -08:00, 00:04:48, totalPercentageCompleted, 48\r\n"
    b"15 Jan 2011, 20:41:33 -08:00, 00:00:00, program, ScanState.exe, productVersion, 6.1.7601\r\n"
    b"15 Jan 2011, 20:42:00 -08:00, 00:00:27, PHASE, Scanning\r\n"
    b"15 Jan 2011, 20:42:01 -08:00, 00:00:28, detectedUser, CORP\\jdoe, includedInMigration, Yes"
    b"\r\n"
)


def test_zone_offset_gives_bias_and_utc() -> None:
    records, warnings = run("usmt_progress", _LOG)
    assert warnings == []
    first = records[0]
    assert first.local_time == datetime(2011, 1, 15, 20, 46, 21)
    assert first.bias == 480  # Pacific standard time, written the Windows way
    assert first.utc == datetime(2011, 1, 16, 4, 46, 21, tzinfo=UTC)
    for record in records:
        assert record.local_time is not None and record.bias is not None
        assert record.utc == (record.local_time + timedelta(minutes=record.bias)).replace(
            tzinfo=UTC
        )
        assert record.component == "USMT progress" and record.level is Level.INFO
        assert raw_text(_LOG, record).endswith(record.message.split("=")[-1])
    assert first.message == "totalPercentageCompleted=48"
    assert dict(first.extras) == {"elapsed": "00:04:48", "totalPercentageCompleted": "48"}
    assert records[1].message == "program=ScanState.exe, productVersion=6.1.7601"
    assert records[3].extras["detectedUser"] == "CORP\\jdoe"


def test_east_of_greenwich_and_no_zone() -> None:
    raw = (
        b"08 Jun 2006, 14:50:42 +05:30, 00:00:01, PHASE, Initializing\r\n"
        b"08 Jun 2006, 14:50:42, 00:00:01, PHASE, Initializing\r\n"
    )
    (india, bare), warnings = run("usmt_progress", raw)
    assert warnings == []
    assert india.bias == -330
    assert india.utc == datetime(2006, 6, 8, 9, 20, 42, tzinfo=UTC)
    assert bare.local_time == datetime(2006, 6, 8, 14, 50, 42)
    assert bare.bias is None and bare.utc is None


@pytest.mark.parametrize(
    ("pairs", "level"),
    [
        (
            "error, UnableToCopy, objectName, C:\\x.pst, action, Ignore, errorCode, 32",
            Level.WARNING,
        ),
        ("error, UnableToApply, objectName, C:\\x.pst, action, Abort, errorCode, 5", Level.ERROR),
        ("error, UnableToAccessDevice", Level.ERROR),
        ("numberOfIgnoredErrors, 3", Level.WARNING),
        ("numberOfIgnoredErrors, 0", Level.INFO),
        ("PHASE, Applying", Level.INFO),
    ],
)
def test_levels(pairs: str, level: Level) -> None:
    (record,), _ = run("usmt_progress", f"08 Jun 2006, 14:50:42, 00:00:01, {pairs}\r\n".encode())
    assert record.level is level


def test_values_keep_their_commas() -> None:
    text = (
        'commandLine, "scanstate.exe \\\\srv\\store /i:a.xml,b.xml", '
        "objectName, C:\\Users\\a, b\\notes.txt, action, Ignore"
    )
    assert split_pairs(text) == [
        ("commandLine", '"scanstate.exe \\\\srv\\store /i:a.xml,b.xml"'),
        ("objectName", "C:\\Users\\a, b\\notes.txt"),
        ("action", "Ignore"),
    ]
    # Free text keeps its commas; a known key left without a value gets "".
    assert split_pairs("message, Copy failed, retrying") == [("message", "Copy failed, retrying")]
    assert split_pairs("PHASE, Scanning, action") == [("PHASE", "Scanning"), ("action", "")]


def test_off_grammar_lines_and_bad_values_are_warned() -> None:
    raw = (
        b"this is not a progress line\r\n"
        b"31 Feb 2006, 14:50:42, 00:00:01, PHASE, Scanning\r\n"
        b"08 Jun 2006, 14:50:42 +25:00, 00:00:01, PHASE, Scanning\r\n"
        b"\r\n"
    )
    (stray, bad_date, bad_zone), warnings = run("usmt_progress", raw)
    assert [(w.code, w.line) for w in warnings] == [
        (WarningCode.STRAY_TEXT, 1),
        (WarningCode.BAD_TIMESTAMP, 2),
        (WarningCode.BAD_BIAS, 3),
    ]
    assert stray.message == "this is not a progress line" and stray.local_time is None
    assert RecordFlag.BAD_TIME in bad_date.flags and bad_date.extras["PHASE"] == "Scanning"
    assert bad_zone.local_time == datetime(2006, 6, 8, 14, 50, 42)
    assert bad_zone.bias is None and bad_zone.utc is None


def test_sniff_block_boundaries_and_utf16() -> None:
    assert sniff_format(_LOG.decode()) == "usmt_progress"
    assert get("usmt_progress").sniff("2011-03-15 14:00:00, Info [0x000000] x\n") == 0.0
    assert_block_size_invariant("usmt_progress", _LOG)
    raw16 = utf16(_LOG)
    records16, warnings = run("usmt_progress", raw16)
    assert warnings == []
    assert [semantic(r) for r in records16] == [semantic(r) for r in run("usmt_progress", _LOG)[0]]
    assert [raw_text(raw16, r, "utf-16-le") for r in records16] == _LOG.decode().split("\r\n")[:4]
