"""Serialized store elements: friendly-name analysis, Blob reader/writer, corrupt Blobs."""

from __future__ import annotations

import hashlib
import struct

import certfactory as F
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logscan.certs import props as P
from logscan.certs.blob import build_blob, build_element, parse_blob
from logscan.certs.model import VISIBLE_NUL, FriendlyFidelity, ProblemCode
from logscan.errors import SourceLocation
from logscan.model import Level

LOC = SourceLocation("sms.reg", line=12)


# -- friendly name (reference §3.4 / §3.5) -----------------------------------------------------


def test_reference_worked_example_trailing_nul() -> None:
    raw = "SMS Signing Certificate".encode("utf-16-le") + b"\0\0\0\0"
    name = P.analyze_friendly_name(raw)
    assert len(raw) == 50
    assert (name.units, name.terminated, name.nul_positions) == (25, True, (23,))
    assert name.display == "SMS Signing Certificate"
    assert name.visible == "SMS Signing Certificate" + VISIBLE_NUL
    assert name.clean_value == "SMS Signing Certificate".encode("utf-16-le") + b"\0\0"
    assert len(name.clean_value) == 0x30


@pytest.mark.parametrize(
    ("shape", "positions", "terminated", "odd", "display"),
    [
        ("clean", (), True, False, F.SIGNING),
        ("trailing", (23,), True, False, F.SIGNING),
        ("middle", (3,), True, False, "SMS"),
        ("unterminated", (), False, False, F.SIGNING),
        ("odd", (), False, True, F.SIGNING),
    ],
)
def test_friendly_shapes(
    shape: str, positions: tuple[int, ...], terminated: bool, odd: bool, display: str
) -> None:
    name = P.analyze_friendly_name(F.friendly(F.SIGNING, shape))
    assert name.nul_positions == positions
    assert name.terminated is terminated
    assert name.odd_length is odd
    assert name.display == display
    assert name.visible.count(VISIBLE_NUL) == len(positions)


def test_mid_string_example_from_reference() -> None:
    raw = "SMS Signing\0Certificate\0".encode("utf-16-le")
    name = P.analyze_friendly_name(raw)
    assert len(raw) == 0x30
    assert name.nul_positions == (11,)
    assert name.display == "SMS Signing"
    assert name.visible == f"SMS Signing{VISIBLE_NUL}Certificate"


def test_empty_and_lone_surrogate_names_do_not_crash() -> None:
    empty = P.analyze_friendly_name(b"")
    assert (empty.units, empty.terminated, empty.nul_positions) == (0, False, ())
    broken = P.analyze_friendly_name(b"\x00\xd8A\x00\0\0")  # lone high surrogate
    assert broken.units == 3 and broken.terminated
    assert "\ufffd" in broken.visible


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=80))
def test_nul_positions_match_the_units_for_any_bytes(raw: bytes) -> None:
    name = P.analyze_friendly_name(raw)
    units = [int.from_bytes(raw[i : i + 2], "little") for i in range(0, len(raw) - 1, 2)]
    body = units[:-1] if units and units[-1] == 0 else units
    assert name.nul_positions == tuple(i for i, u in enumerate(body) if u == 0)
    assert name.units == len(units)


# -- key provider info ------------------------------------------------------------------------


def test_key_prov_info_round_trip_and_broken_offsets() -> None:
    data = P.build_key_prov_info(
        "{C0FFEE}", "Microsoft Enhanced Cryptographic Provider v1.0", 1, 0x20, 2
    )
    info = P.parse_key_prov_info(data)
    assert (info.container, info.prov_type, info.flags, info.key_spec) == ("{C0FFEE}", 1, 0x20, 2)
    assert info.provider == "Microsoft Enhanced Cryptographic Provider v1.0"
    with pytest.raises(ValueError, match="header"):
        P.parse_key_prov_info(data[:20])
    with pytest.raises(ValueError, match="beyond"):
        P.parse_key_prov_info(struct.pack("<7I", 500, 0, 1, 0, 0, 0, 1))
    with pytest.raises(ValueError, match="terminated"):
        P.parse_key_prov_info(data[:-2])


# -- Blob reader / writer ---------------------------------------------------------------------


def test_certificate_without_properties_is_exactly_header_plus_der() -> None:
    der = F.make_der()
    blob = build_blob(der)
    assert blob[:12] == struct.pack("<III", 0x20, 1, len(der)) and blob[12:] == der


def test_blob_round_trip_keeps_every_property_and_decodes_the_certificate() -> None:
    der = F.make_der("PC01", "signing")
    blob = F.sms_blob(der, F.friendly(F.SIGNING, "trailing"))
    cert, problems = parse_blob(blob, location=LOC, expected_thumbprint=F.thumb(der))
    assert problems == []
    assert cert is not None
    assert cert.thumbprint == F.thumb(der) == hashlib.sha1(der).hexdigest().upper()
    assert cert.properties == (P.SHA1_HASH, P.KEY_PROV_INFO, P.FRIENDLY_NAME)
    assert cert.friendly_name_raw == F.friendly(F.SIGNING, "trailing")
    assert cert.nul_positions == (23,)
    assert cert.friendly is not None and cert.friendly.fidelity is FriendlyFidelity.EXACT
    assert cert.subject_cns == ("PC01", "SMS")
    assert cert.ekus == ("1.3.6.1.4.1.311.101",)
    assert cert.has_private_key is True
    assert cert.key_provider is not None and cert.key_provider.prov_type == 1
    assert cert.der == der
    assert cert.origin.line == 12 and cert.origin.offset == blob.index(der) - 12


