"""What the verdict steps look at, drawn from ``HostEvidence``: failures, fixes, certificate
state, exposure, and the error codes a person should be told about.

Pure functions; each returns ``Evidence`` so a reasoning step can cite exactly what it used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from logscan.certs.checks import CheckId, role_of
from logscan.certs.model import FriendlyFidelity, StoreState
from logscan.codes import extract, lookup
from logscan.codes.model import CodeKind
from logscan.diagnose.evidence import HostEvidence
from logscan.diagnose.model import CertificateState, Evidence, EvidenceRole
from logscan.rules.model import Hit

_USMT_STEPS = ("capture user state", "restore user state")
_SUCCESS_RULES = frozenset(
    {
        "kb977203.fix.state_store_succeeded",
        "timeline.usmt.return_code",
        "timeline.usmt.progress_result",
    }
)
_REPAIR_RULES = frozenset({"kb977203.fix.ccmcertfix_rewrote"})


class CertState(StrEnum):
    """What the collected certificate store says about the KB977203 NUL."""

    NUL = "nul"  # an SMS certificate's friendly name holds an embedded NUL
    CLEAN = "clean"  # every friendly name read exactly, none holds a NUL
    HIDDEN = "hidden"  # the source cuts names at the first NUL: cannot tell
    NO_CERTS = "no_certs"  # a store export without client certificates, or no SMS store
    NOT_COLLECTED = "not_collected"  # no certificate evidence at all


def cert_state(ev: HostEvidence) -> CertState:
    if not ev.certs:
        return CertState.NOT_COLLECTED
    if any(f.check is CheckId.EMBEDDED_NUL for f in ev.cert_findings):
        return CertState.NUL
    certs = [c for r in ev.certs if r.store is StoreState.FOUND for c in r.certs]
    if not certs:
        return CertState.NO_CERTS
    exact = [c for c in certs if c.friendly and c.friendly.fidelity is FriendlyFidelity.EXACT]
    if not exact or any(f.check is CheckId.NUL_NOT_VISIBLE for f in ev.cert_findings):
        return CertState.HIDDEN
    return CertState.CLEAN


def certificates(ev: HostEvidence) -> tuple[CertificateState, ...]:
    out: list[CertificateState] = []
    for result in ev.certs:
        for cert in result.certs:
            role = role_of(cert)
            name = cert.friendly
            out.append(
                CertificateState(
                    cert.thumbprint,
                    role.value if role else None,
                    cert.friendly_name_text,
                    cert.nul_positions,
                    bool(name and name.has_embedded_nul),
                    cert.origin.path,
                    cert.origin.line,
                    cert.subject,
                    cert.not_before,
                    name.fidelity.value if name else None,
                )
            )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Signals:
    """The host's evidence sorted into what each reasoning step needs."""

    kb_failures: tuple[Evidence, ...]
    other_failures: tuple[Evidence, ...]
    fixes: tuple[Evidence, ...]  # CCMCertFix, client patch, successes (any time)
    pasted_only: bool  # every KB failure comes from pasted / unattributed text
    successes: frozenset[tuple[str, int]] = frozenset()  # records of successful steps/runs

    @property
    def first_failure(self) -> datetime | None:
        times = [e.when for e in self.kb_failures if e.when is not None]
        return min(times) if times else None

    def after_failure(self, rules: Iterable[str] | None = None) -> tuple[Evidence, ...]:
        """Fixes logged after the first KB977203 failure (all fixes when it has no time)."""
        wanted = None if rules is None else frozenset(rules)
        start = self.first_failure
        return tuple(
            e
            for e in self.fixes
            if (wanted is None or e.rule in wanted)
            and (start is None or e.when is None or e.when > start)
        )

    def later_success(self) -> tuple[Evidence, ...]:
        return tuple(
            e for e in self.after_failure(_SUCCESS_RULES) if (e.path, e.line) in self.successes
        )

    def repairs(self) -> tuple[Evidence, ...]:
        return self.after_failure(_REPAIR_RULES)


def _is_success(hit: Hit) -> bool:
    if hit.rule_id == "kb977203.fix.state_store_succeeded":
        return True
    # USMT results count only with a zero code.
    return hit.rule_id in _SUCCESS_RULES and hit.captures.get("rc", "").strip() == "0"


def split(evidence: Iterable[Evidence], hits: Iterable[Hit]) -> Signals:
    pool = list(hits)
    from_other = {(h.record.source, h.record.line) for h in pool if _pasted(h)}
    successes = frozenset((h.record.source, h.record.line) for h in pool if _is_success(h))
    kb: list[Evidence] = []
    other: list[Evidence] = []
    fixes: list[Evidence] = []
    for e in evidence:
        if e.role is EvidenceRole.FAILURE:
            kb.append(e)
        elif e.role is EvidenceRole.OTHER_FAILURE:
            other.append(e)
        elif e.role is EvidenceRole.FIX and e.rule.startswith(("kb977203.", "timeline.")):
            fixes.append(e)
    pasted = bool(kb) and all((e.path, e.line) in from_other for e in kb if e.line is not None)
    return Signals(tuple(kb), tuple(other), tuple(fixes), pasted, successes)


def _pasted(hit: Hit) -> bool:
    return hit.record.format.value in ("cmtrace_copy", "plain")


def named_codes(hits: Iterable[Hit]) -> list[tuple[str, str]]:
    """(code, meaning) of every failure code the hits name, most specific first:
    ``0x80092024``, ``0x80070005`` (a USMT last error 5 as HRESULT_FROM_WIN32), ``usmt:27``."""
    out: dict[str, str] = {}
    for hit in hits:
        for code, kind in _codes_of(hit):
            label, meaning = _describe(code, kind)
            if label and label not in out:
                out[label] = meaning
    return list(out.items())


def _codes_of(hit: Hit) -> list[tuple[int, CodeKind]]:
    rule = hit.rule_id
    if rule == "usmt.error.record":
        gle = hit.record.extras.get("gle", "")
        try:
            value = int(gle, 16)
        except ValueError:
            return []
        return [(0x80070000 | value, CodeKind.HRESULT)] if 0 < value <= 0xFFFF else []
    if rule in ("usmt.return_code.nonzero", "timeline.usmt.return_code"):
        return [(c, CodeKind.USMT_RETURN) for c in hit.codes if 0 < c <= 0xFFFF]
    # OSDMigrateUserState passes USMT's return code through as the step's exit code.
    text = hit.record.message.casefold()
    usmt_step = any(step in text for step in _USMT_STEPS) or "usmt" in text
    found: list[tuple[int, CodeKind]] = []
    for mention in extract(hit.record.message):
        if mention.code > 0xFFFF:
            found.append((mention.code, CodeKind.HRESULT))
        elif usmt_step or mention.kind is CodeKind.USMT_RETURN:
            found.append((mention.code, CodeKind.USMT_RETURN))
        elif mention.kind in (CodeKind.WIN32, CodeKind.LAST_ERROR) and mention.code:
            found.append((0x80070000 | mention.code, CodeKind.HRESULT))
    return found


def _describe(code: int, kind: CodeKind) -> tuple[str, str]:
    if kind is CodeKind.USMT_RETURN:
        if code == 0:
            return "", ""
        info = lookup(code, CodeKind.USMT_RETURN)
        label = f"usmt:{code}"
    else:
        info = lookup(code)
        label = f"0x{code:08X}"
    if info is None:
        return label, "not in logscan's code tables"
    return label, f"{info.name}: {info.text}"
