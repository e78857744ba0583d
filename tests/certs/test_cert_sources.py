"""Offline readers of the SMS store: .reg, SST, hive, collector JSON, PowerShell, certutil."""

from __future__ import annotations

import codecs
import json
import shutil
import subprocess
import sys
from pathlib import Path

import certfactory as F
import hivebuilder as H
import pytest

from logscan.certs.collected import read_collected, write_collected
from logscan.certs.hive import HiveSource
from logscan.certs.model import (
    CertReadResult,
    CertSourceKind,
    FriendlyFidelity,
    ProblemCode,
    StoreState,
)
from logscan.certs.pwsh import LIMIT_PS7, LIMIT_PS51, read_pwsh_json
from logscan.certs.regexport import RegExportSource
from logscan.certs.sst import END_MARKER, MAGIC, read_sst, write_sst
from logscan.errors import InputError
from logscan.inputs.regfile import RegKey, RegType, RegValue, format_reg_file
from logscan.model import Level


def _nuls(result: CertReadResult) -> dict[str, tuple[int, ...]]:
    return {c.thumbprint: c.nul_positions for c in result.certs}


# -- .reg export ----------------------------------------------------------------------------


def test_reg_export_finds_both_client_certificates_and_the_nul(tmp_path: Path) -> None:
    pair = F.client_pair("PC01", "trailing", "middle")
    path = tmp_path / "sms.reg"
    path.write_bytes(F.reg_export(pair))
    result = RegExportSource(path).read()
    assert result.problems == () and result.store is StoreState.FOUND
    sign, enc = pair
    assert _nuls(result) == {sign: (23,), enc: (3,)}
    text = path.read_bytes()[2:].decode("utf-16-le").split("\r\n")
    for cert in result.certs:
        assert cert.origin.line is not None
        assert text[cert.origin.line - 1].startswith('"Blob"=hex:')
        assert text[cert.origin.line - 2] == f"[{F.STORE}\\Certificates\\{cert.thumbprint}]"


def test_reg_export_in_regedit4_and_under_another_root(tmp_path: Path) -> None:
    pair = F.client_pair("PC01", "clean", "trailing")
    path = tmp_path / "offline.reg"
    root = r"HKEY_LOCAL_MACHINE\OFFLINE_SOFTWARE\Microsoft\SystemCertificates\SMS"
    path.write_bytes(F.reg_export(pair, root=root, version=4))
    result = RegExportSource(path).read()
    assert result.problems == ()
    assert sorted(_nuls(result).values()) == [(), (26,)]  # "SMS Encryption Certificate" + NUL


def test_one_corrupt_blob_is_located_and_the_other_certificate_still_read(tmp_path: Path) -> None:
    pair = F.client_pair("PC01", "trailing", "clean")
    (sign, good), (enc, _) = pair.items()
    wrong = F.sms_blob(F.make_der("PC01", "encryption", serial=99), F.friendly(F.ENCRYPTION))
    broken = {sign: good[:-40], enc: wrong}  # cut Blob; Blob under a foreign thumbprint
    path = tmp_path / "broken.reg"
    path.write_bytes(F.reg_export(broken))
    result = RegExportSource(path).read()
    codes = {(p.code, p.thumbprint) for p in result.problems}
    assert (ProblemCode.OVERRUN, sign) in codes
    assert (ProblemCode.THUMBPRINT_MISMATCH, enc) in codes
    assert [c.friendly_name_text for c in result.certs] == [F.ENCRYPTION]
    overrun = next(p for p in result.problems if p.code is ProblemCode.OVERRUN)
    lines = path.read_bytes()[2:].decode("utf-16-le").split("\r\n")
    blob_line = lines.index(f"[{F.STORE}\\Certificates\\{sign}]") + 2
    assert overrun.location.path == str(path) and overrun.location.line == blob_line
    assert overrun.location.offset is not None and overrun.location.offset > 0
    assert str(overrun).startswith(f"{path}:{blob_line} (Blob offset {overrun.location.offset})")


