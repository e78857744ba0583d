"""The store twin and a scripted CCMCertFix.exe: the whole repair without Windows.

``StoreTwin`` holds an SMS store in memory, loaded from a real ``.reg`` export or ``.sst``
(or from Blobs): its ``api`` is the writable crypt32 twin, its ``registry`` shows the
same certificates as HKLM does, so ``store()`` reads, backs up and natively repairs
exactly as ``LiveStore`` does on a real machine. ``certfix_script`` plays CCMCertFix for a
``RecordingRunner``: it fixes the names in the twin and writes its log, or shows one of
the ways the real tool can fail. The log text is logscan's own invention (the real
tool's wording is unverified); only its effects on the store follow the KB.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

from logscan.certs import props as P
from logscan.certs._crypt32_twin import WritableCrypt32Twin
from logscan.certs.live import STORE_KEY
from logscan.repair.blobfix import corrected_name
from logscan.repair.runner import RunResult, Script
from logscan.repair.stores import ExportStore, LiveStore


class TwinRegistry:
    """HKLM as the registry provider would show the twin's store (``RegistryView``)."""

    def __init__(self, api: WritableCrypt32Twin, store_name: str = "SMS") -> None:
        self._api = api
        self._store = store_name
        self._key = STORE_KEY.replace("\\SMS\\", f"\\{store_name}\\").casefold()

    def subkeys(self, path: str) -> list[str] | None:
        if path.casefold().rstrip("\\") != self._key or self._store.casefold() not in (
            self._api.stores
        ):
            return None
        return list(self._api.blobs(self._store))

    def binary_value(self, path: str, name: str) -> bytes | None:
        parent, _, thumb = path.rpartition("\\")
        if parent.casefold() != self._key or name.casefold() != "blob":
            return None
        return self._api.blobs(self._store).get(thumb.upper())


class StoreTwin:
    """An SMS store in memory that the live reader, backups and scripted tools all use."""

    def __init__(
        self,
        blobs: Mapping[str, bytes] | None,
        store_name: str = "SMS",
        *,
        deny_write_open: bool = False,
    ) -> None:
        stores = {} if blobs is None else {store_name: list(blobs.values())}
        self.api = WritableCrypt32Twin(stores, deny_write_open=deny_write_open)
        self.registry = TwinRegistry(self.api, store_name)
        self.store_name = store_name

    @classmethod
    def from_file(cls, path: str | Path, *, deny_write_open: bool = False) -> StoreTwin:
        """A twin holding the certificates of an exported store (``.reg`` or ``.sst``)."""
        return cls(ExportStore(path).blobs(), deny_write_open=deny_write_open)

    def store(self) -> LiveStore:
        return LiveStore(self.api, self.registry, self.store_name)

    def blobs(self) -> dict[str, bytes]:
        return self.api.blobs(self.store_name)

    def fix_names(self, limit: int | None = None) -> list[str]:
        """Correct defective friendly names in place, as CCMCertFix does; the thumbprints."""
        fixed: list[str] = []
        store = self.api.stores.get(self.store_name.casefold())
        for cert in store.certs if store is not None else ():
            if limit is not None and len(fixed) >= limit:
                break
            name = cert.props.get(P.FRIENDLY_NAME)
            new = corrected_name(name) if name is not None else None
            if new is not None:
                cert.props[P.FRIENDLY_NAME] = new
                fixed.append(hashlib.sha1(cert.der).hexdigest().upper())
        return fixed


class CertFixMode(StrEnum):
    """How the scripted CCMCertFix behaves."""

    FIX = "fix"  # fixes every defective name, exit 0, writes its log
    PARTIAL = "partial"  # fixes the first defective name only, exit 0
    FAIL = "fail"  # exit 1, changes nothing, logs an error
    NO_CHANGE = "no_change"  # exit 0 and a cheerful log, but changes nothing
    TIMEOUT = "timeout"  # never returns: the runner's timeout kills it, nothing changed
    NOT_STARTED = "not_started"  # Windows refuses to start it (policy, bad image)


def _write_log(path: str | None, cwd: str | None, lines: list[str]) -> None:
    if not path:
        return
    target = Path(path) if os.path.isabs(path) or cwd is None else Path(cwd) / path
    with target.open("a", encoding="utf-8", newline="\r\n") as fh:
        fh.write("\n".join(lines) + "\n")


def certfix_script(twin: StoreTwin, mode: CertFixMode = CertFixMode.FIX) -> Script:
    """A script for ``RecordingRunner`` that behaves like ``CCMCertFix.exe [logfile]``."""

    def run(argv: tuple[str, ...], timeout: float, cwd: str | None) -> RunResult:
        if not argv or not argv[0].casefold().endswith("ccmcertfix.exe"):
            return RunResult(argv, None, error="the twin only knows CCMCertFix.exe")
        log = argv[1] if len(argv) > 1 else None
        if mode is CertFixMode.NOT_STARTED:
            return RunResult(argv, None, error="This program is blocked by group policy.")
        if mode is CertFixMode.TIMEOUT:
            _write_log(log, cwd, ["CCMCertFix: started", "CCMCertFix: opening the SMS store"])
            return RunResult(
                argv, None, timed_out=True, error="no exit; killed", duration_s=timeout
            )
        lines = ["CCMCertFix: started", "CCMCertFix: opening the SMS store"]
        if mode is CertFixMode.FAIL:
            lines.append("CCMCertFix: ERROR failed to open the certificate store (0x80070005)")
            _write_log(log, cwd, lines)
            return RunResult(argv, 1, stdout="failed\r\n")
        fixed: list[str] = []
        if mode in (CertFixMode.FIX, CertFixMode.PARTIAL):
            fixed = twin.fix_names(limit=1 if mode is CertFixMode.PARTIAL else None)
        lines += [f"CCMCertFix: fixed the friendly name of certificate {t}" for t in fixed]
        lines.append("CCMCertFix: completed successfully")
        _write_log(log, cwd, lines)
        return RunResult(argv, 0, stdout="done\r\n")

    return run
