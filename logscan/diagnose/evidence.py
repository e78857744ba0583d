"""Evidence of one host: what it holds (``HostEvidence``), and its citations as ``Evidence``.

``HostEvidence`` is the whole input of the verdict: hits and findings of the scan, which
sources were read, the certificate store as read and checked, and the machine facts, all
with paths already relative to the input the user gave. Turning them into ``Evidence``
de-duplicates records that appear in several copies of one log (smsts.log copied at three
moments of a task sequence): the copy in the smallest file (the earliest snapshot) is
cited and the others are listed in ``also``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from logscan.certs.checks import CertFinding, CheckId
from logscan.certs.model import CertReadResult
from logscan.diagnose.model import Evidence, EvidenceKind, EvidenceRole
from logscan.diagnose.timeline import KB_FAILURE_RULES, OTHER_FAILURE_RULES, BiasPlacer, when_of
from logscan.engine.events import SourceScanned
from logscan.facts.model import FactName, FactState, MachineFacts
from logscan.rules.model import Finding, Hit

KB977203_CODE = 0x80092024

# Within a role, lower sorts first: the line an admin would quote comes first.
_PRIORITY: dict[str, tuple[EvidenceRole, int]] = {
    "kb977203.osdsmpclient.import_failure": (EvidenceRole.FAILURE, 0),
    "kb977203.smsts.state_migration_step_failed": (EvidenceRole.FAILURE, 1),
    "kb977203.smsts.action_exit_code": (EvidenceRole.FAILURE, 2),
    "kb977203.smsts.task_sequence_failed": (EvidenceRole.FAILURE, 3),
    "kb977203.smsts.last_action_ret_code": (EvidenceRole.FAILURE, 3),
    "kb977203.chain.state_store_failed_usmt_never_ran": (EvidenceRole.FAILURE, 4),
    "kb977203.chain.usmt_failed_after_import_failure": (EvidenceRole.FAILURE, 5),
    "kb977203.chain.usmt_aborted_after_import_failure": (EvidenceRole.FAILURE, 5),
    "kb977203.fix.ccmcertfix_rewrote": (EvidenceRole.FIX, 0),
    "kb977203.fix.state_store_succeeded": (EvidenceRole.FIX, 1),
    "timeline.usmt.return_code": (EvidenceRole.FIX, 2),
    "timeline.usmt.progress_result": (EvidenceRole.FIX, 3),
    "kb977203.fix.ccmcertfix_ran": (EvidenceRole.FIX, 4),
    "kb977203.fix.client_patch": (EvidenceRole.FIX, 5),
    "kb977203.chain.resolved_by_later_success": (EvidenceRole.FIX, 6),
    "usmt.error.record": (EvidenceRole.OTHER_FAILURE, 0),
    "timeline.smsts.step_failed": (EvidenceRole.OTHER_FAILURE, 1),
    "osd.osdsmpclient.import_failure_other_code": (EvidenceRole.OTHER_FAILURE, 1),
    "osd.state_store.access_denied": (EvidenceRole.OTHER_FAILURE, 1),
    "osd.state_store.smp_unreachable": (EvidenceRole.OTHER_FAILURE, 2),
    "usmt.return_code.nonzero": (EvidenceRole.OTHER_FAILURE, 3),
    "osd.task_sequence.failed_other_code": (EvidenceRole.OTHER_FAILURE, 4),
    "configmgr.client.version_2007": (EvidenceRole.EXPOSURE, 5),
    "host.smsts.machine_name": (EvidenceRole.CONTEXT, 0),
    "cert.embedded_nul": (EvidenceRole.CERTIFICATE, 0),
    "cert.nul_not_visible": (EvidenceRole.CERTIFICATE, 1),
    "cert.clean_friendly_name": (EvidenceRole.CERTIFICATE, 2),
    "cert.host_mismatch": (EvidenceRole.CERTIFICATE, 3),
    "fact.kb974571": (EvidenceRole.EXPOSURE, 0),
    "fact.os_version": (EvidenceRole.EXPOSURE, 1),
    "fact.os_name": (EvidenceRole.EXPOSURE, 2),
    "fact.client_version": (EvidenceRole.EXPOSURE, 3),
    "fact.kb977203": (EvidenceRole.FIX, 8),
    "fact.kb977384": (EvidenceRole.FIX, 8),
    "fact.host_name": (EvidenceRole.CONTEXT, 1),
}
_FACT_ROLES = {
    FactName.KB974571: EvidenceRole.EXPOSURE,
    FactName.OS_NAME: EvidenceRole.EXPOSURE,
    FactName.OS_VERSION: EvidenceRole.EXPOSURE,
    FactName.CLIENT_VERSION: EvidenceRole.EXPOSURE,
    FactName.KB977203: EvidenceRole.FIX,
    FactName.KB977384: EvidenceRole.FIX,
    FactName.HOST_NAME: EvidenceRole.CONTEXT,
}


@dataclass(frozen=True, slots=True)
class HostEvidence:
    """Everything gathered for one host; paths relative to the given input."""

    label: str
    label_source: str  # folder, zip, file, live
    hits: tuple[Hit, ...] = ()
    findings: tuple[Finding, ...] = ()
    sources: tuple[SourceScanned, ...] = ()
    unreadable: tuple[str, ...] = ()  # "path: reason"
    certs: tuple[CertReadResult, ...] = ()
    cert_findings: tuple[CertFinding, ...] = ()
    facts: MachineFacts = field(default_factory=lambda: MachineFacts(()))
    fact_files: tuple[str, ...] = ()  # files that supplied machine facts


def rank(rule: str) -> tuple[EvidenceRole, int]:
    """Role and priority of a rule's evidence; unknown rules are context."""
    if rule in _PRIORITY:
        return _PRIORITY[rule]
    if rule in KB_FAILURE_RULES or rule.startswith("kb977203.chain."):
        return EvidenceRole.FAILURE, 6
    if rule in OTHER_FAILURE_RULES:
        return EvidenceRole.OTHER_FAILURE, 5
    if rule.startswith("kb977203.fix."):
        return EvidenceRole.FIX, 7
    return EvidenceRole.CONTEXT, 9


