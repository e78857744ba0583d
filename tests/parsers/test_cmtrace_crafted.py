"""CCM parser on crafted input: every anomaly of reference/log-formats.md sections 1 and 7."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ccm_support import line_of, rec, run

from logscan.model import Level, RecordFlag, WarningCode

DATA = Path(__file__).resolve().parent.parent / "data" / "cmtrace"


def codes(warnings: list[object]) -> list[WarningCode]:
    return [w.code for w in warnings]  # type: ignore[attr-defined]


def test_file_starting_mid_record_gives_a_truncated_fragment() -> None:
    raw = (DATA / "starts_mid_record.log").read_bytes()
    records, warnings = run(raw)
    assert len(records) == 2
    torn, whole = records
    assert torn.flags == {RecordFlag.TRUNCATED}
    assert torn.message.startswith("ding file /SMS_DP_SMSPKG$") and torn.message.endswith(
        "0-455847"
    )
    assert (torn.component, torn.thread, torn.level) == ("RunPowerShellScript", 1100, Level.INFO)
    assert torn.utc == datetime(2019, 10, 18, 14, 19, 30, 535000, tzinfo=UTC)
    assert (torn.offset, torn.line) == (0, 1)
    assert raw[torn.offset : torn.offset + torn.length].endswith(b'file="main.cpp:31">')
    assert whole.flags == frozenset() and whole.line == 2
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.TORN_RECORD, 1)]


def test_torn_fragment_between_records_is_never_glued_to_the_previous_one() -> None:
    raw = (
        rec("first message")
        + 'ding file b.dll range 0-1]LOG]!><time="10:19:30.535+240" date="10-18-2019" '
        'component="RunPowerShellScript" context="" type="1" thread="1100" file="main.cpp:31">\r\n'
        + rec("third message")
    ).encode()
    records, warnings = run(raw)
    assert [r.message for r in records] == [
        "first message",
        "ding file b.dll range 0-1",
        "third message",
    ]
    assert [r.flags for r in records] == [set(), {RecordFlag.TRUNCATED}, set()]
    assert [r.line for r in records] == [1, 2, 3]
    assert codes(warnings) == [WarningCode.TORN_RECORD]
    assert raw[records[1].offset : records[1].offset + 9] == b"ding file"


def test_multiline_torn_fragment_keeps_all_its_lines_and_indent() -> None:
    raw = (
        rec("a") + "\r\n    tail of a\r\n  dump]LOG]!>" + rec("x")[len("<![LOG[x]LOG]!>") :]
    ).encode()
    records, warnings = run(raw)
    assert [r.message for r in records] == ["a", "    tail of a\r\n  dump"]
    assert records[1].flags == {RecordFlag.TRUNCATED, RecordFlag.MULTILINE}
    assert records[1].line == 3 == line_of(raw, records[1].offset)
    assert codes(warnings) == [WarningCode.TORN_RECORD]


def test_unclosed_record_at_end_of_file() -> None:
    raw = (rec("ok") + "<![LOG[writer died here\r\nhalf a line").encode()
    records, warnings = run(raw)
    assert len(records) == 2
    cut = records[1]
    assert cut.message == "writer died here\r\nhalf a line"
    assert cut.flags == {RecordFlag.UNCLOSED, RecordFlag.MULTILINE}
    assert (cut.local_time, cut.utc, cut.bias, cut.component) == (None, None, None, "")
    assert raw[cut.offset : cut.offset + cut.length] == b"<![LOG[writer died here\r\nhalf a line"
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.UNCLOSED_RECORD, 2)]


def test_unclosed_record_before_the_next_record() -> None:
    raw = ("<![LOG[never closed  \r\n" + rec("next")).encode()
    records, warnings = run(raw)
    assert [r.message for r in records] == ["never closed", "next"]
    assert records[0].flags == {RecordFlag.UNCLOSED}
    assert records[0].length == len("<![LOG[never closed")
    assert records[1].flags == frozenset() and records[1].line == 2
    assert codes(warnings) == [WarningCode.UNCLOSED_RECORD]


def test_stray_text_is_warned_and_kept_as_a_stray_record() -> None:
    raw = (rec("a") + "\r\n  <MAXIMUM LOG FILE SIZE REACHED>  \r\n\r\n" + rec("b")).encode()
    records, warnings = run(raw)
    assert [r.message for r in records] == ["a", "  <MAXIMUM LOG FILE SIZE REACHED>", "b"]
    stray = records[1]
    assert stray.flags == {RecordFlag.STRAY}
    assert (stray.line, stray.local_time, stray.level) == (3, None, Level.INFO)
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.STRAY_TEXT, 3)]


def test_blank_lines_and_spaces_between_records_are_not_stray() -> None:
    raw = (" \r\n" + rec("a") + "\r\n\t \n\r" + rec("b") + "   ").encode()
    records, warnings = run(raw)
    assert warnings == []
    assert [(r.message, r.line) for r in records] == [("a", 2), ("b", 6)]


def test_attributes_in_another_order_and_missing_ones() -> None:
    records, warnings = run((DATA / "attributes_reordered_and_missing.log").read_bytes())
    assert warnings == []
    moved, sparse = records
    assert moved.local_time == datetime(2019, 10, 18, 10, 19, 30, 535000)
    assert moved.utc == datetime(2019, 10, 18, 14, 19, 30, 535000, tzinfo=UTC)
    assert (moved.level, moved.component, moved.thread) == (Level.WARNING, "Custom", 42)
    assert dict(moved.extras) == {"file": "x.ps1:3"}
    # 09:05:07-300: no fraction, bias -300 (UTC+5); type missing -> info.
    assert sparse.local_time == datetime(2026, 7, 23, 9, 5, 7)
    assert sparse.utc == datetime(2026, 7, 23, 4, 5, 7, tzinfo=UTC)
    assert (sparse.level, sparse.component, sparse.thread) == (Level.INFO, "Sample", 5)
    assert dict(sparse.extras) == {}


def test_missing_time_is_a_timestamp_warning() -> None:
    raw = b'<![LOG[m]LOG]!><date="10-18-2019" component="C" type="1">\r\n'
    [r], warnings = run(raw)
    assert (r.local_time, r.utc) == (None, None)
    assert codes(warnings) == [WarningCode.BAD_TIMESTAMP]
    assert "no time attribute" in warnings[0].message


@pytest.mark.parametrize(
    ("time", "date", "local", "bias"),
    [
        ("10:20:57.476+240", "10-18-2019", datetime(2019, 10, 18, 10, 20, 57, 476000), 240),
        ("1:02:03.4-60", "1-2-2015", datetime(2015, 1, 2, 1, 2, 3, 400000), -60),
        ("23:59:59.1234567+00", "12/31/1999", datetime(1999, 12, 31, 23, 59, 59, 123456), 0),
        ("08:06:34.590-660", "09-02-2016", datetime(2016, 9, 2, 8, 6, 34, 590000), -660),
        ("13:22:31.868388", "11-24-2022", datetime(2022, 11, 24, 13, 22, 31, 868388), None),
        ("09:05:07+5", "7-23-2026", datetime(2026, 7, 23, 9, 5, 7), 5),
    ],
)
def test_time_and_bias_forms(time: str, date: str, local: datetime, bias: int | None) -> None:
    [r], warnings = run(rec(time=time, date=date).encode())
    assert warnings == []
    assert (r.local_time, r.bias) == (local, bias)
    # UTC = local + bias minutes: positive bias is west of Greenwich.
    expected = None if bias is None else (local + timedelta(minutes=bias)).replace(tzinfo=UTC)
    assert r.utc == expected


def test_bias_plus_240_means_utc_four_hours_later() -> None:
    [r], _ = run(rec(time="20:30:00.000+240", date="12-31-2019").encode())
    assert r.utc == datetime(2020, 1, 1, 0, 30, tzinfo=UTC)


def test_garbage_bias_is_flagged_not_guessed() -> None:
    [r], warnings = run(rec(time="13:51:24.650+-420").encode())
    assert r.local_time == datetime(2019, 10, 18, 13, 51, 24, 650000)
    assert (r.bias, r.utc) == (None, None)
    assert RecordFlag.BAD_TIME not in r.flags
    assert codes(warnings) == [WarningCode.BAD_BIAS]


@pytest.mark.parametrize(
    ("time", "date"),
    [
        ("10:20:57.476+240", "13-45-2019"),  # no such date
        ("10:20:57.476+240", "02-30-2020"),
        ("25:00:00.000+240", "10-18-2019"),  # no such hour
        ("10:61:00.000+240", "10-18-2019"),
        ("10:20:57.12345678+240", "10-18-2019"),  # more than 7 fraction digits
        ("noon", "10-18-2019"),
        ("", "10-18-2019"),
        ("10:20:57.476+240", "2019-10-18"),  # ISO order is not CCM
    ],
)
def test_invalid_date_or_time_flags_the_record(time: str, date: str) -> None:
    [r], warnings = run(rec(time=time, date=date).encode())
    assert (r.local_time, r.utc) == (None, None)
    assert RecordFlag.BAD_TIME in r.flags
    assert WarningCode.BAD_TIMESTAMP in codes(warnings)
    assert r.message == "hello" and r.component == "TSManager"


@pytest.mark.parametrize(
    ("type_", "level", "warned"),
    [
        ("0", Level.VERBOSE, False),
        ("1", Level.INFO, False),
        ("2", Level.WARNING, False),
        ("3", Level.ERROR, False),
        ("", Level.INFO, False),
        ("4", Level.INFO, True),
        ("error", Level.INFO, True),
    ],
)
def test_type_to_level(type_: str, level: Level, warned: bool) -> None:
    [r], warnings = run(rec(type_=type_).encode())
    assert r.level is level
    assert codes(warnings) == ([WarningCode.BAD_LEVEL] if warned else [])


def test_thread_forms() -> None:
    raw = (rec(thread="") + rec(thread="007") + rec(thread="C:\\x\\main.go 15")).encode()
    records, warnings = run(raw)
    assert [r.thread for r in records] == [None, 7, None]
    assert records[2].extras["thread"] == "C:\\x\\main.go 15"
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.BAD_THREAD, 3)]


def test_unknown_attribute_is_kept_in_extras() -> None:
    raw = (
        b'<![LOG[m]LOG]!><time="10:20:57.476+240" date="10-18-2019" component="C" '
        b'context="" type="1" thread="1" file="f.cpp:1" source="C:\\src\\main.go">\r\n'
    )
    [r], warnings = run(raw)
    assert dict(r.extras) == {"file": "f.cpp:1", "source": "C:\\src\\main.go"}
    assert codes(warnings) == [WarningCode.UNKNOWN_ATTRIBUTE]


@pytest.mark.parametrize(
    "attrs",
    [
        'time="10:20:57.476+240" date="10-18-2019" component="C" file=f.cpp:1"">',
        'time="10:20:57.476+240" date="10-18-2019" component="C file="f.cpp:1">',
        'time="10:20:57.476+240" date="10-18-2019" component="C" !!junk file="f.cpp:1">',
        'time="10:20:57.476+240" date="10-18-2019" component="C" component="D" file="f.cpp:1">',
    ],
)
def test_broken_quoting_is_tolerated(attrs: str) -> None:
    raw = f"<![LOG[msg]LOG]!><{attrs}\r\n".encode() + rec("next").encode()
    records, warnings = run(raw)
    assert [r.message for r in records] == ["msg", "next"]
    assert records[0].local_time == datetime(2019, 10, 18, 10, 20, 57, 476000)
    assert records[0].extras.get("file") == "f.cpp:1"
    assert WarningCode.BAD_ATTRIBUTE in codes(warnings)
    assert all(w.line == 1 for w in warnings)


def test_attributes_never_closed() -> None:
    raw = b'<![LOG[msg]LOG]!><time="10:20:57.476+240" date="10-18-2019" component="C"\r\n'
    records, warnings = run(raw + rec("b").encode())
    assert [r.message for r in records] == ["msg", "b"]
    assert records[0].component == "C" and records[0].local_time is not None
    assert records[0].length == len(raw) - 2
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.BAD_ATTRIBUTE, 1)]


@pytest.mark.parametrize(
    "message",
    [
        "DAV response string is: <![CDATA[<D:multistatus><D:href>x</D:href>]]>",
        '<Policy><Rule id="a">x > y</Rule></Policy>',
        "almost ]LOG] and ]LOG]!> and <![LOG but not quite",
        'quotes " and brackets [[ ]] and type="3"',
        "",
    ],
)
def test_markup_inside_messages_is_kept(message: str) -> None:
    raw = (rec(message) + rec("after")).encode()
    records, warnings = run(raw)
    assert warnings == []
    assert [r.message for r in records] == [message, "after"]


def test_first_closer_ends_the_message() -> None:
    raw = rec('a]LOG]!><b="1">c').encode()
    records, warnings = run(raw)
    assert records[0].message == "a"
    assert WarningCode.UNKNOWN_ATTRIBUTE in codes(warnings)


def test_nul_bytes_inside_a_message() -> None:
    raw = rec("friendly name SMS\x00Signing").encode()
    [r], warnings = run(raw)
    assert r.message == "friendly name SMS\x00Signing"
    assert r.local_time == datetime(2019, 10, 18, 10, 20, 57, 476000)
    assert codes(warnings) == [WarningCode.NUL_BYTES]


def test_zero_filled_region_between_records_is_one_warning() -> None:
    raw = rec("before crash").encode() + b"\x00" * 5000 + rec("after reboot").encode()
    records, warnings = run(raw)
    assert [r.message for r in records] == ["before crash", "after reboot"]
    assert [(w.code, w.line, w.offset) for w in warnings] == [
        (WarningCode.NUL_BYTES, 2, len(rec("before crash")))
    ]
    assert "5000" in warnings[0].message


def test_invalid_utf8_in_a_message() -> None:
    # The BOM makes the file UTF-8; one record was written in ANSI by some tool.
    bom = b"\xef\xbb\xbf"
    raw = bom + rec("caf\xe9 in ANSI").encode("cp1252") + rec("fine \u00e9").encode()
    records, warnings = run(raw)
    assert records[0].offset == 3
    assert [r.message for r in records] == ["caf\xe9 in ANSI", "fine \u00e9"]
    assert records[0].flags == {RecordFlag.UNDECODABLE}
    assert records[1].flags == frozenset()
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.DECODE_ERROR, 1)]


def test_components_with_punctuation_and_long_values() -> None:
    raw = rec(component="SMS_Client.Setup-x64 (2)", file="a" * 500).encode()
    [r], warnings = run(raw)
    assert warnings == []
    assert r.component == "SMS_Client.Setup-x64 (2)" and r.extras["file"] == "a" * 500


def test_lf_only_file_without_bom_and_without_final_eol() -> None:
    raw = (rec("a", eol="\n") + rec("b", eol="")).encode()
    records, warnings = run(raw)
    assert warnings == []
    assert [(r.message, r.line, r.offset + r.length) for r in records] == [
        ("a", 1, len(rec("a", eol=""))),
        ("b", 2, len(raw)),
    ]


def test_undecodable_attribute_value_is_flagged() -> None:
    bom = b"\xef\xbb\xbf"
    raw = bom + rec(component="Comp\xe9", file="f\xfc.cpp").encode("cp1252")
    [r], warnings = run(raw)
    assert (r.component, r.extras["file"]) == ("Comp\xe9", "f\xfc.cpp")
    assert r.flags == {RecordFlag.UNDECODABLE}
    assert codes(warnings) == [WarningCode.DECODE_ERROR] * 2


def test_absurd_thread_number_is_a_warning_not_a_crash() -> None:
    [r], warnings = run(rec(thread="9" * 5000).encode())
    assert r.thread is None and r.extras["thread"] == "9" * 5000
    assert codes(warnings) == [WarningCode.BAD_THREAD]
