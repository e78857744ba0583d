"""The migration timeline of one host: rule hits from every log merged by UTC.

CCM and legacy records carry UTC; the progress log carries an offset. ScanState/LoadState
logs carry only local time on the machine's clock, so they are placed with the bias the
host's CCM records used *at that moment*: the candidate bias whose CCM records lie closest
to the USMT time once applied (a machine that moved from WinPE's +480 to +300, or across a
daylight-saving switch, has several). Without any CCM record the entry stays unplaced and
is listed last, in file order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from logscan.diagnose.model import Placement, TimelineEntry, TimelineKind
from logscan.rules.model import Hit

KB_FAILURE_RULES = frozenset(
    {
        "kb977203.osdsmpclient.import_failure",
        "kb977203.smsts.state_migration_step_failed",
        "kb977203.smsts.action_exit_code",
        "kb977203.smsts.task_sequence_failed",
        "kb977203.smsts.last_action_ret_code",
    }
)
OTHER_FAILURE_RULES = frozenset(
    {
        "osd.osdsmpclient.import_failure_other_code",
        "osd.state_store.smp_unreachable",
        "osd.state_store.access_denied",
        "osd.task_sequence.failed_other_code",
        "usmt.return_code.nonzero",
        "usmt.error.record",
    }
)
_KINDS = {
    "timeline.smsts.step_started": TimelineKind.STEP_STARTED,
    "timeline.smsts.step_succeeded": TimelineKind.STEP_SUCCEEDED,
    "timeline.smsts.step_failed": TimelineKind.STEP_FAILED,
    "timeline.smsts.task_sequence_completed": TimelineKind.TASK_SEQUENCE_ENDED,
    "timeline.osdsmpclient.started": TimelineKind.SMP_CLIENT,
    "timeline.osdsmpclient.request": TimelineKind.SMP_CLIENT,
    "timeline.osdsmpclient.finished": TimelineKind.SMP_CLIENT,
    "timeline.osd.client_installed": TimelineKind.FIX,
    "timeline.usmt.return_code": TimelineKind.USMT_RESULT,
    "timeline.usmt.progress_result": TimelineKind.USMT_RESULT,
    "usmt.run_started": TimelineKind.USMT_STARTED,
    "usmt.run_completed": TimelineKind.USMT_COMPLETED,
    "kb977203.fix.ccmcertfix_ran": TimelineKind.FIX,
    "kb977203.fix.ccmcertfix_rewrote": TimelineKind.FIX,
    "kb977203.fix.client_patch": TimelineKind.FIX,
}


def kind_of(rule_id: str) -> TimelineKind | None:
    """The timeline kind of a rule's hits (None: the rule is not part of the timeline)."""
    if rule_id in KB_FAILURE_RULES:
        return TimelineKind.FAILURE
    if rule_id in OTHER_FAILURE_RULES:
        return TimelineKind.OTHER_FAILURE
    return _KINDS.get(rule_id)


class BiasPlacer:
    """Places local-only times with the host's CCM bias of that moment.

    For each bias the host's CCM records used, the local time is converted with it and the
    nearest CCM record of that bias is looked up (bisect); the bias whose nearest record is
    closest wins. Logarithmic per lookup, so a log with a million hits stays fast."""

    def __init__(self, hits: Iterable[Hit]) -> None:
        by_bias: dict[int, set[datetime]] = {}
        for h in hits:
            bias = h.record.bias
            if bias is not None and (utc := h.record.utc) is not None:
                by_bias.setdefault(bias, set()).add(utc)  # ``utc`` is always aware, in UTC
        self._refs = {bias: sorted(times) for bias, times in by_bias.items()}
        self._cache: dict[datetime, datetime] = {}

    @property
    def known(self) -> bool:
        return bool(self._refs)

    def place(self, local: datetime) -> datetime | None:
        if not self._refs:
            return None
        naive = local.replace(tzinfo=None)
        cached = self._cache.get(naive)
        if cached is not None:
            return cached
        best: tuple[timedelta, datetime] | None = None
        for bias, times in self._refs.items():
            guess = naive.replace(tzinfo=UTC) + timedelta(minutes=bias)
            at = bisect_left(times, guess)
            gap = min(abs(times[i] - guess) for i in (at - 1, at) if 0 <= i < len(times))
            if best is None or gap < best[0]:
                best = (gap, guess)
        assert best is not None
        self._cache[naive] = best[1]
        return best[1]


def when_of(hit: Hit, placer: BiasPlacer) -> tuple[datetime | None, Placement]:
    """A hit's UTC and how it was obtained."""
    record = hit.record
    utc = record.utc  # derived on every access: taken once
    if utc is not None:
        return utc, Placement.UTC
    if record.local_time is not None:
        placed = placer.place(record.local_time)
        if placed is not None:
            return placed, Placement.HOST_BIAS
    return None, Placement.UNPLACED


def _text(hit: Hit) -> str:
    return hit.details or hit.record.message.splitlines()[0]


def build_timeline(hits: Iterable[Hit]) -> tuple[TimelineEntry, ...]:
    """The host's timeline from its (de-duplicated) hits, oldest first, unplaced last."""
    pool = list(hits)
    placer = BiasPlacer(pool)
    entries: list[TimelineEntry] = []
    for hit in pool:
        kind = kind_of(hit.rule_id)
        if kind is None:
            continue
        utc, placement = when_of(hit, placer)
        entries.append(
            TimelineEntry(
                utc,
                placement,
                kind,
                _text(hit),
                hit.record.source,
                hit.record.line,
                hit.rule_id,
                hit.record.local_time,
            )
        )
    entries = _one_per_record(entries)
    timed = sorted((e for e in entries if e.utc is not None), key=_order)
    untimed = [e for e in entries if e.utc is None]
    return (*timed, *untimed)


def _order(entry: TimelineEntry) -> tuple[datetime, str, int]:
    assert entry.utc is not None
    return entry.utc, entry.path, entry.line


def _one_per_record(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """A record several rules hit appears once, under its most specific kind."""
    rank = {TimelineKind.FAILURE: 0, TimelineKind.OTHER_FAILURE: 1, TimelineKind.FIX: 2}
    best: dict[tuple[str, int], TimelineEntry] = {}
    for entry in entries:
        key = (entry.path, entry.line)
        held = best.get(key)
        if held is None or rank.get(entry.kind, 9) < rank.get(held.kind, 9):
            best[key] = entry
    return list(best.values())
