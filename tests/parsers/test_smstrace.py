"""Legacy ``$$<`` trace parser: real BgbServer logs, all three generations, every rule."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lineparser_support import assert_block_size_invariant, raw_text, run, semantic, utf16

from logscan.model import Level, RecordFlag, WarningCode
from logscan.parsers.base import sniff_format

ROTATION_LO = "legacy-server_rotation_BgbServer.lo_"
ROTATION_LOG = "legacy-server_rotation_BgbServer.log"
COMPONENT_START = "legacy-server_component-start_BgbServer.lo_"

# Independent of the parser: what a trailer of generation 3 looks like on disk.
_GEN3_LINE = re.compile(
    rb"^(.*?)(~~)?  \$\$<([A-Z_]+)><(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3})"
    rb"([+-]\d+)><thread=(\d+) \(0x([0-9A-F]+)\)>$"
)


def _expected_lines(raw: bytes) -> list[re.Match[bytes]]:
    return [m for line in raw.split(b"\r\n") if (m := _GEN3_LINE.match(line))]


@pytest.mark.parametrize("name", [ROTATION_LO, ROTATION_LOG, COMPONENT_START])
def test_real_files_every_line_matches_its_record(real_logs: Path, name: str) -> None:
    raw = (real_logs / name).read_bytes()
    records, warnings = run("smstrace", raw, source=name)
    assert warnings == []
    stamped = [r for r in records if RecordFlag.ROLLOVER not in r.flags]
    expected = _expected_lines(raw)
    assert len(stamped) == len(expected)
    for record, m in zip(stamped, expected, strict=True):
        local = datetime(
            int(m[6]), int(m[4]), int(m[5]), int(m[7]), int(m[8]), int(m[9]), int(m[10]) * 1000
        )
        assert record.local_time == local
        assert record.bias == int(m[11])
        assert record.utc == (local + timedelta(minutes=int(m[11]))).replace(tzinfo=UTC)
        assert record.component == m[3].decode()
        assert record.thread == int(m[12]) == int(m[13], 16)
        assert record.message == m[1].decode()  # leading spaces kept, "~~" and "  " gone
        assert (RecordFlag.MANAGED in record.flags) == (m[2] is not None)
        assert raw_text(raw, record) == m[0].decode()
        assert record.extras["generation"] == "3"


def test_rotated_file_ends_with_rollover_record(real_logs: Path) -> None:
    records, _ = run("smstrace", (real_logs / ROTATION_LO).read_bytes())
    assert len(records) == 5
    assert [RecordFlag.ROLLOVER in r.flags for r in records] == [False] * 4 + [True]
    marker = records[-1]
    assert marker.message == "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>"
    assert marker.local_time is None and marker.line == 5
    assert all(RecordFlag.MANAGED in r.flags for r in records[:4])


def test_continuation_file_and_component_start_counts(real_logs: Path) -> None:
    records, _ = run("smstrace", (real_logs / ROTATION_LOG).read_bytes())
    assert len(records) == 4
    assert records[0].message == "Total online clients: 2 (TCP: 1 HTTP: 1)"
    assert records[0].utc == datetime(2026, 9, 25, 8, 25, 37, 124000, tzinfo=UTC)

    records, _ = run("smstrace", (real_logs / COMPONENT_START).read_bytes())
    assert len(records) == 20
    assert [r.line for r in records] == list(range(1, 21))
    indented = [r for r in records if r.message.startswith("    ")]
    assert [r.line for r in indented] == [7, 8]
    assert indented[0].message.startswith('    The path to the "Status Manager" inbox')
    assert sum(RecordFlag.MANAGED in r.flags for r in records) == 6
    assert records[0].thread == 4120 and records[0].utc == datetime(
        2026, 9, 23, 16, 33, 53, 1000, tzinfo=UTC
    )


@pytest.mark.parametrize("name", [ROTATION_LO, ROTATION_LOG, COMPONENT_START])
def test_real_files_sniff_and_block_boundaries(real_logs: Path, name: str) -> None:
    raw = (real_logs / name).read_bytes()
    assert sniff_format(raw.decode("utf-8")) == "smstrace"
    assert_block_size_invariant("smstrace", raw, name)


def test_bias_sign_proved_by_statmsg_gmtdate() -> None:
    # §2.4: GMTDATE in the message is UTC; the stamp is local with bias +240.
    line = (
        b'STATMSG: ID=9802 SEV=W LEV=M SOURCE="SMS Server" COMP="SMS_NOTIFICATION_SERVER" '
        b"PID=7688 TID=7600 GMTDATE=Fri Sep 18 20:39:05.718 2026 NUMATTRS=0 LE=0X0  "
        b"$$<SMS_NOTIFICATION_SERVER><09-18-2026 16:39:06.598+240><thread=7600 (0x1DB0)>\r\n"
    )
    (record,), warnings = run("smstrace", line)
    assert warnings == []
    gmt = datetime.strptime(
        re.search(r"GMTDATE=(\w+ \w+ \d+ [\d:.]+ \d{4})", record.message)[1],  # type: ignore[index]
        "%a %b %d %H:%M:%S.%f %Y",
    ).replace(tzinfo=UTC)
    assert record.utc is not None
    assert abs(record.utc - gmt) < timedelta(seconds=2)


def test_negative_and_absent_bias_and_six_digit_fraction() -> None:
    raw = (
        b"India  $$<COMP><11-28-2014 19:33:19.766-330><thread=1 (0x1)>\r\n"
        b"Info:script ran  $$<Script:Comp><05-21-2021 10:00:00.123456><thread=4321>\r\n"
    )
    (india, ps), warnings = run("smstrace", raw)
    assert warnings == []
    assert india.bias == -330
    assert india.utc == datetime(2014, 11, 28, 14, 3, 19, 766000, tzinfo=UTC)
    assert ps.bias is None and ps.utc is None
    assert ps.local_time == datetime(2021, 5, 21, 10, 0, 0, 123456)
    assert ps.component == "Script:Comp" and ps.thread == 4321


def test_generation_2_with_zone_name_and_spaced_brackets() -> None:
    raw = (
        b"Component file list item does not contain Srvboot.exe.  "
        b"$$<SMS_SITE_COMPONENT_MANAGER><Fri Mar 26 10:43:41.547 1999 Eastern Standard Time>"
        b"<thread=281 (0x119)>\r\n"
        b"Inventory done $$<SMS_SOFTWARE_INVENTORY_PROCESSOR> <Fri Sep 03 12:23:46.229 1999 "
        b"Central Daylight Time> <thread=250 (0xFA)>\r\n"
    )
    (first, second), warnings = run("smstrace", raw)
    assert warnings == []
    assert first.local_time == datetime(1999, 3, 26, 10, 43, 41, 547000)
    assert first.bias is None and first.utc is None
    assert first.extras["zone"] == "Eastern Standard Time"
    assert first.extras["generation"] == "2"
    assert first.thread == 281 and first.component == "SMS_SITE_COMPONENT_MANAGER"
    assert second.extras["zone"] == "Central Daylight Time"
    assert second.local_time == datetime(1999, 9, 3, 12, 23, 46, 229000)
    assert second.message == "Inventory done" and second.thread == 250


def test_generation_1_tilde_markers_hex_thread_and_wrapped_trailer() -> None:
    # Despool.log as quoted in Q169491: the message line, then the trailer on its own.
    raw = (
        b"~Found ready instruction sni00000.sni\r\n"
        b"$$<SMS_DESPOOLER><Wed May 21 17:09:27 1997~><thread=DB>\r\n"
        b"~Instruction has 2 parts\r\n"
        b"~second part here $$<SMS_DESPOOLER><Wed May 21 17:09:28 1997~><thread=DB>\r\n"
    )
    (first, second), warnings = run("smstrace", raw)
    assert warnings == []
    assert first.message == "Found ready instruction sni00000.sni"
    assert first.line == 1 and first.offset == 0
    assert first.length == raw.index(b"\r\n", 40)  # through the end of the trailer line
    assert RecordFlag.MULTILINE not in first.flags
    assert first.thread == 0xDB and first.extras["generation"] == "1"
    assert first.local_time == datetime(1997, 5, 21, 17, 9, 27)
    assert second.message == "Instruction has 2 parts\r\nsecond part here"
    assert RecordFlag.MULTILINE in second.flags and second.line == 3


def test_split_on_last_marker_and_managed_flag() -> None:
    raw = b"price $$<5> ok~~   $$<C><01-02-2010 03:04:05.006+000><thread=7 (0x7)>\r\n"
    (record,), warnings = run("smstrace", raw)
    assert warnings == []
    assert record.message == "price $$<5> ok"
    assert record.flags == {RecordFlag.MANAGED}
    assert record.bias == 0 and record.utc == datetime(2010, 1, 2, 3, 4, 5, 6000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("message", "level"),
    [
        ("Failed to connect to the state migration point", Level.ERROR),
        ("Error 0x80004005 reading inbox", Level.ERROR),
        ("Site server failover completed", Level.INFO),
        ("WARNING: low disk space", Level.WARNING),
        ("Everything fine", Level.INFO),
    ],
)
def test_level_inferred_from_text(message: str, level: Level) -> None:
    raw = f"{message}  $$<C><01-02-2010 03:04:05.006+60><thread=7 (0x7)>\r\n".encode()
    (record,), _ = run("smstrace", raw)
    assert record.level is level


def test_bad_trailers_become_flagged_records_with_warnings() -> None:
    raw = (
        b"bad bias  $$<C><01-02-2010 03:04:05.006+-420><thread=7 (0x7)>\r\n"
        b"bad date  $$<C><13-45-2010 03:04:05.006+60><thread=7 (0x7)>\r\n"
        b"bad thread  $$<C><01-02-2010 03:04:05.006+60><thread=7 (0x8)>\r\n"
        b"torn at the end  $$<SMS_X><09-23-2026 12:3"
    )
    records, warnings = run("smstrace", raw)
    assert [w.code for w in warnings] == [
        WarningCode.BAD_BIAS,
        WarningCode.BAD_TIMESTAMP,
        WarningCode.BAD_THREAD,
        WarningCode.BAD_TIMESTAMP,
    ]
    assert [w.line for w in warnings] == [1, 2, 3, 4]
    bias, date, thread, torn = records
    assert bias.local_time == datetime(2010, 1, 2, 3, 4, 5, 6000) and bias.bias is None
    assert bias.utc is None and RecordFlag.BAD_TIME not in bias.flags
    assert date.local_time is None and RecordFlag.BAD_TIME in date.flags
    assert thread.thread == 7
    assert torn.component == "SMS_X" and RecordFlag.BAD_TIME in torn.flags
    assert torn.message == "torn at the end"


def test_text_no_trailer_closes_is_an_unclosed_record() -> None:
    raw = (
        b"orphan one\r\n\r\norphan two\r\n"
        b"<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
        b"ok  $$<C><01-02-2010 03:04:05.006+60><thread=7 (0x7)>\r\n"
        b"\r\n"
        b"dangling at end\r\n\r\n"
    )
    records, warnings = run("smstrace", raw)
    assert [w.code for w in warnings] == [WarningCode.UNCLOSED_RECORD] * 2
    orphan, marker, ok, dangling = records
    assert orphan.message == "orphan one\r\n\r\norphan two"
    assert orphan.flags == {RecordFlag.UNCLOSED, RecordFlag.MULTILINE}
    assert raw_text(raw, orphan) == orphan.message
    assert RecordFlag.ROLLOVER in marker.flags and marker.line == 4
    assert ok.message == "ok" and ok.line == 5
    assert dangling.message == "dangling at end" and dangling.line == 7
    assert dangling.local_time is None and dangling.component == ""


def test_runaway_text_is_flushed_in_bounded_pieces() -> None:
    raw = b"text line\r\n" * 250 + b"end  $$<C><01-02-2010 03:04:05.006+60><thread=7 (0x7)>\r\n"
    (first, second), warnings = run("smstrace", raw)
    assert [w.code for w in warnings] == [WarningCode.UNCLOSED_RECORD]
    assert first.message.count("text line") == 201 and RecordFlag.UNCLOSED in first.flags
    assert second.line == 202 and second.message.count("text line") == 49
    assert second.message.endswith("text line\r\nend")


_MIXED = (
    "\ufeffZürich start  $$<SMS_A><03-15-2011 14:02:05.123+300><thread=10 (0xA)>\r\n"
    "    日本 indented~~  $$<SMS_B><03-15-2011 14:02:06.000+300><thread=11 (0xB)>\n"
    "first half\rsecond half  $$<SMS_A><03-15-2011 14:02:07.000+300><thread=12 (0xC)>\r\n"
    "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
).encode()


def test_crafted_mix_block_boundaries_and_raw_offsets() -> None:
    assert_block_size_invariant("smstrace", _MIXED)
    records, warnings = run("smstrace", _MIXED)
    assert warnings == []
    assert [r.message for r in records] == [
        "Zürich start",
        "    日本 indented",
        "first half\rsecond half",
        "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>",
    ]
    for record in records:
        assert record.message in raw_text(_MIXED, record)


def test_utf16_gives_same_records_with_exact_offsets() -> None:
    raw16 = utf16(_MIXED)
    records8, _ = run("smstrace", _MIXED)
    records16, warnings = run("smstrace", raw16)
    assert warnings == []
    assert [semantic(r) for r in records16] == [semantic(r) for r in records8]
    for record in records16:
        assert record.message in raw_text(raw16, record, "utf-16-le")
    assert records16[0].offset == 2  # right after the UTF-16 BOM
    assert_block_size_invariant("smstrace", raw16)


def test_sniff_scores() -> None:
    from logscan.parsers.base import get

    parser = get("smstrace")
    assert parser.sniff("just some text\nand more\n") == 0.0
    clean = "ok  $$<C><01-02-2010 03:04:05.006+60><thread=7 (0x7)>\r\n" * 3
    assert parser.sniff(clean) == pytest.approx(0.95)
    # One line of four has no trailer (a message with a break): still clearly this format.
    assert 0.8 < parser.sniff(_MIXED.decode("utf-8")) < 0.95
