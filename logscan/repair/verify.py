"""Judging a repair by the store read again: ``repaired``, ``unchanged`` or ``failed``.

The tool's exit code is only a note here; the store decides. Repaired: every planned
certificate is still there, its name has no embedded NUL, is terminated and shows the
same text as before, and the checks find no embedded NUL anywhere. Unchanged: every
planned name reads back byte for byte as before and no certificate came or went.
Anything else (some fixed, a certificate gone, the store unreadable) is failed, with
the reason, so the admin knows to restore from the backup or look closer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from logscan.certs import props as P
from logscan.certs.checks import CertFinding, check_result, has_kb977203
from logscan.certs.model import CertReadResult, StoreState
from logscan.repair.blobfix import visible
from logscan.repair.plan import RepairPlan


class OutcomeStatus(StrEnum):
    """How a repair ended; the first three are verified results, the rest mean no change."""

    REPAIRED = "repaired"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    DRY_RUN = "dry_run"  # the plan was shown; nothing was attempted
    DECLINED = "declined"  # the admin did not confirm
    REFUSED = "refused"  # an interlock stopped it


@dataclass(frozen=True, slots=True)
class NameResult:
    """One planned certificate before and after."""

    thumbprint: str
    before: bytes
    expected: bytes
    after: bytes | None  # None: the certificate (or its name) is gone

    @property
    def fixed(self) -> bool:
        if self.after is None:
            return False
        now, was = P.analyze_friendly_name(self.after), P.analyze_friendly_name(self.before)
        return not now.has_embedded_nul and now.terminated and now.display == was.display

    @property
    def unchanged(self) -> bool:
        return self.after == self.before

    @property
    def before_text(self) -> str:
        return visible(self.before)

    @property
    def after_text(self) -> str:
        return "(certificate gone)" if self.after is None else visible(self.after)


@dataclass(frozen=True, slots=True)
class Verification:
    status: OutcomeStatus
    message: str
    names: tuple[NameResult, ...]
    findings: tuple[CertFinding, ...]
    notes: tuple[str, ...]


def judge(
    plan: RepairPlan,
    before_thumbs: frozenset[str],
    after: CertReadResult | None,
    *,
    now: datetime,
    action: str,
) -> Verification:
    """The verdict on a repair from the store read after it; ``action`` names what ran."""
    if after is None or after.store is not StoreState.FOUND:
        why = "could not be read" if after is None else f"is {after.store.value}"
        return Verification(
            OutcomeStatus.FAILED,
            f"after {action}, the store {why}: cannot verify; restore from the backup if needed",
            (),
            (),
            (),
        )
    by_thumb = {c.thumbprint: c for c in after.certs}
    names = []
    for change in plan.changes:
        cert = by_thumb.get(change.thumbprint)
        raw = cert.friendly.raw if cert is not None and cert.friendly is not None else None
        names.append(NameResult(change.thumbprint, change.before, change.after, raw))
    findings = tuple(check_result(after, now=now, host=plan.host))
    gone = sorted(before_thumbs - by_thumb.keys())
    added = sorted(by_thumb.keys() - before_thumbs)
    notes = []
    if gone:
        notes.append(f"no longer in the store: {', '.join(gone)}")
    if added:
        notes.append(f"new in the store: {', '.join(added)}")
    for name in names:
        if name.fixed and name.after != name.expected:
            notes.append(
                f"{name.thumbprint}: fixed, but stored as {len(name.after or b'')} bytes where "
                f"logscan expected {len(name.expected)}"
            )
    fixed = sum(n.fixed for n in names)
    if fixed == len(names) and not has_kb977203(findings) and not gone:
        status = OutcomeStatus.REPAIRED
        message = f"after {action}, all {fixed} friendly name(s) are clean"
    elif all(n.unchanged for n in names) and not gone and not added:
        status = OutcomeStatus.UNCHANGED
        message = f"after {action}, the store is unchanged: the defect remains"
    else:
        status = OutcomeStatus.FAILED
        parts = [f"{fixed} of {len(names)} name(s) fixed"]
        if has_kb977203(findings):
            parts.append("an embedded NUL remains")
        if gone:
            parts.append(f"{len(gone)} certificate(s) gone")
        message = (
            f"after {action}: " + ", ".join(parts) + "; check the store, restore from the "
            "backup if it is worse than before"
        )
    return Verification(status, message, tuple(names), findings, tuple(notes))