def dedupe_hits(
    hits: Iterable[Hit], sizes: Mapping[str, int]
) -> tuple[list[Hit], dict[tuple[str, int], tuple[str, ...]]]:
    """One hit per (rule, record content, time); ``also`` lists the copies dropped."""
    groups: dict[tuple[str, str, object], list[Hit]] = {}
    for hit in hits:
        r = hit.record
        key = (hit.rule_id, r.message, r.utc or r.local_time or (r.source, r.line))
        groups.setdefault(key, []).append(hit)
    kept: list[Hit] = []
    also: dict[tuple[str, int], tuple[str, ...]] = {}
    for group in groups.values():
        group.sort(key=lambda h: (sizes.get(h.record.source, 1 << 62), h.record.source))
        first = group[0]
        kept.append(first)
        others = tuple(f"{h.record.source}:{h.record.line}" for h in group[1:])
        if others:
            also[(first.record.source, first.record.line)] = others
    return kept, also


def hit_evidence(
    hit: Hit, placer: BiasPlacer, also: Mapping[tuple[str, int], tuple[str, ...]]
) -> Evidence:
    when, _ = when_of(hit, placer)
    role, _ = rank(hit.rule_id)
    if hit.rule_id == "timeline.smsts.step_failed" and KB977203_CODE in hit.codes:
        role = EvidenceRole.FAILURE
    r = hit.record
    return Evidence(
        EvidenceKind.LOG,
        r.source,
        r.line,
        " ".join(r.message.split()),
        hit.rule_id,
        role,
        when,
        also.get((r.source, r.line), ()),
    )


def finding_evidence(finding: Finding, placer: BiasPlacer) -> Evidence:
    first = finding.hits[0]
    when, _ = when_of(first, placer)
    role, _ = rank(finding.rule_id)
    return Evidence(
        EvidenceKind.LOG,
        first.record.source,
        first.record.line,
        " ".join(finding.details.split()),
        finding.rule_id,
        role,
        when,
    )


