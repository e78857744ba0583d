"""wmic qfe output: list, table and CSV shapes; UTF-16 with and without BOM; damage."""

from __future__ import annotations

import codecs

import pytest
from factsbuild import wmic_list, wmic_table

from logscan.facts.model import FactName, FactsResult
from logscan.facts.wmic_qfe import looks_like_wmic_qfe, read_wmic_qfe
from logscan.model import WarningCode

IDS = ("KB958644", "KB974571", "KB975025")


def _values(result: FactsResult, name: FactName) -> list[object]:
    return [f.value for f in result.facts if f.name is name]


def test_list_full_utf16_with_bom_and_cr_cr_lf() -> None:
    raw = wmic_list("XPCLIENT7", IDS)
    assert raw.startswith(codecs.BOM_UTF16_LE) and "\r\r\n".encode("utf-16-le") in raw
    result = read_wmic_qfe("hotfixes.txt", raw)
    assert result.warnings == ()
    assert _values(result, FactName.HOTFIXES) == [frozenset(IDS)]
    assert _values(result, FactName.HOST_NAME) == ["XPCLIENT7"]
    kb = next(f for f in result.facts if f.name is FactName.KB974571)
    # Lines split on LF only: the 2nd instance's HotFixID line, counted as an editor would.
    text = raw[2:].decode("utf-16-le")
    expected = text.split("\n").index("HotFixID=KB974571\r\r") + 1
    assert kb.source == f"hotfixes.txt:{expected}"


def test_utf16_without_bom_is_decoded_and_noted() -> None:
    result = read_wmic_qfe("nobom.txt", wmic_list("PC", IDS, bom=False))
    assert _values(result, FactName.HOTFIXES) == [frozenset(IDS)]
    assert [w.code for w in result.warnings] == [WarningCode.WRONG_ENCODING]
    assert result.warnings[0].line == 1


def test_get_table() -> None:
    raw = wmic_table([("KB2305420", "3/15/2011"), ("KB974571", "10/14/2009"), ("Q147222", "")])
    result = read_wmic_qfe("qfe.txt", raw)
    assert result.warnings == ()
    assert _values(result, FactName.HOTFIXES) == [frozenset({"KB2305420", "KB974571", "KB147222"})]
    assert _values(result, FactName.KB974571) == [True]


def test_csv_format() -> None:
    text = "\r\nNode,HotFixID,InstalledOn\r\nPC9,KB974571,10/14/2009\r\nPC9,KB976902,1/1/2011\r\n"
    result = read_wmic_qfe("q.csv", text.encode("utf-16"))
    assert result.warnings == ()
    assert _values(result, FactName.HOTFIXES) == [frozenset({"KB974571", "KB976902"})]
    assert _values(result, FactName.HOST_NAME) == ["PC9"]


def test_no_instances_is_a_complete_empty_list() -> None:
    result = read_wmic_qfe("q.txt", "No Instance(s) Available.\r\r\n".encode("utf-16"))
    assert _values(result, FactName.HOTFIXES) == [frozenset()]


def test_cut_in_the_middle_of_an_instance() -> None:
    raw = wmic_list("PC", IDS)
    cut = raw[: raw.rindex("HotFixID=KB975025".encode("utf-16-le"))]
    result = read_wmic_qfe("cut.txt", cut)
    assert [w.code for w in result.warnings] == [WarningCode.TORN_RECORD]
    assert _values(result, FactName.HOTFIXES) == []  # incomplete: no claim about absence
    assert _values(result, FactName.KB974571) == [True]


def test_odd_byte_count() -> None:
    result = read_wmic_qfe("odd.txt", wmic_list("PC", IDS) + b"\x00")
    assert WarningCode.ODD_UTF16_LENGTH in [w.code for w in result.warnings]
    assert _values(result, FactName.HOTFIXES) == [frozenset(IDS)]


@pytest.mark.parametrize(
    "text",
    [
        "'wmic' is not recognized as an internal or external command,\r\n",
        "Invalid XSL format (or) file name.\r\n",
    ],
)
def test_error_text_instead_of_output(text: str) -> None:
    result = read_wmic_qfe("hotfixes.txt", text.encode("cp850"))
    assert result.facts == ()
    assert len(result.warnings) == 1
    assert result.warnings[0].line == 1


def test_recognition() -> None:
    assert looks_like_wmic_qfe(wmic_list("PC", IDS)[2:].decode("utf-16-le"))
    assert looks_like_wmic_qfe(wmic_table([("KB1", "")])[2:].decode("utf-16-le"))
    assert not looks_like_wmic_qfe("Host Name:   PC01\r\nOS Name:  Windows\r\n")


def test_xp_style_ids() -> None:
    raw = wmic_table([("KB893803-v2", ""), ("KB893803v2", ""), ("File 1", "")])
    result = read_wmic_qfe("q.txt", raw)
    assert _values(result, FactName.HOTFIXES) == [frozenset({"KB893803"})]
