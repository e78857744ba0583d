"""Correlation: joining hits of one host into findings, in a window, in order or not,
with conditions on what was *not* logged.

Pure functions over ``Hit`` lists: no I/O, no clock. Times are compared pairwise: UTC
when both records know it, else local time (USMT logs carry no zone, and all logs of a
machine share its clock), else the pair cannot be placed. A hit that cannot be placed
never fills a step, and always counts against an absence: "USMT never started" is only
claimed when no USMT start could have been in the window.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta

from logscan.rules.model import Finding, Hit
from logscan.rules.rule import Absence, CorrelationRule, hit_values


def _delta(a: Hit, b: Hit) -> timedelta | None:
    """``b``'s time minus ``a``'s, or None when they share no time base."""
    ra, rb = a.record, b.record
    if ra.utc is not None and rb.utc is not None:
        return rb.utc - ra.utc
    if ra.local_time is not None and rb.local_time is not None:
        return rb.local_time.replace(tzinfo=None) - ra.local_time.replace(tzinfo=None)
    return None


def _sort_key(hit: Hit) -> tuple[datetime, str, int]:
    # Only the iteration order of anchors; every constraint is checked with _delta.
    when = hit.record.utc or hit.record.local_time or datetime.min
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when, hit.record.source, hit.record.line


def _timed(hit: Hit) -> bool:
    return hit.record.utc is not None or hit.record.local_time is not None


def correlate(
    rule: CorrelationRule, hits: Iterable[Hit], *, host: str | None = None
) -> list[Finding]:
    """Findings of ``rule`` among ``hits``, all of which belong to one host.

    Each hit fills at most one finding; anchors are tried earliest first and each later
    step takes the earliest hit that fits, so repeated retries of one failure give one
    finding, not one per retry.
    """
    wanted = {r for step in rule.steps for r in step.rules}
    wanted |= {r for a in rule.absent for r in a.rules}
    pool = sorted((h for h in hits if h.rule_id in wanted), key=_sort_key)
    candidates = [[h for h in pool if h.rule_id in step.rules and _timed(h)] for step in rule.steps]
    used: set[int] = set()
    findings: list[Finding] = []
    anchor_steps = range(1) if rule.ordered else range(len(rule.steps))
    anchors = sorted(
        ((h, i) for i in anchor_steps for h in candidates[i]), key=lambda p: _sort_key(p[0])
    )
    # When every hit knows its UTC (CCM and legacy logs), candidates are searched by
    # bisection and used hits skipped in amortised constant time; the general pairwise
    # path stays for hits that only know local time. Both give the same findings.
    fast = _utc_index(rule, candidates, pool)
    for anchor, index in anchors:
        if id(anchor) in used:
            continue
        if fast is not None:
            chosen = fast.fill(anchor, index)
        else:
            chosen = _fill(rule, candidates, anchor, index, used)
        if chosen is None:
            continue
        if fast is not None:
            held = [fast.absence_holds(a, chosen) for a in rule.absent]
        else:
            held = [_absence_holds(a, rule, chosen, pool) for a in rule.absent]
        if not all(held):
            continue
        used.update(id(h) for h in chosen)
        if fast is not None:
            fast.mark_used(chosen)
        findings.append(_finding(rule, chosen, host))
    return findings


def _utc_index(
    rule: CorrelationRule, candidates: Sequence[Sequence[Hit]], pool: Sequence[Hit]
) -> _UtcIndex | None:
    return _UtcIndex(rule, candidates, pool) if all(h.record.utc for h in pool) else None


def _utc(hit: Hit) -> datetime:
    when = hit.record.utc
    assert when is not None
    return when


class _UtcIndex:
    """Per-step candidate lists keyed by UTC, with a "next unused" pointer forest so a
    long run of already-used hits is jumped over once, not on every anchor."""

    def __init__(
        self, rule: CorrelationRule, candidates: Sequence[Sequence[Hit]], pool: Sequence[Hit]
    ) -> None:
        self.rule = rule
        self.candidates = candidates
        self.times = [[_utc(h) for h in cand] for cand in candidates]
        self.position = [{id(h): j for j, h in enumerate(cand)} for cand in candidates]
        self.next_free = [list(range(len(cand) + 1)) for cand in candidates]
        names = [s.name for s in rule.steps]
        self.after = [names.index(a.after) for a in rule.absent]
        self.absent_times = [
            sorted(_utc(h) for h in pool if h.rule_id in a.rules) for a in rule.absent
        ]

    def _free(self, step: int, j: int) -> int:
        nxt = self.next_free[step]
        root = j
        while nxt[root] != root:
            root = nxt[root]
        while nxt[j] != root:  # path compression
            nxt[j], j = root, nxt[j]
        return root

    def mark_used(self, chosen: Sequence[Hit]) -> None:
        for step, pos in enumerate(self.position):
            for hit in chosen:
                j = pos.get(id(hit))
                if j is not None:
                    self.next_free[step][j] = j + 1

    def fill(self, anchor: Hit, anchor_index: int) -> list[Hit] | None:
        rule = self.rule
        start, end = _utc(anchor), _utc(anchor) + rule.window
        chosen: list[Hit | None] = [None] * len(rule.steps)
        chosen[anchor_index] = anchor
        taken = {id(anchor)}
        previous = start
        for i in range(len(rule.steps)):
            if i == anchor_index:
                continue
            cand, times = self.candidates[i], self.times[i]
            lowest = max(start, previous) if rule.ordered else start
            j = self._free(i, bisect_left(times, lowest))
            pick = None
            while j < len(cand) and times[j] <= end:
                if id(cand[j]) not in taken and (not rule.ordered or times[j] >= previous):
                    pick = cand[j]
                    break
                j = self._free(i, j + 1)
            if pick is None:
                return None
            chosen[i] = pick
            taken.add(id(pick))
            previous = _utc(pick)
        return [h for h in chosen if h is not None]

    def absence_holds(self, absence: Absence, chosen: Sequence[Hit]) -> bool:
        k = self.rule.absent.index(absence)
        reference = _utc(chosen[self.after[k]])
        times = self.absent_times[k]
        j = bisect_left(times, reference)
        return not (j < len(times) and times[j] <= reference + absence.within)


def _fill(
    rule: CorrelationRule,
    candidates: Sequence[Sequence[Hit]],
    anchor: Hit,
    anchor_index: int,
    used: set[int],
) -> list[Hit] | None:
    chosen: list[Hit | None] = [None] * len(rule.steps)
    chosen[anchor_index] = anchor
    taken = {id(anchor)}
    previous = anchor
    for i in range(len(rule.steps)):
        if i == anchor_index:
            continue
        pick = None
        for hit in candidates[i]:
            if id(hit) in used or id(hit) in taken:
                continue
            since_anchor = _delta(anchor, hit)
            if since_anchor is None or not timedelta(0) <= since_anchor <= rule.window:
                continue
            if rule.ordered:
                since_previous = _delta(previous, hit)
                if since_previous is None or since_previous < timedelta(0):
                    continue
            pick = hit
            break
        if pick is None:
            return None
        chosen[i] = pick
        taken.add(id(pick))
        previous = pick
    return [h for h in chosen if h is not None]


def _absence_holds(
    absence: Absence, rule: CorrelationRule, chosen: list[Hit], pool: Sequence[Hit]
) -> bool:
    names = [s.name for s in rule.steps]
    reference = chosen[names.index(absence.after)]
    for hit in pool:
        if hit.rule_id not in absence.rules:
            continue
        offset = _delta(reference, hit)
        if offset is None or timedelta(0) <= offset <= absence.within:
            return False
    return True


def _finding(rule: CorrelationRule, chosen: list[Hit], host: str | None) -> Finding:
    values: dict[str, str] = {}
    for step, hit in zip(rule.steps, chosen, strict=True):
        values.update(hit_values(hit, prefix=f"{step.name}."))
    return Finding(
        rule_id=rule.id,
        hits=tuple(chosen),
        steps=tuple(s.name for s in rule.steps),
        absent=tuple(a.describe() for a in rule.absent),
        details=rule.details.render(values),
        host=host,
    )


def correlate_all(
    rules: Iterable[CorrelationRule],
    hits: Iterable[Hit],
    *,
    host_of: Callable[[Hit], str] | None = None,
) -> list[Finding]:
    """Every rule over every host; ``host_of`` groups hits (default: one host)."""
    groups: dict[str | None, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(host_of(hit) if host_of else None, []).append(hit)
    rule_list = list(rules)
    return [
        finding
        for host, group in groups.items()
        for rule in rule_list
        for finding in correlate(rule, group, host=host)
    ]
