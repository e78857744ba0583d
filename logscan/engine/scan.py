"""``scan``: the one entry point that turns evidence paths and rules into a stream of events.

CLI, TUI and batch all call this. Per source it picks the rules that apply (by log kind,
file name and format), searches the raw logical bytes for those rules' anchors, parses
only the records around them, matches, and yields hits as they are found; correlation
rules run per host once every source has been read. ``full_parse=True`` parses and
matches every record instead — the reference the prefiltered path must equal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from logscan.engine.events import (
    RuleDisabled,
    ScanEvent,
    ScanFinding,
    ScanHit,
    ScanProblem,
    ScanWarning,
    SourceScanned,
    SourceStatus,
)
from logscan.engine.framing import FRAMERS, UsmtTracker
from logscan.engine.prefilter import AnchorSearch, anchor_search
from logscan.engine.regions import CarryOverflow, scan_regions
from logscan.inputs.discover import find_logs
from logscan.inputs.reader import inspect_head, read_source
from logscan.inputs.source import LogSource
from logscan.inputs.stream import BLOCK_SIZE, TextStream
from logscan.model import LogFormat, LogRecord, ParseWarning, WarningCode
from logscan.parsers.base import all_parsers
from logscan.rules.correlate import correlate
from logscan.rules.loader import RuleSet
from logscan.rules.model import Hit, RuleTimeout
from logscan.rules.rule import Rule


def anchor_haystack(record: LogRecord) -> str:
    """The record's text fields, lower-cased: where a rule's anchors must appear."""
    parts = [record.message, record.component, *record.extras.values()]
    return "\n".join(parts).lower()


def default_host(source: LogSource) -> str:
    """Without better knowledge, every input path given is one host."""
    return source.root


class _Plan:
    """The rules of one source, laid out for the per-record loop.

    Each entry is (rule, rule id, its derived anchors or None). ``anchors`` is every
    derived anchor of these rules once: a record is tested for each anchor once, not
    once per rule holding it, and a rule is evaluated only when one of its own is there.
    """

    __slots__ = ("anchors", "entries")

    def __init__(self, rules: list[Rule], derived: dict[str, tuple[str, ...]]) -> None:
        self.entries = [(r, r.id, frozenset(derived[r.id]) or None) for r in rules]
        self.anchors = tuple(sorted({a for r in rules for a in derived[r.id]}))


class _Matcher:
    """Applies rules to records; a rule whose regex times out is dropped for the rest
    of the scan (it would likely time out on every similar record)."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self.disabled: set[str] = set()
        self.just_disabled: list[RuleDisabled] = []
        # Derived anchors come from the rule's message matchers, so a record the rule
        # matches holds one in its text; declared anchors may name raw syntax (a USMT
        # level column) and are not used for this shortcut.
        self._anchors = {
            r.id: () if r.anchors_declared else tuple(a.decode("latin-1") for a in r.anchors)
            for r in self.rules
        }
        self._plans: dict[tuple[str, ...], _Plan] = {}

    def plan(self, rules: list[Rule]) -> _Plan:
        """The plan for a source's rules (built once per distinct rule list)."""
        key = tuple(r.id for r in rules)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _Plan(rules, self._anchors)
        return plan

    def match(self, record: LogRecord, plan: _Plan, source: LogSource) -> list[Hit]:
        hits: list[Hit] = []
        present: set[str] | None = None
        disabled = self.disabled
        for rule, rule_id, anchors in plan.entries:
            if disabled and rule_id in disabled:
                continue
            # A rule can only match a record holding one of its anchors (the prefilter's
            # premise); checking the record's text first skips most rule evaluations in
            # the region around a hit. Rules without anchors are always evaluated.
            if anchors is not None:
                if present is None:
                    hay = anchor_haystack(record)
                    present = {a for a in plan.anchors if a in hay}
                if anchors.isdisjoint(present):
                    continue
            try:
                hit = rule.match(record, source.kind)
            except RuleTimeout as exc:
                disabled.add(rule_id)
                self.just_disabled.append(RuleDisabled(exc.problem))
                continue
            if hit is not None:
                hits.append(hit)
        return hits


# Compiled searchers by anchor set, kept for the life of the thread: a batch scans
# thousands of hosts with the same rules, and compiling a Hyperscan database costs more
# than scanning a small log. Per thread because a searcher and its Hyperscan scratch
# space serve one scan at a time (the TUI scans in worker threads). Bounded, since user
# rule sets can differ per call.
_SEARCH_CACHE = threading.local()
_SEARCH_CACHE_MAX = 64


class _Searches:
    """One compiled anchor searcher per distinct anchor set (rules differ by log kind)."""

    def get(self, rules: list[Rule]) -> AnchorSearch | None:
        cache: dict[frozenset[bytes], AnchorSearch | None] | None
        cache = getattr(_SEARCH_CACHE, "searchers", None)
        if cache is None:
            cache = _SEARCH_CACHE.searchers = {}
        key = frozenset(a for r in rules for a in r.anchors)
        if key not in cache:
            if len(cache) >= _SEARCH_CACHE_MAX:
                cache.pop(next(iter(cache)))
            cache[key] = anchor_search(key)
        return cache[key]


