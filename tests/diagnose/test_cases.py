"""Crafted hosts for the verdict rules the samples do not cover: contradictory evidence,
certificates re-created after the failure, a fix that did not take, a pasted ticket line,
no logs at all, unknown or absent 974571, another failure, disagreeing host names."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from logscan.diagnose import Confidence, Diagnosis, Effect, Verdict
from logscan.facts import FactName
from logscan.rules import RuleSet

from .bundlebuild import FAILURE_AT, ccm, failure_records, sms_store, write_log
from .conftest import SAMPLES, only, run

LOGS = Path("WINDOWS/system32/CCM/Logs")
BEFORE = datetime(2010, 1, 5, tzinfo=UTC)


def _host(tmp: Path, name: str, *, systeminfo: bool = True) -> Path:
    root = tmp / name
    root.mkdir()
    if systeminfo:
        text = (SAMPLES / "WKS-XP-0142" / "systeminfo.txt").read_bytes()
        (root / "systeminfo.txt").write_bytes(text.replace(b"WKS-XP-0142", name.encode()))
    return root


def _step(d: Diagnosis, name: str) -> list[tuple[Effect, str]]:
    return [(s.effect, s.because) for s in d.reasoning if s.step == name]


def test_failure_then_clean_certificates_and_no_fix_is_a_contradiction(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    root = _host(tmp_path, "PC-CONTRA")
    write_log(root / LOGS / "smsts.log", failure_records("PC-CONTRA"))
    (root / "sms_store.reg").write_bytes(sms_store("PC-CONTRA", nul=False, created=BEFORE))
    d = only(run([root], ruleset))
    assert d.verdict is Verdict.RESOLVED
    assert d.confidence is Confidence.LOW
    [(effect, because)] = _step(d, "after_failure")
    assert effect is Effect.SETS and because.startswith("contradictory evidence")
    assert "contradicts" in d.summary


def test_certificates_created_after_the_failure_explain_the_clean_store(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    root = _host(tmp_path, "PC-NEWCERT")
    write_log(root / LOGS / "smsts.log", failure_records("PC-NEWCERT"))
    created = FAILURE_AT + timedelta(days=3)
    (root / "sms_store.reg").write_bytes(sms_store("PC-NEWCERT", nul=False, created=created))
    d = only(run([root], ruleset))
    assert (d.verdict, d.confidence) == (Verdict.RESOLVED, Confidence.MEDIUM)
    assert "created after the failure" in _step(d, "after_failure")[0][1]


def test_fix_logged_but_nul_still_there_stays_confirmed_with_less_confidence(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    root = _host(tmp_path, "PC-NOTAKE")
    later = FAILURE_AT + timedelta(hours=1)
    records = [*failure_records("PC-NOTAKE"), ccm("Executing command line: CCMCertFix.exe", later)]
    write_log(root / LOGS / "smsts.log", records)
    (root / "sms_store.reg").write_bytes(sms_store("PC-NOTAKE", nul=True, created=BEFORE))
    d = only(run([root], ruleset))
    assert (d.verdict, d.confidence) == (Verdict.CONFIRMED, Confidence.MEDIUM)
    assert _step(d, "after_failure")[0][0] is Effect.LOWERS
    assert [c.friendly_name for c in d.certificates if c.at_fault] == [
        "SMS Signing Certificate␀",
        "SMS Encryption Certificate␀",
    ]


def test_later_success_without_certificates_is_resolved_with_medium_confidence(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    root = _host(tmp_path, "PC-RETRY")
    success = ccm(
        "Successfully completed the action (Request State Store) with the exit win32 code 0",
        FAILURE_AT + timedelta(days=1),
    )
    write_log(root / LOGS / "smsts.log", [*failure_records("PC-RETRY"), success])
    d = only(run([root], ruleset))
    assert (d.verdict, d.confidence) == (Verdict.RESOLVED, Confidence.MEDIUM)
    assert "certificates" in d.coverage.missing


def test_a_success_before_the_failure_does_not_resolve_it(tmp_path: Path, ruleset: RuleSet) -> None:
    root = _host(tmp_path, "PC-EARLY")
    success = ccm(
        "Successfully completed the action (Request State Store) with the exit win32 code 0",
        FAILURE_AT - timedelta(days=1),
    )
    write_log(root / LOGS / "smsts.log", [success, *failure_records("PC-EARLY")])
    assert only(run([root], ruleset)).verdict is Verdict.LIKELY


def test_only_a_pasted_cmtrace_line(tmp_path: Path, ruleset: RuleSet) -> None:
    ticket = tmp_path / "ticket-4711.txt"
    ticket.write_text("Failed to import client certificate store (0x80092024) OSDSMPClient\n")
    d = only(run([ticket], ruleset))
    assert (d.verdict, d.confidence) == (Verdict.LIKELY, Confidence.LOW)
    assert d.error_codes == ("0x80092024",)
    assert [e.cite for e in d.telling] == ["ticket-4711.txt:1"]
    assert set(d.coverage.missing) == {"ccmexec", "smsts", "usmt", "certificates", "machine_facts"}
    assert d.remediation[0].id == "collect"


def test_no_logs_at_all_is_no_evidence_with_low_confidence(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    root = _host(tmp_path, "PC-NOLOGS", systeminfo=False)
    (root / "sms_store.reg").write_bytes(sms_store("PC-NOLOGS", nul=False, created=BEFORE))
    d = only(run([root], ruleset))
    assert (d.verdict, d.confidence) == (Verdict.NO_EVIDENCE, Confidence.LOW)
    assert d.coverage.missing == ("ccmexec", "smsts", "usmt", "machine_facts")
    assert "missing: ccmexec, smsts, usmt" in d.summary
    assert d.host == "PC-NOLOGS"  # from the certificate subject and the folder


def test_nul_with_unknown_os_is_at_risk_with_low_confidence(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    root = _host(tmp_path, "PC-UNKNOWN", systeminfo=False)
    (root / "sms_store.reg").write_bytes(sms_store("PC-UNKNOWN", nul=True, created=BEFORE))
    d = only(run([root], ruleset))
    assert (d.verdict, d.confidence) == (Verdict.AT_RISK, Confidence.LOW)
    assert d.evidence[0].rule == "cert.embedded_nul"


def test_nul_without_974571_is_latent_not_at_risk(tmp_path: Path, ruleset: RuleSet) -> None:
    root = _host(tmp_path, "PC-LATENT", systeminfo=False)
    info = (SAMPLES / "WKS-XP-0142" / "systeminfo.txt").read_bytes()
    info = info.replace(b"77 Hotfix(s)", b"76 Hotfix(s)").replace(
        b"[39]: KB974571", b"[39]: KB974572"
    )
    (root / "systeminfo.txt").write_bytes(info)
    (root / "sms_store.reg").write_bytes(sms_store("PC-LATENT", nul=True, created=BEFORE))
    d = only(run([root], ruleset))
    assert d.facts.flag(FactName.KB974571) is False
    assert d.verdict is Verdict.NO_EVIDENCE
    assert "latent" in _step(d, "exposure")[0][1]


def test_access_denied_at_the_store_is_another_failure(tmp_path: Path, ruleset: RuleSet) -> None:
    root = _host(tmp_path, "PC-DENIED")
    denied = ccm(
        "Failed to run the action: Request State Store.\n"
        "Access is denied. (Error: 80070005; Source: Windows)",
        FAILURE_AT,
        level=3,
    )
    write_log(root / LOGS / "smsts.log", [denied])
    (root / "sms_store.reg").write_bytes(sms_store("PC-DENIED", nul=False, created=BEFORE))
    d = only(run([root], ruleset))
    assert d.verdict is Verdict.OTHER_FAILURE
    assert d.error_codes[0] == "0x80070005"
    assert "E_ACCESSDENIED" in d.summary
    assert d.remediation[0].id == "other_failure"


def test_disagreeing_machine_names_lower_confidence(tmp_path: Path, ruleset: RuleSet) -> None:
    root = _host(tmp_path, "PC-A")
    write_log(root / LOGS / "smsts.log", failure_records("PC-A"))
    (root / "sms_store.reg").write_bytes(sms_store("PC-B", nul=True, created=BEFORE))
    d = only(run([root], ruleset))
    assert d.host == "PC-A"
    assert (d.verdict, d.confidence) == (Verdict.CONFIRMED, Confidence.MEDIUM)
    [(effect, because)] = _step(d, "host_identity")
    assert effect is Effect.LOWERS and "PC-B" in because


def test_folder_named_unlike_the_machine_is_only_noted(tmp_path: Path, ruleset: RuleSet) -> None:
    root = tmp_path / "ticket-4711"
    shutil.copytree(SAMPLES / "WKS-XP-0142", root)
    d = only(run([root], ruleset))
    assert (d.host, d.label, d.confidence) == ("WKS-XP-0142", "ticket-4711", Confidence.HIGH)
    assert _step(d, "host_identity")[0][0] is Effect.NOTES
