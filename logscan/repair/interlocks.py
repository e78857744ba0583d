"""Interlocks: every reason a repair must not run, each with a message that says what to do.

Checked when the plan is made and again, for the machine-state ones, right before the
first change: not elevated, a task sequence running (the migration itself would be
disturbed), a verdict that does not call for a repair (or a store that no longer shows
the defect), no SMS store, and a CCMCertFix.exe that was not found or failed
verification. "Cannot tell" refuses too. The CLI maps each reason to its own exit code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum

from logscan.certs.model import CertInfo, CertReadResult, StoreState
from logscan.errors import UsageError
from logscan.repair.host import HostState
from logscan.repair.locate import Located
from logscan.repair.verify_pe import BinaryReport

REPAIR_VERDICTS = frozenset({"confirmed", "likely", "at_risk"})
OTHER_VERDICTS = frozenset({"resolved", "other_failure", "no_evidence"})
_WHY_NOT = {
    "resolved": "the failure was logged but the certificates were fixed afterwards",
    "other_failure": "user-state migration failed for another reason; CCMCertFix would not help",
    "no_evidence": "the evidence shows no KB977203 condition",
}


class RefusalReason(StrEnum):
    """Closed set of interlocks; stable names for machine output and exit codes."""

    NOT_ELEVATED = "not_elevated"
    TASK_SEQUENCE_RUNNING = "task_sequence_running"
    NOT_NEEDED = "not_needed"
    NO_STORE = "no_store"
    BINARY_NOT_FOUND = "binary_not_found"
    BINARY_REFUSED = "binary_refused"
    STORE_CHANGED = "store_changed"  # the store differs from the one the plan was made for


@dataclass(frozen=True, slots=True)
class Refusal:
    reason: RefusalReason
    message: str


def verdict_name(verdict: object) -> str | None:
    """A verdict given as an Enum, a string or a diagnosis with ``.verdict``, as its name."""
    if verdict is None:
        return None
    inner = getattr(verdict, "verdict", None)
    if inner is not None and not isinstance(verdict, str | Enum):
        return verdict_name(inner)
    name = verdict.value if isinstance(verdict, Enum) else verdict
    if not isinstance(name, str) or name not in REPAIR_VERDICTS | OTHER_VERDICTS:
        known = ", ".join(sorted(REPAIR_VERDICTS | OTHER_VERDICTS))
        raise UsageError(f"unknown verdict {verdict!r}; known: {known}")
    return name


def defective(result: CertReadResult) -> list[CertInfo]:
    """Certificates whose stored friendly name has an embedded NUL."""
    return [c for c in result.certs if c.friendly is not None and c.friendly.has_embedded_nul]


def check_host(state: HostState) -> list[Refusal]:
    out: list[Refusal] = []
    if state.elevated is not True:
        why = (
            "cannot tell whether this process is elevated"
            if state.elevated is None
            else ("this process is not elevated")
        )
        out.append(
            Refusal(
                RefusalReason.NOT_ELEVATED,
                f"{why} ({state.elevation_detail}); run logscan from an elevated prompt "
                "(Run as administrator) or as SYSTEM",
            )
        )
    if state.task_sequence is not False:
        why = (
            "cannot tell whether a task sequence runs"
            if state.task_sequence is None
            else ("a task sequence is running")
        )
        out.append(
            Refusal(
                RefusalReason.TASK_SEQUENCE_RUNNING,
                f"{why} ({state.task_sequence_detail}); repair before the task sequence starts "
                "or after it ends, never during the migration",
            )
        )
    return out


def check_need(verdict: str | None, before: CertReadResult) -> list[Refusal]:
    if before.store is not StoreState.FOUND:
        return []  # check_store says why
    if verdict in OTHER_VERDICTS:
        return [
            Refusal(
                RefusalReason.NOT_NEEDED,
                f"the diagnosis is {verdict}: {_WHY_NOT[verdict]}; nothing to repair",
            )
        ]
    if defective(before):
        return []
    said = f"the diagnosis is {verdict}, but " if verdict else ""
    return [
        Refusal(
            RefusalReason.NOT_NEEDED,
            f"{said}no friendly name in {before.source} has an embedded NUL now: nothing to "
            "repair (already fixed?)",
        )
    ]


def check_store(before: CertReadResult) -> list[Refusal]:
    if before.store is StoreState.FOUND:
        return []
    state = "has no SMS store" if before.store is StoreState.MISSING else "could not be read"
    problems = "; ".join(p.message for p in before.problems[:3])
    return [
        Refusal(
            RefusalReason.NO_STORE,
            f"{before.source} {state}"
            + (f" ({problems})" if problems else "")
            + ": there is nothing to repair on a machine without the ConfigMgr client store",
        )
    ]


def check_binary(located: Located | None, binary: BinaryReport | None) -> list[Refusal]:
    if located is None or located.found is None:
        looked = located.describe() if located is not None else "  (no search was made)"
        return [
            Refusal(
                RefusalReason.BINARY_NOT_FOUND,
                "CCMCertFix.exe not found; looked at:\n"
                f"{looked}\n"
                "give it with --ccmcertfix PATH (file, folder or SMS root share), or choose "
                "--native to rewrite the names with CryptoAPI",
            )
        ]
    if binary is None:
        return [Refusal(RefusalReason.BINARY_REFUSED, f"{located.found} was not verified")]
    if binary.usable:
        return []
    reasons = "; ".join(p.message for p in binary.problems)
    hint = ""
    if binary.sha256 and binary.overridable and binary.accepted_sha256 is None:
        hint = f"; to run this exact file anyway pass --accept-sha256 {binary.sha256}"
    return [
        Refusal(
            RefusalReason.BINARY_REFUSED,
            f"{binary.path} failed verification: {reasons}{hint}",
        )
    ]


def first_reason(refusals: Sequence[Refusal]) -> RefusalReason | None:
    """The reason that decides the exit code: the order of ``RefusalReason``."""
    order = list(RefusalReason)
    return min((r.reason for r in refusals), key=order.index, default=None)
