"""Choosing a certificate reader by content: sniffing, folders, unknown files."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import certfactory as F
import hivebuilder as H
import pytest

from logscan.certs.collected import write_collected
from logscan.certs.model import CertSourceKind
from logscan.certs.source import Sniffed, sniff, sources_for
from logscan.certs.sst import write_sst
from logscan.errors import InputError
from logscan.inputs.regfile import RegKey, format_reg_file


def _utf16(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"regf\x01\0\0\0", Sniffed.HIVE),
        (b"\0\0\0\0CERT\x0b\0\0\0", Sniffed.SST),
        (_utf16("Windows Registry Editor Version 5.00\r\n"), Sniffed.REG),
        (b"REGEDIT4\r\n", Sniffed.REG),
        (b'{"format": "logscan-certs/1", "certificates": []}', Sniffed.COLLECTED),
        (_utf16('[\r\n  {\r\n    "Thumbprint": "AB"'), Sniffed.PWSH),
        (codecs.BOM_UTF8 + b'{"Thumbprint": "AB"}', Sniffed.PWSH),
        (_utf16("SMS\r\n================ Certificate 0 ================\r\n"), Sniffed.CERTUTIL),
        (b'{"something": "else"}', Sniffed.UNKNOWN),
        (b"<![LOG[a log]LOG]!>", Sniffed.UNKNOWN),
        (b"", Sniffed.UNKNOWN),
    ],
)
def test_sniff_by_content(head: bytes, kind: Sniffed) -> None:
    assert sniff(head) is kind


def test_each_file_gets_its_reader_whatever_its_name(tmp_path: Path) -> None:
    pair = F.client_pair("PC01", "trailing")
    files = {
        "a.bin": (F.reg_export(pair), CertSourceKind.REG_EXPORT),
        "b.bin": (write_sst(pair.values()), CertSourceKind.SST),
        "c.bin": (H.software_hive(pair), CertSourceKind.HIVE),
        "d.bin": (write_collected(pair).encode(), CertSourceKind.COLLECTED),
    }
    for name, (data, kind) in files.items():
        (tmp_path / name).write_bytes(data)
        [source] = sources_for(tmp_path / name)
        assert source.kind is kind
        result = source.read()
        assert result.problems == ()
        assert sorted(c.nul_positions for c in result.certs) == [(), (23,)]


def test_folder_keeps_certificate_evidence_only(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "CcmExec.log").write_bytes(b"<![LOG[x]LOG]!>")
    (tmp_path / "client.reg").write_bytes(
        format_reg_file([RegKey(r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SMS\Mobile Client", 0)])
    )
    (tmp_path / "sms.reg").write_bytes(F.reg_export(F.client_pair()))
    (tmp_path / "store.sst").write_bytes(write_sst(F.client_pair().values()))
    found = sorted(Path(s.display).name for s in sources_for(tmp_path))
    assert found == ["sms.reg", "store.sst"]


def test_unknown_file_empty_folder_and_missing_path_are_input_errors(tmp_path: Path) -> None:
    other = tmp_path / "data.json"
    other.write_text(json.dumps({"hello": 1}))
    with pytest.raises(InputError, match="not certificate evidence") as err:
        sources_for(other)
    assert str(err.value).startswith(f"{other}@0:")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no certificate evidence in this folder"):
        sources_for(empty)
    with pytest.raises(InputError, match="no such file"):
        sources_for(tmp_path / "absent")
