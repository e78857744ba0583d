"""Stores a repair can act on: this machine's SMS store, or an exported ``.reg`` / ``.sst``.

A ``RepairStore`` reads like a ``CertSource`` (so verification reads the store the same
way the diagnosis did) and also hands out the exact registry ``Blob`` bytes per
thumbprint, which is what the backup must preserve. ``LiveStore`` reads through
CryptoAPI and takes the Blobs from HKLM; its ``api`` can write (native fallback).
``ExportStore`` is an evidence file: read-only, its corrected copy goes next to it.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Protocol

from logscan.certs import props as P
from logscan.certs.blob import walk_elements
from logscan.certs.live import STORE_KEY, LiveSource, RegistryView
from logscan.certs.model import CertProblem, CertReadResult, CertSourceKind
from logscan.certs.regexport import CERTS_TAIL, RegExportSource
from logscan.certs.source import Sniffed, sniff
from logscan.certs.sst import MAGIC, SstSource
from logscan.errors import InputError, SourceLocation, UsageError
from logscan.inputs.regfile import read_reg_path
from logscan.repair.native import WritableCrypt32

_HEAD = 1 << 16


class RepairStore(Protocol):
    """A store that can be read (like a ``CertSource``) and backed up byte for byte."""

    kind: CertSourceKind
    display: str

    def read(self) -> CertReadResult: ...

    def blobs(self) -> dict[str, bytes]:
        """thumbprint (upper-case) -> the exact Blob bytes held for it."""
        ...


class LiveStore:
    """The LocalMachine store through CryptoAPI (or its twin), Blobs from the registry."""

    kind = CertSourceKind.LIVE

    def __init__(self, api: WritableCrypt32, registry: RegistryView, store_name: str = "SMS"):
        self.api = api
        self.registry = registry
        self.store_name = store_name
        self.display = f"live:LocalMachine\\{store_name}"
        self.key = STORE_KEY.replace("\\SMS\\", f"\\{store_name}\\")

    def read(self) -> CertReadResult:
        return LiveSource(self.api, self.registry, self.store_name).read()

    def blobs(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for name in self.registry.subkeys(self.key) or ():
            blob = self.registry.binary_value(f"{self.key}\\{name}", "Blob")
            if blob is not None:
                out[name.upper()] = blob
        return out


def default_live_store() -> LiveStore:
    """This machine's SMS store, writable for the native fallback (Windows only)."""
    if sys.platform == "win32":
        from logscan.certs._win32 import WinCrypt32Writer, WinRegistry

        return LiveStore(WinCrypt32Writer(), WinRegistry())
    else:
        raise UsageError(
            "--live repairs this machine's certificate store and needs Windows; here, give an "
            "exported store (.reg or .sst) to get a corrected copy"
        )


def sst_blobs(data: bytes, source: str) -> dict[str, bytes]:
    """thumbprint -> exact bytes of each certificate group of an SST (= its registry Blob)."""
    problems: list[CertProblem] = []
    run = walk_elements(
        data, location=SourceLocation(source), where="SST", problems=problems, start=len(MAGIC)
    )
    out: dict[str, bytes] = {}
    first: int | None = None
    for element in run.elements:
        if first is None:
            first = element.offset
        if element.prop_id in (P.CRL_ELEMENT, P.CTL_ELEMENT):
            first = None
        elif element.prop_id == P.CERT_ELEMENT:
            end = element.offset + 12 + len(element.data)
            out.setdefault(hashlib.sha1(element.data).hexdigest().upper(), data[first:end])
            first = None
    return out


class ExportStore:
    """An exported SMS store on disk; never written (its corrected copy goes beside it)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.display = str(path)
        try:
            with self.path.open("rb") as fh:
                head = fh.read(_HEAD)
        except OSError as exc:
            raise InputError(
                f"cannot read: {exc.strerror or exc}", SourceLocation(str(path))
            ) from exc
        self.format = sniff(head)
        if self.format is Sniffed.REG:
            self.kind = CertSourceKind.REG_EXPORT
        elif self.format is Sniffed.SST:
            self.kind = CertSourceKind.SST
        else:
            raise UsageError(
                f"{path}: repair can correct a reg export of the SMS store or an .sst file; "
                f"this is {self.format.value} evidence"
            )

    def read(self) -> CertReadResult:
        if self.kind is CertSourceKind.SST:
            return SstSource(self.path, self.display).read()
        return RegExportSource(self.path, self.display).read()

    def blobs(self) -> dict[str, bytes]:
        if self.kind is CertSourceKind.SST:
            return sst_blobs(self.path.read_bytes(), self.display)
        tail = CERTS_TAIL + "\\"
        reg = read_reg_path(self.path, wanted=lambda p: tail in p.casefold(), display=self.display)
        out: dict[str, bytes] = {}
        for key in reg.keys:
            at = key.path.casefold().rfind(tail)
            name = key.path[at + len(tail) :] if at >= 0 else ""
            blob = key.value("Blob")
            if key.deleted or not name or "\\" in name or blob is None or blob.deleted:
                continue
            out[name.upper()] = blob.raw  # a repeated key: the last one wins, as in regedit
        return out

    def corrected_path(self) -> Path:
        """``sms_store.reg`` -> ``sms_store.fixed.reg`` beside it."""
        suffix = self.path.suffix or (".sst" if self.kind is CertSourceKind.SST else ".reg")
        return self.path.with_name(f"{self.path.stem}.fixed{suffix}")
