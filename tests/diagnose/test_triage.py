"""Triage rows: failure span from the evidence, sorting by each key, text filter."""

from __future__ import annotations

from logscan.diagnose import EvidenceRole, Verdict
from logscan.diagnose.triage import SortKey, filter_rows, sort_rows, triage_row
from logscan.rules import RuleSet

from .conftest import SAMPLES, run


def test_rows_sort_and_filter_on_the_samples(ruleset: RuleSet) -> None:
    report = run([SAMPLES], ruleset)
    rows = [triage_row(d) for d in report.diagnoses]
    for d, row in zip(report.diagnoses, rows, strict=True):
        times = [
            e.when
            for e in d.evidence
            if e.role in (EvidenceRole.FAILURE, EvidenceRole.OTHER_FAILURE) and e.when
        ]
        assert row.first_failure == (min(times) if times else None)
        assert row.last_failure == (max(times) if times else None)
    by_verdict = sort_rows(rows, SortKey.VERDICT)
    # Work to do first, then failures of another kind, then nothing to do.
    order = [
        Verdict.CONFIRMED,
        Verdict.LIKELY,
        Verdict.AT_RISK,
        Verdict.OTHER_FAILURE,
        Verdict.RESOLVED,
        Verdict.NO_EVIDENCE,
    ]
    ranks = [order.index(r.verdict) for r in by_verdict]
    assert ranks == sorted(ranks)
    first = sort_rows(rows, SortKey.FIRST_FAILURE)
    dated = [r.first_failure for r in first if r.first_failure is not None]
    assert dated == sorted(dated) and first[-1].first_failure is None
    assert [r.host for r in sort_rows(rows, SortKey.HOST, descending=True)] == sorted(
        (r.host for r in rows), key=str.casefold, reverse=True
    )
    assert [r.host for r in filter_rows(rows, "RESOLVED")] == [
        r.host for r in rows if r.verdict is Verdict.RESOLVED
    ]
    assert filter_rows(rows, "  ") == rows
    assert SortKey.LAST_FAILURE.following() is SortKey.HOST
