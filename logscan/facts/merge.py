"""Merging observations into ``MachineFacts``: precedence, conflicts, derived facts.

Rules:

- The observation from the strongest origin wins (live > registry > tool output >
  collector manifest > log line > derived). Among log lines of the same strength the
  newest wins (a client upgrade is history, not a contradiction).
- Every observation whose value differs from the chosen one is listed as a conflict.
  When equally strong sources disagree and time cannot decide, the fact stays unknown and
  the reason names both sides.
- Hotfix lists are unions (each source lists what it saw).
- Derived: release and hotfix level from the client version (release.py); KB977203 /
  KB977384 implied by exact version-table revisions; KB974571 present when listed or when
  the OS build is 7601 or later (Windows 7 SP1 contains it and does not list it), absent
  only when a complete hotfix list lacks it and the build is known to be older
  (cert-store.md §9.3). KB977203/KB977384 do not apply to a client that is not 2007.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from logscan.facts.model import (
    Fact,
    FactName,
    FactState,
    FactValue,
    MachineFacts,
    Origin,
    format_value,
)
from logscan.facts.release import ClientRelease, ClientVersion, classify
from logscan.model import ParseWarning

_DERIVED = (FactName.CLIENT_RELEASE, FactName.CLIENT_HOTFIX_LEVEL, FactName.KB974571)
_VERSIONS = (FactName.CLIENT_VERSION, FactName.CCMSETUP_VERSION, FactName.SITE_VERSION)


def _when(moment: datetime | None) -> datetime:
    """Comparable time: aware stamps as naive UTC (parsers may give either kind)."""
    if moment is None:
        return datetime.min
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _key(name: FactName, value: FactValue) -> object:
    """What two values must share to agree (versions numerically, names loosely)."""
    if isinstance(value, bool | int | frozenset):
        return (type(value).__name__, value)
    if name in _VERSIONS and (version := ClientVersion.parse(value)) is not None:
        return version
    text = " ".join(value.split()).casefold()
    if name is FactName.OS_NAME:
        text = re.sub(r"^microsoft\s+", "", text).replace("®", "").replace("(r)", "")
    return text


def _describe(fact: Fact) -> str:
    return f"{format_value(fact.value)} ({fact.source})"


def resolve(name: FactName, facts: list[Fact]) -> FactState:
    """The state of one fact from its observations (precedence rules in the module doc)."""
    if not facts:
        return FactState(name, None, None, "no source reported this fact")
    if name is FactName.HOTFIXES:
        return _union(facts)
    top = max(f.origin for f in facts)
    best = [f for f in facts if f.origin is top]
    how = top.name.lower().replace("_", " ")
    if len({_key(name, f.value) for f in best}) == 1:
        chosen, reason = best[0], how
    elif all(f.observed is not None for f in best):
        chosen = max(best, key=lambda f: _when(f.observed))
        reason = f"{how}: newest of {len(best)} differing observations"
    else:
        sides = "; ".join(_describe(f) for f in best)
        return FactState(name, None, None, f"sources disagree: {sides}", tuple(facts), tuple(best))
    chosen_key = _key(name, chosen.value)
    conflicts = tuple(f for f in facts if _key(name, f.value) != chosen_key)
    agree = len(facts) - len(conflicts)
    if agree > 1:
        reason += f"; {agree} observations agree"
    if conflicts:
        reason += f"; {len(conflicts)} disagree"
    detail = f" ({chosen.detail})" if chosen.detail else ""
    return FactState(name, chosen.value, chosen.source, reason + detail, tuple(facts), conflicts)


def _union(facts: list[Fact]) -> FactState:
    ids: set[str] = set()
    for f in facts:
        if isinstance(f.value, frozenset):
            ids |= f.value
    sources = ", ".join(dict.fromkeys(f.source for f in facts))
    reason = "union of complete hotfix lists" if len(facts) > 1 else facts[0].detail
    return FactState(FactName.HOTFIXES, frozenset(ids), sources, reason, tuple(facts))


def _release_states(version: FactState) -> tuple[FactState, FactState, list[Fact]]:
    """Release and hotfix level from the client version, plus the KB facts it implies."""
    value = version.value
    parsed = ClientVersion.parse(value) if isinstance(value, str) else None
    if parsed is None:
        why = f"client version unknown ({version.reason})"
        return (
            FactState(FactName.CLIENT_RELEASE, None, None, why),
            FactState(FactName.CLIENT_HOTFIX_LEVEL, None, None, why),
            [],
        )
    info = classify(parsed)
    src = version.source or ""
    table = f"version table, cert-store.md §9.1, for {parsed}"
    implied: list[Fact] = []
    flags = {FactName.KB977203: info.implies_kb977203, FactName.KB977384: info.implies_kb977384}
    for kb, flag in flags.items():
        if flag:
            implied.append(Fact(kb, True, src, f"implied by {table} (unverified)", Origin.DERIVED))
    return (
        FactState(FactName.CLIENT_RELEASE, info.release.value, src, table),
        FactState(FactName.CLIENT_HOTFIX_LEVEL, info.hotfix_level, src, table),
        implied,
    )


def _kb974571(listed: list[Fact], states: dict[FactName, FactState]) -> FactState:
    name = FactName.KB974571
    if listed:
        return resolve(name, listed)
    build, version = states[FactName.OS_BUILD], states[FactName.OS_VERSION]
    hotfixes = states[FactName.HOTFIXES]
    b = build.value if isinstance(build.value, int) and not isinstance(build.value, bool) else None
    if b is not None and b >= 7601:
        why = f"OS build {b} is Windows 7 SP1 or later, which contains 974571 (cert-store.md §9.3)"
        if version.value not in (None, "6.1"):
            why = f"OS {version.value} build {b} is newer than Windows 7 and includes the fix"
        return FactState(name, True, build.source, why)
    if not hotfixes.known:
        return FactState(name, None, None, "no hotfix list and no OS build 7601+ was found")
    if b is None:
        return FactState(
            name,
            None,
            None,
            "not in the hotfix list, but the OS build is unknown (Windows 7 SP1 "
            "contains 974571 without listing it)",
        )
    return FactState(
        name,
        False,
        hotfixes.source,
        f"not in the complete hotfix list and OS build {b} predates Windows 7 SP1",
    )


def merge_facts(facts: Iterable[Fact], warnings: Iterable[ParseWarning] = ()) -> MachineFacts:
    """Fold observations from any number of sources into one ``MachineFacts``."""
    by_name: dict[FactName, list[Fact]] = {n: [] for n in FactName}
    for fact in facts:
        by_name[fact.name].append(fact)
    states = {n: resolve(n, by_name[n]) for n in FactName if n not in _DERIVED}
    release, level, implied = _release_states(states[FactName.CLIENT_VERSION])
    states[FactName.CLIENT_RELEASE], states[FactName.CLIENT_HOTFIX_LEVEL] = release, level
    for kb in (FactName.KB977203, FactName.KB977384):
        observed = by_name[kb] + [f for f in implied if f.name is kb]
        if release.value == ClientRelease.NOT_2007.value:
            why = f"not applicable: {level.value} ({release.source})"
            states[kb] = FactState(kb, None, None, why, tuple(observed))
        else:
            states[kb] = resolve(kb, observed)
    states[FactName.KB974571] = _kb974571(by_name[FactName.KB974571], states)
    return MachineFacts(tuple(states[n] for n in FactName), tuple(warnings))
