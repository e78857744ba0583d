"""Diagnoses as JSON-ready dicts: the documented shape of ``logscan diagnose --format json``.

The shape is documented in ``docs/diagnose-json.md``; every key listed there is always
present (``null`` or empty when unknown). Enum values are their stable names, times are
ISO 8601 in UTC, NULs in friendly names are shown as ␀.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from logscan.diagnose.model import (
    CertificateState,
    Diagnosis,
    Evidence,
    ReasoningStep,
    RemediationStep,
    TimelineEntry,
)
from logscan.diagnose.report import Report
from logscan.facts.model import FactValue, MachineFacts

SCHEMA = "logscan-diagnose/1"


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _value(value: FactValue | None) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    return value


def evidence_json(e: Evidence) -> dict[str, Any]:
    return {"kind": e.kind.value, "path": e.path, "line": e.line, "text": e.text, "rule": e.rule}


def certificate_json(c: CertificateState) -> dict[str, Any]:
    return {
        "thumbprint": c.thumbprint,
        "role": c.role,
        "friendly_name": c.friendly_name,
        "nul_positions": list(c.nul_positions),
        "at_fault": c.at_fault,
        "path": c.path,
        "line": c.line,
        "subject": c.subject,
        "not_before": _time(c.not_before),
        "fidelity": c.fidelity,
    }


def facts_json(facts: MachineFacts) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for state in facts:
        out[state.name.value] = {
            "value": _value(state.value),
            "source": state.source,
            "reason": state.reason,
            "conflicts": [{"value": _value(f.value), "source": f.source} for f in state.conflicts],
        }
    return out


def timeline_json(t: TimelineEntry) -> dict[str, Any]:
    return {
        "utc": _time(t.utc),
        "placement": t.placement.value,
        "kind": t.kind.value,
        "text": t.text,
        "path": t.path,
        "line": t.line,
        "rule": t.rule,
    }


def remediation_json(r: RemediationStep) -> dict[str, Any]:
    return {
        "id": r.id,
        "title": r.title,
        "where": r.where,
        "performer": r.performer.value,
        "commands": list(r.commands),
        "details": r.details,
        "why": r.why,
    }


def reasoning_json(s: ReasoningStep) -> dict[str, Any]:
    return {
        "step": s.step,
        "effect": s.effect.value,
        "verdict": None if s.verdict is None else s.verdict.value,
        "confidence": s.confidence.value,
        "because": s.because,
        "evidence": [e.cite for e in s.evidence],
    }


def diagnosis_json(d: Diagnosis) -> dict[str, Any]:
    return {
        "host": d.host,
        "verdict": d.verdict.value,
        "confidence": d.confidence.value,
        "summary": d.summary,
        "evidence": [evidence_json(e) for e in d.evidence],
        "certificates": [certificate_json(c) for c in d.certificates],
        "facts": facts_json(d.facts),
        "coverage": {
            "present": list(d.coverage.present),
            "missing": list(d.coverage.missing),
            "unreadable": list(d.coverage.unreadable),
        },
        "timeline": [timeline_json(t) for t in d.timeline],
        "remediation": [remediation_json(r) for r in d.remediation],
        # Additions to the shape of the issue (documented in docs/diagnose-json.md):
        "error_codes": list(d.error_codes),
        "reasoning": [reasoning_json(s) for s in d.reasoning],
        "input": d.label,
        "host_names": [{"name": n.name, "source": n.source, "cite": n.cite} for n in d.names],
    }


def report_json(report: Report) -> dict[str, Any]:
    return {
        "diagnoses": [diagnosis_json(d) for d in report.diagnoses],
        "rules": {"loaded": report.rules_loaded, "failed": report.rules_failed},
    }
