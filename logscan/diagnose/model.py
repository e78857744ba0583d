"""Diagnosis data: verdicts, confidence, evidence, reasoning steps, coverage, timeline, plan.

Everything a surface shows about one host is in a frozen ``Diagnosis``; nothing here reads
files or the clock. Verdict names are the six of DOMAIN.md and are what machine output
prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from logscan.facts.model import MachineFacts


class Verdict(StrEnum):
    """The six answers of DOMAIN.md, in machine output exactly as written here."""

    CONFIRMED = "confirmed"  # 0x80092024 state-store failure logged AND a NUL in a friendly name
    LIKELY = "likely"  # the failure is logged, no certificate state to confirm it
    AT_RISK = "at_risk"  # NUL + 974571 / Windows 7 SP1, no failure logged yet
    RESOLVED = "resolved"  # failure logged, afterwards clean (fix ran / later success)
    OTHER_FAILURE = "other_failure"  # state migration failed for another reason
    NO_EVIDENCE = "no_evidence"  # nothing relevant found

    @property
    def actionable(self) -> bool:
        """Whether an admin has KB977203 work to do on this host (exit code 1)."""
        return self in (Verdict.CONFIRMED, Verdict.LIKELY, Verdict.AT_RISK)


class Confidence(StrEnum):
    """How well the evidence supports the verdict; missing evidence lowers it."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    def lowered(self) -> Confidence:
        return Confidence.LOW if self is not Confidence.HIGH else Confidence.MEDIUM


class EvidenceKind(StrEnum):
    LOG = "log"
    CERT = "cert"
    FACT = "fact"


class EvidenceRole(StrEnum):
    """What a piece of evidence speaks to; orders evidence from most to least telling."""

    FAILURE = "failure"  # the KB977203 failure itself
    CERTIFICATE = "certificate"  # a certificate at fault (or shown clean)
    FIX = "fix"  # CCMCertFix, client patch, a later success
    OTHER_FAILURE = "other_failure"  # a failure with another cause
    EXPOSURE = "exposure"  # 974571 / Windows 7 SP1 / client version
    CONTEXT = "context"  # host names and the like


@dataclass(frozen=True, slots=True)
class Evidence:
    """One cited fact behind a verdict.

    ``path`` is relative to the input the user gave (``bundle.zip!member`` inside zips);
    ``line`` is the first line of the record (None when the source has no lines, e.g. the
    live store). ``rule`` names what produced it: a rule id for logs, ``cert.<check>``
    for certificates, ``fact.<name>`` for machine facts. ``also`` lists other copies of
    the same record (smsts.log copied at several moments).
    """

    kind: EvidenceKind
    path: str
    line: int | None
    text: str
    rule: str
    role: EvidenceRole
    when: datetime | None = None
    also: tuple[str, ...] = ()

    @property
    def cite(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


class Effect(StrEnum):
    """What a reasoning step did to the verdict or its confidence."""

    RAISES = "raises"  # moved the verdict towards KB977203 / made it more certain
    LOWERS = "lowers"  # moved it away or made it less certain
    SETS = "sets"  # decided the verdict
    NOTES = "notes"  # recorded something without changing the answer


@dataclass(frozen=True, slots=True)
class ReasoningStep:
    """One step of the ordered reasoning: what was looked at, what it changed, and why."""

    step: str
    effect: Effect
    verdict: Verdict | None  # the verdict as it stands after this step (None: undecided)
    confidence: Confidence
    because: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which evidence a migration diagnosis expects was there.

    Items are the expected ones (``ccmexec``, ``smsts``, ``usmt`` for ScanState/LoadState,
    ``certificates``, ``machine_facts``) plus every other log kind found; ``unreadable``
    holds ``path: reason`` texts. ``files`` maps an item to the paths that supplied it.
    """

    present: tuple[str, ...]
    missing: tuple[str, ...]
    unreadable: tuple[str, ...]
    files: tuple[tuple[str, str], ...] = ()


class TimelineKind(StrEnum):
    STEP_STARTED = "step_started"
    STEP_SUCCEEDED = "step_succeeded"
    STEP_FAILED = "step_failed"
    TASK_SEQUENCE_ENDED = "task_sequence_ended"
    SMP_CLIENT = "smp_client"  # osdsmpclient.exe started / requested / finished
    USMT_STARTED = "usmt_started"
    USMT_COMPLETED = "usmt_completed"
    USMT_RESULT = "usmt_result"  # a return code
    FAILURE = "failure"  # a KB977203 failure line
    OTHER_FAILURE = "other_failure"
    FIX = "fix"  # CCMCertFix, client patch, client installed
    CONTEXT = "context"


class Placement(StrEnum):
    """How a timeline entry got its UTC time."""

    UTC = "utc"  # the record carries UTC (CCM, legacy trace, progress log offset)
    HOST_BIAS = "host_bias"  # local time + the bias the host's CCM records used then
    UNPLACED = "unplaced"  # no time, or local time with no bias known: listed last


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    utc: datetime | None
    placement: Placement
    kind: TimelineKind
    text: str
    path: str
    line: int
    rule: str
    local: datetime | None = None


@dataclass(frozen=True, slots=True)
class CertificateState:
    """One certificate as the diagnosis saw it; ``friendly_name`` shows NULs as ␀."""

    thumbprint: str
    role: str | None  # signing / encryption
    friendly_name: str | None
    nul_positions: tuple[int, ...]
    at_fault: bool  # the KB977203 NUL is in its friendly name
    path: str
    line: int | None
    subject: str | None
    not_before: datetime | None
    fidelity: str | None  # how faithfully the source shows the name's bytes


class Performer(StrEnum):
    """Who carries out a remediation step."""

    LOGSCAN = "logscan"  # ``logscan repair`` can do it (repair issue)
    ADMIN = "admin"  # outside this machine or needs a person's decision


@dataclass(frozen=True, slots=True)
class RemediationStep:
    """One step of the fix, as data: what, where, exact commands, who can do it."""

    id: str
    title: str
    where: str  # site server, client, task sequence, ...
    performer: Performer
    commands: tuple[str, ...]
    details: str
    why: str  # which fact or verdict made this step part of the plan


@dataclass(frozen=True, slots=True)
class HostName:
    """A name the host goes by, and where it was read."""

    name: str
    source: str  # folder, zip, log, certificate, systeminfo, registry, live
    cite: str


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The answer for one host."""

    host: str
    verdict: Verdict
    confidence: Confidence
    summary: str
    evidence: tuple[Evidence, ...]
    certificates: tuple[CertificateState, ...]
    facts: MachineFacts
    coverage: Coverage
    timeline: tuple[TimelineEntry, ...]
    reasoning: tuple[ReasoningStep, ...]
    remediation: tuple[RemediationStep, ...]
    names: tuple[HostName, ...] = ()
    label: str = ""  # the folder, zip or path the evidence was found under
    error_codes: tuple[str, ...] = ()  # 0x80092024, 0x80070005, usmt:27

    @property
    def telling(self) -> tuple[Evidence, ...]:
        """The three most telling pieces of evidence (evidence is stored in that order)."""
        return self.evidence[:3]
