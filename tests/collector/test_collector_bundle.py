"""A bundle laid out exactly as collect_logscan.cmd writes it, read back by facts.bundle.

The layout (file names, manifest keys) is taken from the script itself, so the test
breaks when the script and the reader drift apart. The same files renamed must give
the same facts: recognition is by content.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from factsbuild import (
    MOBILE_CLIENT,
    client_msi_export,
    dword,
    manifest_text,
    mobile_client_export,
    oem,
    reg_export,
    systeminfo_text,
    wmic_list,
    write_tree,
)

from logscan.collector import script_bytes
from logscan.facts.bundle import EvidenceFile, EvidenceKind, scan_bundle
from logscan.facts.model import FactName, MachineFacts
from logscan.facts.release import ClientRelease
from logscan.inputs.regfile import RegType, RegValue

SCRIPT = script_bytes().decode("ascii")
HOST = "PC01"
CCM = "files/C/Windows/SysWOW64/CCM/Logs"


def _ccm(message: str, component: str, line_time: str = "10:20:01.476+300") -> bytes:
    return (
        f'<![LOG[{message}]LOG]!><time="{line_time}" date="03-01-2011" component="{component}" '
        f'context="" type="1" thread="2408" file="x.cpp:1">\r\n'
    ).encode()


def _sms_store() -> bytes:
    store = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\SystemCertificates\\SMS"
    blob = RegValue("Blob", RegType.BINARY, bytes.fromhex("0b000000010000000400000053004d00"), 0)
    thumb = "E2FEBF6107F078B178AF6CE0F72D3C21CD3245CA"
    return reg_export(
        {
            store: [],
            f"{store}\\Certificates": [],
            f"{store}\\Certificates\\{thumb}": [blob],
            f"{store}\\CRLs": [],
            f"{store}\\CTLs": [],
        }
    )


def collector_output(root: Path) -> Path:
    """``root\\PC01`` as the collector leaves it on a 64-bit Windows 7 SP1 client."""
    reg32 = mobile_client_export("4.00.6487.2000").replace("\\Wow6432Node".encode("utf-16-le"), b"")
    files = {
        "manifest.txt": manifest_text(HOST),
        "collector.log": b"logscan collector 1.0\r\n12 File(s) copied\r\n",
        "systeminfo.txt": oem(systeminfo_text(HOST)),
        "hotfixes.txt": wmic_list(HOST, ["KB2305420", "KB2393802", "KB976902", "KB2484033"]),
        "sms_store.reg": _sms_store(),
        "mobile_client_wow6432node.reg": mobile_client_export("4.00.6487.2000"),
        "mobile_client_reg32.reg": reg32,
        "client_msi.reg": client_msi_export([]),
        f"{CCM}/ccmsetup.log": _ccm("CcmSetup version: 4.00.6487.2000", "ccmsetup"),
        f"{CCM}/CcmExec.log": _ccm(
            "Failed to import client certificate store (0x80092024)", "OSDSMPClient"
        ),
        f"{CCM}/SMSTSLog/smsts.log": _ccm("Start executing an instruction.", "TSManager"),
        f"{CCM}/SMSTSLog/scanstate.log": b"2011-03-01 10:21:00, Info                  "
        b"[0x000000] SCANSTATE.EXE Version 6.1.7601.0\r\n",
        "files/C/_SMSTaskSequence/Logs/Smstslog/smsts.log": _ccm("Formatting.", "TSManager"),
    }
    return write_tree(root / HOST, files)


def test_fixture_layout_is_what_the_script_writes() -> None:
    outputs = set(re.findall(r'"%LS_OUT%\\([\w.]+)"', SCRIPT))
    outputs |= set(re.findall(r"call :export \"[^\"]+\" ([\w.]+\.reg)", SCRIPT))
    assert {"manifest.txt", "collector.log", "systeminfo.txt", "hotfixes.txt"} <= outputs
    assert {
        "sms_store.reg",
        "mobile_client_wow6432node.reg",
        "mobile_client_reg32.reg",
        "client_msi.reg",
    } <= outputs
    assert '"%LS_OUT%\\files\\%LS_REL%' in SCRIPT  # files\<drive>\<path>
    assert 'set "LS_REL=%LS_SRC::=%"' in SCRIPT  # the drive colon dropped: C:\x -> C\x
    keys = set(re.findall(r"call :note (\w+) ", SCRIPT))
    keys |= set(re.findall(r"call :regval \"[^\"]+\" \w+ (\w+)", SCRIPT))
    keys |= {"usmt_log"}
    written = {line.split("=", 1)[0] for line in manifest_text().decode().splitlines()[1:]}
    assert written <= keys, written - keys


def _check(facts: MachineFacts) -> None:
    assert facts.client_version == "4.00.6487.2000"
    assert facts.client_release == ClientRelease.CM2007_SP2.value
    assert facts[FactName.CLIENT_HOTFIX_LEVEL].value == "SP2"
    assert facts.flag(FactName.KB977203) is False  # no client patch registered
    assert facts.flag(FactName.KB977384) is False
    assert facts.has_kb977203_fix is False
    assert facts.is_windows7_sp1 is True
    assert facts.flag(FactName.KB974571) is True
    assert facts.flag(FactName.TASK_SEQUENCE_RUNNING) is False
    assert facts[FactName.HOST_NAME].value == HOST
    assert facts[FactName.OS_ARCHITECTURE].value == "x64"
    assert facts[FactName.CCMSETUP_VERSION].value == "4.00.6487.2000"
    assert facts[FactName.HOTFIXES].value == frozenset(
        {"KB2305420", "KB2393802", "KB976902", "KB2484033"}
    )
    assert facts.conflicts() == ()
    assert facts.warnings == ()


def test_collector_bundle_is_recognised_and_its_facts_come_out(tmp_path: Path) -> None:
    machine = collector_output(tmp_path / "evidence")
    bundle = scan_bundle(tmp_path / "evidence")
    kinds = {f.display: f.kind for f in bundle.files}
    assert kinds[f"{HOST}/manifest.txt"] is EvidenceKind.MANIFEST
    assert kinds[f"{HOST}/systeminfo.txt"] is EvidenceKind.SYSTEMINFO
    assert kinds[f"{HOST}/hotfixes.txt"] is EvidenceKind.WMIC_QFE
    # The collector's own log is plain text: a log of no known kind, no facts.
    assert kinds[f"{HOST}/collector.log"] is EvidenceKind.LOG
    for name in ("sms_store", "mobile_client_wow6432node", "mobile_client_reg32", "client_msi"):
        assert kinds[f"{HOST}/{name}.reg"] is EvidenceKind.REG_EXPORT
    assert kinds[f"{HOST}/{CCM}/SMSTSLog/scanstate.log"] is EvidenceKind.LOG
    details = {f.display: f.detail for f in bundle.files}
    assert details[f"{HOST}/sms_store.reg"].startswith("SMS certificate store")
    assert details[f"{HOST}/mobile_client_reg32.reg"].startswith("ConfigMgr client key")
    assert bundle.problems == ()
    assert [m.computer_name for m in bundle.manifests] == [HOST]
    _check(bundle.facts)
    version = bundle.facts[FactName.CLIENT_VERSION]
    assert {e.source.split(":")[0] for e in version.evidence} == {
        f"{HOST}/mobile_client_wow6432node.reg",
        f"{HOST}/mobile_client_reg32.reg",
    }
    assert machine.is_dir()


def test_renamed_files_give_the_same_facts(tmp_path: Path) -> None:
    machine = collector_output(tmp_path / "orig")
    flat = tmp_path / "renamed"
    flat.mkdir()
    for i, path in enumerate(sorted(p for p in machine.rglob("*") if p.is_file())):
        shutil.copyfile(path, flat / f"evidence_{i:02d}.dat")
    original = scan_bundle(machine)
    renamed = scan_bundle(flat)
    _check(renamed.facts)
    assert [s.value for s in renamed.facts] == [s.value for s in original.facts]

    def known(files: tuple[EvidenceFile, ...]) -> list[str]:
        # Everything but plain text, which only its .log name made a "log".
        return sorted(
            f"{f.kind}/{f.detail}" for f in files if f.detail not in ("other", "unrecognised text")
        )

    assert known(renamed.files) == known(original.files)
    assert len(known(renamed.files)) == len(renamed.files) - 1  # all but collector.log


def test_winpe_bundle_does_not_take_winpe_for_the_installed_os(tmp_path: Path) -> None:
    machine = write_tree(
        tmp_path / "MININT-8K2L",
        {
            "manifest.txt": manifest_text("MININT-8K2L", winpe="yes", ts_running="yes"),
            "files/X/Windows/Temp/SMSTSLog/smsts.log": _ccm("Formatting.", "TSManager"),
        },
    )
    facts = scan_bundle(machine).facts
    assert facts.flag(FactName.TASK_SEQUENCE_RUNNING) is True
    assert facts.os_build is None
    assert facts.client_version is None
    assert facts[FactName.CLIENT_VERSION].reason


@pytest.mark.parametrize("missing", ["systeminfo.txt", "hotfixes.txt", "client_msi.reg"])
def test_a_missing_tool_output_narrows_the_facts_but_nothing_breaks(
    tmp_path: Path, missing: str
) -> None:
    machine = collector_output(tmp_path)
    (machine / missing).unlink()
    facts = scan_bundle(machine).facts
    assert facts.client_version == "4.00.6487.2000"
    assert facts.flag(FactName.KB974571) is True  # the build still comes from the manifest
    if missing == "client_msi.reg":
        assert facts.flag(FactName.KB977203) is None


def test_registry_helpers_match_the_script_keys() -> None:
    assert "HKLM\\SOFTWARE\\Microsoft\\SMS\\Mobile Client" in SCRIPT
    assert MOBILE_CLIENT.replace("HKEY_LOCAL_MACHINE", "HKLM") in SCRIPT
    assert dword("x", 1).raw == b"\x01\x00\x00\x00"
