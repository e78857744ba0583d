"""The collector manifest: entries, facts, an unfinished run, WinPE."""

from __future__ import annotations

from factsbuild import manifest_text

from logscan.facts.manifest import looks_like_manifest, read_manifest
from logscan.facts.merge import merge_facts
from logscan.facts.model import FactName, Origin
from logscan.model import WarningCode


def test_complete_manifest() -> None:
    raw = manifest_text("PC01")
    manifest, result = read_manifest("manifest.txt", raw)
    assert result.warnings == ()
    assert manifest.complete and manifest.computer_name == "PC01"
    assert manifest.values("missing") == ("C:\\Windows\\System32\\CCM\\Logs", "X:\\SMSTSLog")
    merged = merge_facts(result.facts)
    assert merged[FactName.HOST_NAME].value == "PC01"
    assert merged[FactName.OS_BUILD].value == 7601
    assert merged[FactName.OS_SERVICE_PACK].value == 1
    assert merged[FactName.OS_ARCHITECTURE].value == "x64"
    assert merged.flag(FactName.TASK_SEQUENCE_RUNNING) is False
    assert {f.origin for f in result.facts} == {Origin.MANIFEST}
    lines = raw.decode().split("\r\n")
    assert merged[FactName.HOST_NAME].source == (
        f"manifest.txt:{lines.index('computer_name=PC01') + 1}"
    )


def test_unfinished_run_is_flagged() -> None:
    manifest, result = read_manifest("manifest.txt", manifest_text(complete=False))
    assert not manifest.complete
    assert [w.code for w in result.warnings] == [WarningCode.TORN_RECORD]
    assert "did not finish" in result.warnings[0].message


def test_copy_errors_are_reported() -> None:
    raw = manifest_text().replace(b"errors=0", b"errors=2")
    _, result = read_manifest("m.txt", raw)
    assert [w.code for w in result.warnings] == [WarningCode.UNREADABLE]


def test_winpe_values_are_not_taken_for_the_installed_os() -> None:
    raw = manifest_text("MININT-8K2L", winpe="yes", ts_running="yes")
    _, result = read_manifest("m.txt", raw)
    names = {f.name for f in result.facts}
    assert FactName.OS_BUILD not in names and FactName.OS_VERSION not in names
    assert FactName.TASK_SEQUENCE_RUNNING in names


def test_localized_ver_and_no_service_pack() -> None:
    raw = manifest_text(os_ver="Microsoft Windows [Versión 6.1.7600]", os_build="7600")
    raw = raw.replace(b"os_csd=Service Pack 1\r\n", b"")
    _, result = read_manifest("m.txt", raw)
    merged = merge_facts(result.facts)
    assert merged[FactName.OS_BUILD].value == 7600
    assert merged[FactName.OS_SERVICE_PACK].value == 0


def test_garbage_lines_are_warnings() -> None:
    raw = manifest_text() + b"\x00\x01 not a pair\r\n"
    manifest, result = read_manifest("m.txt", raw)
    assert WarningCode.STRAY_TEXT in [w.code for w in result.warnings]
    assert manifest.complete


def test_recognition() -> None:
    assert looks_like_manifest(manifest_text().decode())
    assert not looks_like_manifest("collector_version=1\r\n")
    assert looks_like_manifest("note=x\r\ncollector=logscan-collector 1.2\r\n")
    assert not looks_like_manifest("note=collector=logscan-collector 1.2\r\n")
