"""Helpers for engine tests: run a scan and reduce its events to comparable tuples."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from logscan.engine import ScanFinding, ScanHit, scan
from logscan.rules import RuleSet, load_rules

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_logs"


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    rules = load_rules()
    assert not rules.errors, rules.errors
    return rules


HitKey = tuple[object, ...]


def outcome(
    paths: Iterable[str | Path], rules: RuleSet, **kwargs: object
) -> tuple[list[HitKey], list[tuple[str, str, tuple[HitKey, ...]]]]:
    """Hits and findings of a scan as sorted plain tuples."""

    def key(hit: object) -> HitKey:
        assert hasattr(hit, "record")
        r = hit.record  # type: ignore[attr-defined]
        # Everything about the record, so region parses must rebuild context exactly
        # (USMT run and program, flags, extras), not just find the same lines.
        return (
            hit.rule_id,  # type: ignore[attr-defined]
            r.source,
            r.line,
            r.offset,
            r.length,
            hit.details,  # type: ignore[attr-defined]
            r.component,
            r.message,
            r.utc,
            r.level,
            tuple(sorted(r.flags)),
            tuple(sorted(r.extras.items())),
        )

    hits: list[HitKey] = []
    findings: list[tuple[str, str, tuple[HitKey, ...]]] = []
    for event in scan(paths, rules, **kwargs):  # type: ignore[arg-type]
        if isinstance(event, ScanHit):
            hits.append(key(event.hit))
        elif isinstance(event, ScanFinding):
            findings.append(
                (event.host, event.finding.rule_id, tuple(key(h) for h in event.finding.hits))
            )
    return sorted(hits), sorted(findings)
