"""CertSource protocol and the factories: ``sources_for(path)`` by content, ``live()``.

Files are recognised by their bytes, not their names: ``regf`` = hive, ``00000000 CERT``
= SST, a registry-export header = .reg, JSON with ``blob_base64`` = collector output, JSON
with ``Thumbprint`` = PowerShell, certutil banners = certutil text. A folder yields every
file in it that is recognised (a .reg only if it mentions SystemCertificates).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from logscan.certs._text import decode_text
from logscan.certs.model import CertReadResult, CertSourceKind
from logscan.errors import InputError, SourceLocation, UsageError

_HEAD = 1 << 16
_MAX_FOLDER_FILES = 10_000


class CertSource(Protocol):
    """Anything that can read a certificate store; ``read`` raises only ``InputError``."""

    kind: CertSourceKind
    display: str

    def read(self) -> CertReadResult: ...


class Sniffed(StrEnum):
    HIVE = "hive"
    SST = "sst"
    REG = "reg"
    COLLECTED = "collected"
    PWSH = "pwsh"
    CERTUTIL = "certutil"
    UNKNOWN = "unknown"


def sniff(head: bytes) -> Sniffed:
    """What kind of certificate evidence a file is, from its first bytes."""
    if head.startswith(b"regf"):
        return Sniffed.HIVE
    if head.startswith(b"\0\0\0\0CERT"):
        return Sniffed.SST
    text = decode_text(head).lstrip("\ufeff \t\r\n")
    if text.startswith(("Windows Registry Editor Version 5.00", "REGEDIT4")):
        return Sniffed.REG
    if text.startswith(("[", "{")):
        if '"blob_base64"' in text or '"logscan-certs/' in text:
            return Sniffed.COLLECTED
        if '"Thumbprint"' in text:
            return Sniffed.PWSH
        return Sniffed.UNKNOWN
    if "================ Certificate" in text or "CertUtil: -store" in text:
        return Sniffed.CERTUTIL
    return Sniffed.UNKNOWN


def _source(kind: Sniffed, path: Path, display: str) -> CertSource:
    if kind is Sniffed.HIVE:
        from logscan.certs.hive import HiveSource

        return HiveSource(path, display)
    if kind is Sniffed.SST:
        from logscan.certs.sst import SstSource

        return SstSource(path, display)
    if kind is Sniffed.REG:
        from logscan.certs.regexport import RegExportSource

        return RegExportSource(path, display)
    if kind is Sniffed.COLLECTED:
        from logscan.certs.collected import CollectedSource

        return CollectedSource(path, display)
    if kind is Sniffed.PWSH:
        from logscan.certs.pwsh import PwshJsonSource

        return PwshJsonSource(path, display)
    from logscan.certs.certutil import CertutilSource

    return CertutilSource(path, display)


def _head(path: Path, display: str) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(_HEAD)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", SourceLocation(display)) from exc


def sources_for(path: str | Path) -> list[CertSource]:
    """Certificate sources in a file or folder; ``InputError`` if there are none."""
    root = Path(path)
    if root.is_dir():
        found: list[CertSource] = []
        files = sorted(p for p in root.rglob("*") if p.is_file())[:_MAX_FOLDER_FILES]
        for file in files:
            head = _head(file, str(file))
            kind = sniff(head)
            if kind is Sniffed.UNKNOWN:
                continue
            if kind is Sniffed.REG and "systemcertificates" not in decode_text(head).casefold():
                continue
            found.append(_source(kind, file, str(file)))
        if not found:
            raise InputError(
                "no certificate evidence in this folder (looked for .reg exports of "
                "SystemCertificates, SST, SOFTWARE hives, certificate JSON, certutil output)",
                SourceLocation(str(root)),
            )
        return found
    if not root.exists():
        raise InputError("no such file or folder", SourceLocation(str(root)))
    kind = sniff(_head(root, str(root)))
    if kind is Sniffed.UNKNOWN:
        raise InputError(
            "not certificate evidence: expected a reg export, .sst, SOFTWARE hive, certificate "
            "JSON (collector or PowerShell) or certutil -store output",
            SourceLocation(str(root), offset=0),
        )
    return [_source(kind, root, str(root))]


def live(store_name: str = "SMS", *, cross_check: bool = True) -> CertSource:
    """The LocalMachine store of this machine through CryptoAPI (Windows only)."""
    if sys.platform == "win32":
        from logscan.certs._win32 import WinCrypt32, WinRegistry
        from logscan.certs.live import LiveSource

        return LiveSource(WinCrypt32(), WinRegistry() if cross_check else None, store_name)
    else:
        raise UsageError("--live reads CryptoAPI and needs Windows; give exported files instead")
