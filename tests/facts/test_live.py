"""Live facts through the LiveHost seam, with the in-memory twin (no Windows needed)."""

from __future__ import annotations

import sys

import pytest
from factsbuild import wmic_list

from logscan.errors import UsageError
from logscan.facts import live
from logscan.facts.live import CommandResult, read_live
from logscan.facts.memhost import MemoryHost
from logscan.facts.merge import merge_facts
from logscan.facts.model import FactName, Origin
from logscan.model import WarningCode

REGISTRY = {
    "Wow6432Node\\Microsoft\\SMS\\Mobile Client": {"ProductVersion": "4.00.6487.2000"},
    "Microsoft\\Windows NT\\CurrentVersion": {
        "ProductName": "Windows 7 Professional",
        "CurrentVersion": "6.1",
        "CurrentBuildNumber": "7601",
        "CSDVersion": "Service Pack 1",
    },
    "Microsoft\\Windows\\CurrentVersion\\Installer\\UserData\\S-1-5-18\\Products"
    "\\1FDE90624C4330B46B43553F3BCB9413\\Patches\\0A1B2C": {
        "DisplayName": "SCCM 2007 SP2 client hotfix KB977203",
    },
}
TASKLIST_FOUND = b'"TSManager.exe","2412","Services","0","9,812 K"\r\n'
TASKLIST_NONE = b"INFO: No tasks are running which match the specified criteria.\r\n"


def test_everything_from_a_windows7_client() -> None:
    host = MemoryHost(
        "PC01",
        REGISTRY,
        {
            live.QFE_WMIC: CommandResult(0, wmic_list("PC01", ["KB2305420"])),
            live.TASKLIST_TSMANAGER: CommandResult(0, TASKLIST_FOUND),
        },
    )
    result = read_live(host)
    assert result.warnings == ()
    assert {f.origin for f in result.facts} == {Origin.LIVE}
    merged = merge_facts(result.facts)
    version = merged[FactName.CLIENT_VERSION]
    assert version.value == "4.00.6487.2000"
    assert version.source == (
        "live: registry HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\SMS\\Mobile Client\\ProductVersion"
    )
    assert merged.flag(FactName.KB977203) is True
    assert merged.flag(FactName.KB974571) is True
    assert merged.is_windows7_sp1 is True
    assert merged.flag(FactName.TASK_SEQUENCE_RUNNING) is True
    assert merged[FactName.HOTFIXES].value == frozenset({"KB2305420"})
    assert merged[FactName.HOTFIXES].source.startswith("live: wmic qfe")
    assert host.calls == [live.QFE_WMIC, live.TASKLIST_TSMANAGER]


def test_without_wmic_powershell_lists_hotfixes_and_probes_the_ts_environment() -> None:
    host = MemoryHost(
        "PC02",
        {},
        {
            live.QFE_POWERSHELL: CommandResult(0, b"HotFixID=KB974571\r\nHotFixID=KB5000001\r\n"),
            live.TASKLIST_TSMANAGER: CommandResult(1, b""),
            live.TSENV_POWERSHELL: CommandResult(0, b"none\r\n"),
        },
    )
    result = read_live(host)
    assert result.warnings == ()
    merged = merge_facts(result.facts)
    assert merged[FactName.HOTFIXES].value == frozenset({"KB974571", "KB5000001"})
    assert merged[FactName.KB974571].source.startswith("live: powershell.exe")
    ts = merged[FactName.TASK_SEQUENCE_RUNNING]
    assert ts.value is False and ts.source == "live: Microsoft.SMS.TSEnvironment"
    assert merged.client_version is None  # no client key: unknown, with a reason
    assert merged[FactName.CLIENT_VERSION].reason


def test_no_tools_at_all_is_reported_not_raised() -> None:
    result = read_live(MemoryHost("PC03", REGISTRY, {}))
    assert [w.code for w in result.warnings] == [WarningCode.UNREADABLE] * 2
    assert "hotfix list unavailable" in result.warnings[0].message
    assert "wmic: not found" in result.warnings[0].message
    merged = merge_facts(result.facts)
    assert merged[FactName.TASK_SEQUENCE_RUNNING].value is None
    assert merged.client_version == "4.00.6487.2000"


def test_tasklist_says_not_running() -> None:
    host = MemoryHost(None, {}, {live.TASKLIST_TSMANAGER: CommandResult(0, TASKLIST_NONE)})
    merged = merge_facts(read_live(host).facts)
    assert merged.flag(FactName.TASK_SEQUENCE_RUNNING) is False
    assert merged[FactName.HOST_NAME].value is None


def test_memory_host_registry_semantics() -> None:
    host = MemoryHost(registry=REGISTRY)
    assert host.reg_value("microsoft\\windows nt\\currentversion", "currentbuildnumber") == "7601"
    assert host.reg_subkeys("Microsoft") == ["Windows", "Windows NT"]
    assert host.reg_subkeys("Nothing\\Here") is None


@pytest.mark.skipif(sys.platform == "win32", reason="checks the refusal off Windows")
def test_default_host_off_windows_explains() -> None:
    with pytest.raises(UsageError, match="collector"):
        live.default_host()
