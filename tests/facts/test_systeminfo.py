"""systeminfo output: list and CSV forms, XP and Windows 7, other languages, damage."""

from __future__ import annotations

import pytest
from factsbuild import oem, systeminfo_csv, systeminfo_text, systeminfo_xp
from hypothesis import given
from hypothesis import strategies as st

from logscan.facts.model import Fact, FactName, FactsResult
from logscan.facts.systeminfo import _first_lines, looks_like_systeminfo, read_systeminfo
from logscan.model import WarningCode


def _one(result: FactsResult, name: FactName) -> Fact:
    found = [f for f in result.facts if f.name is name]
    assert len(found) == 1, found
    return found[0]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\r\n"), 1) if needle in line)


def test_windows7_sp1_english() -> None:
    text = systeminfo_text()
    result = read_systeminfo("systeminfo.txt", oem(text))
    assert result.warnings == ()
    assert _one(result, FactName.HOST_NAME).value == "PC01"
    assert _one(result, FactName.OS_NAME).value == "Microsoft Windows 7 Enterprise"
    version = _one(result, FactName.OS_VERSION)
    assert version.value == "6.1"
    assert version.source == f"systeminfo.txt:{_line_of(text, 'OS Version:')}"
    assert _one(result, FactName.OS_BUILD).value == 7601
    assert _one(result, FactName.OS_SERVICE_PACK).value == 1
    assert _one(result, FactName.OS_ARCHITECTURE).value == "x64"
    hotfixes = _one(result, FactName.HOTFIXES)
    assert hotfixes.value == frozenset({"KB2305420", "KB2393802", "KB976902"})
    assert hotfixes.source == f"systeminfo.txt:{_line_of(text, 'Hotfix(s):')}"
    # Windows 7 SP1 contains 974571 without listing it: systeminfo claims nothing.
    assert not [f for f in result.facts if f.name is FactName.KB974571]


def test_xp_sp3_lists_974571_on_its_own_line() -> None:
    text = systeminfo_xp()
    result = read_systeminfo("info.txt", oem(text))
    assert result.warnings == ()
    kb = _one(result, FactName.KB974571)
    assert kb.value is True
    assert kb.source == f"info.txt:{_line_of(text, ': KB974571')}"
    assert _one(result, FactName.OS_VERSION).value == "5.1"
    assert _one(result, FactName.OS_BUILD).value == 2600
    assert _one(result, FactName.OS_SERVICE_PACK).value == 3
    assert _one(result, FactName.OS_ARCHITECTURE).value == "x86"
    # "File 1" rows count toward the announced total but are not hotfix ids.
    assert _one(result, FactName.HOTFIXES).value == frozenset({"KB958644", "KB974571", "KB975025"})


def test_rtm_without_service_pack() -> None:
    result = read_systeminfo("s.txt", oem(systeminfo_text(os_version="6.1.7600 N/A Build 7600")))
    assert _one(result, FactName.OS_BUILD).value == 7600
    assert _one(result, FactName.OS_SERVICE_PACK).value == 0


def test_csv_form() -> None:
    result = read_systeminfo("s.csv", systeminfo_csv(hotfixes=("KB974571", "KB971512")).encode())
    assert result.warnings == ()
    assert _one(result, FactName.HOST_NAME).value == "PC02"
    assert _one(result, FactName.OS_VERSION).value == "6.0"
    assert _one(result, FactName.OS_SERVICE_PACK).value == 2
    assert _one(result, FactName.KB974571).value is True
    assert _one(result, FactName.HOTFIXES).value == frozenset({"KB974571", "KB971512"})


GERMAN = (
    "\r\n"
    "Hostname:                                      PC-DE01\r\n"
    "Betriebssystemname:                            Microsoft Windows 7 Professional \r\n"
    "Betriebssystemversion:                         6.1.7601 Service Pack 1 Build 7601\r\n"
    "Betriebssystemhersteller:                      Microsoft Corporation\r\n"
    "Systemtyp:                                     x64-based PC\r\n"
    "Hotfix(es):                                    2 Hotfix(es) installiert.\r\n"
    "                                               [01]: KB2079403\r\n"
    "                                               [02]: KB974571\r\n"
    "Netzwerkkarte(n):                              1 Netzwerkadapter installiert.\r\n"
    "                                               [01]: Intel(R) PRO/1000 MT\r\n"
    "                                                     IP-Adresse(n)\r\n"
    "                                                     [01]: 10.1.1.4\r\n"
)


def test_other_language_by_position_and_language_neutral_hotfixes() -> None:
    assert looks_like_systeminfo(GERMAN)
    result = read_systeminfo("de.txt", oem(GERMAN))
    assert result.warnings == ()
    assert _one(result, FactName.HOST_NAME).value == "PC-DE01"
    version = _one(result, FactName.OS_VERSION)
    assert version.value == "6.1"
    assert "not English" in version.detail
    assert _one(result, FactName.OS_BUILD).value == 7601
    assert _one(result, FactName.KB974571).value is True
    # The network card's "[01]: 10.1.1.4" is not mistaken for a hotfix.
    assert _one(result, FactName.HOTFIXES).value == frozenset({"KB2079403", "KB974571"})


