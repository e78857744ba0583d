"""Offline SOFTWARE hives through regipy: facts, a file that is not a hive, damage, no regipy."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from hivebuild import software_hive

from logscan.errors import InputError
from logscan.facts import hive as hive_module
from logscan.facts.hive import read_software_hive
from logscan.facts.model import FactName, Origin
from logscan.model import WarningCode

pytest.importorskip("regipy")


def test_facts_from_a_software_hive(tmp_path: Path) -> None:
    path = tmp_path / "SOFTWARE"
    path.write_bytes(software_hive("4.00.6487.2000"))
    result = read_software_hive(path, "bundle/SOFTWARE")
    assert result.warnings == ()
    got = {f.name: (f.value, f.source) for f in result.facts}
    assert got[FactName.CLIENT_VERSION] == (
        "4.00.6487.2000",
        "bundle/SOFTWARE: \\Wow6432Node\\Microsoft\\SMS\\Mobile Client\\ProductVersion",
    )
    assert got[FactName.OS_BUILD][0] == 7601
    assert got[FactName.OS_SERVICE_PACK][0] == 1
    assert {f.origin for f in result.facts} == {Origin.REGISTRY}


def test_hive_without_client_and_service_pack(tmp_path: Path) -> None:
    path = tmp_path / "sw.hiv"
    path.write_bytes(software_hive(None, build="7600", csd=None))
    got = {f.name: f.value for f in read_software_hive(path).facts}
    assert FactName.CLIENT_VERSION not in got
    assert got[FactName.OS_SERVICE_PACK] == 0


def test_a_file_that_is_not_a_hive(tmp_path: Path) -> None:
    path = tmp_path / "SOFTWARE"
    path.write_bytes(b"MZ\x90\x00 this is an executable, not a hive")
    result = read_software_hive(path, "SOFTWARE")
    assert result.facts == ()
    assert [w.code for w in result.warnings] == [WarningCode.BINARY_CONTENT]
    assert "not a registry hive" in result.warnings[0].message
    assert result.warnings[0].source == "SOFTWARE"


def test_a_damaged_hive(tmp_path: Path) -> None:
    path = tmp_path / "SOFTWARE"
    path.write_bytes(b"regf" + bytes(range(256)) * 20)
    result = read_software_hive(path)
    assert result.facts == ()
    assert [w.code for w in result.warnings] == [WarningCode.UNREADABLE]
    assert "damaged registry hive" in result.warnings[0].message


def test_a_hive_of_something_else(tmp_path: Path) -> None:
    from hivebuild import Node, build_hive

    root = Node("ROOT")
    root.child("ControlSet001\\Control").values["SystemStartOptions"] = "NOEXECUTE"
    path = tmp_path / "SYSTEM"
    path.write_bytes(build_hive(root, "\\SystemRoot\\System32\\Config\\SYSTEM"))
    result = read_software_hive(path)
    assert [w.code for w in result.warnings] == [WarningCode.BAD_KEY]
    assert "SOFTWARE hive" in result.warnings[0].message


def test_missing_regipy_is_a_clear_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "SOFTWARE"
    path.write_bytes(software_hive())
    real = importlib.import_module

    def no_regipy(name: str, package: str | None = None) -> object:
        if name.startswith("regipy"):
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(hive_module.importlib, "import_module", no_regipy)
    result = read_software_hive(path)
    assert result.facts == ()
    assert [w.message for w in result.warnings] == [hive_module.INSTALL_HINT]


def test_unreadable_path_raises_located_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_software_hive(tmp_path / "nope")
    assert err.value.location is not None
    assert err.value.location.path.endswith("nope")
