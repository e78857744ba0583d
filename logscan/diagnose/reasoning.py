"""The running state of the verdict's reasoning (``Decision``) and what it reasons over
(``Inputs``): shared by the failure steps (``verdict``) and the context steps
(``context``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from logscan.diagnose.model import (
    Confidence,
    Coverage,
    Effect,
    Evidence,
    ReasoningStep,
    Verdict,
)
from logscan.diagnose.names import Identity
from logscan.diagnose.signals import CertState, Signals
from logscan.facts.model import MachineFacts


@dataclass(slots=True)
class Decision:
    """The running state of the reasoning, and its record."""

    verdict: Verdict | None = None
    confidence: Confidence = Confidence.HIGH
    steps: list[ReasoningStep] = field(default_factory=list)

    def step(
        self,
        name: str,
        effect: Effect,
        because: str,
        evidence: tuple[Evidence, ...] | list[Evidence] = (),
        *,
        verdict: Verdict | None = None,
        confidence: Confidence | None = None,
        lower: bool = False,
    ) -> None:
        if verdict is not None:
            self.verdict = verdict
        if confidence is not None:
            self.confidence = confidence
        if lower:
            self.confidence = self.confidence.lowered()
        self.steps.append(
            ReasoningStep(name, effect, self.verdict, self.confidence, because, tuple(evidence[:6]))
        )


@dataclass(frozen=True, slots=True)
class Inputs:
    """What ``decide`` reasons over (built by ``diagnose.diagnose_host``)."""

    signals: Signals
    cert_state: CertState
    cert_evidence: tuple[Evidence, ...]
    facts: MachineFacts
    fact_evidence: tuple[Evidence, ...]
    coverage: Coverage
    identity: Identity
    codes: tuple[tuple[str, str], ...]  # (code, meaning), KB977203 first if present
    findings: tuple[Evidence, ...]
    created: tuple[datetime, ...] = ()  # NotBefore of the certificates read


def cites(items: tuple[Evidence, ...] | list[Evidence], n: int = 2) -> str:
    return ", ".join(e.cite for e in items[:n]) + (" ..." if len(items) > n else "")
