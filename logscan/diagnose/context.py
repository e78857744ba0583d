"""Reasoning steps about the machine's context: OS exposure (974571 / Windows 7 SP1), the
client version, coverage of the evidence. They run after the failure steps of ``verdict``
and can set ``at_risk`` or ``no_evidence`` or lower the confidence."""

from __future__ import annotations

from logscan.diagnose.coverage import LOGS, USMT, describe
from logscan.diagnose.model import Confidence, Effect, EvidenceKind, EvidenceRole, Verdict
from logscan.diagnose.reasoning import Decision, Inputs
from logscan.diagnose.signals import CertState
from logscan.facts.model import FactName, MachineFacts
from logscan.facts.release import ClientRelease

_NEVER_RAN = "kb977203.chain.state_store_failed_usmt_never_ran"


def exposure(d: Decision, inp: Inputs) -> None:
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


def client(d: Decision, facts: MachineFacts) -> None:
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


def coverage(d: Decision, inp: Inputs) -> None:
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
        # Each of the two logs that would hold a failure lowers the confidence once.
        gaps = [i for i in ("ccmexec", "smsts") if i in missing_logs]
        for gap in gaps:
            d.step(
                "coverage",
                Effect.LOWERS,
                f"a failure could be in the {gap} log, which was not collected ({summary})",
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
