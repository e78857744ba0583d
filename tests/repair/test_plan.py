"""Plans and every interlock: what would run, exactly, and every reason it must not."""

from __future__ import annotations

from pathlib import Path

import pebuild
import pytest
from repairkit import SP1, F, host_state

from logscan.diagnose.model import Verdict
from logscan.errors import UsageError
from logscan.repair.clock import FixedClock
from logscan.repair.host import MemoryRepairHost
from logscan.repair.interlocks import RefusalReason, first_reason, verdict_name
from logscan.repair.plan import RepairMode, RepairPlan, StepKind, fingerprint
from logscan.repair.prepare import prepare_live
from logscan.repair.twin import StoreTwin


def _plan(
    tmp_path: Path,
    clock: FixedClock,
    *,
    blobs: dict[str, bytes] | None,
    state: MemoryRepairHost | None = None,
    verdict: object = "confirmed",
    tool: Path | None = None,
    native: bool = False,
    release: str | None = "cm2007_sp2",
    accept: str | None = None,
) -> RepairPlan:
    return prepare_live(
        store=StoreTwin(blobs).store(),
        host=state or MemoryRepairHost(host_state()),
        clock=clock,
        backup_root=tmp_path / "backups",
        verdict=verdict,
        client_release=release,
        tool=None if tool is None else str(tool),
        accept_sha256=accept,
        native=native,
        audit_path=tmp_path / "audit.jsonl",
        env={},
    )


def _reasons(plan: RepairPlan) -> list[RefusalReason]:
    return [r.reason for r in plan.refusals]


def test_a_ready_plan_names_every_change_path_and_command(
    tmp_path: Path, clock: FixedClock, blobs: dict[str, bytes], tool: Path
) -> None:
    plan = _plan(tmp_path, clock, blobs=blobs, tool=tool)
    assert plan.ready and plan.mode is RepairMode.CCMCERTFIX and plan.verdict == "confirmed"
    assert {c.thumbprint for c in plan.changes} == set(blobs)
    texts = {c.role: (c.before_text, c.after_text) for c in plan.changes}
    assert texts == {
        "signing": ("SMS Signing Certificate\u2400", "SMS Signing Certificate"),
        "encryption": ("SMS\u2400Encryption Certificate", "SMS"),
    }
    folder = tmp_path / "backups" / f"PC01_{F.NOW:%Y%m%dT%H%M%S}Z"
    assert plan.backup_folder == str(folder)
    assert [s.kind for s in plan.steps] == [
        StepKind.BACKUP,
        StepKind.COPY_TOOL,
        StepKind.RUN,
        StepKind.VERIFY,
        StepKind.AUDIT,
    ]
    run = plan.step(StepKind.RUN)
    assert run is not None and run.changes
    assert run.command == (str(folder / "CCMCertFix.exe"), str(folder / "CCMCertFix.log"))
    assert [s.kind for s in plan.steps if s.changes] == [StepKind.RUN]
    assert plan.restore_command == f'reg import "{folder / "sms_store.reg"}"'
    assert plan.binary is not None and plan.binary.verified


def test_native_plan_lists_the_exact_api_call_per_certificate(
    tmp_path: Path, clock: FixedClock, blobs: dict[str, bytes]
) -> None:
    plan = _plan(tmp_path, clock, blobs=blobs, native=True)
    writes = [s for s in plan.steps if s.kind is StepKind.NATIVE_WRITE]
    assert plan.ready and plan.binary is None and plan.located is None
    assert len(writes) == 2 and all(s.changes for s in writes)
    assert any(
        "CERT_FRIENDLY_NAME_PROP_ID=11, dwFlags=0, 48 bytes" in s.text
        and '"SMS Signing Certificate" + one NUL' in s.text
        for s in writes
    )


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"elevated": False}, RefusalReason.NOT_ELEVATED),
        ({"elevated": None}, RefusalReason.NOT_ELEVATED),
        ({"task_sequence": True}, RefusalReason.TASK_SEQUENCE_RUNNING),
        ({"task_sequence": None}, RefusalReason.TASK_SEQUENCE_RUNNING),
    ],
)
def test_machine_state_interlocks_refuse_including_cannot_tell(
    tmp_path: Path,
    clock: FixedClock,
    blobs: dict[str, bytes],
    tool: Path,
    changes: dict[str, object],
    reason: RefusalReason,
) -> None:
    plan = _plan(
        tmp_path, clock, blobs=blobs, tool=tool, state=MemoryRepairHost(host_state(**changes))
    )
    assert _reasons(plan) == [reason] and not plan.ready
    assert "elevated" in plan.refusals[0].message or "task sequence" in plan.refusals[0].message