def test_reg_export_in_the_wrong_encoding_is_read_with_a_located_warning(tmp_path: Path) -> None:
    raw = F.reg_export(F.client_pair("PC01", "trailing"))
    utf8 = raw[2:].decode("utf-16-le").encode("utf-8")
    path = tmp_path / "saved_as_utf8.reg"
    path.write_bytes(utf8)
    result = RegExportSource(path).read()
    assert sorted(_nuls(result).values()) == [(), (23,)]
    [warning] = result.problems
    assert warning.code is ProblemCode.SOURCE_WARNING and warning.severity is Level.WARNING
    assert warning.location.line == 1 and "wrong_encoding" in warning.message


def test_reg_export_of_a_different_key_says_so(tmp_path: Path) -> None:
    other = [
        RegKey(
            r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SMS\Mobile Client",
            0,
            (RegValue("ProductVersion", RegType.SZ, "4.00.6487.2000\0".encode("utf-16-le"), 0),),
        )
    ]
    path = tmp_path / "client.reg"
    path.write_bytes(format_reg_file(other))
    result = RegExportSource(path).read()
    assert result.store is StoreState.MISSING and result.certs == ()
    [problem] = result.problems
    assert problem.code is ProblemCode.NO_STORE and problem.location.line == 3
    assert "Mobile Client" in problem.message and "reg export" in problem.message


def test_not_a_reg_file_raises_input_error_with_location(tmp_path: Path) -> None:
    path = tmp_path / "notes.reg"
    path.write_bytes(b"just some text\r\n")
    with pytest.raises(InputError) as err:
        RegExportSource(path).read()
    assert str(err.value).startswith(f"{path}:1")


def test_huge_reg_export_with_the_store_inside_is_read_in_seconds(tmp_path: Path) -> None:
    noise = RegValue("Data", RegType.BINARY, bytes(range(256)) * 8, 0)
    keys = [RegKey(rf"HKEY_LOCAL_MACHINE\SOFTWARE\Vendor\{i}", 0, (noise,)) for i in range(4000)]
    keys[2000:2000] = F.store_keys(F.client_pair("PC01", "middle"))
    path = tmp_path / "software.reg"
    path.write_bytes(format_reg_file(keys))
    assert path.stat().st_size > 40_000_000
    result = RegExportSource(path).read()
    assert result.problems == ()
    assert sorted(_nuls(result).values()) == [(), (3,)]


# -- SST ------------------------------------------------------------------------------------


def test_sst_round_trip_with_two_certificates() -> None:
    pair = F.client_pair("PC01", "trailing", "clean")
    data = write_sst(pair.values())
    assert data.startswith(MAGIC) and data.endswith(END_MARKER)
    assert len(data) == 8 + sum(len(b) for b in pair.values()) + 12
    result = read_sst("store.sst", data)
    assert result.problems == ()
    assert _nuls(result) == dict(zip(pair, [(23,), ()], strict=True))
    first_der = F.make_der("PC01", "signing", serial=1)
    assert result.certs[0].origin.offset == data.index(first_der) - 12


def test_sst_without_hash_properties_is_fine() -> None:
    der = F.make_der()
    data = write_sst([F.sms_blob(der, F.friendly(F.SIGNING, "middle"), sha1=False, key_prov=False)])
    result = read_sst("nohash.sst", data)
    assert result.problems == () and result.certs[0].thumbprint == F.thumb(der)


def test_sst_damage_is_located_and_earlier_groups_survive() -> None:
    pair = list(F.client_pair("PC01", "trailing").values())
    whole = write_sst(pair)
    cut = whole[: len(whole) - 12 - 30]
    result = read_sst("cut.sst", cut)
    assert len(result.certs) == 1 and result.certs[0].nul_positions == (23,)
    assert {p.code for p in result.problems} == {ProblemCode.OVERRUN, ProblemCode.NO_CERT_ELEMENT}
    assert all(p.location.offset is not None and p.location.line is None for p in result.problems)
    no_marker = read_sst("nomarker.sst", whole[:-12])
    assert [p.code for p in no_marker.problems] == [ProblemCode.TRUNCATED]
    assert len(no_marker.certs) == 2
    trailing = read_sst("extra.sst", whole + b"junk")
    assert [p.code for p in trailing.problems] == [ProblemCode.BAD_HEADER]
    assert trailing.problems[0].location.offset == len(whole)


def test_sst_with_wrong_magic_is_an_input_error() -> None:
    with pytest.raises(InputError) as err:
        read_sst("x.sst", b"\x01\0\0\0CERT" + b"\0" * 12)
    assert err.value.location is not None and err.value.location.offset == 0


