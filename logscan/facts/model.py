"""Machine-fact data: what a fact is, where it came from, and the merged answer per fact.

A ``Fact`` is one observation from one place (a systeminfo line, a registry value, a log
record, the live machine). ``merge.merge_facts`` folds many of them into ``MachineFacts``:
one ``FactState`` per ``FactName`` holding the chosen value (or None with the reason it is
unknown), the source it came from, every observation, and the ones that disagree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

from logscan.model import ParseWarning

# A fact's value. Versions, names and the release stay text; build and service pack are
# numbers; presence facts are booleans; hotfix lists are sets of "KB123456" ids.
FactValue = str | int | bool | frozenset[str]


class FactName(StrEnum):
    """Every machine fact logscan knows; stable names for machine output."""

    HOST_NAME = "host_name"
    CLIENT_VERSION = "client_version"  # ConfigMgr client ProductVersion, e.g. 4.00.6487.2000
    CLIENT_RELEASE = "client_release"  # ClientRelease value derived from CLIENT_VERSION
    CLIENT_HOTFIX_LEVEL = "client_hotfix_level"  # what the version table says about the build
    CCMSETUP_VERSION = "ccmsetup_version"  # version of ccmsetup.exe that ran (ccmsetup.log)
    SITE_VERSION = "site_version"  # site version the client was told by its MP (ccmsetup.log)
    KB977203 = "kb977203"  # client patch present (bool)
    KB977384 = "kb977384"  # R3 prerequisite hotfix present; contains KB977203's fix (bool)
    OS_NAME = "os_name"
    OS_VERSION = "os_version"  # major.minor, e.g. "6.1"
    OS_BUILD = "os_build"  # e.g. 7601
    OS_SERVICE_PACK = "os_service_pack"  # major service pack number, 0 for none
    OS_ARCHITECTURE = "os_architecture"  # "x86" or "x64"
    HOTFIXES = "hotfixes"  # installed QFE ids (frozenset of "KB…")
    KB974571 = "kb974571"  # MS09-056 present, directly or through Windows 7 SP1 (bool)
    TASK_SEQUENCE_RUNNING = "task_sequence_running"  # bool, live or at collection time


class Origin(IntEnum):
    """Kind of place a fact came from; a higher value wins when sources disagree.

    The live machine and its registry say how things are now; tool output captured by a
    collector is a snapshot of the same; log lines tell how things were when written;
    derived facts are inferences from other facts.
    """

    DERIVED = 0
    LOG = 1
    MANIFEST = 2
    TOOL_OUTPUT = 3  # systeminfo, wmic
    REGISTRY = 4  # reg export or offline hive
    LIVE = 5


@dataclass(frozen=True, slots=True)
class Fact:
    """One observation. ``source`` cites it: ``file:line``, ``hive: \\key\\value`` or
    ``live: registry HKLM\\…``; ``detail`` says how it was read or inferred."""

    name: FactName
    value: FactValue
    source: str
    detail: str = ""
    origin: Origin = Origin.TOOL_OUTPUT
    observed: datetime | None = None  # when the evidence was written, if known (log lines)

    def __str__(self) -> str:
        return f"{self.name.value}={format_value(self.value)} ({self.source})"


@dataclass(frozen=True, slots=True)
class FactsResult:
    """What one reader got out of one input: facts plus located content warnings."""

    facts: tuple[Fact, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()

    def __add__(self, other: FactsResult) -> FactsResult:
        return FactsResult(self.facts + other.facts, self.warnings + other.warnings)


@dataclass(frozen=True, slots=True)
class FactState:
    """The merged answer for one fact.

    ``value`` is None when unknown, and ``reason`` then says why (no source, sources in
    conflict, not applicable). ``conflicts`` lists observations that disagree with the
    chosen value, or with each other when none could be chosen.
    """

    name: FactName
    value: FactValue | None
    source: str | None
    reason: str
    evidence: tuple[Fact, ...] = ()
    conflicts: tuple[Fact, ...] = ()

    @property
    def known(self) -> bool:
        return self.value is not None

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.name.value}: unknown ({self.reason})"
        return f"{self.name.value}: {format_value(self.value)} ({self.source}; {self.reason})"


@dataclass(frozen=True, slots=True)
class MachineFacts:
    """Every fact about one machine, each cited, plus the warnings met while reading."""

    states: tuple[FactState, ...]
    warnings: tuple[ParseWarning, ...] = ()

    def __getitem__(self, name: FactName) -> FactState:
        for state in self.states:
            if state.name is name:
                return state
        return FactState(name, None, None, "no source reported this fact")

    def __iter__(self) -> Iterator[FactState]:
        return iter(self.states)

    @property
    def client_version(self) -> str | None:
        value = self[FactName.CLIENT_VERSION].value
        return value if isinstance(value, str) else None

    @property
    def client_release(self) -> str | None:
        value = self[FactName.CLIENT_RELEASE].value
        return value if isinstance(value, str) else None

    @property
    def os_build(self) -> int | None:
        value = self[FactName.OS_BUILD].value
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def flag(self, name: FactName) -> bool | None:
        """A presence fact (KB977203, KB974571, task sequence running) as True/False/None."""
        value = self[name].value
        return value if isinstance(value, bool) else None

    @property
    def has_kb977203_fix(self) -> bool | None:
        """Whether the client carries KB977203's fix, directly or inside KB977384."""
        direct, r3 = self.flag(FactName.KB977203), self.flag(FactName.KB977384)
        if direct or r3:
            return True
        if direct is False and r3 is False:
            return False
        return None

    @property
    def is_windows7_sp1(self) -> bool | None:
        """Windows 7 SP1 or Server 2008 R2 SP1 (6.1.7601): contains 974571."""
        version, build = self[FactName.OS_VERSION].value, self.os_build
        if not isinstance(version, str) or build is None:
            return None
        return version == "6.1" and build >= 7601

    def conflicts(self) -> tuple[FactState, ...]:
        """The facts whose sources disagree."""
        return tuple(s for s in self.states if s.conflicts)


def format_value(value: FactValue | None) -> str:
    """A fact value as one line of text (sets sorted, booleans yes/no)."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) if value else "(none)"
    return str(value)
