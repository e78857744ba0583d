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

from logscan.diagnose.context import client, coverage, exposure
from logscan.diagnose.model import Confidence, Effect, Evidence, Verdict
from logscan.diagnose.reasoning import Decision, Inputs, cites
from logscan.diagnose.signals import CertState, Signals


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
    exposure(d, inp)
    client(d, inp.facts)
    coverage(d, inp)
    if inp.identity.conflict:
        d.step("host_identity", Effect.LOWERS, inp.identity.disagreement, lower=True)
    elif inp.identity.disagreement:
        d.step("host_identity", Effect.NOTES, inp.identity.disagreement)
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
        f"(CRYPT_E_NOT_CHAR_STRING) at the state store: {cites(sig.kb_failures)}",
        sig.kb_failures,
        verdict=Verdict.LIKELY,
    )
    if sig.pasted_only:
        d.step(
            "kb977203_failure",
            Effect.LOWERS,
            "the failure is only in pasted or unattributed text, not in a collected log",
            confidence=Confidence.LOW,
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
        f"state migration failed for another reason: {named}, at {cites(others)}",
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
        parts.append(f"CCMCertFix rewrote the friendly names ({cites(repairs, 1)})")
    elif ran:
        parts.append(f"CCMCertFix.exe was run ({cites(ran, 1)})")
    if success:
        parts.append(f"a state-store step or USMT run succeeded ({cites(success, 1)})")
    if patched:
        parts.append(f"the client got the KB977203 patch ({cites(patched, 1)})")
    return " and ".join(parts) if parts else "nothing was logged"
