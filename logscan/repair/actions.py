"""The steps that change something, each safe on its own: tool copy, run, native, offline copy.

``copy_tool`` reads the verified CCMCertFix.exe once, checks those bytes against the
verified SHA-256 and writes exactly them into the backup folder, so what runs is what
was verified even if the share copy is swapped meanwhile. ``write_offline_copy`` writes
a new, clearly labelled file beside an exported store and checks that the original is
byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from logscan.certs.model import CertSourceKind
from logscan.certs.sst import write_sst
from logscan.repair.backup import BackupFile, reg_text, write_new
from logscan.repair.blobfix import fix_blob
from logscan.repair.errors import RepairError
from logscan.repair.stores import ExportStore
from logscan.repair.verify_pe import sha256_file

COPY_LABEL = "CORRECTED COPY written by logscan repair (KB977203): NOT evidence"


@dataclass(frozen=True, slots=True)
class CommandRecord:
    """One thing run or called, as the audit and the outcome report it."""

    what: str
    argv: tuple[str, ...]
    exit: str
    returncode: int | None
    timed_out: bool = False
    duration_s: float = 0.0
    output: str = ""


def copy_tool(source: str, dest: Path, sha256: str) -> Path:
    """Copy the verified tool into ``dest`` only if its bytes still hash to ``sha256``."""
    try:
        with open(source, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise RepairError(f"cannot read {source} again: {exc.strerror or exc}") from exc
    now = hashlib.sha256(data).hexdigest()
    if now != sha256:
        raise RepairError(
            f"{source} changed since it was verified (SHA-256 {now}, verified {sha256}); "
            "nothing was run"
        )
    write_new(dest, data)
    return dest


@dataclass(frozen=True, slots=True)
class OfflineCopy:
    """The corrected copy and the original's hash before and after."""

    copy: BackupFile
    fixed: tuple[str, ...]
    original_sha256: str
    original_unchanged: bool


def write_offline_copy(store: ExportStore, output: Path) -> OfflineCopy:
    """Write the corrected copy of ``store`` to the new file ``output``."""
    if output.resolve() == store.path.resolve():
        raise RepairError(f"refusing to write over the original {store.path}")
    original = sha256_file(str(store.path))
    blobs = store.blobs()
    fixes = {thumb: fix_blob(blob) for thumb, blob in blobs.items()}
    corrected = {thumb: fix.after for thumb, fix in fixes.items()}
    if store.kind is CertSourceKind.SST:
        data = write_sst(corrected[t] for t in sorted(corrected))
    else:
        data = reg_text(
            corrected,
            [
                COPY_LABEL,
                f"source: {store.path} (SHA-256 {original}); friendly names cut at the first "
                "NUL plus one terminator",
                "holds only the SMS store keys; import on the client, elevated, with: "
                f'reg import "{output.name}"',
            ],
        )
    copy = write_new(output, data)
    unchanged = sha256_file(str(store.path)) == original
    fixed = tuple(sorted(t for t, fix in fixes.items() if fix.changed))
    return OfflineCopy(copy, fixed, original, unchanged)
