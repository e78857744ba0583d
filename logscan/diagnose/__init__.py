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

from typing import TYPE_CHECKING

from logscan._lazy import lazy_names

if TYPE_CHECKING:
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

# Names are imported on first use: ``logscan.diagnose.hosts`` (what a batch parent needs
# to find hosts) would otherwise pull in the whole diagnosis stack, a tenth of a second
# of every unchanged re-run.
_HOME = {
    "CertificateState": "logscan.diagnose.model",
    "Confidence": "logscan.diagnose.model",
    "Coverage": "logscan.diagnose.model",
    "Diagnosis": "logscan.diagnose.model",
    "Effect": "logscan.diagnose.model",
    "Evidence": "logscan.diagnose.model",
    "EvidenceKind": "logscan.diagnose.model",
    "EvidenceRole": "logscan.diagnose.model",
    "HostEvidence": "logscan.diagnose.evidence",
    "HostLayout": "logscan.diagnose.hosts",
    "HostName": "logscan.diagnose.model",
    "Performer": "logscan.diagnose.model",
    "Placement": "logscan.diagnose.model",
    "ReasoningStep": "logscan.diagnose.model",
    "RemediationStep": "logscan.diagnose.model",
    "Report": "logscan.diagnose.report",
    "TimelineEntry": "logscan.diagnose.model",
    "TimelineKind": "logscan.diagnose.model",
    "Verdict": "logscan.diagnose.model",
    "diagnose": "logscan.diagnose.report",
    "diagnose_bundle": "logscan.diagnose.report",
    "diagnose_host": "logscan.diagnose.host",
    "diagnose_live": "logscan.diagnose.report",
    "plan_hosts": "logscan.diagnose.hosts",
    "single_host": "logscan.diagnose.hosts",
}


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

__getattr__ = lazy_names(__name__, _HOME)