def test_other_language_with_unexpected_order_claims_no_os_version() -> None:
    shuffled = GERMAN.replace("Betriebssystemversion", "Zzz").replace(
        "Betriebssystemname:                            Microsoft Windows 7 Professional ",
        "Betriebssystemname:                            Windows Version 7",
    )
    lines = shuffled.split("\r\n")
    lines[2], lines[3] = lines[3], lines[2]  # version line is now second: not by position
    result = read_systeminfo("de.txt", oem("\r\n".join(lines)))
    assert not [f for f in result.facts if f.name in (FactName.OS_VERSION, FactName.OS_BUILD)]
    assert _one(result, FactName.KB974571).value is True


def test_truncated_hotfix_list_is_not_claimed_complete() -> None:
    text = systeminfo_text(hotfixes=("KB1", "KB2305420"), announced=41)
    cut = text[: text.index("Network Card(s)")]
    result = read_systeminfo("cut.txt", oem(cut))
    assert [w.code for w in result.warnings] == [WarningCode.TORN_RECORD]
    warning = result.warnings[0]
    assert "2 of 41" in warning.message
    assert warning.line == _line_of(cut, "KB2305420")
    assert not [f for f in result.facts if f.name is FactName.HOTFIXES]
    assert _one(result, FactName.OS_BUILD).value == 7601  # the rest still counts


def test_garbled_version_is_a_located_warning() -> None:
    text = systeminfo_text(os_version="6.1.7\x1a\x1a01 Servi")
    result = read_systeminfo("bad.txt", oem(text))
    bad = [w for w in result.warnings if w.code is WarningCode.BAD_VALUE]
    assert len(bad) == 1
    assert bad[0].line == _line_of(text, "OS Version:")
    assert not [f for f in result.facts if f.name is FactName.OS_BUILD]
    assert _one(result, FactName.HOST_NAME).value == "PC01"


def test_build_words_that_disagree() -> None:
    text = systeminfo_text(os_version="6.1.7601 Service Pack 1 Build 7600")
    result = read_systeminfo("x.txt", oem(text))
    assert [w.code for w in result.warnings] == [WarningCode.BAD_VALUE]


def test_stray_lines_are_warnings_not_failures() -> None:
    text = systeminfo_text().replace(
        "OS Manufacturer", "\x00garbage line without colon\r\nOS Manufacturer"
    )
    result = read_systeminfo("g.txt", oem(text))
    assert WarningCode.STRAY_TEXT in [w.code for w in result.warnings]
    assert _one(result, FactName.OS_BUILD).value == 7601


@pytest.mark.parametrize("raw", [b"", b"\r\n\r\n", b"\xff\xfe"])
def test_empty(raw: bytes) -> None:
    result = read_systeminfo("empty.txt", raw)
    assert result.facts == ()
    assert [w.code for w in result.warnings] == [WarningCode.EMPTY_FILE]


def test_utf16_capture() -> None:
    raw = b"\xff\xfe" + systeminfo_text().encode("utf-16-le")
    result = read_systeminfo("u.txt", raw)
    assert result.warnings == ()
    assert _one(result, FactName.OS_BUILD).value == 7601


def test_table_form_yields_only_hotfix_ids() -> None:
    text = (
        '"Host Name"  "OS Name"  "Hotfix(s)"\r\n'
        "============ ========== ==========\r\n"
        "PC03         Windows XP 2 Hotfix(s) Installed.,[01]: KB974571,[02]: KB1\r\n"
    )
    text = text.replace('"', "")
    result = read_systeminfo("t.txt", text.encode())
    assert [w.code for w in result.warnings] == [WarningCode.MIXED_FORMATS]
    assert [f.name for f in result.facts] == [FactName.KB974571]


def test_recognition() -> None:
    assert looks_like_systeminfo(systeminfo_text().lstrip())
    assert looks_like_systeminfo(systeminfo_csv())
    assert not looks_like_systeminfo("HotFixID=KB974571\nCaption=x\n")
    assert not looks_like_systeminfo("<![LOG[OS Version: 6.1.7601]LOG]!>")


def test_xp_ids_with_suffixes() -> None:
    text = systeminfo_xp(hotfixes=("KB893803v2", "KB2079403 - Update", "Q147222", "KB974571"))
    result = read_systeminfo("xp.txt", oem(text))
    assert _one(result, FactName.HOTFIXES).value == frozenset(
        {"KB893803", "KB2079403", "KB147222", "KB974571"}
    )


def test_csv_in_another_language() -> None:
    text = (
        '"Hostname","Betriebssystemname","Betriebssystemversion","Hotfix(es)"\r\n'
        '"PC-DE02","Microsoft Windows 7 Professional ","6.1.7600 Nicht zutreffend Build 7600",'
        '"1 Hotfix(es) installiert.,[01]: KB974571"\r\n'
    )
    assert looks_like_systeminfo(text)
    result = read_systeminfo("de.csv", oem(text))
    assert result.warnings == ()
    assert _one(result, FactName.HOST_NAME).value == "PC-DE02"
    assert _one(result, FactName.OS_BUILD).value == 7600
    assert _one(result, FactName.KB974571).value is True
    # "Nicht zutreffend" is not understood: the service pack stays unknown, not 0.
    assert not [f for f in result.facts if f.name is FactName.OS_SERVICE_PACK]


@given(
    st.lists(st.sampled_from(["a", " ", "\r", "\n", "\r\n", "\x0b", "\u2028", ":"])).map("".join),
    st.integers(0, 9),
)
def test_first_lines_split_as_the_whole_text(text: str, n: int) -> None:
    assert _first_lines(text, n) == text.splitlines()[:n]