@pytest.mark.parametrize("verdict", ["resolved", "other_failure", Verdict.NO_EVIDENCE])
def test_verdicts_that_call_for_no_repair_are_refused(
    tmp_path: Path, clock: FixedClock, blobs: dict[str, bytes], tool: Path, verdict: object
) -> None:
    plan = _plan(tmp_path, clock, blobs=blobs, tool=tool, verdict=verdict)
    assert _reasons(plan) == [RefusalReason.NOT_NEEDED]
    assert str(getattr(verdict, "value", verdict)) in plan.refusals[0].message


@pytest.mark.parametrize("verdict", ["confirmed", Verdict.AT_RISK, None])
def test_a_clean_store_needs_no_repair_whatever_the_verdict(
    tmp_path: Path, clock: FixedClock, tool: Path, verdict: object
) -> None:
    plan = _plan(tmp_path, clock, blobs=F.client_pair("PC01"), tool=tool, verdict=verdict)
    assert _reasons(plan) == [RefusalReason.NOT_NEEDED] and not plan.changes
    assert "no friendly name" in plan.refusals[0].message


def test_no_sms_store_is_refused(tmp_path: Path, clock: FixedClock, tool: Path) -> None:
    plan = _plan(tmp_path, clock, blobs=None, tool=tool)
    assert _reasons(plan) == [RefusalReason.NO_STORE]
    assert "has no SMS store" in plan.refusals[0].message


def test_a_missing_tool_is_refused_with_every_place_looked(
    tmp_path: Path, clock: FixedClock, blobs: dict[str, bytes]
) -> None:
    plan = _plan(tmp_path, clock, blobs=blobs, tool=tmp_path / "CCMCertFix.exe")
    assert _reasons(plan) == [RefusalReason.BINARY_NOT_FOUND]
    message = plan.refusals[0].message
    assert str(tmp_path / "CCMCertFix.exe") in message and "--native" in message


def test_a_tool_that_fails_verification_is_refused_with_the_override_named(
    tmp_path: Path, clock: FixedClock, blobs: dict[str, bytes]
) -> None:
    sp1 = tmp_path / "CCMCertFix.exe"
    sp1.write_bytes(pebuild.build_pe(SP1))
    plan = _plan(tmp_path, clock, blobs=blobs, tool=sp1)
    assert _reasons(plan) == [RefusalReason.BINARY_REFUSED]
    assert plan.binary is not None and plan.binary.sha256 is not None
    assert f"--accept-sha256 {plan.binary.sha256}" in plan.refusals[0].message
    accepted = _plan(tmp_path, clock, blobs=blobs, tool=sp1, accept=plan.binary.sha256)
    assert accepted.ready and accepted.binary is not None and accepted.binary.overridden


def test_every_refusal_is_listed_and_the_first_decides_the_exit_code(
    tmp_path: Path, clock: FixedClock
) -> None:
    state = MemoryRepairHost(host_state(elevated=False, task_sequence=True))
    plan = _plan(tmp_path, clock, blobs=None, state=state, tool=tmp_path / "none.exe")
    assert _reasons(plan) == [
        RefusalReason.NOT_ELEVATED,
        RefusalReason.TASK_SEQUENCE_RUNNING,
        RefusalReason.NO_STORE,
        RefusalReason.BINARY_NOT_FOUND,
    ]
    assert first_reason(reversed(plan.refusals)) is RefusalReason.NOT_ELEVATED  # type: ignore[arg-type]
    assert first_reason(()) is None


def test_verdicts_are_taken_as_enums_strings_or_diagnoses() -> None:
    class _Diagnosis:
        verdict = Verdict.LIKELY

    assert verdict_name(Verdict.CONFIRMED) == "confirmed"
    assert verdict_name("at_risk") == "at_risk"
    assert verdict_name(_Diagnosis()) == "likely"
    assert verdict_name(None) is None
    with pytest.raises(UsageError, match="unknown verdict"):
        verdict_name("broken")


def test_the_fingerprint_follows_every_friendly_name_byte(blobs: dict[str, bytes]) -> None:
    twin = StoreTwin(blobs)
    before = fingerprint(twin.store().read())
    assert fingerprint(twin.store().read()) == before
    twin.fix_names(limit=1)
    assert fingerprint(twin.store().read()) != before


def test_no_override_is_suggested_for_a_file_that_is_not_an_executable(
    tmp_path: Path, clock: FixedClock, blobs: dict[str, bytes]
) -> None:
    fake = tmp_path / "CCMCertFix.exe"
    fake.write_bytes(b"#!/bin/sh\nrm -rf /\n")
    plan = _plan(tmp_path, clock, blobs=blobs, tool=fake)
    assert _reasons(plan) == [RefusalReason.BINARY_REFUSED]
    assert "not a PE image" in plan.refusals[0].message
    assert "--accept-sha256" not in plan.refusals[0].message
