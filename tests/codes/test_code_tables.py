"""The code tables and lookup: integrity, coverage, facility arithmetic, readings, relevance."""

from __future__ import annotations

from collections import Counter

import pytest

from logscan.codes import (
    KB977203_CODE,
    CodeKind,
    Relevance,
    UsmtCategory,
    by_name,
    decode,
    lookup,
    readings,
)
from logscan.codes.lookup import is_known
from logscan.codes.notes import HRESULT_NOTES, USMT_NOTES, WIN32_NOTES
from logscan.codes.table_crypt import CRYPT_E, CRYPTO_OTHER
from logscan.codes.table_hresult import HRESULTS
from logscan.codes.table_usmt import USMT
from logscan.codes.table_win32 import WIN32

HRESULT_ROWS = (*HRESULTS, *CRYPT_E, *CRYPTO_OTHER)

# -- integrity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "rows"),
    [("hresult", HRESULT_ROWS), ("win32", WIN32), ("usmt", tuple(r[:2] for r in USMT))],
)
def test_no_value_or_name_twice_in_a_table(label: str, rows: tuple[tuple[int, str], ...]) -> None:
    values = Counter(row[0] for row in rows)
    names = Counter(row[1] for row in rows)
    assert [v for v, n in values.items() if n > 1] == [], label
    assert [v for v, n in names.items() if n > 1] == [], label


def test_names_are_unique_across_tables() -> None:
    names = Counter([r[1] for r in HRESULT_ROWS] + [r[1] for r in WIN32] + [r[1] for r in USMT])
    assert [n for n, c in names.items() if c > 1] == []


def test_every_row_has_an_upper_case_name_and_a_sentence() -> None:
    for row in (*HRESULT_ROWS, *WIN32, *((r[0], r[1], r[3]) for r in USMT)):
        value, name, text = row[0], row[1], row[2]
        assert name == name.upper() and " " not in name, row
        assert 0 <= value <= 0xFFFFFFFF, row
        assert len(text) > 5 and text == text.strip(), row


def test_every_crypt_e_code_is_a_security_facility_failure() -> None:
    for value, name, _text in HRESULT_ROWS:
        if name.startswith(("CRYPT_E_", "NTE_", "SEC_E_")):
            parts = decode(value)
            assert value & 0xFFFF0000 in range(0x80090000, 0x800A0000, 0x10000), name
            assert parts.facility == 9 and parts.failure, name
        if name.startswith(("CERT_E_", "TRUST_E_")):
            assert decode(value).facility in {9, 11}, name


def test_crypt_e_ranges_are_complete() -> None:
    crypt = {v for v, name, _ in CRYPT_E if name.startswith("CRYPT_E_")}
    expected = (
        set(range(0x80091001, 0x80091012))  # CRYPT_E_MSG_ERROR .. STREAM_INSUFFICIENT_DATA
        | set(range(0x80092001, 0x80092015))  # CRYPT_E_BAD_LEN .. NOT_IN_REVOCATION_DATABASE
        | set(range(0x80092020, 0x8009202D))  # CRYPT_E_INVALID_NUMERIC_STRING .. PUBKEY_PARA
        | set(range(0x80093100, 0x8009310F))  # CRYPT_E_ASN1_ERROR .. ASN1_UTF8
    )
    assert expected <= crypt
    for name, value in (
        ("CRYPT_E_NOT_FOUND", 0x80092004),
        ("CRYPT_E_BAD_ENCODE", 0x80092002),
        ("CRYPT_E_ASN1_BADTAG", 0x8009310B),
        ("CRYPT_E_MSG_ERROR", 0x80091001),
    ):
        info = by_name(name)
        assert info is not None and info.code == value, name