def _one(
    blob: bytes, thumb: str | None = None
) -> tuple[object, list[tuple[ProblemCode, int | None]]]:
    cert, problems = parse_blob(blob, location=LOC, expected_thumbprint=thumb)
    assert all(p.location.path == "sms.reg" and p.location.line == 12 for p in problems)
    return cert, [(p.code, p.location.offset) for p in problems]


def test_truncated_blob_is_a_located_error() -> None:
    der = F.make_der()
    blob = F.sms_blob(der, F.friendly(F.SIGNING))
    cert, found = _one(blob[:-100])
    assert cert is None
    last = blob.index(der) - 12
    assert (ProblemCode.OVERRUN, last) in found
    assert (ProblemCode.NO_CERT_ELEMENT, 0) in found
    cert, found = _one(blob + b"\x01\x02\x03")
    assert cert is not None and found == [(ProblemCode.TRUNCATED, len(blob))]


def test_reserved_not_one_skips_that_element_and_keeps_the_certificate() -> None:
    der = F.make_der()
    name = F.friendly(F.SIGNING, "trailing")
    blob = build_element(P.SHA1_HASH, hashlib.sha1(der).digest(), reserved=2) + build_blob(
        der, {P.FRIENDLY_NAME: name}
    )
    cert, found = _one(blob)
    assert found == [(ProblemCode.BAD_RESERVED, 0)]
    assert cert is not None and getattr(cert, "nul_positions", None) == (23,)


def test_length_overrun_names_the_element_and_offset() -> None:
    der = F.make_der()
    blob = build_element(P.FRIENDLY_NAME, b"A\0\0\0", length=4000) + build_blob(der)
    cert, problems = parse_blob(blob, location=LOC)
    assert cert is None
    assert problems[0].code is ProblemCode.OVERRUN and problems[0].location.offset == 0
    assert "0xb claims 4000 bytes" in problems[0].message
    assert str(problems[0]).startswith("sms.reg:12 (Blob offset 0): element 0xb")


def test_missing_and_doubled_certificate_element() -> None:
    der = F.make_der()
    cert, found = _one(build_element(P.FRIENDLY_NAME, F.friendly(F.SIGNING)))
    assert cert is None and found == [(ProblemCode.NO_CERT_ELEMENT, 0)]
    other = F.make_der("PC01", "encryption")
    doubled = build_blob(der, {P.FRIENDLY_NAME: F.friendly(F.SIGNING)}) + build_element(0x20, other)
    cert, found = _one(doubled)
    assert [c for c, _ in found] == [ProblemCode.EXTRA_CERT_ELEMENT]
    assert getattr(cert, "thumbprint", None) == F.thumb(der)


def test_wrong_thumbprint_and_stale_hash_property() -> None:
    der = F.make_der()
    blob = F.sms_blob(der, F.friendly(F.SIGNING))
    cert, problems = parse_blob(blob, location=LOC, expected_thumbprint="00" * 20)
    assert cert is not None
    assert [p.code for p in problems] == [ProblemCode.THUMBPRINT_MISMATCH]
    assert "CryptoAPI ignores" in problems[0].message and problems[0].severity is Level.ERROR
    stale = build_blob(der, {P.SHA1_HASH: b"\x11" * 20})
    cert, problems = parse_blob(stale, location=LOC, expected_thumbprint=F.thumb(der).lower())
    assert [(p.code, p.severity) for p in problems] == [
        (ProblemCode.THUMBPRINT_MISMATCH, Level.WARNING)
    ]


def test_bad_der_still_yields_the_certificate_with_its_name() -> None:
    blob = build_blob(b"\x30\x03\x02\x01\x01", {P.FRIENDLY_NAME: F.friendly(F.SIGNING, "middle")})
    cert, problems = parse_blob(blob, location=LOC)
    assert [p.code for p in problems] == [ProblemCode.BAD_DER]
    assert cert is not None and cert.subject is None and cert.nul_positions == (3,)


def test_property_after_certificate_is_a_warning_not_a_loss() -> None:
    der = F.make_der()
    blob = build_blob(der) + build_element(P.FRIENDLY_NAME, F.friendly(F.SIGNING, "trailing"))
    cert, problems = parse_blob(blob, location=LOC)
    assert [(p.code, p.severity) for p in problems] == [(ProblemCode.BAD_PROPERTY, Level.WARNING)]
    assert cert is not None and cert.nul_positions == (23,)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_damage_to_a_blob_never_raises(data: st.DataObject) -> None:
    blob = bytearray(F.sms_blob(F.make_der(), F.friendly(F.SIGNING, "trailing")))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(blob) - 1))
        blob[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(blob)))
    parse_blob(bytes(blob[:cut]), location=LOC)
