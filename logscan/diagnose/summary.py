"""The one-paragraph answer a person reads first, per verdict.

It names the failure and where it was logged, the certificates at fault (with ␀ for the
NUL), what changed afterwards, or, for ``no_evidence``, which logs were there and which
were not.
"""

from __future__ import annotations

from logscan.diagnose.coverage import describe
from logscan.diagnose.model import CertificateState, Confidence, Coverage, Verdict
from logscan.diagnose.signals import Signals
from logscan.facts.model import FactName, MachineFacts


def _at_fault(certs: tuple[CertificateState, ...]) -> str:
    faulty = [c for c in certs if c.at_fault]
    return "; ".join(f'"{c.friendly_name}" ({c.thumbprint[:8]}…)' for c in faulty)


def _first(sig: Signals) -> str:
    first = sig.kb_failures[0]
    when = f" on {first.when:%Y-%m-%d %H:%M} UTC" if first.when else ""
    return f"{first.cite}{when}"


def _os(facts: MachineFacts) -> str:
    if facts.is_windows7_sp1:
        return "the OS is Windows 7 SP1"
    if facts.flag(FactName.KB974571):
        return "974571 is installed"
    return "974571 may be installed (unknown)"


def _resolved(sig: Signals, certs: tuple[CertificateState, ...], confidence: Confidence) -> str:
    after = []
    if sig.repairs():
        after.append("CCMCertFix rewrote the friendly names")
    if sig.later_success():
        after.append("a later state-store step or USMT run succeeded")
    what = " and ".join(after) if after else "nothing logged repaired it"
    clean = "the certificates read now are clean" if certs else "no certificate state was collected"
    text = (
        f"Resolved: the KB977203 failure was logged at {_first(sig)}; afterwards {what}, "
        f"and {clean}."
    )
    if confidence is Confidence.LOW:
        text += " The evidence contradicts itself: see the reasoning."
    return text


def summarize(
    verdict: Verdict,
    confidence: Confidence,
    sig: Signals,
    certs: tuple[CertificateState, ...],
    coverage: Coverage,
    codes: tuple[tuple[str, str], ...],
    facts: MachineFacts,
) -> str:
    other = [f"{c} ({m})" for c, m in codes if c != "0x80092024"]
    if verdict is Verdict.CONFIRMED:
        return (
            "KB977203 confirmed: user-state migration failed with 0x80092024 "
            f"(CRYPT_E_NOT_CHAR_STRING) at {_first(sig)}, and the SMS certificate store has an "
            f"embedded NUL in {_at_fault(certs)}. Fix: KB977203 + CCMCertFix.exe."
        )
    if verdict is Verdict.LIKELY:
        return (
            "Probably KB977203: user-state migration failed with 0x80092024 "
            f"(CRYPT_E_NOT_CHAR_STRING) at {_first(sig)}; no certificate state shows the NUL "
            "to confirm it (collect the SMS store export)."
        )
    if verdict is Verdict.RESOLVED:
        return _resolved(sig, certs, confidence)
    if verdict is Verdict.AT_RISK:
        return (
            f"At risk of KB977203: {_at_fault(certs)} carry an embedded NUL and {_os(facts)}; "
            "no migration failure is logged yet. Run CCMCertFix.exe before the next migration."
        )
    if verdict is Verdict.OTHER_FAILURE:
        named = "; ".join(other) if other else "no error code was logged"
        cite = sig.other_failures[0].cite if sig.other_failures else "the logs"
        return f"State migration failed, but not because of KB977203: {named} (first at {cite})."
    return f"No sign of KB977203 or of a failed state migration. Evidence {describe(coverage)}."