def test_win32_table_holds_16_bit_codes_and_usmt_its_documented_set() -> None:
    assert all(code <= 0xFFFF for code, _n, _t in WIN32)
    assert {0, 2, 3, 5, 32, 87, 112, 1603, 1618, 1641, 3010} <= {c for c, _n, _t in WIN32}
    documented = {0, 1, 2, 3, 11, 12, 13, 14, 26, 27, 28, 29, *range(31, 43), 61, 71, 72}
    assert {code for code, *_ in USMT} == documented
    assert all(name.startswith("USMT_") for _c, name, *_ in USMT)


@pytest.mark.parametrize(
    ("codes", "category"),
    [
        (range(0, 4), UsmtCategory.SUCCESS_OR_CANCEL),
        (range(11, 15), UsmtCategory.INVALID_COMMAND_LINE),
        ((*range(26, 30), *range(31, 42)), UsmtCategory.SETUP_AND_INITIALIZATION),
        ((42,), UsmtCategory.STORE_VERIFICATION),
        ((61,), UsmtCategory.NON_FATAL),
        ((71, 72), UsmtCategory.FATAL),
    ],
)
def test_usmt_categories(codes: tuple[int, ...], category: UsmtCategory) -> None:
    for code in codes:
        info = lookup(code, CodeKind.USMT_RETURN)
        assert info is not None and info.usmt_category is category, code


def test_notes_point_at_codes_that_exist() -> None:
    assert all(lookup(v, CodeKind.HRESULT) is not None for v in HRESULT_NOTES)
    assert all(lookup(v, CodeKind.WIN32) is not None for v in WIN32_NOTES)
    assert all(lookup(v, CodeKind.USMT_RETURN) is not None for v in USMT_NOTES)


def test_named_0x8007_hresults_say_what_their_win32_code_says() -> None:
    win32 = {code: text for code, _name, text in WIN32}
    for value, name, text in HRESULTS:
        if value & 0xFFFF0000 == 0x80070000:
            assert text == win32[value & 0xFFFF], name


# -- facility arithmetic -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "facility", "code", "win32"),
    [
        (0x80092024, 9, 0x2024, None),
        (0x80070005, 7, 5, 5),
        (0x80070057, 7, 87, 87),
        (0x800704CF, 7, 1231, 1231),
        (0x80072EE7, 7, 12007, 12007),
        (0x8004100E, 4, 0x100E, None),
        (0x80004005, 0, 0x4005, None),
        (0x80190194, 25, 0x194, None),
        (0x800B0109, 11, 0x109, None),
        (0x87D00269, 0x7D0, 0x269, None),
        (0x00070005, 7, 5, None),  # no severity bit: not a wrapped failure
    ],
)
def test_decode(value: int, facility: int, code: int, win32: int | None) -> None:
    parts = decode(value)
    assert (parts.facility, parts.code, parts.win32) == (facility, code, win32)
    assert parts.failure is bool(value >> 31)
    assert parts.signed == (value - (1 << 32) if value >> 31 else value)
    assert decode(parts.signed) == parts


def test_decode_refuses_numbers_wider_than_32_bits() -> None:
    with pytest.raises(ValueError, match="32 bits"):
        decode(1 << 32)


def test_hresult_from_win32_for_every_win32_entry() -> None:
    for code, name, text in WIN32:
        if code == 0:
            continue
        info = lookup(0x80070000 | code)
        assert info is not None, name
        assert info.win32 == code and info.text == text and info.facility == 7
        assert info.name.endswith(f"({name})") or not info.name.startswith("HRESULT_FROM")


# -- lookup and readings --------------------------------------------------------------------


def test_the_target_code() -> None:
    for value in (0x80092024, -2146885596):
        info = lookup(value)
        assert info is not None
        assert info.name == "CRYPT_E_NOT_CHAR_STRING"
        assert info.kind is CodeKind.HRESULT
        assert info.facility == 9 and info.failure and info.win32 is None
        assert info.relevance is Relevance.KB977203
        assert info.note is not None and "KB977203" in info.note and "friendly name" in info.note
        assert "CERT_NAME_VALUE" in info.text
    assert KB977203_CODE == 0x80092024


