"""The remediation plan as data: DOMAIN.md's fix steps, fitted to the verdict and the facts.

Nothing runs here. Each ``RemediationStep`` says where it happens, the exact commands or
properties, why it is in this plan (the fact or verdict behind it), and who performs it:
``logscan`` for what ``logscan repair`` will do on the client (CCMCertFix.exe, checking
the store), ``admin`` for site-server, package and task-sequence work.
"""

from __future__ import annotations

from dataclasses import dataclass

from logscan.diagnose.model import Performer, RemediationStep, Verdict
from logscan.facts.model import FactName, MachineFacts
from logscan.facts.release import ClientRelease

STORE_KEY = "HKLM\\SOFTWARE\\Microsoft\\SystemCertificates\\SMS"
CERTFIX_DIR = "<ConfigMgr install dir>\\Logs\\KB977203"
_MSP = "SCCM2007AC-{sp}-KB977203-x86.msp"
_PATCH = 'PATCH="C:\\_SMSTaskSequence\\OSD\\<PackageID>\\i386\\hotfix\\KB977203\\{msp}"'


@dataclass(frozen=True, slots=True)
class PlanInput:
    """What the plan is fitted to."""

    verdict: Verdict
    facts: MachineFacts
    restore_side: bool = False  # the failure was on the restore side (replace / new OS)
    missing: tuple[str, ...] = ()  # coverage items not collected
    other_codes: tuple[tuple[str, str], ...] = ()  # (code, meaning) of another failure


def _service_packs(facts: MachineFacts) -> tuple[str, ...]:
    release = facts.client_release
    if release == ClientRelease.CM2007_SP1.value:
        return ("SP1",)
    if release == ClientRelease.CM2007_SP2.value:
        return ("SP2",)
    return ("SP1", "SP2")  # unknown: both spellings, the admin picks


def _site_hotfix(facts: MachineFacts) -> RemediationStep:
    has_r3 = facts.flag(FactName.KB977384) is True
    # Only needed where KB977384 makes KB977203 "not applicable": extracts CCMCertFix.
    commands = ["msiexec.exe /a SCCM2007-SP2-KB977203-ENU.msi /qb targetdir=<folder>"]
    return RemediationStep(
        "site_hotfix",
        "Install hotfix KB977203 on every ConfigMgr 2007 SP1/SP2 site server",
        "site servers",
        Performer.ADMIN,
        tuple(commands),
        "New client certificates are then made without the NUL once clients get its client "
        "patch. Where hotfix KB977384 (R3 prerequisite) is installed, KB977203 reports 'not "
        "applicable': KB977384 contains it, including the client patch; then extract "
        "CCMCertFix from the KB977203 package with the msiexec /a command (or run the "
        "downloaded ...-KB977203-X64-ENU.exe /x). The hotfix does not repair existing "
        "certificates.",
        "this client has KB977384 (R3 prerequisite), so its site likely has it too: "
        "extract CCMCertFix from the KB977203 package"
        if has_r3
        else "KB977203 fixes certificate creation for every client of the site",
    )


def _client_patch(facts: MachineFacts) -> RemediationStep:
    sps = _service_packs(facts)
    props = tuple(_PATCH.format(msp=_MSP.format(sp=sp)) for sp in sps)
    which = (
        f"client {facts.client_version} is ConfigMgr 2007 {sps[0]}"
        if len(sps) == 1
        else "client service pack unknown: use the SP1 or SP2 .msp to match the client"
    )
    return RemediationStep(
        "client_patch",
        "Deploy the KB977203 client patch, in task sequences with the PATCH= property",
        "task sequence: Setup Windows and ConfigMgr, installation properties",
        Performer.ADMIN,
        props,
        "<PackageID> is the ConfigMgr client install package, not the hotfix package; "
        "_SMSTaskSequence may be on another drive, and a UNC path to the package source "
        "works too. Do not install the patch with an Install Software step: it stops the "
        "client service and the task sequence fails.",
        which,
    )


