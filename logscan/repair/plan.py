"""RepairPlan: exactly what a repair would do, decided before anything runs.

``build_plan`` is pure apart from the clock: from the store as read, the verdict, the
machine state, the located and verified CCMCertFix.exe and the chosen mode, it lists the
certificates whose names change (before and after bytes), the steps with their exact
commands and paths (backup folder stamped now, so the confirmation can name it), and
every interlock that refuses. A plan with refusals is still shown; it is never executed.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from logscan.certs.checks import role_of
from logscan.certs.model import CertReadResult, CertSourceKind
from logscan.repair.backup import REG_NAME, SST_NAME, restore_command
from logscan.repair.blobfix import visible
from logscan.repair.clock import Clock, stamp
from logscan.repair.host import HostState
from logscan.repair.interlocks import (
    Refusal,
    check_binary,
    check_host,
    check_need,
    check_store,
    defective,
    verdict_name,
)
from logscan.repair.locate import EXE, Located
from logscan.repair.stores import ExportStore, RepairStore
from logscan.repair.verify_pe import BinaryReport

DEFAULT_TIMEOUT_S = 300.0
TOOL_LOG = "CCMCertFix.log"


class RepairMode(StrEnum):
    CCMCERTFIX = "ccmcertfix"  # run the verified CCMCertFix.exe
    NATIVE = "native"  # rewrite the names with CertSetCertificateContextProperty
    OFFLINE_COPY = "offline_copy"  # write a corrected copy of an exported store


class StepKind(StrEnum):
    BACKUP = "backup"
    COPY_TOOL = "copy_tool"
    RUN = "run"
    NATIVE_WRITE = "native_write"
    WRITE_COPY = "write_copy"
    VERIFY = "verify"
    AUDIT = "audit"


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One step; ``changes`` marks the steps that alter the machine or create the copy."""

    kind: StepKind
    text: str
    command: tuple[str, ...] = ()
    changes: bool = False

    @property
    def command_line(self) -> str:
        """The command as cmd.exe would be given it (Windows quoting)."""
        return subprocess.list2cmdline(self.command) if self.command else ""


@dataclass(frozen=True, slots=True)
class NameChange:
    """One friendly name the repair rewrites."""

    thumbprint: str
    role: str | None
    before: bytes
    after: bytes

    @property
    def before_text(self) -> str:
        return visible(self.before)

    @property
    def after_text(self) -> str:
        return visible(self.after)


@dataclass(frozen=True, slots=True)
class RepairPlan:
    """What would happen; ``ready`` when nothing refuses and something would change."""

    target: str
    target_kind: CertSourceKind
    mode: RepairMode
    host: str | None
    verdict: str | None
    created: datetime
    changes: tuple[NameChange, ...]
    steps: tuple[PlanStep, ...]
    refusals: tuple[Refusal, ...]
    fingerprint: str  # of the store as planned, to notice a store that changed since
    backup_folder: str | None = None
    binary: BinaryReport | None = None
    located: Located | None = None
    output_path: str | None = None
    audit_path: str | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    notes: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.refusals and bool(self.changes)

    @property
    def restore_command(self) -> str | None:
        if self.backup_folder is None:
            return None
        return restore_command(str(Path(self.backup_folder) / REG_NAME))

    def step(self, kind: StepKind) -> PlanStep | None:
        return next((s for s in self.steps if s.kind is kind), None)


def fingerprint(result: CertReadResult) -> str:
    """SHA-256 over every certificate's thumbprint and friendly-name bytes, sorted."""
    digest = hashlib.sha256()
    for cert in sorted(result.certs, key=lambda c: c.thumbprint):
        raw = cert.friendly.raw if cert.friendly is not None else b"-"
        digest.update(cert.thumbprint.encode() + b"\0" + raw + b"\0")
    return digest.hexdigest()


def _safe(name: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name or "") or "host"


def free_copy_path(store: ExportStore) -> Path:
    """``x.fixed.reg``, or ``x.fixed.2.reg`` … when taken: never an existing file."""
    first = store.corrected_path()
    candidate, n = first, 2
    while candidate.exists() or candidate == store.path:
        candidate = first.with_name(f"{first.stem}.{n}{first.suffix}")
        n += 1
    return candidate


def _changes(before: CertReadResult) -> tuple[NameChange, ...]:
    out = []
    for cert in defective(before):
        assert cert.friendly is not None
        role = role_of(cert)
        out.append(
            NameChange(
                cert.thumbprint,
                role.value if role else None,
                cert.friendly.raw,
                cert.friendly.clean_value,
            )
        )
    return tuple(out)


