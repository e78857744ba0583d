"""Triage rows: one line per host for batch views (verdict, confidence, first/last failure).

What the TUI's Hosts screen and any other host list show and sort by. The order of
verdicts puts the hosts needing work first; filtering matches host, verdict, confidence,
label and summary, case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from logscan.diagnose.model import Confidence, Diagnosis, EvidenceRole, Verdict

# Most urgent first: what an admin works through top to bottom.
_VERDICT_RANK = {
    Verdict.CONFIRMED: 0,
    Verdict.LIKELY: 1,
    Verdict.AT_RISK: 2,
    Verdict.OTHER_FAILURE: 3,
    Verdict.RESOLVED: 4,
    Verdict.NO_EVIDENCE: 5,
}
_CONFIDENCE_RANK = {Confidence.HIGH: 0, Confidence.MEDIUM: 1, Confidence.LOW: 2}
_FAILURE_ROLES = (EvidenceRole.FAILURE, EvidenceRole.OTHER_FAILURE)


class SortKey(StrEnum):
    HOST = "host"
    VERDICT = "verdict"
    CONFIDENCE = "confidence"
    FIRST_FAILURE = "first_failure"
    LAST_FAILURE = "last_failure"

    def following(self) -> SortKey:
        keys = list(SortKey)
        return keys[(keys.index(self) + 1) % len(keys)]


@dataclass(frozen=True, slots=True)
class TriageRow:
    host: str
    verdict: Verdict
    confidence: Confidence
    first_failure: datetime | None
    last_failure: datetime | None
    summary: str
    label: str


def triage_row(d: Diagnosis) -> TriageRow:
    """The host's row: failure times are those of its failure evidence (UTC)."""
    times = sorted(e.when for e in d.evidence if e.role in _FAILURE_ROLES and e.when is not None)
    return TriageRow(
        d.host,
        d.verdict,
        d.confidence,
        times[0] if times else None,
        times[-1] if times else None,
        d.summary,
        d.label,
    )


def _key(row: TriageRow, key: SortKey) -> tuple[object, ...]:
    # Hosts without a failure time sort after those with one, whatever the direction.
    if key is SortKey.VERDICT:
        return (_VERDICT_RANK[row.verdict], _CONFIDENCE_RANK[row.confidence], row.host.casefold())
    if key is SortKey.CONFIDENCE:
        return (_CONFIDENCE_RANK[row.confidence], row.host.casefold())
    if key is SortKey.FIRST_FAILURE:
        return (row.first_failure is None, row.first_failure or datetime.min, row.host.casefold())
    if key is SortKey.LAST_FAILURE:
        return (row.last_failure is None, row.last_failure or datetime.min, row.host.casefold())
    return (row.host.casefold(),)


def sort_rows(
    rows: Iterable[TriageRow], key: SortKey, *, descending: bool = False
) -> list[TriageRow]:
    return sorted(rows, key=lambda r: _key(r, key), reverse=descending)


def filter_rows(rows: Sequence[TriageRow], text: str) -> list[TriageRow]:
    """The rows whose host, verdict, confidence, label or summary contain ``text``."""
    needle = text.strip().casefold()
    if not needle:
        return list(rows)
    return [
        r
        for r in rows
        if any(
            needle in field.casefold()
            for field in (r.host, r.verdict.value, r.confidence.value, r.label, r.summary)
        )
    ]
