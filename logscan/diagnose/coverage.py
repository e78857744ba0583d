"""Coverage: which evidence a migration diagnosis expects, which was there, which was not.

A user-state migration leaves CcmExec.log (OSDSMPClient), smsts.log (the steps) and
ScanState/LoadState logs (USMT); the verdict also needs the certificate store and the
machine facts. A missing item is listed and lowers confidence: it is never read as "no
problem". Empty and binary files count as unreadable, not as present.
"""

from __future__ import annotations

from logscan.certs.model import StoreState
from logscan.diagnose.evidence import HostEvidence
from logscan.diagnose.model import Coverage
from logscan.engine.events import SourceStatus
from logscan.model import LogKind

CCMEXEC = "ccmexec"
SMSTS = "smsts"
USMT = "usmt"  # ScanState or LoadState (or their progress logs)
CERTIFICATES = "certificates"
MACHINE_FACTS = "machine_facts"
EXPECTED = (CCMEXEC, SMSTS, USMT, CERTIFICATES, MACHINE_FACTS)
LOGS = (CCMEXEC, SMSTS, USMT)

_ITEM = {
    LogKind.CCMEXEC: CCMEXEC,
    LogKind.SMSTS: SMSTS,
    LogKind.SCANSTATE: USMT,
    LogKind.LOADSTATE: USMT,
    LogKind.USMTUTILS: USMT,
    LogKind.USMT_PROGRESS: USMT,
}


def coverage_of(ev: HostEvidence) -> Coverage:
    files: list[tuple[str, str]] = []
    unreadable = list(ev.unreadable)
    for scanned in ev.sources:
        path = scanned.source.display
        if scanned.status is SourceStatus.READ:
            files.append((_ITEM.get(scanned.source.kind, scanned.source.kind.value), path))
        else:
            why = scanned.detail or scanned.status.value
            unreadable.append(f"{path}: {why}")
    for result in ev.certs:
        if result.store is StoreState.FOUND:
            files.append((CERTIFICATES, result.source))
    for path in ev.fact_files:
        files.append((MACHINE_FACTS, path))
    present_set = {item for item, _ in files}
    present = tuple(
        [i for i in EXPECTED if i in present_set] + sorted(present_set.difference(EXPECTED))
    )
    missing = tuple(i for i in EXPECTED if i not in present_set)
    return Coverage(present, missing, tuple(dict.fromkeys(unreadable)), tuple(files))


def describe(cov: Coverage) -> str:
    """ "present: ccmexec, smsts; missing: usmt, certificates" for summaries."""
    parts = [f"present: {', '.join(cov.present) or 'nothing'}"]
    if cov.missing:
        parts.append(f"missing: {', '.join(cov.missing)}")
    if cov.unreadable:
        parts.append(f"unreadable: {len(cov.unreadable)} file(s)")
    return "; ".join(parts)
