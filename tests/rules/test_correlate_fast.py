"""The UTC-indexed correlation path gives the pairwise path's findings, and scales."""

from __future__ import annotations

import importlib
import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logscan.model import Level, LogFormat, LogRecord
from logscan.rules import load_rules
from logscan.rules.correlate import correlate
from logscan.rules.model import Hit
from logscan.rules.rule import CorrelationRule

# The package re-exports the function under the module's name; fetch the module itself.
correlate_module = importlib.import_module("logscan.rules.correlate")
_T0 = datetime(2011, 3, 15, 19, 0, tzinfo=UTC)
_CHAINS: list[CorrelationRule] = []


def _chains() -> list[CorrelationRule]:
    if not _CHAINS:
        _CHAINS.extend(r for r in load_rules().correlations if r.steps)
    return _CHAINS


def _hit(rule_id: str, minute: float, line: int) -> Hit:
    utc = _T0 + timedelta(minutes=minute)
    record = LogRecord(
        "smsts.log",
        line,
        line * 100,
        90,
        utc.replace(tzinfo=None),
        0,
        Level.ERROR,
        "OSDSMPClient",
        1,
        f"m{line}",
        LogFormat.CCM,
    )
    return Hit(rule_id, record)


def _findings(rule: CorrelationRule, hits: list[Hit]) -> list[tuple[str, ...]]:
    return [tuple(f"{h.rule_id}@{h.record.line}" for h in f.hits) for f in correlate(rule, hits)]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_fast_path_equals_pairwise(data: st.DataObject) -> None:
    rule = data.draw(st.sampled_from(_chains()))
    ids = sorted(
        {r for step in rule.steps for r in step.rules} | {r for a in rule.absent for r in a.rules}
    )
    events = data.draw(
        st.lists(st.tuples(st.sampled_from(ids), st.floats(0, 600, allow_nan=False)), max_size=25)
    )
    hits = [_hit(rid, minute, i + 1) for i, (rid, minute) in enumerate(events)]
    fast = _findings(rule, hits)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(correlate_module, "_utc_index", lambda *_args: None)
        slow = _findings(rule, hits)
    assert fast == slow


def test_dense_hits_correlate_in_linearithmic_time() -> None:
    rule = next(r for r in _chains() if len(r.steps) >= 2)
    first, second = rule.steps[0].rules[0], rule.steps[1].rules[0]
    hits = []
    for i in range(20_000):
        hits.append(_hit(first, i * 0.01, 2 * i + 1))
        hits.append(_hit(second, i * 0.01 + 0.001, 2 * i + 2))
    started = time.perf_counter()
    found = correlate(rule, hits)
    elapsed = time.perf_counter() - started
    assert found
    assert elapsed < 5, f"{elapsed:.1f}s for 40,000 hits"
