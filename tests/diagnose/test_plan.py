"""The remediation plan fitted to verdict and facts: PATCH= per service pack, KB977384,
who performs each step, what each verdict gets."""

from __future__ import annotations

from logscan.diagnose.model import Performer, RemediationStep, Verdict
from logscan.diagnose.plan import PlanInput, plan_for
from logscan.facts.model import FactName, FactState, FactValue, MachineFacts


def _facts(**values: FactValue) -> MachineFacts:
    return MachineFacts(
        tuple(FactState(FactName(k), v, "mobile_client.reg:5", "test") for k, v in values.items())
    )


def _steps(
    verdict: Verdict, facts: MachineFacts, *, restore_side: bool = False
) -> dict[str, RemediationStep]:
    return {s.id: s for s in plan_for(PlanInput(verdict, facts, restore_side))}


def test_patch_property_names_the_clients_service_pack() -> None:
    sp1 = _steps(
        Verdict.CONFIRMED, _facts(client_release="cm2007_sp1", client_version="4.00.6221.1000")
    )
    sp2 = _steps(
        Verdict.CONFIRMED, _facts(client_release="cm2007_sp2", client_version="4.00.6487.2000")
    )
    unknown = _steps(Verdict.CONFIRMED, _facts())
    patch = (
        r'PATCH="C:\_SMSTaskSequence\OSD\<PackageID>\i386\hotfix\KB977203'
        r'\SCCM2007AC-{}-KB977203-x86.msp"'
    )
    assert sp1["client_patch"].commands == (patch.format("SP1"),)
    assert sp2["client_patch"].commands == (patch.format("SP2"),)
    assert unknown["client_patch"].commands == (patch.format("SP1"), patch.format("SP2"))


def test_confirmed_plan_order_and_performers() -> None:
    plan = plan_for(PlanInput(Verdict.CONFIRMED, _facts(client_release="cm2007_sp2")))
    assert [s.id for s in plan] == ["site_hotfix", "client_patch", "ccmcertfix", "verify"]
    who = {s.id: s.performer for s in plan}
    assert who["ccmcertfix"] is who["verify"] is Performer.LOGSCAN
    assert who["site_hotfix"] is who["client_patch"] is Performer.ADMIN
    certfix = plan[2]
    assert certfix.commands == ("CCMCertFix.exe CCMCertFix.log",)
    assert "<ConfigMgr install dir>\\Logs\\KB977203" in certfix.details
    assert "restart" in certfix.details and "run another program first" in certfix.details
    assert "msiexec.exe /a SCCM2007-SP2-KB977203-ENU.msi /qb targetdir=<folder>" in plan[0].commands


def test_kb977384_and_patched_clients() -> None:
    steps = _steps(Verdict.AT_RISK, _facts(kb977384=True, kb977203=True))
    assert "client_patch" not in steps  # the client already has the fix for new certificates
    assert "KB977384" in steps["site_hotfix"].why
    assert "ccmcertfix" in steps  # existing certificates still need the rewrite


def test_restore_side_failure_places_ccmcertfix_in_the_restore_sequence() -> None:
    step = _steps(Verdict.CONFIRMED, _facts(), restore_side=True)["ccmcertfix"]
    assert "restore task sequence" in step.where


def test_plans_of_the_other_verdicts() -> None:
    assert [s.id for s in plan_for(PlanInput(Verdict.RESOLVED, _facts(kb977203=True)))] == [
        "verify"
    ]
    assert [s.id for s in plan_for(PlanInput(Verdict.RESOLVED, _facts()))] == [
        "client_patch",
        "verify",
    ]
    likely = plan_for(PlanInput(Verdict.LIKELY, _facts(), missing=("certificates",)))
    assert likely[0].id == "collect" and "certificates" in likely[0].title
    other = plan_for(
        PlanInput(
            Verdict.OTHER_FAILURE,
            _facts(),
            other_codes=(("usmt:27", "USMT_INVALID_STORE_LOCATION"),),
        )
    )
    assert [s.id for s in other] == ["other_failure"]
    assert other[0].commands == ("logscan code --usmt 27",)
    assert plan_for(PlanInput(Verdict.NO_EVIDENCE, _facts())) == ()
