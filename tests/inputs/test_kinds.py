"""Log kind detection by name and by content."""

from __future__ import annotations

from pathlib import Path

import pytest

from logscan.inputs.kinds import detect_kind, kind_from_content, kind_from_name
from logscan.inputs.sniff import decode_head
from logscan.model import LogKind

CCM_LINE = (
    '<![LOG[{msg}]LOG]!><time="10:20:57.476+240" date="10-18-2019" '
    'component="{comp}" context="" type="1" thread="2408" file="x.cpp:1">\r\n'
)


def ccm(*components: str) -> str:
    return "".join(CCM_LINE.format(msg=f"hello from {c}", comp=c) for c in components)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("ccmexec.log", LogKind.CCMEXEC),
        ("CcmExec.LOG", LogKind.CCMEXEC),
        ("ccmexec.lo_", LogKind.CCMEXEC),
        ("smsts.log", LogKind.SMSTS),
        ("SMSTS.LOG", LogKind.SMSTS),
        ("smsts.lo_", LogKind.SMSTS),
        ("smsts-20100101-101010.log", LogKind.SMSTS),
        ("smsts-20100101-101010.lo_", LogKind.SMSTS),
        ("ScanState.log", LogKind.SCANSTATE),
        ("loadstate.log", LogKind.LOADSTATE),
        ("UsmtUtils.log", LogKind.USMTUTILS),
        ("scanstateprogress.log", LogKind.USMT_PROGRESS),
        ("LoadStateProgress.log", LogKind.USMT_PROGRESS),
        ("progress.log", LogKind.USMT_PROGRESS),
        ("ccmsetup.log", LogKind.CCMSETUP),
        ("CCMCertFix.log", LogKind.CCMCERTFIX),
        ("ccmcertfix.lo_", LogKind.CCMCERTFIX),
    ],
)
def test_kind_from_known_names(name: str, kind: LogKind) -> None:
    assert kind_from_name(name) is kind


@pytest.mark.parametrize(
    "name",
    [
        "execmgr.log",  # a CCM log, but only its content can say so
        "smsts.txt",
        "smsts.log.bak",
        "notsmsts.log",
        "smsts-2010-101010.log",  # not a rotation stamp
        "scanstate.exe",
        "ccmexec",
        "",
    ],
)
def test_names_that_say_nothing(name: str) -> None:
    assert kind_from_name(name) is None


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (ccm("TSManager", "OSDSMPClient"), LogKind.SMSTS),
        (ccm("TSMBootstrap"), LogKind.SMSTS),
        (ccm("OSDSMPClient"), LogKind.CCMEXEC),
        (ccm("CcmExec", "OSDSMPClient"), LogKind.CCMEXEC),
        (ccm("ccmsetup"), LogKind.CCMSETUP),
        (ccm("CCMCertFix"), LogKind.CCMCERTFIX),
        (ccm("PolicyAgent_RequestAssignments"), LogKind.CCM_OTHER),
        (
            "2018-04-20 09:26:17, Info                  [0x000000] "
            "SCANSTATE.EXE Version 10.0.10586.0[gle=0x000000b7]\r\n",
            LogKind.SCANSTATE,
        ),
        (
            "2011-03-15 14:02:11, Info [0x000000] LOADSTATE.EXE Version 6.1.7601.0\r\n",
            LogKind.LOADSTATE,
        ),
        (
            "2018-04-23 16:39:01, Info                  [0x000000] "
            "USMTUTILS.EXE Version 10.0.10586.0\r\n",
            LogKind.USMTUTILS,
        ),
        (
            "2018-04-20 09:27:05, Error                 [0x000000] Unreleased mig unit\r\n",
            LogKind.OTHER,  # USMT, but which tool cannot be told
        ),
        (
            "15 Jan 2011, 20:46:21 -08:00, 00:04:48, totalPercentageCompleted, 48\r\n",
            LogKind.USMT_PROGRESS,
        ),
        ("08 Jun 2006, 10:00:00, 00:00:01, PHASE, Scanning\n", LogKind.USMT_PROGRESS),
        (
            "SMS_EXECUTIVE started SMS_NOTIFICATION_SERVER.  $$<SMS_NOTIFICATION_SERVER>"
            "<09-23-2026 12:33:53.001+240><thread=4120 (0x1018)>\r\n",
            LogKind.CCM_OTHER,
        ),
        (
            "Component file list item.\n$$<SMS_SITE_COMPONENT_MANAGER><Fri Mar 26 10:43:41.547"
            " 1999 Eastern Standard Time><thread=281 (0x119)>\n",
            LogKind.CCM_OTHER,
        ),
        (
            "~Found ready instruction\n$$<SMS_DESPOOLER><Wed May 21 17:09:27 1997~><thread=DB>\n",
            LogKind.CCM_OTHER,
        ),
    ],
)
def test_kind_from_content(head: str, kind: LogKind) -> None:
    assert kind_from_content(head) is kind


@pytest.mark.parametrize(
    "head",
    [
        "",
        "just some notes about the migration\r\n",
        "Failed to import client certificate store (0x80092024) OSDSMPClient\r\n",
        "MZ\x90\x00\x03\x00\x00\x00",
        "<![LOG[opened but never closed",
    ],
)
def test_content_that_is_no_log_of_ours(head: str) -> None:
    assert kind_from_content(head) is None


def test_torn_first_record_still_counts_as_ccm() -> None:
    torn = 'ding file /SMS_DP_SMSPKG$/x]LOG]!><time="10:19:30.535+240" date="10-18-2019" '
    torn += 'component="TSManager" context="" type="1" thread="1100" file="main.cpp:31">\r\n'
    assert kind_from_content(torn) is LogKind.SMSTS


def test_name_wins_over_content() -> None:
    assert detect_kind("ccmexec.log", ccm("TSManager")) is LogKind.CCMEXEC
    assert detect_kind("renamed.log", ccm("TSManager")) is LogKind.SMSTS
    assert detect_kind("notes.txt", "nothing here") is LogKind.OTHER


def test_utf16_heads_are_decoded_before_sniffing() -> None:
    text = ccm("TSManager")
    for raw in (
        b"\xff\xfe" + text.encode("utf-16-le"),
        b"\xfe\xff" + text.encode("utf-16-be"),
        text.encode("utf-16-le"),
        b"\xef\xbb\xbf" + text.encode(),
    ):
        assert kind_from_content(decode_head(raw)) is LogKind.SMSTS


def test_real_logs_are_recognised_by_content(real_logs: Path) -> None:
    expected = {
        "mdt-standalone_smsts.log": LogKind.SMSTS,
        "cb-client_ccmsetup.log": LogKind.CCMSETUP,
        "plaso_sccm_various.log": LogKind.CCM_OTHER,
        "usmt10_scanstate.log": LogKind.SCANSTATE,
        "legacy-server_rotation_BgbServer.lo_": LogKind.CCM_OTHER,
        "legacy-server_rotation_BgbServer.log": LogKind.CCM_OTHER,
        "legacy-server_component-start_BgbServer.lo_": LogKind.CCM_OTHER,
        "malformed-thirdparty_helloworld.log": LogKind.CCM_OTHER,
    }
    for name, kind in expected.items():
        head = (real_logs / name).read_bytes()[: 1 << 14]
        assert kind_from_content(decode_head(head)) is kind, name
