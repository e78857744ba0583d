"""``diagnose_live`` through the seams: the certificate source, the live host and the log
folders are replaced by twins, so the whole live path runs without Windows."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from logscan.certs.model import CertReadResult
from logscan.diagnose import Confidence, Verdict, diagnose_live
from logscan.diagnose import gather as gather_module
from logscan.diagnose.certread import read_one
from logscan.facts import live as facts_live
from logscan.facts.live import CommandResult
from logscan.facts.memhost import MemoryHost
from logscan.rules import RuleSet

from .conftest import NOW, SAMPLES

REGISTRY = {
    "Wow6432Node\\Microsoft\\SMS\\Mobile Client": {"ProductVersion": "4.00.6487.2000"},
    "Microsoft\\Windows NT\\CurrentVersion": {
        "ProductName": "Windows 7 Enterprise",
        "CurrentVersion": "6.1",
        "CurrentBuildNumber": "7601",
        "CSDVersion": "Service Pack 1",
    },
}


class _Store:
    """What ``certs.source.live()`` returns: here the SMS store of sample WKS-W7-1164."""

    display = "live: LocalMachine\\SMS"

    def read(self) -> CertReadResult:
        path = SAMPLES / "WKS-W7-1164" / "sms_store.reg"
        result = read_one(self.display, lambda: path.open("rb"), str(path))
        assert isinstance(result, CertReadResult)
        return result


@pytest.fixture
def live_machine(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    folders = [str(SAMPLES / "WKS-W7-1164" / "Windows" / "SysWOW64" / "CCM" / "Logs")]
    host = MemoryHost(
        "WKS-W7-1164",
        REGISTRY,
        {facts_live.QFE_WMIC: CommandResult(0, b"HotFixID=KB2305420\r\n")},
    )
    monkeypatch.setattr("logscan.certs.source.live", _Store)
    monkeypatch.setattr(facts_live, "default_host", lambda: host)
    monkeypatch.setattr(gather_module, "live_log_folders", lambda: folders)
    monkeypatch.setattr(socket, "gethostname", lambda: "WKS-W7-1164")
    return folders


def test_live_machine_at_risk(live_machine: list[str], ruleset: RuleSet) -> None:
    [d] = diagnose_live(ruleset, now=NOW).diagnoses
    assert (d.host, d.verdict) == ("WKS-W7-1164", Verdict.AT_RISK)
    assert d.confidence is Confidence.MEDIUM  # no smsts.log on this machine yet
    assert {c.friendly_name for c in d.certificates if c.at_fault} == {
        "SMS Signing Certificate␀",
        "SMS Encryption Certificate␀",
    }
    assert d.facts.is_windows7_sp1 is True
    assert "ccmexec" in d.coverage.present and "smsts" in d.coverage.missing
    assert d.label == "WKS-W7-1164"


def test_live_without_log_folders_still_reads_store_and_facts(
    live_machine: list[str], monkeypatch: pytest.MonkeyPatch, ruleset: RuleSet
) -> None:
    monkeypatch.setattr(gather_module, "live_log_folders", list)
    [d] = diagnose_live(ruleset, now=NOW).diagnoses
    assert d.verdict is Verdict.AT_RISK
    assert d.confidence is Confidence.LOW  # at risk, and no log to rule out a failure
    assert set(d.coverage.missing) >= {"ccmexec", "smsts", "usmt"}


def test_live_folders_are_the_client_log_places(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    windir = tmp_path / "Windows"
    (windir / "SysWOW64" / "CCM" / "Logs").mkdir(parents=True)
    monkeypatch.setenv("WINDIR", str(windir))
    monkeypatch.setenv("SYSTEMDRIVE", str(tmp_path / "nodrive"))
    assert gather_module.live_log_folders() == [str(windir / "SysWOW64" / "CCM" / "Logs")]
