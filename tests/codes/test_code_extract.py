"""Error-code extraction: every spelling of a code, the real messages of log-formats.md,
the look-alikes that must stay out, and the real public logs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from logscan.codes import CodeKind, CodeMention, extract

TARGET = 0x80092024


def _only(message: str) -> CodeMention:
    found = extract(message)
    assert len(found) == 1, found
    mention = found[0]
    assert message[mention.start : mention.end] == mention.text
    return mention


@pytest.mark.parametrize(
    "message",
    [
        "Failed to import client certificate store (0x80092024)",
        "Failed to import client certificate store (0x80092024) OSDSMPClient 1/14/2012 "
        "4:06:47 AM 5720 (0x1658)",  # CMTrace copy: thread id must not count
        "0x80092024",
        "0X80092024",
        "(80092024)",
        "80092024",
        "step failed: 80092024.",
        "Failed to run the action: Request State Store.\nUnknown error (Error: 80092024; "
        "Source: Unknown)",
        "The dwValueType ... (Error: 80092024; Source: Windows)",
        "Error 0x80092024",
        "Error: 0x80092024, Description none",
        "error code 0x80092024",
        "failed with 0x80092024",
        "0x(80092024)",
        "HRESULT=80092024 (e:\\nts_sms_fre\\sms\\client\\osd\\smpclient.cpp,712)",
        "hr=0x80092024",
        "Process completed with exit code 2148081700",
        "Process completed with exit code -2146885596",
        "returned exit code (0x80092024)",
        "-2146885596",
        "result -2146885596",
        "2148081700",
        '<Msg ErrorCode="-2146885596"/>',
        "[0x80092024]",
        "'80092024'",
    ],
)
def test_every_spelling_of_the_target_gives_the_same_code(message: str) -> None:
    mention = _only(message)
    assert mention.code == TARGET
    assert mention.kind is CodeKind.HRESULT
    assert mention.hex == "0x80092024"


@pytest.mark.parametrize(
    ("message", "code", "kind", "text"),
    [
        (
            "Failed to check url http://server.dmz/SMS_DP_SMSPKG$/abc00002. Error 0x80004005",
            0x80004005,
            CodeKind.HRESULT,
            "0x80004005",
        ),
        (
            "Failed to save the current environment block. This is usually caused by a "
            "problem with the program.\nThe parameter is incorrect. (Error: 80070057; "
            "Source: Windows)",
            0x80070057,
            CodeKind.HRESULT,
            "80070057",
        ),
        (
            "HRESULT=80040101 (e:\\nts_sms_fre\\sms\\framework\\tscore\\tspolicy.cpp,1518)",
            0x80040101,
            CodeKind.HRESULT,
            "80040101",
        ),
        ("USMT returned exit code (0x00000026). Look USMT log file", 38,
         CodeKind.USMT_RETURN, "0x00000026"),
        ("USMT completed with exit code 38", 38, CodeKind.USMT_RETURN, "38"),
        ("Process completed with exit code 38", 38, CodeKind.EXIT_CODE, "38"),
        ("Process completed with exit code 2", 2, CodeKind.EXIT_CODE, "2"),
        (
            "Successfully completed the action (Modern Driver Management) with the exit "
            "win32 code 0",
            0,
            CodeKind.WIN32,
            "0",
        ),
        (
            "Failed to create user-specified local data path D:\\_SMSTaskSequence. "
            "Error 0x80070003",
            0x80070003,
            CodeKind.HRESULT,
            "0x80070003",
        ),
        (
            'CopyStream: Can\'t copy streams from {"C:\\Documents and Settings\\userA\\Desktop'
            '\\dvd.iso"} to {"733"} object. Error 112. Exception class UnBCL::IOException',
            112,
            CodeKind.WIN32,
            "112",
        ),
        ("Unable to Complete Migration. MigDoMigration Failed= 0x4", 4,
         CodeKind.UNQUALIFIED, "0x4"),
        ("SCANSTATE.EXE Version 10.0.10586.0[gle=0x000000b7]", 0xB7,
         CodeKind.LAST_ERROR, "0x000000b7"),
        ("UsmtUtils return code: 0", 0, CodeKind.USMT_RETURN, "0"),
        ("CcmSetup is exiting with return code 0", 0, CodeKind.EXIT_CODE, "0"),
        ("Set a global environment variable _SMSTSLastActionRetCode=1", 1,
         CodeKind.EXIT_CODE, "1"),
        ("Failed to run the action: X. 0x(80070002)", 0x80070002, CodeKind.HRESULT,
         "0x(80070002)"),
        ("Step failed (0x00000005)", 5, CodeKind.UNQUALIFIED, "0x00000005"),
        ('<ClientDeploymentMessage ErrorCode="-2145844844"><Client Baseline="1"/>',
         0x80190194, CodeKind.HRESULT, "-2145844844"),
    ],
)  # fmt: skip
def test_real_message_shapes(message: str, code: int, kind: CodeKind, text: str) -> None:
    mention = _only(message)
    assert (mention.code, mention.kind, mention.text) == (code, kind, text)


def test_several_codes_come_in_order_with_exact_spans() -> None:
    message = "Error 0x80004005 then (Error: 80070057; Source: Windows), exit code 38"
    found = extract(message)
    assert [m.code for m in found] == [0x80004005, 0x80070057, 38]
    assert all(message[m.start : m.end] == m.text for m in found)
    assert found[0].start < found[1].start < found[2].start


@pytest.mark.parametrize(
    "message",
    [
        # timestamps, dates and CCM attribute tails
        'time="10:20:57.476+240" date="10-18-2019" component="TSManager" context="" '
        'type="1" thread="2408" file="engine.cxx:143"',
        "10:20:57.476+240",
        "2018-04-20 09:26:17, Info                  [0x000000] USMT Started at "
        "2018/04/20:09:26:17.306",
        "smsts-20240207-165352.log",
        "1/14/2012 4:06:47 AM 5720 (0x1658)",
        # GUIDs in every case and position
        'ClientID = "GUID:474F4264-2A7B-4D3A-9C1E-0F8B3E5D7A10";',
        "<SourceID>GUID:CCBCEE73-B6A3-4F79-BFBA-9464A260D3B9</SourceID>",
        "Environment scope successfully created: Global\\{8A7B1234-CA6D-4ac1-8C28-5073AFC22B03}",
        "Releasing content request {D4EA97AD-E7E2-4583-92B9-21F532501337}",
        "upgrade code '{C9B9818B-7432-49E9-BC02-B126025EE235}'",
        # thumbprints and hex dumps
        "Thumbprint a909502dd82ae41433e6f83886b00d4277a32a7b",
        "Certificates\\8C2A3B4D5E6F708192A3B4C5D6E7F80912345678",
        "8c 2a 3b 4d 5e 6f 70 81 92 a3 b4 c5",
        "80092024 00000000 0000003c 8c000000",
        "0010: 0000003c 00000000 80092024",
        "313084E4443564D303035310C300A06035504031303534D53021059770047AD45AC8D40A6323696",
        # thread ids, USMT message ids, versions, small hex
        'thread="2408"',
        "SMS_EXECUTIVE started SMS_NOTIFICATION_SERVER as thread ID 7288 (0x1C78).",
        "2018-04-20 09:26:36, Warning               [0x08092b] CSIAgent: Duplicate manifest",
        "---->: An event has occurred, the event code is: 0x1",
        "Client version 4.00.6487.2111 (SP2), 5.00.8692.1000, SCANSTATE.EXE 10.0.10586.0",
        "loaded at address 0x7FFE0000 flags 0x00000400",
        # byte counts and sizes
        "Downloaded 83886080 bytes",
        "Downloaded 80070057 bytes",
        "range 0-455847",
        "free space 2147483648, total 2684354560",
        "StatusCode at WinHttpQueryHeaders: 401",
        # words that are hex, package ids on hex-looking site codes
        "magic deadbeef cafebabe DEADBEEF",
        "Downloading package C0100023 from the distribution point",
        "Failed to create D:\\_SMSTaskSequence (3)",
        "errors: 3 of 5 files",
        "Error 2018-04-20 10:20 replayed",
    ],
)
def test_lookalikes_are_not_codes(message: str) -> None:
    assert extract(message) == []


def test_nine_hex_digits_or_eleven_decimal_digits_are_not_codes() -> None:
    assert extract("Error 0x800920245") == []
    assert extract("exit code 21480817001") == []
    assert extract("code 99999999999") == []


def test_unqualified_unknown_all_digit_words_stay_out_but_named_facilities_come_in() -> None:
    # 80123456 decodes to facility 0x12 but is all digits and unknown: a number, not a code
    assert extract("counter 80123456") == []
    # with a hex letter and a Windows facility it reads as an HRESULT
    (mention,) = extract("status 8007052e")
    assert mention.code == 0x8007052E


# -- the real public logs: counted independently of the extractor --------------------------

_QUALIFIED = re.compile(
    r"exit win32 code \d+|exit code \d+|return code:? \d+|RetCode=\d+"
    r"|[Ee]rror:? 0x[0-9a-fA-F]+|error code 0x[0-9a-fA-F]+|failed with 0x[0-9a-fA-F]+"
    r"|gle=0x[0-9a-fA-F]+|ErrorCode=\"-?\d+\"|ErrorCode = \d+"
)


def _lines(folder: Path) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in sorted(folder.iterdir()):
        if path.suffix in {".log", ".lo_"}:
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
            out.extend((path.name, line) for line in text.splitlines())
    return out


def test_real_logs_give_exactly_the_qualified_codes(real_logs: Path) -> None:
    lines = _lines(real_logs)
    assert lines
    expected = sum(len(_QUALIFIED.findall(line)) for _name, line in lines)
    mentions = [(name, m) for name, line in lines for m in extract(line)]
    assert expected > 50  # the corpus really holds codes
    assert len(mentions) == expected
    # the hex spellings in the corpus are failures; the rest are successes or gle values
    values = {m.code for _name, m in mentions}
    assert {0x80004005, 0x80070002, 0x80070003, 0x8004100E, 0x80190194} <= values


def test_real_ccmsetup_negative_decimal_is_the_bits_404(real_logs: Path) -> None:
    text = (real_logs / "cb-client_ccmsetup.log").read_text("utf-8-sig")
    negative = [m for m in extract(text) if m.text.startswith("-")]
    assert negative
    assert {m.code for m in negative} == {0x80190194}
    hex_spelled = {m.code for m in extract(text) if m.text.lower() == "0x80190194"}
    assert hex_spelled == {0x80190194}
