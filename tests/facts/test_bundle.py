"""Bundles: files recognised by content (any name), folders, zips, bad and empty inputs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from factsbuild import (
    client_msi_export,
    manifest_text,
    mobile_client_export,
    oem,
    systeminfo_text,
    systeminfo_xp,
    wmic_list,
    write_tree,
)
from hivebuild import software_hive

from logscan.facts.bundle import EvidenceKind, identify, scan_bundle
from logscan.facts.model import FactName
from logscan.model import LogKind, WarningCode


def _ccm(message: str, component: str = "ccmsetup") -> bytes:
    return (
        f'<![LOG[{message}]LOG]!><time="10:20:01.476+300" date="03-01-2011" '
        f'component="{component}" context="" type="1" thread="2408" file="x.cpp:1">\r\n'
    ).encode()


def _kinds(bundle_files: tuple[object, ...]) -> dict[str, EvidenceKind]:
    return {f.display: f.kind for f in bundle_files}  # type: ignore[attr-defined]


def test_hand_gathered_folder_with_odd_names(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "PC01",
        {
            "PC01 info.txt": oem(systeminfo_text()),
            "qfe.log": wmic_list("PC01", ["KB2305420", "KB976902"]),
            "client.dat": mobile_client_export("4.00.6487.2000"),
            "patches": client_msi_export([]),
            "logs/CcmExec.log": _ccm("Service startup.", "CcmExec"),
            "logs/setup-run.log": _ccm("CcmSetup version: 4.00.6487.2000"),
            "notes.txt": b"Called the user; migration failed at 10:20.\r\n",
        },
    )
    bundle = scan_bundle(root)
    assert _kinds(bundle.files) == {
        "PC01 info.txt": EvidenceKind.SYSTEMINFO,
        "qfe.log": EvidenceKind.WMIC_QFE,
        "client.dat": EvidenceKind.REG_EXPORT,
        "patches": EvidenceKind.REG_EXPORT,
        "logs/CcmExec.log": EvidenceKind.LOG,
        "logs/setup-run.log": EvidenceKind.LOG,
        "notes.txt": EvidenceKind.OTHER,
    }
    assert bundle.problems == ()
    facts = bundle.facts
    assert facts.warnings == ()
    assert facts.client_version == "4.00.6487.2000"
    assert facts[FactName.CLIENT_VERSION].source.startswith("client.dat:")
    assert facts[FactName.CCMSETUP_VERSION].source == "logs/setup-run.log:1"
    assert facts.flag(FactName.KB977203) is False
    assert facts.flag(FactName.KB974571) is True  # build 7601
    assert facts[FactName.HOTFIXES].value == frozenset({"KB2305420", "KB2393802", "KB976902"})
    assert facts.conflicts() == ()
    reg = next(f for f in bundle.files if f.display == "client.dat")
    assert "client version" in reg.detail and "Wow6432Node" in reg.detail


def test_same_evidence_in_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "PC01.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("PC01/systeminfo.txt", oem(systeminfo_xp()))
        zf.writestr("PC01/hotfixes.txt", wmic_list("XPCLIENT7", ["KB974571"]))
        zf.writestr("PC01/SOFTWARE", software_hive())
    bundle = scan_bundle(archive)
    assert _kinds(bundle.files)["PC01.zip!PC01/systeminfo.txt"] is EvidenceKind.SYSTEMINFO
    kb = bundle.facts[FactName.KB974571]
    assert kb.value is True and kb.source.startswith("PC01.zip!PC01/")
    # A hive is read from disk only; inside a zip it is named, not silently skipped.
    assert any("extract it first" in w.message for w in bundle.facts.warnings)


def test_conflicting_versions_across_sources(tmp_path: Path) -> None:
    pytest.importorskip("regipy")
    root = write_tree(
        tmp_path,
        {
            "mobile_client.reg": mobile_client_export("4.00.6487.2000"),
            "hive/SOFTWARE": software_hive("4.00.6221.1000"),
        },
    )
    state = scan_bundle(root).facts[FactName.CLIENT_VERSION]
    assert state.value is None
    assert "mobile_client.reg:" in state.reason and "hive/SOFTWARE" in state.reason
    assert len(state.conflicts) == 2


def test_damaged_inputs_leave_other_facts_standing(tmp_path: Path) -> None:
    cut = systeminfo_text(announced=30)
    root = write_tree(
        tmp_path,
        {
            "systeminfo.txt": oem(cut[: cut.index("Network Card(s)")]),
            "SOFTWARE": b"regf" + b"\xde\xad" * 3000,
            "hotfixes.txt": wmic_list("PC01", ["KB2305420"], bom=False),
            "bad.reg": b"Windows Registry Editor Version 5.00\r\n\r\n"
            b"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\SMS\\Mobile Client]\r\n"
            b'"ProductVersion"=dword:zz\r\n',
        },
    )
    bundle = scan_bundle(root)
    codes = {(w.source, w.code) for w in bundle.facts.warnings}
    assert ("systeminfo.txt", WarningCode.TORN_RECORD) in codes
    assert ("SOFTWARE", WarningCode.UNREADABLE) in codes
    assert ("hotfixes.txt", WarningCode.WRONG_ENCODING) in codes
    assert any(source == "bad.reg" for source, _ in codes)
    assert all(w.source and w.message for w in bundle.facts.warnings)
    assert bundle.facts.os_build == 7601
    assert bundle.facts[FactName.HOTFIXES].value == frozenset({"KB2305420"})


def test_a_text_file_named_like_a_hive_is_just_other(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"SOFTWARE": b"this is a note, not a hive\r\n"})
    bundle = scan_bundle(root)
    assert _kinds(bundle.files) == {"SOFTWARE": EvidenceKind.OTHER}
    assert [p.reason for p in bundle.problems] == [
        "no machine-fact files found (looked for systeminfo and wmic qfe output, reg exports, "
        "hives, collector manifests)"
    ]


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    bundle = scan_bundle(tmp_path / "empty")
    assert bundle.files == ()
    assert len(bundle.problems) == 1
    assert bundle.problems[0].path == str(tmp_path / "empty")
    assert "no files" in bundle.problems[0].reason
    assert bundle.facts.client_version is None


def test_missing_path_and_a_list_of_files(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": manifest_text("PC7"), "b.txt": oem(systeminfo_text("PC7"))})
    bundle = scan_bundle([tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "gone"])
    assert [p.path for p in bundle.problems] == [str(tmp_path / "gone")]
    assert _kinds(bundle.files) == {
        "a.txt": EvidenceKind.MANIFEST,
        "b.txt": EvidenceKind.SYSTEMINFO,
    }
    host = bundle.facts[FactName.HOST_NAME]
    assert host.value == "PC7"
    assert "2 observations agree" in host.reason
    assert bundle.manifests[0].complete


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("x", b"regf\x01\x00", EvidenceKind.HIVE),
        ("x", "\ufeffREGEDIT4\r\n".encode(), EvidenceKind.REG_EXPORT),
        ("x", b"\x00\x01\x02\x03\x04" * 20, EvidenceKind.OTHER),
        ("x.log", b"", EvidenceKind.OTHER),
        ("smsts.log", _ccm("Start executing an instruction.", "TSManager"), EvidenceKind.LOG),
    ],
)
def test_identify(name: str, head: bytes, kind: EvidenceKind) -> None:
    assert identify(name, head)[0] is kind


def test_a_log_quoting_tool_output_is_a_log() -> None:
    quoted = "Host Name: PC1\r\nOS Name: Windows 7\r\nOS Version: 6.1.7601\r\nHotFixID=KB1"
    head = _ccm(quoted, "OSDSMPClient") + _ccm("collector=logscan-collector 1")
    assert identify("odd.txt", head)[0] is EvidenceKind.LOG
    # The same lines as the file itself are tool output.
    assert identify("odd.txt", quoted.encode())[0] is EvidenceKind.SYSTEMINFO


def test_identify_names_the_log_kind() -> None:
    kind, detail, log_kind = identify("a.txt", _ccm("CcmSetup version: 5.00.8458.1007"))
    assert (kind, log_kind, detail) == (EvidenceKind.LOG, LogKind.CCMSETUP, "ccmsetup")
