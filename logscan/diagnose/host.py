"""``diagnose_host``: one host's ``HostEvidence`` in, its ``Diagnosis`` out (pure).

Steps: de-duplicate hits across log copies, cite everything as ``Evidence``, sort it into
signals, reason to a verdict (``verdict.decide``), order the evidence by what the verdict
rests on, draw the timeline and fit the remediation plan.
"""

from __future__ import annotations

from logscan.diagnose.coverage import coverage_of
from logscan.diagnose.evidence import (
    HostEvidence,
    cert_evidence,
    dedupe_hits,
    fact_evidence,
    finding_evidence,
    hit_evidence,
    order_evidence,
    rank,
)
from logscan.diagnose.model import (
    Diagnosis,
    Evidence,
    EvidenceRole,
    Verdict,
)
from logscan.diagnose.names import names_from, reconcile
from logscan.diagnose.plan import PlanInput, plan_for
from logscan.diagnose.reasoning import Inputs
from logscan.diagnose.signals import cert_state, certificates, named_codes, split
from logscan.diagnose.summary import summarize
from logscan.diagnose.timeline import KB_FAILURE_RULES, BiasPlacer, build_timeline
from logscan.diagnose.verdict import decide
from logscan.rules.model import Finding, Hit

_R = EvidenceRole
# Which evidence a verdict rests on, most telling first.
_ROLE_ORDER: dict[Verdict, tuple[EvidenceRole, ...]] = {
    Verdict.CONFIRMED: (
        _R.FAILURE,
        _R.CERTIFICATE,
        _R.EXPOSURE,
        _R.FIX,
        _R.OTHER_FAILURE,
        _R.CONTEXT,
    ),
    Verdict.LIKELY: (_R.FAILURE, _R.EXPOSURE, _R.FIX, _R.CERTIFICATE, _R.OTHER_FAILURE, _R.CONTEXT),
    Verdict.RESOLVED: (
        _R.FAILURE,
        _R.FIX,
        _R.CERTIFICATE,
        _R.EXPOSURE,
        _R.OTHER_FAILURE,
        _R.CONTEXT,
    ),
    Verdict.AT_RISK: (_R.CERTIFICATE, _R.EXPOSURE, _R.OTHER_FAILURE, _R.FIX, _R.CONTEXT),
    Verdict.OTHER_FAILURE: (_R.OTHER_FAILURE, _R.CERTIFICATE, _R.EXPOSURE, _R.FIX, _R.CONTEXT),
    Verdict.NO_EVIDENCE: (_R.FIX, _R.CERTIFICATE, _R.EXPOSURE, _R.OTHER_FAILURE, _R.CONTEXT),
}


# The three most telling pieces of evidence, by role, per verdict.
_SLOTS: dict[Verdict, tuple[EvidenceRole, ...]] = {
    Verdict.CONFIRMED: (_R.FAILURE, _R.FAILURE, _R.CERTIFICATE),
    Verdict.LIKELY: (_R.FAILURE, _R.FAILURE, _R.FAILURE),
    Verdict.RESOLVED: (_R.FAILURE, _R.FIX, _R.FIX),
    Verdict.AT_RISK: (_R.CERTIFICATE, _R.EXPOSURE, _R.EXPOSURE),
    Verdict.OTHER_FAILURE: (_R.OTHER_FAILURE, _R.OTHER_FAILURE, _R.OTHER_FAILURE),
    Verdict.NO_EVIDENCE: (_R.FIX, _R.FIX, _R.FIX),
}


