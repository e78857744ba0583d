"""CMTrace clipboard text: the KB977203 and KB2269650 lines, full rows, tabs, sniffing."""

from __future__ import annotations

from datetime import datetime

import pytest
from lineparser_support import assert_block_size_invariant, raw_text, run, semantic, utf16

from logscan.model import Level, RecordFlag, WarningCode
from logscan.parsers.base import get, sniff_format
from logscan.parsers.cmtrace_copy import looks_like_component

KB977203 = b"Failed to import client certificate store (0x80092024) OSDSMPClient\r\n"
KB2269650 = (
    b"Process completed with exit code 38 OSDUSMT\r\n"
    b"USMT completed with exit code 38 OSDUSMT\r\n"
    b"USMT returned exit code (0x00000026). Look USMT log file\r\n"
)
TECHNET = (
    b"Created package transfer job to send package ABC00012 to distribution point "
    b"SERVER01 SMS_DISTRIBUTION_MANAGER 1/14/2012 4:06:47 AM 5720 (0x1658)\r\n"
)


def test_kb977203_line() -> None:
    (record,), warnings = run("cmtrace_copy", KB977203)
    assert warnings == []
    assert record.message == "Failed to import client certificate store (0x80092024)"
    assert record.component == "OSDSMPClient"
    assert record.level is Level.ERROR
    assert record.local_time is None and record.thread is None
    assert raw_text(KB977203, record) == KB977203.decode().rstrip()


def test_kb2269650_osdusmt_lines() -> None:
    records, warnings = run("cmtrace_copy", KB2269650)
    assert warnings == []
    assert [(r.message, r.component) for r in records] == [
        ("Process completed with exit code 38", "OSDUSMT"),
        ("USMT completed with exit code 38", "OSDUSMT"),
        ("USMT returned exit code (0x00000026). Look USMT log file", ""),
    ]
    assert [r.line for r in records] == [1, 2, 3]


def test_full_row_with_time_and_thread() -> None:
    (record,), warnings = run("cmtrace_copy", TECHNET)
    assert warnings == []
    assert record.component == "SMS_DISTRIBUTION_MANAGER"
    assert record.message.endswith("distribution point SERVER01")
    assert record.local_time == datetime(2012, 1, 14, 4, 6, 47)
    assert record.thread == 5720 and record.bias is None and record.utc is None


@pytest.mark.parametrize(
    ("clock", "hour"),
    [("12:05:00 AM", 0), ("12:05:00 PM", 12), ("4:05:00 PM", 16), ("16:05:00", 16)],
)
def test_twelve_and_twenty_four_hour_clocks(clock: str, hour: int) -> None:
    line = f"Step done\tTSManager\t3/15/2011 {clock}\t1234 (0x4D2)\r\n".encode()
    (record,), warnings = run("cmtrace_copy", line)
    assert warnings == []
    assert record.local_time == datetime(2011, 3, 15, hour, 5, 0)
    assert (record.message, record.component, record.thread) == ("Step done", "TSManager", 1234)


def test_lower_case_component_is_found_by_the_time_column() -> None:
    (record,), _ = run("cmtrace_copy", b"Raising event  execmgr  3/15/2011 2:02:05 PM  88 (0x58)\n")
    assert record.component == "execmgr" and record.message == "Raising event"


def test_impossible_times_and_thread_mismatch_are_warned() -> None:
    raw = (
        b"x OSDSMPClient 13/45/2011 1:00:00 AM 1 (0x1)\r\n"
        b"y OSDSMPClient 3/15/2011 13:00:00 PM 1 (0x1)\r\n"
        b"z OSDSMPClient 3/15/2011 1:00:00 PM 10 (0x1)\r\n"
    )
    records, warnings = run("cmtrace_copy", raw)
    assert [(w.code, w.line) for w in warnings] == [
        (WarningCode.BAD_TIMESTAMP, 1),
        (WarningCode.BAD_TIMESTAMP, 2),
        (WarningCode.BAD_THREAD, 3),
    ]
    assert [RecordFlag.BAD_TIME in r.flags for r in records] == [True, True, False]
    assert records[2].thread == 10


@pytest.mark.parametrize(
    "word",
    [
        "OSDSMPClient",
        "SMS_DISTRIBUTION_MANAGER",
        "TSManager",
        "OSDUSMT",
        "CcmExec",
        "PolicyAgent_ReplyAssignments",
        "SMS_EXECUTIVE",
    ],
)
def test_component_like_words(word: str) -> None:
    assert looks_like_component(word)


@pytest.mark.parametrize(
    "word", ["ERROR", "FAILED", "USMT", "Client", "file", "(0x80092024)", "store.", "OK", "TS1"]
)
def test_words_that_are_not_components(word: str) -> None:
    assert not looks_like_component(word)


def test_sniff_is_modest_and_needs_most_lines_to_fit() -> None:
    parser = get("cmtrace_copy")
    ticket = (KB977203 + KB2269650 + TECHNET).decode()
    assert 0.3 <= parser.sniff(ticket) <= 0.5
    assert sniff_format(KB977203.decode()) == "cmtrace_copy"
    prose = "The migration failed last night.\nWe rebooted the machine.\nIt worked.\n"
    assert parser.sniff(prose) == 0.0
    assert sniff_format(prose) == "plain"


def test_block_boundaries_and_utf16() -> None:
    raw = KB977203 + b"\r\n" + KB2269650 + TECHNET.replace(b"SERVER01", "SÉRVER01".encode())
    assert_block_size_invariant("cmtrace_copy", raw)
    raw16 = utf16(raw)
    records16, warnings = run("cmtrace_copy", raw16)
    assert warnings == []
    assert [semantic(r) for r in records16] == [semantic(r) for r in run("cmtrace_copy", raw)[0]]
    for record in records16:
        assert record.message in raw_text(raw16, record, "utf-16-le")
