"""normalize(): one written code, any spelling, to its unsigned 32-bit value."""

from __future__ import annotations

import pytest

from logscan.codes import decode, normalize


@pytest.mark.parametrize(
    "spelling",
    [
        "0x80092024",
        "0X80092024",
        "0x80092024 ",
        "(0x80092024)",
        "0x(80092024)",
        "80092024",
        "(80092024)",
        "2148081700",
        "-2146885596",
        "CRYPT_E_NOT_CHAR_STRING",
        "crypt_e_not_char_string",
        "Error: 80092024; Source: Windows",
        "Failed to import client certificate store (0x80092024)",
        2148081700,
        -2146885596,
        0x80092024,
    ],
)
def test_every_spelling_of_the_target(spelling: str | int) -> None:
    assert normalize(spelling) == 0x80092024


@pytest.mark.parametrize(
    ("spelling", "value"),
    [
        ("38", 38),
        ("0x26", 38),
        ("00000026", 38),  # eight digits are hex, as OSD writes them
        ("12345678", 0x12345678),
        ("0", 0),
        ("-1", 0xFFFFFFFF),
        ("4294967295", 0xFFFFFFFF),
        ("ERROR_DISK_FULL", 112),
        ("USMT_INVALID_STORE_LOCATION", 27),
        ("E_FAIL", 0x80004005),
        (5, 5),
    ],
)
def test_other_values(spelling: str | int, value: int) -> None:
    assert normalize(spelling) == value


@pytest.mark.parametrize(
    "spelling",
    [
        "",
        "   ",
        "()",
        "abc",
        "0x",
        "0x123456789",
        "4294967296",
        "-2147483649",
        "99999999999",
        "NOT_A_CODE_NAME",
        "Error 0x80004005 and Error 0x80070005",  # two different codes: ambiguous
        "10:20:57.476+240",
        True,
        False,
        1 << 32,
        -(1 << 31) - 1,
    ],
)
def test_non_codes_are_none(spelling: str | int) -> None:
    assert normalize(spelling) is None


def test_the_same_code_twice_in_a_text_is_still_one_code() -> None:
    assert normalize("Error 0x80070005 (Error: 80070005; Source: Windows)") == 0x80070005


def test_signed_and_unsigned_agree_through_decode() -> None:
    for spelling in ("-2146885596", "2148081700", "0x80092024"):
        value = normalize(spelling)
        assert value is not None
        parts = decode(value)
        assert parts.signed == -2146885596
        assert parts.value == 2148081700
