"""Host grouping by content, ``host_of`` for the engine, and name reconciliation."""

from __future__ import annotations

import shutil
from pathlib import Path

from logscan.diagnose.hosts import LOOSE_FILES, is_share, plan_hosts
from logscan.diagnose.model import HostName
from logscan.diagnose.names import reconcile
from logscan.inputs.source import LogSource
from logscan.model import LogKind

from .conftest import SAMPLES


def _source(root: Path | str, display: str) -> LogSource:
    return LogSource(display, str(root), LogKind.SMSTS, 1, display, 0, lambda: open(__file__, "rb"))


def test_share_of_machine_folders_and_zips(tmp_path: Path) -> None:
    share = tmp_path / "wave1"
    shutil.copytree(SAMPLES / "WKS-XP-0142", share / "WKS-XP-0142")
    shutil.copytree(SAMPLES / "WKS-XP-0999", share / "WKS-XP-0999")
    (share / "WKS-XP-0420.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (share / "notes.md").write_text("wave 1, March 2011")
    assert is_share(str(share))
    layout = plan_hosts([share])
    assert sorted(layout.units) == ["WKS-XP-0142", "WKS-XP-0420", "WKS-XP-0999"]
    assert layout.host_of(_source(share, "WKS-XP-0142/WINDOWS/smsts.log")) == "WKS-XP-0142"
    assert layout.host_of(_source(share, "WKS-XP-0420.zip!Logs/smsts.log")) == "WKS-XP-0420"
    assert layout.label_of_path(f"{share}/WKS-XP-0420.zip!Logs/smsts.log") == "WKS-XP-0420"
    assert layout.units["WKS-XP-0142"].parts == [(str(share / "WKS-XP-0142"), "WKS-XP-0142/")]


def test_share_decided_by_any_child_and_vetoed_by_any_entry(tmp_path: Path) -> None:
    share = tmp_path / "wave2"
    (share / "aaa-tools").mkdir(parents=True)  # no evidence in it: not a machine
    (share / "aaa-tools" / "readme.md").write_text("scripts")
    shutil.copytree(SAMPLES / "WKS-XP-0142", share / "WKS-XP-0142")
    assert is_share(str(share))
    # Evidence of the folder's own, sorted after the machine folder, still says "one host".
    (share / "smsts.log").write_bytes(b"")
    assert not is_share(str(share))


def test_one_machine_folder_is_one_host() -> None:
    folder = SAMPLES / "WKS-XP-0142"
    assert not is_share(str(folder))  # evidence files at its top, Windows folders below
    layout = plan_hosts([folder])
    assert list(layout.units) == ["WKS-XP-0142"]
    assert layout.host_of(_source(folder, "WINDOWS/system32/CCM/Logs/smsts.log")) == "WKS-XP-0142"


def test_a_folder_holding_only_a_windows_tree_is_one_machine(tmp_path: Path) -> None:
    machine = tmp_path / "collected"
    shutil.copytree(SAMPLES / "WKS-XP-0533" / "WINDOWS", machine / "WINDOWS")
    assert not is_share(str(machine))
    assert list(plan_hosts([machine]).units) == ["collected"]


def test_files_named_directly_are_one_host(tmp_path: Path) -> None:
    a, b = tmp_path / "smsts.log", tmp_path / "CcmExec.log"
    a.write_text("x")
    b.write_text("y")
    layout = plan_hosts([a, b])
    assert list(layout.units) == [LOOSE_FILES]
    assert layout.host_of(_source(a, "smsts.log")) == LOOSE_FILES
    assert list(plan_hosts([a]).units) == ["smsts.log"]


def test_the_same_machine_given_twice_is_merged(tmp_path: Path) -> None:
    for n in ("one", "two"):
        shutil.copytree(SAMPLES / "WKS-XP-0999", tmp_path / n / "WKS-XP-0999")
    layout = plan_hosts([tmp_path / "one", tmp_path / "two"])
    assert list(layout.units) == ["WKS-XP-0999"]
    assert len(layout.units["WKS-XP-0999"].parts) == 2


def test_names_strongest_source_wins_and_disagreements_are_named() -> None:
    found = [
        HostName("case-17", "folder", "case-17"),
        HostName("WKS-XP-0142", "systeminfo", "systeminfo.txt:2"),
        HostName("wks-xp-0142.corp.example.com", "task sequence", "smsts.log:25"),
        HostName("WKS-XP-0777", "certificate", "sms_store.reg:8"),
    ]
    identity = reconcile(found)
    assert identity.name == "WKS-XP-0142"
    assert identity.conflict
    assert "WKS-XP-0777 (certificate, sms_store.reg:8)" in identity.disagreement
    assert "case-17 (folder" in identity.disagreement


def test_names_folder_only_disagreement_is_no_conflict() -> None:
    identity = reconcile(
        [HostName("case-17", "folder", "case-17"), HostName("PC1", "systeminfo", "s.txt:2")]
    )
    assert (identity.name, identity.conflict) == ("PC1", False)
    assert identity.disagreement


def test_names_osdcomputername_may_differ_on_purpose() -> None:
    identity = reconcile(
        [
            HostName("OLDPC", "folder", "OLDPC"),
            HostName("OLDPC", "task sequence", "smsts.log:1"),
            HostName("NEWPC", "OSDComputerName", "smsts.log:9"),
        ]
    )
    assert (identity.name, identity.disagreement) == ("OLDPC", "")