def test_only_the_target_is_the_kb977203_signature() -> None:
    infos = [lookup(value, CodeKind.HRESULT) for value, _name, _text in HRESULT_ROWS]
    signature = [i.code for i in infos if i is not None and i.relevance is Relevance.KB977203]
    assert signature == [0x80092024]


@pytest.mark.parametrize(
    ("value", "kind", "relevance"),
    [
        (0x80092002, None, Relevance.LOOKALIKE),
        (0x80092004, None, Relevance.LOOKALIKE),
        (0x80070005, None, Relevance.LOOKALIKE),
        (0x800B0109, None, Relevance.LOOKALIKE),
        (0x80004005, None, Relevance.OTHER),
        (0x80070070, None, Relevance.OTHER),
        (27, CodeKind.USMT_RETURN, Relevance.LOOKALIKE),
        (71, CodeKind.USMT_RETURN, Relevance.LOOKALIKE),
        (0, CodeKind.USMT_RETURN, Relevance.SUCCESS),
        (0, None, Relevance.SUCCESS),
        (3010, None, Relevance.SUCCESS),
        (1603, None, Relevance.OTHER),
    ],
)
def test_relevance(value: int, kind: CodeKind | None, relevance: Relevance) -> None:
    info = lookup(value, kind)
    assert info is not None
    assert info.relevance is relevance
    assert info.failure is (relevance is not Relevance.SUCCESS)
    if relevance is Relevance.LOOKALIKE:
        assert info.note is None or "KB977203" in info.note


def test_a_small_number_has_several_readings_and_none_is_silent() -> None:
    win32 = lookup(38)
    usmt = lookup(38, CodeKind.USMT_RETURN)
    assert win32 is not None and win32.kind is CodeKind.WIN32
    assert win32.name == "ERROR_HANDLE_EOF"
    assert usmt is not None and usmt.name == "USMT_ERROR_CORRUPTED_NOTENCRYPTED_STORE"
    assert win32.note is not None and "--usmt" in win32.note
    assert [r.kind for r in readings(38)] == [CodeKind.WIN32, CodeKind.USMT_RETURN]
    usmt_first = readings(38, CodeKind.USMT_RETURN)
    assert [r.kind for r in usmt_first] == [CodeKind.USMT_RETURN, CodeKind.WIN32]
    # an exit code is read the way TSManager reads it, and says so through its kind
    exit_reading = lookup(38, CodeKind.EXIT_CODE)
    assert exit_reading is not None and exit_reading.kind is CodeKind.WIN32
    assert {r.kind for r in readings(0)} == {
        CodeKind.WIN32,
        CodeKind.USMT_RETURN,
        CodeKind.HRESULT,
    }


def test_large_values_are_hresults_whatever_the_context() -> None:
    for context in (None, CodeKind.EXIT_CODE, CodeKind.WIN32, CodeKind.UNQUALIFIED):
        info = lookup(2148081700, context)
        assert info is not None and info.kind is CodeKind.HRESULT
    assert lookup(0x80092024, CodeKind.USMT_RETURN) is None
    assert readings(0x80092024) == (lookup(0x80092024),)


def test_is_known_agrees_with_lookup() -> None:
    values = [v for v, *_ in (*HRESULT_ROWS, *WIN32)]
    values += [0x80070000 | c for c, *_ in WIN32] + [0x87D00269, 9999, 0x8007FFFF, 0xC0000005]
    for value in values:
        assert is_known(value) is (lookup(value) is not None), hex(value)


def test_unknown_and_out_of_range() -> None:
    assert lookup(0x87D00269) is None  # ConfigMgr code logscan does not claim to know
    assert lookup(9999) is None
    assert lookup(1 << 32) is None
    assert lookup(-(1 << 31) - 1) is None
    assert readings(1 << 32) == ()
    assert by_name("NO_SUCH_CODE") is None
