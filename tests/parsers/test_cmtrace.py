"""CCM parser on real public logs (shared/real_logs) and on the reference's verbatim lines."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ccm_support import comparable, items, line_of, run, stream

from logscan.model import Level, LogFormat, LogRecord, RecordFlag, WarningCode
from logscan.parsers.base import get, sniff_format
from logscan.parsers.cmtrace import CcmParser

# Expected figures from shared/real_logs/README.md (counted there from byte patterns).
MICROSOFT = {
    "mdt-standalone_smsts.log": (881, {0: 579, 1: 300, 2: 1, 3: 1}),
    "cb-client_ccmsetup.log": (195, {0: 49, 1: 125, 2: 12, 3: 9}),
    "plaso_sccm_various.log": (10, None),
}


def _parse_file(path: Path) -> tuple[bytes, list[LogRecord], list[object]]:
    raw = path.read_bytes()
    records, warnings = run(raw)
    return raw, records, list(warnings)


@pytest.mark.parametrize("name", sorted(MICROSOFT))
def test_microsoft_logs_exact_counts_and_no_warnings(real_logs: Path, name: str) -> None:
    raw, records, warnings = _parse_file(real_logs / name)
    count, types = MICROSOFT[name]
    assert warnings == []
    assert len(records) == count
    # Independent cross-check: every record is closed by exactly one "]LOG]!><" tail.
    assert raw.count(b"]LOG]!><time=") == count
    if types is not None:
        assert dict(Counter(int(r.level) for r in records)) == types
    raw_types = Counter(int(t) for t in re.findall(rb'" type="(\d)"', raw))
    assert Counter(int(r.level) for r in records) == raw_types
    assert all(r.format is LogFormat.CCM and not r.flags - {RecordFlag.MULTILINE} for r in records)


@pytest.mark.parametrize("name", sorted(MICROSOFT))
def test_offsets_lines_and_messages_match_the_file_bytes(real_logs: Path, name: str) -> None:
    raw, records, _ = _parse_file(real_logs / name)
    for r in records:
        chunk = raw[r.offset : r.offset + r.length]
        assert chunk.startswith(b"<![LOG[") and chunk.endswith(b'">')
        assert chunk.decode("utf-8").startswith(f"<![LOG[{r.message}]LOG]!><time=")
        assert r.line == line_of(raw, r.offset)
        assert (RecordFlag.MULTILINE in r.flags) == bool(re.search(r"[\r\n]", r.message))


def test_mdt_smsts_bias_480_gives_utc_eight_hours_later(real_logs: Path) -> None:
    _, records, _ = _parse_file(real_logs / "mdt-standalone_smsts.log")
    assert {r.bias for r in records} == {480}
    for r in records:
        assert r.local_time is not None and r.utc is not None
        assert r.utc.tzinfo is UTC
        assert r.utc.replace(tzinfo=None) - r.local_time == timedelta(hours=8)
    first = records[0]
    assert (first.line, first.offset) == (1, 3)  # right after the UTF-8 BOM
    assert first.local_time == datetime(2019, 12, 6, 22, 55, 38, 363000)
    assert first.utc == datetime(2019, 12, 7, 6, 55, 38, 363000, tzinfo=UTC)
    assert (first.component, first.thread, first.level) == ("TSMBootstrap", 1876, Level.INFO)
    assert dict(first.extras) == {"file": "tslogging.cpp:1457"}
    errors = [r for r in records if r.level is Level.ERROR]
    assert [(e.message, e.component) for e in errors] == [
        ("Failed to create D:\\_SMSTaskSequence (3)", "TSManager")
    ]


def test_ccmsetup_two_digit_zero_bias_and_multiline_records(real_logs: Path) -> None:
    raw, records, _ = _parse_file(real_logs / "cb-client_ccmsetup.log")
    assert {r.bias for r in records} == {0}
    assert all(r.utc == r.local_time.replace(tzinfo=UTC) for r in records if r.local_time)
    multi = [r for r in records if RecordFlag.MULTILINE in r.flags]
    assert len(multi) == 4
    assert all("\r\n" in r.message for r in multi)
    # Records after a multi-line one are numbered by physical line, not by record.
    assert records[-1].line == line_of(raw, records[-1].offset) > len(records)
    failed = [r for r in records if "Failed to check url" in r.message]
    assert failed[0].level is Level.ERROR
    assert failed[0].local_time == datetime(2020, 2, 4, 15, 10, 36, 364000)


def test_plaso_negative_bias_seven_digit_fraction_unpadded_date(real_logs: Path) -> None:
    _, records, _ = _parse_file(real_logs / "plaso_sccm_various.log")
    first = records[0]
    # -330 (India, UTC+5:30): UTC is 5.5 hours EARLIER than local time.
    assert first.message.startswith("+++ Starting Install enforcement")
    assert first.bias == -330
    assert first.local_time == datetime(2014, 11, 28, 19, 33, 19, 766000)
    assert first.utc == datetime(2014, 11, 28, 14, 3, 19, 766000, tzinfo=UTC)
    dotnet = [r for r in records if r.component == "SCClient"]
    assert len(dotnet) == 2
    # 10:22:50.8422964: .NET ticks truncated to microseconds; no bias -> no UTC.
    assert dotnet[0].local_time == datetime(2015, 1, 2, 10, 22, 50, 842296)
    assert (dotnet[0].bias, dotnet[0].utc, dotnet[0].level) == (None, None, Level.VERBOSE)
    assert dict(dotnet[0].extras) == {}  # file="" is legitimately empty
    assert all(RecordFlag.MULTILINE in r.flags for r in dotnet)
    assert dotnet[0].message.startswith("Event object details:\r\ninstance of CCM_InstanceEvent")
    assert dotnet[0].message.endswith(
        "(Microsoft.SoftwareCenter.Client.Data.Widget at Thingamabob)"
    )
    assert {r.bias for r in records} == {-330, 480, None}


def test_thirdparty_helloworld_six_records_with_warnings(real_logs: Path) -> None:
    _, records, warnings = _parse_file(real_logs / "malformed-thirdparty_helloworld.log")
    assert len(records) == 6
    by_line = Counter(w.line for w in warnings)
    assert sorted(by_line) == [r.line for r in records]  # every record has a warning
    codes = Counter(w.code for w in warnings)
    assert codes == {
        WarningCode.BAD_ATTRIBUTE: 6,  # file=helloworld.log""
        WarningCode.BAD_THREAD: 3,  # thread is a source path
        WarningCode.UNKNOWN_ATTRIBUTE: 1,  # source="..."
    }
    first, last = records[0], records[-1]
    assert first.thread is None
    assert first.extras["thread"].endswith("main.go 15")
    assert first.extras["file"] == "helloworld.log"
    assert first.extras["context"] == "hello World"
    assert (first.bias, first.utc) == (None, None)  # no bias written
    assert first.local_time == datetime(2022, 11, 24, 13, 22, 31, 868388)
    assert [r.level for r in records] == [Level.INFO, Level.WARNING] + [Level.ERROR] * 4
    assert last.thread == 14
    assert last.local_time == datetime(2022, 11, 24, 13, 37, 11, 19330)  # 5-digit fraction
    assert last.extras["source"].endswith("main.go")


def test_kb977203_reconstructed_line() -> None:
    line = (
        b"<![LOG[Failed to import client certificate store (0x80092024)]LOG]!>"
        b'<time="14:02:11.123+300" date="03-15-2011" component="OSDSMPClient" context="" '
        b'type="3" thread="2212" file="smpclient.cpp:1114">\r\n'
    )
    records, warnings = run(line)
    assert warnings == []
    [r] = records
    assert r.message == "Failed to import client certificate store (0x80092024)"
    assert (r.component, r.level, r.thread) == ("OSDSMPClient", Level.ERROR, 2212)
    assert r.local_time == datetime(2011, 3, 15, 14, 2, 11, 123000)
    assert r.bias == 300  # US Eastern standard time: UTC = local + 5 h
    assert r.utc == datetime(2011, 3, 15, 19, 2, 11, 123000, tzinfo=UTC)
    assert dict(r.extras) == {"file": "smpclient.cpp:1114"}
    assert (r.offset, r.length) == (0, len(line) - 2)


def test_mdt_script_dialect_empty_thread_and_three_digit_zero_bias() -> None:
    line = (
        b"<![LOG[Property inifile is now = Bootstrap.ini]LOG]!>"
        b'<time="14:51:55.000+000" date="02-20-2024" component="ZTIGather" context="" '
        b'type="1" thread="" file="ZTIGather">\r\n'
    )
    records, warnings = run(line)
    assert warnings == []
    [r] = records
    assert (r.thread, r.bias, r.component) == (None, 0, "ZTIGather")
    assert r.utc == datetime(2024, 2, 20, 14, 51, 55, tzinfo=UTC)
    assert dict(r.extras) == {"file": "ZTIGather"}


def test_reference_multiline_with_bare_lf_and_bare_cr() -> None:
    lf = (
        b"<![LOG[Failed to save the current environment block.\n"
        b"The parameter is incorrect. (Error: 80070057; Source: Windows)]LOG]!>"
        b'<time="16:53:52.899+480" date="02-07-2024" component="TSManager" context="" '
        b'type="3" thread="1328" file="executionenv.cxx:836">\r\n'
    )
    cr = (
        b"<![LOG[  Console > \r    0 percent completed\r  100 percent completed]LOG]!>"
        b'<time="16:53:59.000+000" date="02-07-2024" component="ZTIDiskpart" context="" '
        b'type="1" thread="" file="ZTIDiskpart">\r\n'
    )
    raw = lf + cr + lf
    records, warnings = run(raw)
    assert warnings == []
    assert [r.line for r in records] == [1, 3, 6]
    assert records[0].message.count("\n") == 1 and "\r" not in records[0].message
    assert records[1].message == "  Console > \r    0 percent completed\r  100 percent completed"
    assert all(RecordFlag.MULTILINE in r.flags for r in records)
    assert [line_of(raw, r.offset) for r in records] == [r.line for r in records]


def test_sniff_and_registry() -> None:
    parser = get("ccm")
    assert isinstance(parser, CcmParser)
    head = '<![LOG[x]LOG]!><time="10:20:57.476+240" date="10-18-2019" component="a">\r\n'
    assert parser.sniff(head) >= 0.9
    assert parser.sniff("ding file]LOG]!><time=...") >= 0.5  # starts with a torn record
    assert parser.sniff("<![LOG[" + "x" * 100) >= 0.3  # first record longer than the head
    assert parser.sniff("2018-04-20 09:26:17, Info   [0x000000] hi") == 0.0
    assert sniff_format(head) is LogFormat.CCM


def test_source_name_is_carried() -> None:
    raw = (
        b'<![LOG[a]LOG]!><time="1:02:03.004+0" date="1/2/2020" component="c" context="" '
        b'type="2" thread="7" file="">'
    )
    items = list(CcmParser().parse(stream(raw, source="host1/smsts.log")))
    [r] = items
    assert r.source == "host1/smsts.log"
    assert (r.local_time, r.bias, r.level) == (
        datetime(2020, 1, 2, 1, 2, 3, 4000),
        0,
        Level.WARNING,
    )


@pytest.mark.parametrize("name", [*sorted(MICROSOFT), "malformed-thirdparty_helloworld.log"])
def test_fast_path_and_by_name_path_agree(
    real_logs: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = (real_logs / name).read_bytes()
    fast = comparable(items(raw))
    from logscan.parsers import cmtrace

    monkeypatch.setattr(cmtrace, "_FAST", re.compile(rb"(?!)"))  # matches nothing
    assert comparable(items(raw)) == fast
