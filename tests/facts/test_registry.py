"""Registry facts from reg exports: client version in both views, OS version, MSI patches."""

from __future__ import annotations

import pytest
from factsbuild import (
    CURRENT_VERSION,
    MOBILE_CLIENT,
    client_msi_export,
    dword,
    mobile_client_export,
    reg_export,
    sz,
)

from logscan.errors import InputError
from logscan.facts.model import FactName, FactsResult, Origin
from logscan.facts.registry import read_reg_export
from logscan.model import WarningCode


def _facts(result: FactsResult, name: FactName) -> list[tuple[object, str]]:
    return [(f.value, f.source) for f in result.facts if f.name is name]


def _line(raw: bytes, needle: str) -> int:
    text = raw[2:].decode("utf-16-le")
    return next(i for i, line in enumerate(text.split("\r\n"), 1) if needle in line)


def test_client_version_in_the_32_bit_view() -> None:
    raw = mobile_client_export("4.0.6487.2111")
    result = read_reg_export("mobile_client.reg", raw)
    assert result.warnings == ()
    line = _line(raw, '"ProductVersion"')
    assert _facts(result, FactName.CLIENT_VERSION) == [
        ("4.00.6487.2111", f"mobile_client.reg:{line}")
    ]
    fact = result.facts[0]
    assert fact.origin is Origin.REGISTRY
    assert "Wow6432Node" in fact.detail


def test_both_views_are_read() -> None:
    raw = reg_export(
        {
            MOBILE_CLIENT: [sz("ProductVersion", "5.00.8458.1007")],
            MOBILE_CLIENT.replace("SOFTWARE\\", "SOFTWARE\\Wow6432Node\\"): [
                sz("ProductVersion", "4.00.6487.2000")
            ],
        }
    )
    values = [v for v, _ in _facts(read_reg_export("both.reg", raw), FactName.CLIENT_VERSION)]
    assert values == ["5.00.8458.1007", "4.00.6487.2000"]


def test_windows_version_key() -> None:
    raw = reg_export(
        {
            CURRENT_VERSION: [
                sz("ProductName", "Windows 7 Enterprise"),
                sz("CurrentVersion", "6.1"),
                sz("CurrentBuildNumber", "7601"),
                sz("CSDVersion", "Service Pack 1"),
            ]
        }
    )
    result = read_reg_export("winver.reg", raw)
    assert result.warnings == ()
    got = {f.name: f.value for f in result.facts}
    assert got == {
        FactName.OS_NAME: "Windows 7 Enterprise",
        FactName.OS_VERSION: "6.1",
        FactName.OS_BUILD: 7601,
        FactName.OS_SERVICE_PACK: 1,
    }


def test_windows10_version_dwords_win_over_compat_current_version() -> None:
    raw = reg_export(
        {
            CURRENT_VERSION: [
                sz("CurrentVersion", "6.3"),
                dword("CurrentMajorVersionNumber", 10),
                dword("CurrentMinorVersionNumber", 0),
                sz("CurrentBuildNumber", "19045"),
            ]
        }
    )
    got = {f.name: f.value for f in read_reg_export("w10.reg", raw).facts}
    assert got[FactName.OS_VERSION] == "10.0"
    assert got[FactName.OS_SERVICE_PACK] == 0  # no CSDVersion value at all


def test_client_patch_list_names_kb977203() -> None:
    raw = client_msi_export(["Hotfix for Configuration Manager 2007 SP2 (KB977203)"])
    result = read_reg_export("client_msi.reg", raw)
    assert result.warnings == ()
    assert _facts(result, FactName.KB977203) == [(True, f"client_msi.reg:{_line(raw, 'KB977203')}")]
    absent = _facts(result, FactName.KB977384)
    assert absent == [(False, f"client_msi.reg:{_line(raw, 'Patches]')}")]


def test_empty_patch_list_says_both_absent() -> None:
    result = read_reg_export("client_msi.reg", client_msi_export([]))
    assert [f.value for f in result.facts if f.name in (FactName.KB977203, FactName.KB977384)] == [
        False,
        False,
    ]


def test_bad_product_version_is_a_located_warning() -> None:
    raw = mobile_client_export("garbage", wow=False)
    result = read_reg_export("m.reg", raw)
    assert _facts(result, FactName.CLIENT_VERSION) == []
    assert [(w.code, w.line) for w in result.warnings] == [
        (WarningCode.BAD_VALUE, _line(raw, "ProductVersion"))
    ]


def test_unrelated_keys_give_nothing() -> None:
    raw = reg_export({"HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\SystemCertificates\\SMS": []})
    assert read_reg_export("sms.reg", raw) == FactsResult()


def test_not_a_registry_export_raises_a_located_input_error() -> None:
    with pytest.raises(InputError) as err:
        read_reg_export("notes.reg", b"hello\r\n")
    assert err.value.location is not None and err.value.location.path == "notes.reg"
