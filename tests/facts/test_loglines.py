"""Facts from log lines: real ccmsetup wording, PATCH= properties, records from a parser."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from logscan.facts.loglines import facts_from_message, facts_from_records
from logscan.facts.merge import merge_facts
from logscan.facts.model import FactName, Origin
from logscan.inputs.reader import read_paths
from logscan.model import Level, LogFormat, LogRecord


def _names(message: str) -> dict[FactName, object]:
    return {f.name: f.value for f in facts_from_message(message, "ccmsetup.log", 7)}


def test_ccmsetup_version_is_not_the_client_version() -> None:
    facts = facts_from_message("CcmSetup version: 4.0.6487.2000", "ccmsetup.log", 12)
    assert [(f.name, f.value, f.source, f.origin) for f in facts] == [
        (FactName.CCMSETUP_VERSION, "4.00.6487.2000", "ccmsetup.log:12", Origin.LOG)
    ]


def test_client_os_version_line() -> None:
    assert _names("Client OS Version 6.1 Service Pack 1.0") == {
        FactName.OS_VERSION: "6.1",
        FactName.OS_SERVICE_PACK: 1,
    }


def test_site_version_lines() -> None:
    assert _names("SiteVersion:      4.00.6487.2000") == {FactName.SITE_VERSION: "4.00.6487.2000"}
    assert _names("Retrived site version '4.00.6487.2000' from MP 'mp01'.") == {
        FactName.SITE_VERSION: "4.00.6487.2000"
    }


def test_patch_property_in_a_command_line() -> None:
    message = (
        'Ccmsetup command line: ccmsetup.exe /useronly SMSSITECODE=ABC PATCH="C:\\_SMSTaskSequence'
        '\\OSD\\ABC00002\\i386\\hotfix\\KB977203\\SCCM2007AC-SP2-KB977203-x86.msp"'
    )
    facts = facts_from_message(message, "ccmsetup.log", 3)
    assert [(f.name, f.value) for f in facts] == [(FactName.KB977203, True)]
    assert "install not confirmed" in facts[0].detail


def test_unquoted_unc_patch_and_r3_patch() -> None:
    message = (
        "MSI properties:    PATCH=\\\\srv\\hotfix\\sccm2007ac-sp2-kb977384-x86-enu.msp "
        'SMSSITECODE="ABC"'
    )
    assert _names(message) == {FactName.KB977384: True}


def test_unrelated_lines_give_nothing() -> None:
    for message in (
        "No version of the client is currently detected.",
        "Failed to get client version for sending state messages. Error 0x8004100e",
        "Checking if manifest version '5.00.8458.1007' is newer than the ccmsetup version",
        'MSI properties:    CCMFIRSTCERT="1" FSP="primary.lan" SMSSITECODE="abc"',
    ):
        assert facts_from_message(message, "x.log", 1) == ()


def _record(message: str, line: int, when: datetime) -> LogRecord:
    return LogRecord(
        "ccmsetup.log",
        line,
        0,
        10,
        when,
        0,
        Level.INFO,
        "ccmsetup",
        1,
        message,
        LogFormat.CCM,
    )


def test_records_keep_time_and_the_newest_wins_on_upgrade() -> None:
    records = [
        _record("CcmSetup version: 4.00.6221.1000", 4, datetime(2010, 1, 5, 9, 0)),
        _record("CcmSetup version: 4.00.6487.2000", 90, datetime(2011, 3, 1, 9, 0)),
    ]
    facts = facts_from_records([*records, "not a record"])
    assert [f.observed for f in facts] == [r.utc for r in records]
    state = merge_facts(facts)[FactName.CCMSETUP_VERSION]
    assert state.value == "4.00.6487.2000"
    assert state.source == "ccmsetup.log:90"
    assert [f.source for f in state.conflicts] == ["ccmsetup.log:4"]


def test_real_ccmsetup_log(real_logs: Path) -> None:
    items = list(read_paths([real_logs / "cb-client_ccmsetup.log"]))
    facts = facts_from_records(items)
    merged = merge_facts(facts)
    assert merged[FactName.CCMSETUP_VERSION].value == "5.00.8458.1007"
    assert merged[FactName.OS_VERSION].value == "6.2"
    assert merged[FactName.OS_SERVICE_PACK].value == 0
    assert merged[FactName.SITE_VERSION].value == "5.00.8692.1000"
    # Two runs of ccmsetup each logged their version; both lines are cited.
    versions = [f for f in facts if f.name is FactName.CCMSETUP_VERSION]
    assert len(versions) == 2
    assert all(f.source.startswith("cb-client_ccmsetup.log:") for f in versions)
    assert not [f for f in facts if f.name in (FactName.KB977203, FactName.CLIENT_VERSION)]