def cert_evidence(
    findings: Iterable[CertFinding], results: Iterable[CertReadResult]
) -> list[Evidence]:
    """The certificate findings that matter for KB977203, and clean names as evidence too."""
    out: list[Evidence] = []
    flagged: set[str] = set()
    for f in findings:
        if f.check not in (CheckId.EMBEDDED_NUL, CheckId.NUL_NOT_VISIBLE, CheckId.HOST_MISMATCH):
            continue
        if f.thumbprint:
            flagged.add(f.thumbprint)
        where = f.origin
        text = f"{f.thumbprint}: {f.evidence}" if f.thumbprint else f.message
        out.append(
            Evidence(
                EvidenceKind.CERT,
                where.path if where else "",
                where.line if where else None,
                text,
                f"cert.{f.check.value}",
                EvidenceRole.CERTIFICATE,
            )
        )
    for result in results:
        for cert in result.certs:
            name = cert.friendly
            if cert.thumbprint in flagged or name is None or name.has_embedded_nul:
                continue
            if name.fidelity.value != "exact":
                continue
            out.append(
                Evidence(
                    EvidenceKind.CERT,
                    cert.origin.path,
                    cert.origin.line,
                    f'{cert.thumbprint}: friendly name "{name.visible}" holds no embedded NUL',
                    "cert.clean_friendly_name",
                    EvidenceRole.CERTIFICATE,
                )
            )
    return out


def split_cite(cite: str) -> tuple[str, int | None]:
    """``path:line`` into its parts (a Windows drive colon is not a line)."""
    head, sep, tail = cite.rpartition(":")
    if sep and tail.isdigit() and head:
        return head, int(tail)
    return cite, None


def fact_evidence(facts: MachineFacts) -> list[Evidence]:
    out: list[Evidence] = []
    for name, role in _FACT_ROLES.items():
        state: FactState = facts[name]
        if state.value is None or state.source is None:
            continue
        path, line = split_cite(state.source)
        out.append(Evidence(EvidenceKind.FACT, path, line, str(state), f"fact.{name.value}", role))
    return out


def order_evidence(
    items: Iterable[Evidence],
    roles: tuple[EvidenceRole, ...],
    slots: tuple[EvidenceRole, ...] = (),
) -> tuple[Evidence, ...]:
    """Most telling first. The first items fill ``slots`` (one role each, e.g. failure,
    failure, certificate for ``confirmed``), each with the best evidence of that role from
    a rule not used yet; the rest follow by the verdict's role order, rule priority, time."""
    order = {role: i for i, role in enumerate(roles)}

    def key(e: Evidence) -> tuple[int, int, datetime, str, int]:
        role_rank = order.get(e.role, len(order))
        return role_rank, rank(e.rule)[1], e.when or datetime.max, e.path, e.line or 0

    ranked = _one_per_record(sorted(items, key=lambda e: _comparable(key(e))))
    chosen: list[Evidence] = []
    used_rules: set[str] = set()
    for role in slots:
        pick = next(
            (e for e in ranked if e.role is role and e.rule not in used_rules and e not in chosen),
            None,
        )
        if pick is not None:
            chosen.append(pick)
            used_rules.add(pick.rule)
    return (*chosen, *(e for e in ranked if e not in chosen))


def _one_per_record(ranked: list[Evidence]) -> list[Evidence]:
    """A record several detection rules hit is cited once, by its best-ranked rule
    (correlation findings keep their own entry: their text explains the chain)."""
    seen: set[tuple[str, int | None, bool]] = set()
    out: list[Evidence] = []
    for e in ranked:
        key = (e.path, e.line, e.rule.startswith("kb977203.chain."))
        if e.kind is EvidenceKind.LOG and key in seen:
            continue
        seen.add(key)
        out.append(e)
    return out


def _comparable(key: tuple[int, int, datetime, str, int]) -> tuple[int, int, float, str, int]:
    role_rank, prio, when, path, line = key
    stamp = when.timestamp() if when.tzinfo is not None else float("inf")
    return role_rank, prio, stamp, path, line