def scan(
    paths: Iterable[str | Path],
    ruleset: RuleSet,
    *,
    host_of: Callable[[LogSource], str] | None = None,
    full_parse: bool = False,
    block_size: int = BLOCK_SIZE,
) -> Iterator[ScanEvent]:
    """Stream hits, per-source coverage, warnings and problems; findings at the end.

    ``block_size`` only tunes how much of a file is read at once (tests shrink it to
    put record and anchor boundaries everywhere)."""
    host_for = host_of or default_host
    matcher = _Matcher(ruleset.rules)
    searches = _Searches()
    hits_by_host: dict[str, list[Hit]] = {}
    found = find_logs(paths)
    for problem in found.problems:
        yield ScanProblem(problem.path, problem)
    for source in found.sources:
        host = host_for(source)
        hits = hits_by_host.setdefault(host, [])
        for event in _scan_source(source, host, matcher, searches, full_parse, block_size):
            if isinstance(event, ScanHit):
                hits.append(event.hit)
            yield event
        yield from matcher.just_disabled
        matcher.just_disabled.clear()
    for host, hits in hits_by_host.items():
        for rule in ruleset.correlations:
            for finding in correlate(rule, hits, host=host):
                yield ScanFinding(host, finding)


def _scan_source(
    source: LogSource,
    host: str,
    matcher: _Matcher,
    searches: _Searches,
    full_parse: bool,
    block_size: int,
) -> Iterator[ScanEvent]:
    try:
        head = inspect_head(source)
    except OSError as exc:
        yield _scanned(host, source, None, SourceStatus.UNREADABLE, detail=str(exc))
        return
    if head.empty:
        yield _scanned(host, source, None, SourceStatus.EMPTY)
        return
    if head.binary:
        yield _scanned(host, source, None, SourceStatus.BINARY, detail="binary content")
        return
    fmt, encoding, bom = head.format, head.encoding, head.bom
    parsers = all_parsers()
    parser = parsers.get(fmt) or parsers[LogFormat.PLAIN]
    rules = [r for r in matcher.rules if r.applies_to(source.kind, source.display, fmt)]
    if not rules:
        yield _scanned(host, source, fmt, SourceStatus.READ)
        return
    search = searches.get(rules)
    plan = matcher.plan(rules)
    framer = FRAMERS.get(fmt)
    whole = full_parse or any(r.needs_full_parse for r in rules)
    counts = {"candidates": 0, "records": 0, "warnings": 0}
    status = SourceStatus.READ
    detail = ""
    if not whole and search is not None:
        stream = TextStream(source.display, source.opener, encoding, bom=bom, block_size=block_size)
        try:
            if framer is None:
                whole = _has_candidate(stream, search)
                counts["candidates"] = int(whole)
            else:
                tracker = UsmtTracker() if fmt is LogFormat.USMT else None
                items = scan_regions(stream, parser, framer, search, tracker)
                yield from _consume(items, source, host, plan, matcher, counts)
        except CarryOverflow:
            whole = True  # a record too long to carry: parse this file in full
            counts = {"candidates": counts["candidates"], "records": 0, "warnings": 0}
        except OSError as exc:
            status, detail = SourceStatus.UNREADABLE, str(exc)
    if whole and status is SourceStatus.READ:
        items = read_source(source, fmt)
        for event in _consume(items, source, host, plan, matcher, counts):
            if isinstance(event, ScanWarning) and event.warning.code is WarningCode.UNREADABLE:
                status, detail = SourceStatus.UNREADABLE, event.warning.message
            yield event
    yield SourceScanned(
        host,
        source,
        fmt,
        status,
        counts["candidates"],
        counts["records"],
        counts["warnings"],
        whole,
        detail,
    )


def _consume(
    items: Iterable[LogRecord | ParseWarning | int],
    source: LogSource,
    host: str,
    plan: _Plan,
    matcher: _Matcher,
    counts: dict[str, int],
) -> Iterator[ScanEvent]:
    for item in items:
        if isinstance(item, int):
            counts["candidates"] += item
        elif isinstance(item, ParseWarning):
            counts["warnings"] += 1
            yield ScanWarning(host, item)
        else:
            counts["records"] += 1
            for hit in matcher.match(item, plan, source):
                yield ScanHit(host, source, hit)


def _has_candidate(stream: TextStream, search: AnchorSearch) -> bool:
    """Whether any anchor occurs in the stream (blocks overlap so none is split)."""
    tail = b""
    for block in stream.blocks():
        window = tail + block
        if search.first(window, 0) is not None:
            return True
        tail = window[-(search.longest - 1) :] if search.longest > 1 else b""
    return False


def _scanned(
    host: str, source: LogSource, fmt: LogFormat | None, status: SourceStatus, detail: str = ""
) -> SourceScanned:
    return SourceScanned(host, source, fmt, status, 0, 0, 0, False, detail)