def _ccmcertfix(restore_side: bool) -> RemediationStep:
    where = (
        "this client; in replace scenarios also in the restore task sequence"
        if restore_side
        else "this client, before the task sequence runs"
    )
    return RemediationStep(
        "ccmcertfix",
        "Run CCMCertFix.exe on this client to rewrite the existing certificates' names",
        where,
        Performer.LOGSCAN,
        ("CCMCertFix.exe CCMCertFix.log",),
        f"CCMCertFix.exe is extracted on the site server to {CERTFIX_DIR} (<SMS root>\\Logs\\"
        "KB977203); known builds: SP1 4.0.6221.1193, SP2 4.0.6487.2111 (x86, 17,768 bytes). "
        "It takes no switches, only an optional log file name, and needs admin rights. "
        "Refresh: run it as a program before the task sequence ('run another program "
        "first'). Replace: also run it in the restore sequence after Setup Windows and "
        "ConfigMgr, followed by a restart. logscan repair can run it here.",
        "the hotfix does not repair certificates that already exist",
    )


def _verify(verdict: Verdict) -> RemediationStep:
    return RemediationStep(
        "verify",
        "Verify: the store holds no NUL, and the state store can be requested again",
        "this client",
        Performer.LOGSCAN,
        (
            "logscan certs --live",
            f"reg export {STORE_KEY} sms.reg /y",
            "logscan diagnose <this machine's logs>",
        ),
        "Every SMS certificate's friendly name must show without ␀; CCMCertFix.log should "
        "report the certificates fixed; rerun Request State Store (or the migration) and "
        "check that OSDSMPClient no longer logs 0x80092024.",
        "resolved hosts need proof too" if verdict is Verdict.RESOLVED else "after the fix",
    )


def _collect(missing: tuple[str, ...]) -> RemediationStep:
    return RemediationStep(
        "collect",
        "Collect what is missing: " + ", ".join(missing),
        "this client",
        Performer.ADMIN,
        ("logscan collector --write <folder>", f"reg export {STORE_KEY} sms.reg /y"),
        "Run the collector on the client (it needs only what Windows ships) and diagnose "
        "its output; the certificate store export is what confirms or rules out KB977203.",
        "missing evidence lowers confidence and is never read as 'no problem'",
    )


def _other(codes: tuple[tuple[str, str], ...]) -> RemediationStep:
    named = "; ".join(f"{c}: {m}" for c, m in codes) or "the error in the evidence"
    return RemediationStep(
        "other_failure",
        "Fix the failure that stopped the migration (it is not KB977203)",
        "state migration point, network access account, USMT package",
        Performer.ADMIN,
        tuple(_code_command(c) for c, _ in codes[:3]),
        f"{named}. KB977203's hotfix and CCMCertFix do not fix this.",
        "another failure was logged",
    )


def _code_command(code: str) -> str:
    if code.startswith("usmt:"):
        return f"logscan code --usmt {code.removeprefix('usmt:')}"
    return f"logscan code {code}"


def plan_for(inp: PlanInput) -> tuple[RemediationStep, ...]:
    """The steps for one host, in the order to do them."""
    v, facts = inp.verdict, inp.facts
    steps: list[RemediationStep] = []
    if v is Verdict.LIKELY or (v is Verdict.NO_EVIDENCE and inp.missing):
        steps.append(_collect(inp.missing or ("certificates",)))
    if v is Verdict.OTHER_FAILURE:
        steps.append(_other(inp.other_codes))
    if v in (Verdict.CONFIRMED, Verdict.LIKELY, Verdict.AT_RISK):
        steps.append(_site_hotfix(facts))
        if facts.has_kb977203_fix is not True:
            steps.append(_client_patch(facts))
        steps.append(_ccmcertfix(inp.restore_side))
        steps.append(_verify(v))
    elif v is Verdict.RESOLVED:
        if facts.has_kb977203_fix is not True:
            steps.append(_client_patch(facts))
        steps.append(_verify(v))
    return tuple(steps)
