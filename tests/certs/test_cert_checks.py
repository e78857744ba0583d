"""Checks over a read store: KB977203 NUL, malformed names, roles, duplicates, validity, host."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import certfactory as F
import pytest

from logscan.certs.blob import build_blob
from logscan.certs.checks import CheckId, check_result, has_kb977203, role_of
from logscan.certs.model import CertReadResult, CertSourceKind, StoreState
from logscan.certs.pwsh import read_pwsh_json
from logscan.certs.sst import read_sst, write_sst
from logscan.model import Level

NOW = datetime(2030, 6, 1, tzinfo=UTC)


def _store(blobs: list[bytes]) -> CertReadResult:
    return read_sst("store.sst", write_sst(blobs))


def _pair(sign: str = "clean", enc: str = "clean", host: str = "PC01") -> list[bytes]:
    return list(F.client_pair(host, sign, enc).values())


def _checks(result: CertReadResult, host: str | None = "PC01") -> list[tuple[CheckId, str | None]]:
    return [(f.check, f.thumbprint) for f in check_result(result, now=NOW, host=host)]


def test_clean_store_has_no_findings() -> None:
    result = _store(_pair())
    findings = check_result(result, now=NOW, host="pc01.contoso.com")
    assert findings == [] and not has_kb977203(findings)


@pytest.mark.parametrize(("shape", "position"), [("trailing", "23"), ("middle", "3")])
def test_embedded_nul_is_the_kb977203_condition_with_position(shape: str, position: str) -> None:
    result = _store(_pair(sign=shape))
    findings = check_result(result, now=NOW, host="PC01")
    [nul] = findings
    assert nul.check is CheckId.EMBEDDED_NUL and nul.severity is Level.ERROR
    assert nul.thumbprint == result.certs[0].thumbprint
    assert f"NUL at unit {position} before the terminator" in nul.evidence
    assert "␀" in nul.evidence and "0x80092024" in nul.message
    assert nul.origin == result.certs[0].origin
    assert has_kb977203(findings)


@pytest.mark.parametrize(
    ("shape", "words"), [("unterminated", "no NUL terminator"), ("odd", "odd byte count 53")]
)
def test_malformed_friendly_names(shape: str, words: str) -> None:
    findings = check_result(_store(_pair(enc=shape)), now=NOW)
    [bad] = findings
    assert bad.check is CheckId.MALFORMED_FRIENDLY_NAME and words in bad.message
    assert not has_kb977203(findings)


def test_missing_and_duplicate_roles() -> None:
    sign, _ = _pair()
    assert [c for c, _ in _checks(_store([sign]))] == [CheckId.MISSING_ENCRYPTION]
    assert [c for c, _ in _checks(_store([]))] == [
        CheckId.MISSING_SIGNING,
        CheckId.MISSING_ENCRYPTION,
    ]
    other = F.sms_blob(F.make_der("PC01", "signing", serial=77), F.friendly(F.SIGNING))
    checks = [c for c, _ in _checks(_store([*_pair(), other]))]
    assert checks == [CheckId.DUPLICATE_ROLE]


def test_same_certificate_twice_is_reported_once() -> None:
    sign, enc = _pair(sign="trailing")
    checks = _checks(_store([sign, enc, sign]))
    thumb = F.thumb(F.make_der("PC01", "signing", serial=1))
    assert checks == [(CheckId.DUPLICATE, thumb), (CheckId.EMBEDDED_NUL, thumb)]


def test_roles_by_eku_when_the_name_differs() -> None:
    der = F.make_der("PC01", "encryption")
    result = _store([build_blob(der, {11: F.friendly("Something else")})])
    assert role_of(result.certs[0]) is not None
    assert role_of(result.certs[0]).value == "encryption"  # type: ignore[union-attr]
    assert [c for c, _ in _checks(result)] == [CheckId.MISSING_SIGNING]


def test_expired_and_not_yet_valid_use_the_given_clock() -> None:
    old = F.make_der(
        "PC01", "signing", not_before=NOW - timedelta(days=900), not_after=NOW - timedelta(days=1)
    )
    new = F.make_der(
        "PC01",
        "encryption",
        not_before=NOW + timedelta(days=2),
        not_after=NOW + timedelta(days=900),
    )
    result = _store(
        [F.sms_blob(old, F.friendly(F.SIGNING)), F.sms_blob(new, F.friendly(F.ENCRYPTION))]
    )
    assert [c for c, _ in _checks(result)] == [CheckId.EXPIRED, CheckId.NOT_YET_VALID]
    later = check_result(result, now=NOW + timedelta(days=3), host=None)
    assert [f.check for f in later] == [CheckId.EXPIRED]


def test_certificate_of_another_host_is_a_cloned_image_sign() -> None:
    findings = check_result(_store(_pair(host="GOLDIMAGE")), now=NOW, host="PC01.corp.example")
    assert [f.check for f in findings] == [CheckId.HOST_MISMATCH] * 2
    assert "GOLDIMAGE" in findings[0].message
    assert check_result(_store(_pair(host="GOLDIMAGE")), now=NOW, host=None) == []


def test_sources_that_hide_nuls_get_a_note_not_an_all_clear() -> None:
    text = (
        '[{"Thumbprint": "%s", "FriendlyName": "SMS Signing Certificate",'
        ' "NotAfter": "\\/Date(0)\\/"}]'
    )
    result = read_pwsh_json("ps51.json", text % ("A" * 40))
    checks = [f.check for f in check_result(result, now=NOW)]
    assert CheckId.NUL_NOT_VISIBLE in checks and CheckId.EMBEDDED_NUL not in checks


def test_missing_store_is_one_info_finding() -> None:
    result = CertReadResult("x.reg", CertSourceKind.REG_EXPORT, (), store=StoreState.MISSING)
    [finding] = check_result(result, now=NOW)
    assert finding.check is CheckId.NO_STORE and finding.severity is Level.INFO