# -- offline hive ---------------------------------------------------------------------------


def test_hive_reader_reads_the_store_from_a_real_regf_file(tmp_path: Path) -> None:
    pair = F.client_pair("PC01", "trailing", "clean")
    path = tmp_path / "SOFTWARE"
    path.write_bytes(H.software_hive(pair))
    result = HiveSource(path).read()
    assert result.problems == () and result.limitations == ()
    assert _nuls(result) == dict(zip(pair, [(23,), ()], strict=True))
    assert all(
        "!\\Microsoft\\SystemCertificates\\SMS\\Certificates\\" in c.origin.path
        for c in result.certs
    )


@pytest.mark.skipif(shutil.which("hivexget") is None, reason="libhivex-bin not installed")
def test_hive_fixture_is_accepted_by_hivex_too(tmp_path: Path) -> None:
    path = tmp_path / "SOFTWARE"
    pair = F.client_pair("PC01", "trailing")
    path.write_bytes(H.software_hive(pair, "4.00.6487.2111"))
    out = subprocess.run(
        ["hivexget", str(path), r"\Microsoft\SMS\Mobile Client", "ProductVersion"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "4.00.6487.2111"


def test_hive_without_the_store_and_dirty_hive(tmp_path: Path) -> None:
    root = H.Key("ROOT")
    root.child(r"Microsoft\Windows NT\CurrentVersion").values["CurrentBuild"] = (
        1,
        "7601\0".encode("utf-16-le"),
    )
    data = bytearray(H.build_hive(root))
    data[8] = 2  # secondary sequence number differs: dirty
    path = tmp_path / "SOFTWARE"
    path.write_bytes(bytes(data))
    result = HiveSource(path).read()
    assert result.store is StoreState.MISSING
    assert [p.code for p in result.problems] == [ProblemCode.NO_STORE]
    assert len(result.limitations) == 1 and "dirty" in result.limitations[0]


@pytest.mark.parametrize("content", [b"regf" + b"\0" * 100, b"MZ\x90\0 not a hive at all", b""])
def test_not_a_hive_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "software.hiv"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        HiveSource(path).read()
    assert str(err.value).startswith(f"{path}@0: not a readable registry hive")


def test_missing_regipy_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "SOFTWARE"
    path.write_bytes(H.software_hive({}))
    monkeypatch.setitem(sys.modules, "regipy.registry", None)
    with pytest.raises(InputError, match=r"pip install logscan-configmgr\[hive\]"):
        HiveSource(path).read()


# -- collector JSON -------------------------------------------------------------------------


def test_collected_round_trip_and_bad_entries() -> None:
    pair = F.client_pair("PC07", "middle")
    text = write_collected(pair, host="PC07")
    result = read_collected("certs.json", text)
    assert result.problems == () and result.host == "PC07"
    assert result.source_kind is CertSourceKind.COLLECTED
    assert sorted(_nuls(result).values()) == [(), (3,)]
    doc = json.loads(text)
    doc["certificates"][0]["blob_base64"] = "***"
    doc["certificates"].append({"thumbprint": "AB" * 20})
    bad = read_collected("certs.json", json.dumps(doc, indent=2))
    assert len(bad.certs) == 1
    assert [p.code for p in bad.problems] == [ProblemCode.BAD_VALUE, ProblemCode.BAD_VALUE]
    assert bad.problems[0].location.line == 7  # the line of the first entry's thumbprint
    with pytest.raises(InputError) as err:
        read_collected("certs.json", '{"certificates": [')
    assert str(err.value).startswith("certs.json:1:")


# -- PowerShell JSON ------------------------------------------------------------------------

_PS7 = """[
  {
    "Thumbprint": "%s",
    "FriendlyName": "SMS Signing Certificate\\u0000",
    "Subject": "CN=SMS, CN=PC01",
    "NotAfter": "2039-12-31T18:59:00-05:00",
    "HasPrivateKey": true
  },
  {
    "Thumbprint": "%s",
    "FriendlyName": "SMS Encryption Certificate",
    "Subject": "CN=SMS, CN=PC01",
    "NotAfter": "2039-12-31T18:59:00-05:00"
  }
]"""


def test_powershell7_json_shows_the_nul_with_reduced_fidelity() -> None:
    result = read_pwsh_json("ps7.json", _PS7 % ("A" * 40, "b" * 40))
    assert result.problems == () and result.limitations == (LIMIT_PS7,)
    sign, enc = result.certs
    assert sign.nul_positions == (23,) and enc.nul_positions == ()
    assert (
        sign.friendly is not None and sign.friendly.fidelity is FriendlyFidelity.LAST_UNIT_DROPPED
    )
    assert sign.friendly_name_raw is None  # not the stored bytes
    assert enc.thumbprint == "B" * 40 and enc.origin.line == 10
    assert (
        sign.not_after is not None
        and sign.not_after.hour == 23
        and sign.subject_cns == ("SMS", "PC01")
    )


def test_windows_powershell_json_hides_the_nul_and_says_so() -> None:
    text = (
        '{"Thumbprint":"%s","FriendlyName":"SMS Signing Certificate",'
        '"NotAfter":"\\/Date(2208988800000)\\/"}' % ("C" * 40)
    )
    result = read_pwsh_json("ps51.json", text)
    assert result.limitations == (LIMIT_PS51,)
    [cert] = result.certs
    assert cert.friendly is not None and cert.friendly.fidelity is FriendlyFidelity.CUT_AT_NUL
    assert cert.not_after is not None and cert.not_after.year == 2040


def test_powershell_json_with_raw_data_decodes_the_certificate() -> None:
    der = F.make_der("PC01", "encryption")
    item = {
        "Thumbprint": F.thumb(der),
        "FriendlyName": "SMS Encryption Certificate\u0000",
        "RawData": list(der),
        "NotAfter": "2030-01-01T00:00:00",
    }
    bad = dict(item, Thumbprint="0" * 40)
    result = read_pwsh_json("raw.json", json.dumps([item, bad]))
    assert [c.ekus for c in result.certs] == [("1.3.6.1.4.1.311.101.2",)] * 2
    assert result.certs[0].nul_positions == (26,)
    assert [p.code for p in result.problems] == [ProblemCode.THUMBPRINT_MISMATCH]


# -- certutil -------------------------------------------------------------------------------

_CERTUTIL = """SMS
================ Certificate 0 ================
Serial Number: 0a1b2c
Issuer: CN=SMS, CN=PC01
 NotBefore: 7/1/2012 10:34 PM
 NotAfter: 12/31/2039 6:59 PM
Subject: CN=SMS, CN=PC01
Signature matches Public Key
Root Certificate: Subject matches Issuer
Cert Hash(sha1): 32 c6 b7 33 0f 30 64 41 f9 16 95 0d d5 65 a7 30 9c 50 b9 c2
  Key Container = {11111111-2222-3333-4444-555555555555}
  Provider = Microsoft Enhanced Cryptographic Provider v1.0
  CERT_FRIENDLY_NAME_PROP_ID(11):
    SMS Signing Certificate

================ Certificate 1 ================
Serial Number: 0d
 NotAfter: 31.12.2039 18:59
Cert Hash(sha1): 1234
CertUtil: -store command completed successfully.
"""


def test_certutil_is_inventory_only(tmp_path: Path) -> None:
    from logscan.certs.certutil import LIMITATION, CertutilSource

    path = tmp_path / "certutil.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + _CERTUTIL.replace("\n", "\r\n").encode("utf-16-le"))
    result = CertutilSource(path).read()
    assert result.limitations == (LIMITATION,)
    [cert] = result.certs
    assert cert.thumbprint == "32C6B7330F306441F916950DD565A7309C50B9C2"
    assert cert.origin.line == 2 and cert.has_private_key is True
    assert cert.friendly is not None and cert.friendly.fidelity is FriendlyFidelity.CUT_AT_NUL
    assert cert.friendly.display == "SMS Signing Certificate"
    assert cert.not_after is not None and (cert.not_after.year, cert.not_after.hour) == (2039, 18)
    assert [(p.code, p.location.line) for p in result.problems] == [(ProblemCode.BAD_VALUE, 16)]


def test_certutil_failure_means_no_store() -> None:
    from logscan.certs.certutil import read_certutil

    text = "CertUtil: -store command FAILED: 0x80070002 (WIN32: 2 ERROR_FILE_NOT_FOUND)\n"
    result = read_certutil("c.txt", text)
    assert result.store is StoreState.MISSING and result.problems[0].code is ProblemCode.NO_STORE
