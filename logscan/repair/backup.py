"""Backing up the SMS store before any change: a ``.reg`` that ``reg import`` restores, an SST.

The ``.reg`` is laid out exactly as ``reg export HKLM\\SOFTWARE\\Microsoft\\
SystemCertificates\\SMS`` writes it (UTF-16LE with BOM, CRLF, ``"Blob"=hex:`` wrapped at
reg export's width) with the full ``HKEY_LOCAL_MACHINE\\…\\SMS\\Certificates\\<THUMB>``
keys, so ``reg import`` puts every Blob back byte for byte. The ``.sst`` holds the same
Blobs as a serialized store (double-click / certmgr import). Files are created new
(``x`` mode), flushed and fsynced, then read back with logscan's own readers and compared
byte for byte with the Blobs they came from; a backup that does not read back is an
error, and the flow changes nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from logscan.certs.sst import write_sst
from logscan.inputs.regfile import RegKey, RegType, RegValue, format_reg_file
from logscan.repair.errors import RepairError

STORE_PATH = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\SMS"
REG_NAME = "sms_store.reg"
SST_NAME = "sms_store.sst"
NOTE_NAME = "RESTORE.txt"


@dataclass(frozen=True, slots=True)
class BackupFile:
    """One file written, with what identifies it later."""

    path: str
    kind: str  # "reg" or "sst"
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Backup:
    """A verified backup folder."""

    folder: str
    files: tuple[BackupFile, ...]
    thumbprints: tuple[str, ...]
    restore_command: str


def store_keys(blobs: Mapping[str, bytes], store_path: str = STORE_PATH) -> list[RegKey]:
    """The keys reg export writes: the store, Certificates\\<THUMB> (Blob), CRLs, CTLs."""
    keys = [RegKey(store_path, 0), RegKey(store_path + r"\Certificates", 0)]
    for thumb in sorted(blobs):
        value = RegValue("Blob", RegType.BINARY, blobs[thumb], 0)
        keys.append(RegKey(rf"{store_path}\Certificates\{thumb}", 0, (value,)))
    keys += [RegKey(store_path + r"\CRLs", 0), RegKey(store_path + r"\CTLs", 0)]
    return keys


def reg_text(blobs: Mapping[str, bytes], comments: Iterable[str] = ()) -> bytes:
    """A REGEDIT5 export of ``blobs``; ``comments`` become ``;`` lines after the header."""
    data = format_reg_file(store_keys(blobs))
    lines = [f"; {line}" for line in comments]
    if not lines:
        return data
    text = data[2:].decode("utf-16-le")
    header, rest = text.split("\r\n", 1)
    text = header + "\r\n" + "".join(line + "\r\n" for line in lines) + rest
    return b"\xff\xfe" + text.encode("utf-16-le")


def write_new(path: Path, data: bytes) -> BackupFile:
    """Create ``path`` (never overwrite), write, fsync; its size and SHA-256."""
    with path.open("xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    kind = path.suffix.lstrip(".").lower()
    return BackupFile(str(path), kind, len(data), hashlib.sha256(data).hexdigest())


def fsync_dir(folder: Path) -> None:
    """Make the new directory entries durable where the OS allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a directory this way; NTFS journals the entries
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def restore_command(reg_path: str) -> str:
    return f'reg import "{reg_path}"'


def _verify(reg: Path, sst: Path, blobs: Mapping[str, bytes]) -> None:
    """Read both files back with the evidence readers; any difference is an error."""
    from logscan.repair.stores import ExportStore

    for path in (reg, sst):
        back = ExportStore(path).blobs()
        if back != dict(blobs):
            lost = sorted(set(blobs) ^ set(back)) or [t for t in blobs if back.get(t) != blobs[t]]
            raise RepairError(
                f"backup {path} does not read back as written (differs for {', '.join(lost)}); "
                "nothing was changed"
            )


def write_backup(blobs: Mapping[str, bytes], folder: Path) -> Backup:
    """Write and verify the backup of ``blobs`` into the new folder ``folder``."""
    if not blobs:
        raise RepairError("the store holds no certificate Blobs to back up; nothing was changed")
    folder.mkdir(parents=True, exist_ok=False)
    reg_path, sst_path = folder / REG_NAME, folder / SST_NAME
    reg = write_new(
        reg_path,
        reg_text(
            blobs, [f'logscan backup of the SMS store; restore with: reg import "{reg_path}"']
        ),
    )
    sst = write_new(sst_path, write_sst(blobs[t] for t in sorted(blobs)))
    _verify(reg_path, sst_path, blobs)
    command = restore_command(str(reg_path))
    note = (
        "logscan backup of HKLM\\SOFTWARE\\Microsoft\\SystemCertificates\\SMS\r\n"
        f"certificates: {', '.join(sorted(blobs))}\r\n"
        f"{REG_NAME}  SHA-256 {reg.sha256}\r\n"
        f"{SST_NAME}  SHA-256 {sst.sha256}\r\n"
        f"restore (elevated): {command}\r\n"
        "reg import writes these Blobs back; certificates added since are left in place.\r\n"
    )
    write_new(folder / NOTE_NAME, note.encode("utf-8"))
    fsync_dir(folder)
    return Backup(str(folder), (reg, sst), tuple(sorted(blobs)), command)
