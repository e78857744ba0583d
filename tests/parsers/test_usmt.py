"""USMT ScanState/LoadState/UsmtUtils parser: the real USMT 10 log and crafted cases."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from lineparser_support import assert_block_size_invariant, raw_text, run, semantic, utf16

from logscan.model import Level, RecordFlag, WarningCode
from logscan.parsers.base import get, sniff_format

SCANSTATE = "usmt10_scanstate.log"
# Independent of the parser: a record starts with a stamp, possibly after a re-written BOM.
_STAMP = re.compile(
    rb"(?m)^(?:\xef\xbb\xbf)?(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d), (Info|Warning|Error) +"
    rb"\[(0x[0-9a-f]{6})\] "
)


def _line(stamp: str, level: str, message: str, code: str = "0x000000") -> str:
    return f"{stamp}, {level:<22}[{code}] {message}\r\n"


def test_real_scanstate_records_match_the_stamped_lines(real_logs: Path) -> None:
    raw = (real_logs / SCANSTATE).read_bytes()
    records, warnings = run("usmt", raw, source=SCANSTATE)
    assert warnings == []
    expected = list(_STAMP.finditer(raw))
    assert len(records) == len(expected) == 69
    for record, m in zip(records, expected, strict=True):
        assert record.local_time == datetime.fromisoformat(m[1].decode())
        assert record.level is {b"Info": Level.INFO, b"Warning": Level.WARNING}.get(
            m[2], Level.ERROR
        )
        assert record.extras["code"] == m[3].decode()
        assert raw[record.offset : record.offset + 19] == m[1]  # mid-file BOM skipped
        assert record.bias is None and record.utc is None
        assert record.component == "ScanState"
        assert record.extras["run"] == "1"
        assert record.message in raw_text(raw, record)


def test_real_scanstate_details(real_logs: Path) -> None:
    raw = (real_logs / SCANSTATE).read_bytes()
    records, _ = run("usmt", raw, source="evidence/any-name.log")  # program from the log
    first = records[0]
    assert (first.line, first.offset) == (1, 3)
    assert first.message == "SCANSTATE.EXE Version 10.0.10586.0"
    assert first.extras["gle"] == "0x000000b7" and first.component == "ScanState"
    assert [r.line for r in records if RecordFlag.RUN_START in r.flags] == [2]
    host = next(r for r in records if r.message.startswith("Host system information:"))
    # The first break of the block is a bare LF inside the CRLF file; both are kept.
    assert host.message.startswith("Host system information:\n" + " " * 35 + "OS version")
    assert "x64\r\n" in host.message
    assert host.message.endswith("Processor clock : 2904")  # trailing blank line not kept
    assert host.flags == {RecordFlag.MULTILINE}
    assert raw_text(raw, host).endswith("Processor clock : 2904")
    system = next(r for r in records if r.message.startswith("System information:"))
    assert "Architecture: 64-bit\r\n\n" in system.message  # a blank line inside a block stays
    errors = [r for r in records if r.level is Level.ERROR]
    assert len(errors) == len(re.findall(rb", Error +\[", raw))
    assert records[-1].message == "No error in migration process is recorded."


def test_real_scanstate_sniff_blocks_and_utf16(real_logs: Path) -> None:
    raw = (real_logs / SCANSTATE).read_bytes()
    assert sniff_format(raw.decode("utf-8-sig")) == "usmt"
    assert_block_size_invariant("usmt", raw, SCANSTATE)
    raw16 = utf16(raw)
    records16, warnings = run("usmt", raw16, source=SCANSTATE)
    records8, _ = run("usmt", raw, source=SCANSTATE)
    assert warnings == []
    assert [semantic(r) for r in records16] == [semantic(r) for r in records8]
    for record in records16:
        assert record.message in raw_text(raw16, record, "utf-16-le")


def test_web_copy_with_collapsed_level_column() -> None:
    raw = (
        b"2009-09-14 15:41:19, Info [0x000000] Downlevel Manifests folder is not present.\r\n"
        b"2009-09-14 15:41:20, Warning [0x08092b] Something odd\r\n"
    )
    (info, warning), warnings = run("usmt", raw)
    assert warnings == []
    assert info.message == "Downlevel Manifests folder is not present."
    assert info.level is Level.INFO and warning.level is Level.WARNING
    assert warning.extras["code"] == "0x08092b"


def test_usmt3_trimmed_log_without_stamps() -> None:
    raw = (
        b'Error                 [0x0802e9] CopyStream: Can\'t copy streams from {"C:\\dvd.iso"}'
        b' to {"733"} object. Error 112.\r\n'
        b"enum Mig::SendObjectResult __thiscall Mig::CMediaManager::SendObjectInternal(int)\r\n"
        b"Error                 [0x000000] Unable to Complete Migration. MigDoMigration Failed= 0x4"
        b"\r\n"
    )
    (copy, final), warnings = run("usmt", raw, source="scanstate.log")
    assert warnings == []
    assert copy.level is Level.ERROR and copy.local_time is None
    assert copy.message.endswith(
        "Error 112.\r\nenum Mig::SendObjectResult __thiscall "
        "Mig::CMediaManager::SendObjectInternal(int)"
    )
    assert RecordFlag.MULTILINE in copy.flags and copy.extras["code"] == "0x0802e9"
    assert final.line == 3 and final.extras["run"] == "0"
    assert get("usmt").sniff(raw.decode()) >= 0.5


def test_appended_runs_are_numbered_and_programs_follow_the_version_line() -> None:
    raw = "".join(
        [
            _line("2011-03-15 14:00:00", "Info", "SCANSTATE.EXE Version 6.1.7601.0"),
            _line("2011-03-15 14:00:00", "Info", "USMT Started at 2011/03/15:14:00:00.100"),
            _line("2011-03-15 14:05:00", "Info", "ScanState return code: 0"),
            _line("2011-03-15 15:00:00", "Info", "USMT Started at 2011/03/15:15:00:00.100"),
            _line("2011-03-15 15:00:01", "Error", "Failed to open store"),
            _line("2011-03-16 09:00:00", "Info", "LOADSTATE.EXE Version 6.1.7601.0"),
            _line("2011-03-16 09:00:00", "Info", "USMT Started at 2011/03/16:09:00:00.100"),
            _line("2011-03-16 09:10:00", "Info", "LoadState return code: 38"),
        ]
    ).encode()
    records, warnings = run("usmt", raw, source="C:\\Windows\\CCM\\Logs\\usmt.log")
    assert warnings == []
    assert [r.extras["run"] for r in records] == ["1", "1", "1", "2", "2", "3", "3", "3"]
    assert [r.line for r in records if RecordFlag.RUN_START in r.flags] == [2, 4, 7]
    assert [r.component for r in records] == ["ScanState"] * 5 + ["LoadState"] * 3
    assert records[2].extras["return_code"] == "0"
    assert records[7].extras["return_code"] == "38"
    assert "return_code" not in records[0].extras


def test_records_before_any_run_start_are_run_zero() -> None:
    raw = (
        _line("2011-03-15 14:00:00", "Info", "Processing").encode()
        + _line("2011-03-15 14:00:01", "Info", "USMT Started at 2011/03/15:14:00:01.000").encode()
    )
    records, _ = run("usmt", raw)
    assert [r.extras["run"] for r in records] == ["0", "1"]


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("UsmtUtils return code: 0", "0"),
        ("USMT returned exit code (0x00000026). Look USMT log file", "38"),
        ("Process completed with exit code 2", "2"),
        ("return code unknown", None),
    ],
)
def test_return_code_extraction(message: str, code: str | None) -> None:
    (record,), _ = run("usmt", _line("2011-03-15 14:00:00", "Info", message).encode())
    assert record.extras.get("return_code") == code


@pytest.mark.parametrize(
    ("source", "component"),
    [
        ("C:\\_SMSTaskSequence\\Logs\\SMSTSLog\\LoadState.log", "LoadState"),
        ("bundle.zip!SMSTSLog/usmtutils.log", "UsmtUtils"),
        ("migration.log", "USMT"),
    ],
)
def test_component_from_file_name(source: str, component: str) -> None:
    (record,), _ = run("usmt", _line("2011-03-15 14:00:00", "Info", "x").encode(), source=source)
    assert record.component == component


def test_text_before_the_first_record_is_kept_as_truncated() -> None:
    raw = (
        b"   continuation of a record whose start was lost\r\n"
        b"   more of it\r\n" + _line("2011-03-15 14:00:00", "Info", "next").encode()
    )
    (orphan, nxt), warnings = run("usmt", raw)
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.STRAY_TEXT, 1)]
    assert orphan.flags == {RecordFlag.TRUNCATED, RecordFlag.MULTILINE}
    assert orphan.local_time is None and orphan.message.endswith("more of it")
    assert nxt.line == 3


def test_unknown_level_and_impossible_time_are_warned() -> None:
    raw = (
        b"2011-03-15 14:00:00, Status                [0x000000] odd level with error text\r\n"
        b"2011-13-45 14:00:00, Info                  [0x000000] bad date\r\n"
        b"2011-03-15 14:00:02, no level at all\r\n"
    )
    (odd, bad, bare), warnings = run("usmt", raw)
    assert [(w.code, w.line) for w in warnings] == [
        (WarningCode.BAD_LEVEL, 1),
        (WarningCode.BAD_TIMESTAMP, 2),
        (WarningCode.BAD_LEVEL, 3),
    ]
    assert odd.level is Level.ERROR  # inferred from the text
    assert bad.local_time is None and RecordFlag.BAD_TIME in bad.flags
    assert bad.message == "bad date" and bad.level is Level.INFO
    assert bare.message == "no level at all"


def test_blank_lines_between_records_belong_to_none() -> None:
    raw = (
        _line("2011-03-15 14:00:00", "Info", "block:")
        + "    item one\r\n\r\n    item two\r\n\r\n\r\n"
        + _line("2011-03-15 14:00:01", "Info", "next")
    ).encode()
    (block, nxt), warnings = run("usmt", raw)
    assert warnings == []
    assert block.message == "block:\r\n    item one\r\n\r\n    item two"
    assert raw_text(raw, block).endswith("item two")
    assert nxt.line == 7
    assert_block_size_invariant("usmt", raw)


def test_runaway_continuation_is_capped() -> None:
    raw = (
        _line("2011-03-15 14:00:00", "Info", "huge:").encode()
        + (b"    " + b"y" * 60 + b"\r\n") * 20000  # 1.3 MB of continuation
        + _line("2011-03-15 14:00:01", "Info", "after").encode()
    )
    (huge, after), warnings = run("usmt", raw)
    assert [w.code for w in warnings] == [WarningCode.OVERSIZE_RECORD]
    assert RecordFlag.OVERSIZE in huge.flags
    assert len(huge.message.encode()) <= 1 << 20
    assert huge.offset + huge.length == raw.index(b"\r\n2011-03-15 14:00:01")
    assert after.message == "after"
