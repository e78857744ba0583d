"""Diagnosis: per host, a verdict (DOMAIN.md's six), the evidence behind it, the
certificates and facts, a migration timeline, the reasoning steps and a remediation plan.

    from logscan.diagnose import diagnose
    report = diagnose(["sample_logs"], load_rules())
    for d in report.diagnoses:
        print(d.host, d.verdict.value, d.summary)

``diagnose_host`` is the pure core (``HostEvidence`` in, ``Diagnosis`` out);
``hosts.plan_hosts(paths).host_of`` is what the engine groups sources by.
"""

from __future__ import annotations

from logscan.diagnose.evidence import HostEvidence
from logscan.diagnose.host import diagnose_host
from logscan.diagnose.hosts import HostLayout, plan_hosts, single_host
from logscan.diagnose.model import (
    CertificateState,
    Confidence,
    Coverage,
    Diagnosis,
    Effect,
    Evidence,
    EvidenceKind,
    EvidenceRole,
    HostName,
    Performer,
    Placement,
    ReasoningStep,
    RemediationStep,
    TimelineEntry,
    TimelineKind,
    Verdict,
)
from logscan.diagnose.report import Report, diagnose, diagnose_bundle, diagnose_live

__all__ = [
    "CertificateState",
    "Confidence",
    "Coverage",
    "Diagnosis",
    "Effect",
    "Evidence",
    "EvidenceKind",
    "EvidenceRole",
    "HostEvidence",
    "HostLayout",
    "HostName",
    "Performer",
    "Placement",
    "ReasoningStep",
    "RemediationStep",
    "Report",
    "TimelineEntry",
    "TimelineKind",
    "Verdict",
    "diagnose",
    "diagnose_bundle",
    "diagnose_host",
    "diagnose_live",
    "plan_hosts",
    "single_host",
]
