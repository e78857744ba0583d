"""Backups: a reg-export-exact .reg that restores every Blob, an SST, hashes, the command."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from repairkit import F

from logscan.certs.regexport import RegExportSource
from logscan.certs.sst import read_sst
from logscan.repair import backup as B
from logscan.repair.errors import RepairError
from logscan.repair.stores import ExportStore
from logscan.repair.twin import StoreTwin


def test_backup_files_restore_every_blob_byte_for_byte(
    tmp_path: Path, blobs: dict[str, bytes]
) -> None:
    folder = tmp_path / "backups" / "PC01_20240315T140211Z"
    done = B.write_backup(blobs, folder)
    reg, sst = (Path(f.path) for f in done.files)
    assert (reg.name, sst.name) == ("sms_store.reg", "sms_store.sst")
    for item in done.files:
        data = Path(item.path).read_bytes()
        assert item.sha256 == hashlib.sha256(data).hexdigest() and item.size == len(data)
    # What reg import would write back: the Blob of each thumbprint key, exactly.
    assert ExportStore(reg).blobs() == blobs
    assert ExportStore(sst).blobs() == blobs
    assert done.restore_command == f'reg import "{reg}"'
    assert done.thumbprints == tuple(sorted(blobs))
    note = (folder / "RESTORE.txt").read_text()
    assert done.restore_command in note and done.files[0].sha256 in note


def test_backup_reg_is_laid_out_as_reg_export_writes_it(
    tmp_path: Path, blobs: dict[str, bytes]
) -> None:
    done = B.write_backup(blobs, tmp_path / "b")
    raw = Path(done.files[0].path).read_bytes()
    assert raw.startswith(b"\xff\xfe")
    lines = raw[2:].decode("utf-16-le").split("\r\n")
    assert lines[0] == "Windows Registry Editor Version 5.00"
    assert lines[1].startswith("; logscan backup")  # a comment reg import skips
    # Apart from that one comment, the file is what reg export writes for these keys
    # (subkeys in the registry's sorted order).
    without_comment = "\r\n".join(lines[:1] + lines[2:])
    assert without_comment == F.reg_export(dict(sorted(blobs.items())))[2:].decode("utf-16-le")
    thumb = sorted(blobs)[0]
    key = rf"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\SMS\Certificates\{thumb}]"
    at = lines.index(key)
    first = lines[at + 1]
    assert first.startswith('"Blob"=hex:') and first.endswith(",\\")
    assert first.count(",") == 22 and len(first) == 78  # 22 bytes, wrapped at 77 + "\"
    assert lines[at + 2].startswith("  ") and lines[at + 2].count(",") == 25


def test_backup_reads_back_with_the_evidence_readers_unchanged(
    tmp_path: Path, blobs: dict[str, bytes]
) -> None:
    done = B.write_backup(blobs, tmp_path / "b")
    reg = RegExportSource(done.files[0].path).read()
    sst = read_sst("b.sst", Path(done.files[1].path).read_bytes())
    assert {c.thumbprint for c in reg.certs} == set(blobs) == {c.thumbprint for c in sst.certs}
    assert not reg.problems and not sst.problems
    assert {c.friendly_name_text for c in reg.certs} == {
        "SMS Signing Certificate\u2400",
        "SMS\u2400Encryption Certificate",
    }


def test_an_existing_folder_is_never_reused(tmp_path: Path, blobs: dict[str, bytes]) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "sms_store.reg").write_bytes(b"older backup")
    with pytest.raises(FileExistsError):
        B.write_backup(blobs, folder)
    assert (folder / "sms_store.reg").read_bytes() == b"older backup"


def test_a_backup_that_does_not_read_back_is_an_error(
    tmp_path: Path, blobs: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = B.write_sst
    monkeypatch.setattr(B, "write_sst", lambda items: real(list(items)[:1]))
    with pytest.raises(RepairError, match="does not read back"):
        B.write_backup(blobs, tmp_path / "b")


def test_an_empty_store_has_nothing_to_back_up(tmp_path: Path) -> None:
    with pytest.raises(RepairError, match="no certificate Blobs"):
        B.write_backup({}, tmp_path / "b")
    assert not (tmp_path / "b").exists()


def test_live_blobs_come_from_the_registry_view_of_the_store(blobs: dict[str, bytes]) -> None:
    twin = StoreTwin(blobs)
    assert twin.store().blobs() == blobs
    assert StoreTwin(None).store().blobs() == {}