def _first_per_rule(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """One finding per correlation rule (the earliest): a failure retried five times is one
    chain, not five."""
    seen: set[str] = set()
    out: list[Finding] = []
    for f in findings:
        if f.hits and f.rule_id not in seen:
            seen.add(f.rule_id)
            out.append(f)
    return tuple(out)


def _other_hits(hits: list[Hit]) -> list[Hit]:
    """Hits of failures that are not KB977203, most specific first (the USMT error with
    its last error, the failed step, then the summaries)."""
    ranked = sorted(
        (h for h in hits if rank(h.rule_id)[0] is EvidenceRole.OTHER_FAILURE),
        key=lambda h: rank(h.rule_id)[1],
    )
    return [h for h in ranked if 0x80092024 not in h.codes]


def _restore_side(hits: list[Hit]) -> bool:
    for hit in hits:
        if hit.rule_id not in KB_FAILURE_RULES and hit.rule_id != "timeline.osdsmpclient.started":
            continue
        text = hit.record.message.casefold()
        if "/restore" in text or "restore user state" in text:
            return True
    return False


def diagnose_host(ev: HostEvidence) -> Diagnosis:
    sizes = {s.source.display: s.source.size for s in ev.sources}
    hits, also = dedupe_hits(ev.hits, sizes)
    placer = BiasPlacer(hits)
    log_evidence = [hit_evidence(h, placer, also) for h in hits]
    log_evidence = [e for e in log_evidence if not e.rule.startswith("timeline.") or _kept(e)]
    found = tuple(finding_evidence(f, placer) for f in _first_per_rule(ev.findings))
    certs_ev = tuple(cert_evidence(ev.cert_findings, ev.certs))
    facts_ev = tuple(fact_evidence(ev.facts))
    everything: list[Evidence] = [*log_evidence, *found, *certs_ev, *facts_ev]
    signals = split(everything, hits)
    state = cert_state(ev)
    coverage = coverage_of(ev)
    identity = reconcile(names_from(ev.label, ev.label_source, hits, ev.certs, ev.facts))
    kb_codes = tuple(named_codes(h for h in hits if h.rule_id in KB_FAILURE_RULES))
    other_codes = tuple(c for c in named_codes(_other_hits(hits)) if c not in kb_codes)
    codes = (*kb_codes, *other_codes)
    created = tuple(c.not_before for r in ev.certs for c in r.certs if c.not_before is not None)
    decision = decide(
        Inputs(
            signals, state, certs_ev, ev.facts, facts_ev, coverage, identity, codes, found, created
        )
    )
    verdict = decision.verdict or Verdict.NO_EVIDENCE
    evidence = order_evidence(everything, _ROLE_ORDER[verdict], _SLOTS[verdict])
    evidence = tuple(e for e in evidence if _shown(e, signals.successes))
    remediation = plan_for(
        PlanInput(
            verdict,
            ev.facts,
            _restore_side(hits),
            coverage.missing,
            other_codes,
        )
    )
    certs = certificates(ev)
    summary = summarize(verdict, decision.confidence, signals, certs, coverage, codes, ev.facts)
    error_codes = (
        tuple(c for c, _ in (kb_codes or other_codes)) if verdict is not Verdict.NO_EVIDENCE else ()
    )
    return Diagnosis(
        host=identity.name,
        verdict=verdict,
        confidence=decision.confidence,
        summary=summary,
        evidence=evidence,
        certificates=certs,
        facts=ev.facts,
        coverage=coverage,
        timeline=build_timeline(hits),
        reasoning=tuple(decision.steps),
        remediation=remediation,
        names=identity.names,
        label=ev.label,
        error_codes=error_codes,
    )


def _kept(e: Evidence) -> bool:
    """Timeline-only rules are evidence when they speak to a failure or a fix."""
    return e.role in (EvidenceRole.FIX, EvidenceRole.OTHER_FAILURE, EvidenceRole.FAILURE)


def _shown(e: Evidence, successes: frozenset[tuple[str, int]]) -> bool:
    """Evidence listed for a verdict: host names stay out of the list, and a USMT result
    is listed only when it is a success (failures are listed by their own rules)."""
    if e.role is EvidenceRole.CONTEXT:
        return False
    if e.role is EvidenceRole.FIX and e.rule.startswith("timeline."):
        return (e.path, e.line or 0) in successes
    return True