def _live_steps(
    mode: RepairMode,
    folder: Path,
    changes: tuple[NameChange, ...],
    binary: BinaryReport | None,
    timeout_s: float,
) -> list[PlanStep]:
    reg = folder / REG_NAME
    steps = [
        PlanStep(
            StepKind.BACKUP,
            f"back up the SMS store to {reg} and {folder / SST_NAME} (new folder), read both "
            f"back, record their SHA-256; restore with: {restore_command(str(reg))}",
        )
    ]
    if mode is RepairMode.CCMCERTFIX:
        tool = folder / EXE
        source = binary.path if binary else "?"
        steps.append(
            PlanStep(
                StepKind.COPY_TOOL,
                f"copy {source} to {tool} and check its SHA-256 is still "
                f"{binary.sha256 if binary else '?'} (what runs is what was verified)",
            )
        )
        steps.append(
            PlanStep(
                StepKind.RUN,
                f"run CCMCertFix.exe with its own log, timeout {timeout_s:.0f} s",
                (str(tool), str(folder / TOOL_LOG)),
                changes=True,
            )
        )
    else:
        for change in changes:
            steps.append(
                PlanStep(
                    StepKind.NATIVE_WRITE,
                    f"CertSetCertificateContextProperty({change.thumbprint}, "
                    f"CERT_FRIENDLY_NAME_PROP_ID=11, dwFlags=0, {len(change.after)} bytes "
                    f'"{change.after_text}" + one NUL) on the store opened writable',
                    changes=True,
                )
            )
    steps.append(
        PlanStep(
            StepKind.VERIFY,
            "read the store again through CryptoAPI and re-run the certificate checks; "
            "expected: " + ", ".join(f'{c.thumbprint} "{c.after_text}"' for c in changes),
        )
    )
    return steps


def build_plan(
    *,
    store: RepairStore,
    before: CertReadResult,
    mode: RepairMode,
    clock: Clock,
    verdict: object = None,
    host_state: HostState | None = None,
    located: Located | None = None,
    binary: BinaryReport | None = None,
    backup_root: Path | None = None,
    audit_path: Path | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> RepairPlan:
    """The plan for repairing ``store`` as read in ``before``."""
    name = verdict_name(verdict)
    now = clock.now()
    changes = _changes(before)
    refusals: list[Refusal] = []
    notes: list[str] = []
    host = host_state.name if host_state else (getattr(verdict, "host", None) or before.host)
    if name is None:
        notes.append("no diagnosis given: the certificate state alone decides")
    folder: Path | None = None
    output: Path | None = None
    if mode is RepairMode.OFFLINE_COPY:
        if not isinstance(store, ExportStore):
            raise ValueError("an offline copy needs an exported store (.reg or .sst)")
        output = free_copy_path(store)
        steps = [
            PlanStep(
                StepKind.WRITE_COPY,
                f"write the CORRECTED COPY {output} beside the original, holding only the SMS "
                f"store; {store.path} itself is not changed",
                changes=True,
            ),
            PlanStep(StepKind.VERIFY, f"read {output.name} back and re-run the checks"),
        ]
        if store.kind is CertSourceKind.REG_EXPORT:
            notes.append(f'to apply it on the client (elevated): reg import "{output}"')
        else:
            notes.append(
                "an .sst copy is for inspection; to push the fix, export the store as .reg"
            )
    else:
        if host_state is None:
            raise ValueError("a live repair needs the machine's state for its interlocks")
        refusals += check_host(host_state)
        if backup_root is None:
            raise ValueError("a live repair needs a backup folder")
        folder = backup_root / f"{_safe(host)}_{stamp(now)}"
        steps = _live_steps(mode, folder, changes, binary, timeout_s)
    refusals += check_need(name, before) + check_store(before)
    if mode is RepairMode.CCMCERTFIX:
        refusals += check_binary(located, binary)
    if binary is not None:
        notes += binary.notes
    if audit_path is not None:
        steps.append(PlanStep(StepKind.AUDIT, f"append every step to the audit log {audit_path}"))
    return RepairPlan(
        target=store.display,
        target_kind=store.kind,
        mode=mode,
        host=host,
        verdict=name,
        created=now,
        changes=changes,
        steps=tuple(steps),
        refusals=tuple(refusals),
        fingerprint=fingerprint(before),
        backup_folder=None if folder is None else str(folder),
        binary=binary,
        located=located,
        output_path=None if output is None else str(output),
        audit_path=None if audit_path is None else str(audit_path),
        timeout_s=timeout_s,
        notes=tuple(notes),
    )
