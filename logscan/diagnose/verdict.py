"""The verdict: explicit, ordered reasoning steps over one host's signals.

Each step looks at one kind of evidence, says what it did to the verdict or its confidence
(``Effect``) and cites what it used. Order: the KB977203 failure in the logs, other
failures, the certificate state, what happened after the failure, OS exposure (974571 /
Windows 7 SP1), the client version, coverage, host identity. The rules are DOMAIN.md's:

- failure logged + NUL in a friendly name: ``confirmed``; failure + no certificate state:
  ``likely``;
- failure logged, afterwards clean certificates or a later successful store request,
  capture or restore: ``resolved`` (clean certificates with nothing in the logs that fixed
  them is a contradiction, explained, and ``resolved`` with low confidence);
- NUL + 974571 / Windows 7 SP1, no failure logged: ``at_risk``;
- a state-migration failure with another code: ``other_failure``, naming the code;
- otherwise ``no_evidence``, saying which logs were present and which missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from logscan.diagnose.coverage import LOGS, USMT, describe
from logscan.diagnose.model import (
    Confidence,
    Coverage,
    Effect,
    Evidence,
    EvidenceKind,
    EvidenceRole,
    ReasoningStep,
    Verdict,
)
from logscan.diagnose.names import Identity
from logscan.diagnose.signals import CertState, Signals
from logscan.facts.model import FactName, MachineFacts
from logscan.facts.release import ClientRelease

_NEVER_RAN = "kb977203.chain.state_store_failed_usmt_never_ran"


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


def _cites(items: tuple[Evidence, ...] | list[Evidence], n: int = 2) -> str:
    return ", ".join(e.cite for e in items[:n]) + (" ..." if len(items) > n else "")


def _nul_names(inp: Inputs) -> str:
    return "; ".join(
        e.text.split(": ", 1)[0] for e in inp.cert_evidence if e.rule == "cert.embedded_nul"
    )


def decide(inp: Inputs) -> Decision:
    d = Decision()
    sig = inp.signals
    _failure(d, sig)
    _other(d, inp)
    _certificates(d, inp)
    if sig.kb_failures:
        _after_failure(d, inp)
    _exposure(d, inp)
    _client(d, inp.facts)
    _coverage(d, inp)
    if inp.identity.disagreement:
        d.step("host_identity", Effect.LOWERS, inp.identity.disagreement, lower=True)
    return d


def _failure(d: Decision, sig: Signals) -> None:
    if not sig.kb_failures:
        d.step(
            "kb977203_failure",
            Effect.NOTES,
            "no 0x80092024 state-store failure (OSDSMPClient import or state-migration step) "
            "in the logs read",
        )
        return
    d.step(
        "kb977203_failure",
        Effect.SETS,
        f"{len(sig.kb_failures)} log record(s) show the KB977203 failure, 0x80092024 "
        f"(CRYPT_E_NOT_CHAR_STRING) at the state store: {_cites(sig.kb_failures)}",
        sig.kb_failures,
        verdict=Verdict.LIKELY,
    )
    if sig.pasted_only:
        d.step(
            "kb977203_failure",
            Effect.LOWERS,
            "the failure is only in pasted or unattributed text, not in a collected log",
            lower=True,
        )


def _other(d: Decision, inp: Inputs) -> None:
    others = inp.signals.other_failures
    if not others:
        return
    named = "; ".join(f"{c} ({m})" for c, m in inp.codes if c != "0x80092024") or "no code"
    if inp.signals.kb_failures:
        d.step(
            "other_failure",
            Effect.NOTES,
            f"other failures were logged too ({named}); they follow from or sit beside the "
            "KB977203 failure",
            others,
        )
        return
    d.step(
        "other_failure",
        Effect.SETS,
        f"state migration failed for another reason: {named}, at {_cites(others)}",
        others,
        verdict=Verdict.OTHER_FAILURE,
    )


def _certificates(d: Decision, inp: Inputs) -> None:
    state, certs = inp.cert_state, inp.cert_evidence
    kb = bool(inp.signals.kb_failures)
    if state is CertState.NUL:
        because = f"an SMS certificate friendly name holds an embedded NUL: {_nul_names(inp)}"
        if kb:
            d.step("certificates", Effect.RAISES, because, certs, verdict=Verdict.CONFIRMED)
        else:
            d.step("certificates", Effect.NOTES, because, certs)
    elif state is CertState.CLEAN:
        d.step(
            "certificates",
            Effect.NOTES,
            "every SMS certificate friendly name was read exactly and holds no embedded NUL",
            certs,
        )
    elif state is CertState.HIDDEN:
        d.step(
            "certificates",
            Effect.NOTES if not kb else Effect.LOWERS,
            "the certificate source cuts friendly names at the first NUL (certutil, Windows "
            "PowerShell): it cannot show the KB977203 condition; collect a reg export of "
            "HKLM\\SOFTWARE\\Microsoft\\SystemCertificates\\SMS",
            certs,
        )
    else:
        what = (
            "no certificate store was collected"
            if state is CertState.NOT_COLLECTED
            else "the collected store holds no SMS client certificates"
        )
        d.step(
            "certificates",
            Effect.NOTES,
            f"{what}: the NUL can be neither confirmed nor ruled out",
            certs,
        )


def _after_failure(d: Decision, inp: Inputs) -> None:
    sig, state = inp.signals, inp.cert_state
    success, repairs = sig.later_success(), sig.repairs()
    ran = sig.after_failure(["kb977203.fix.ccmcertfix_ran"])
    patched = sig.after_failure(["kb977203.fix.client_patch"])
    shown = (*repairs, *success, *ran, *patched)
    what = _what_followed(success, repairs, ran, patched)
    if state is CertState.NUL:
        if shown:
            d.step(
                "after_failure",
                Effect.LOWERS,
                f"after the failure {what}, yet the store still shows the NUL: the fix did "
                "not take, the export predates it, or an unpatched client made new "
                "certificates",
                shown,
                lower=True,
            )
        return
    if state is CertState.CLEAN:
        if success or repairs or ran:
            d.step(
                "after_failure",
                Effect.SETS,
                f"after the failure {what}, and the certificates are clean now",
                shown,
                verdict=Verdict.RESOLVED,
                confidence=Confidence.HIGH,
            )
        elif _created_after(inp):
            d.step(
                "after_failure",
                Effect.SETS,
                "the certificates in the store were created after the failure (NotBefore "
                "later than the first failure): the client made new ones without the NUL "
                "(reinstalled or patched), though no fix is logged",
                inp.cert_evidence,
                verdict=Verdict.RESOLVED,
                confidence=Confidence.MEDIUM,
            )
        else:
            d.step(
                "after_failure",
                Effect.SETS,
                "contradictory evidence: the failure was logged and the certificates are "
                "clean now, but nothing in the logs repaired them (no CCMCertFix run, no "
                "later successful store request, capture or restore). CCMCertFix may have run "
                "without a log, the client may have been reinstalled, or the store export may "
                "come from another moment or machine; confirm with a new state-store request",
                inp.cert_evidence,
                verdict=Verdict.RESOLVED,
                confidence=Confidence.LOW,
            )
        return
    if success or repairs:
        d.step(
            "after_failure",
            Effect.SETS,
            f"after the failure {what}; no certificate state was available to confirm",
            shown,
            verdict=Verdict.RESOLVED,
            confidence=Confidence.MEDIUM,
        )
    elif ran or patched:
        d.step(
            "after_failure",
            Effect.LOWERS,
            f"after the failure {what}, but nothing shows it worked and no certificate state "
            "was available",
            shown,
            lower=True,
        )
    else:
        d.step("after_failure", Effect.NOTES, "nothing logged after the failure shows a fix")


def _created_after(inp: Inputs) -> bool:
    first = inp.signals.first_failure
    return bool(first and inp.created and all(c > first for c in inp.created))


def _what_followed(
    success: tuple[Evidence, ...],
    repairs: tuple[Evidence, ...],
    ran: tuple[Evidence, ...],
    patched: tuple[Evidence, ...],
) -> str:
    parts = []
    if repairs:
        parts.append(f"CCMCertFix rewrote the friendly names ({_cites(repairs, 1)})")
    elif ran:
        parts.append(f"CCMCertFix.exe was run ({_cites(ran, 1)})")
    if success:
        parts.append(f"a state-store step or USMT run succeeded ({_cites(success, 1)})")
    if patched:
        parts.append(f"the client got the KB977203 patch ({_cites(patched, 1)})")
    return " and ".join(parts) if parts else "nothing was logged"


def _exposure(d: Decision, inp: Inputs) -> None:
    facts = inp.facts
    kb974571, win7sp1 = facts.flag(FactName.KB974571), facts.is_windows7_sp1
    cited = [
        e
        for e in inp.fact_evidence
        if e.role is EvidenceRole.EXPOSURE and e.kind is EvidenceKind.FACT
    ]
    if win7sp1:
        os_text = "the OS is Windows 7 SP1 (contains 974571)"
    elif kb974571:
        os_text = "security update 974571 (MS09-056) is installed"
    elif kb974571 is False:
        os_text = "974571 is not installed (complete hotfix list)"
    else:
        os_text = "whether 974571 is installed is unknown (no systeminfo or wmic qfe output)"
    exposed = bool(win7sp1 or kb974571)
    nul = inp.cert_state is CertState.NUL
    if nul and not inp.signals.kb_failures:
        if exposed:
            extra = " (another failure was logged as well)" if d.verdict else ""
            d.step(
                "exposure",
                Effect.SETS,
                f"{os_text} and a friendly name holds the NUL: the next state migration will "
                f"fail with 0x80092024{extra}",
                cited,
                verdict=Verdict.AT_RISK,
            )
        elif kb974571 is None:
            d.step(
                "exposure",
                Effect.SETS,
                f"a friendly name holds the NUL and {os_text}: at risk once 974571 is present",
                cited,
                verdict=Verdict.AT_RISK,
                confidence=Confidence.LOW,
            )
        else:
            d.step(
                "exposure",
                Effect.NOTES,
                f"a friendly name holds the NUL but {os_text}: the defect is latent until "
                "974571 is installed; run CCMCertFix before it is",
                cited,
            )
        return
    if inp.signals.kb_failures and kb974571 is False and not win7sp1:
        d.step(
            "exposure",
            Effect.LOWERS,
            f"{os_text}, yet 0x80092024 was logged: check the hotfix list is of this machine",
            cited,
            lower=True,
        )
        return
    d.step("exposure", Effect.NOTES, os_text, cited)


def _client(d: Decision, facts: MachineFacts) -> None:
    release, version = facts.client_release, facts.client_version
    if release == ClientRelease.NOT_2007.value and d.verdict is not None and d.verdict.actionable:
        d.step(
            "client_version",
            Effect.LOWERS,
            f"client {version} is not ConfigMgr 2007: KB977203 and CCMCertFix do not apply "
            "to it as such",
            lower=True,
        )
    elif version:
        d.step("client_version", Effect.NOTES, f"ConfigMgr client {version} ({release})")
    else:
        d.step(
            "client_version",
            Effect.NOTES,
            "client version unknown (no registry export or ccmsetup.log)",
        )


def _coverage(d: Decision, inp: Inputs) -> None:
    cov = inp.coverage
    missing_logs = [i for i in LOGS if i in cov.missing]
    summary = describe(cov)
    if d.verdict is None:
        no_logs = len(missing_logs) == len(LOGS)
        conf = Confidence.LOW if no_logs else Confidence.MEDIUM if missing_logs else Confidence.HIGH
        d.step(
            "coverage",
            Effect.SETS,
            f"nothing relevant found ({summary})"
            + ("; with no logs at all nothing can be ruled out" if no_logs else ""),
            verdict=Verdict.NO_EVIDENCE,
            confidence=conf,
        )
    elif d.verdict is Verdict.AT_RISK and any(i in missing_logs for i in ("ccmexec", "smsts")):
        d.step(
            "coverage",
            Effect.LOWERS,
            f"a failure could be in logs that were not collected ({summary})",
            lower=True,
        )
    elif USMT in missing_logs and any(f.rule == _NEVER_RAN for f in inp.findings):
        d.step(
            "coverage",
            Effect.NOTES,
            f"'USMT never ran' rests on smsts.log alone: no ScanState/LoadState log was "
            f"collected ({summary})",
        )
    else:
        d.step("coverage", Effect.NOTES, summary)
    if cov.unreadable:
        d.step(
            "coverage",
            Effect.LOWERS,
            f"{len(cov.unreadable)} file(s) could not be read: {'; '.join(cov.unreadable[:3])}",
            lower=True,
        )
