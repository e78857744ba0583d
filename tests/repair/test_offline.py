"""Offline targets: a corrected copy beside an exported store, never over it, clearly labelled."""

from __future__ import annotations

from pathlib import Path

import pytest
from repairkit import F

from logscan.certs.regexport import RegExportSource
from logscan.inputs.regfile import RegKey, RegType, RegValue, format_reg_file
from logscan.repair.audit import AuditLog, read_audit
from logscan.repair.blobfix import fix_blob
from logscan.repair.clock import FixedClock
from logscan.repair.flow import execute
from logscan.repair.plan import RepairMode
from logscan.repair.prepare import prepare_offline
from logscan.repair.runner import DryRunner
from logscan.repair.stores import ExportStore
from logscan.repair.verify import OutcomeStatus


def _apply(path: Path, clock: FixedClock, audit: Path, *, apply: bool = True) -> object:
    store = ExportStore(path)
    plan = prepare_offline(store=store, clock=clock, verdict="at_risk", audit_path=audit)
    runner = DryRunner()
    outcome = execute(
        plan,
        confirm=lambda _p: True,
        runner=runner,
        store=store,
        audit=AuditLog(audit),
        clock=clock,
        apply=apply,
    )
    assert not runner.calls
    return outcome


@pytest.mark.parametrize("fixture", ["reg_file", "sst_file"])
def test_a_corrected_copy_is_written_beside_the_untouched_original(
    tmp_path: Path, clock: FixedClock, blobs: dict[str, bytes], fixture: str,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    original_path: Path = request.getfixturevalue(fixture)
    original = original_path.read_bytes()
    outcome = _apply(original_path, clock, tmp_path / "audit.jsonl")
    assert outcome.status is OutcomeStatus.REPAIRED  # type: ignore[attr-defined]
    copy = original_path.with_name(f"sms_store.fixed{original_path.suffix}")
    assert outcome.offline.copy.path == str(copy)  # type: ignore[attr-defined]
    assert original_path.read_bytes() == original
    assert outcome.offline.original_unchanged  # type: ignore[attr-defined]
    assert ExportStore(copy).blobs() == {t: fix_blob(b).after for t, b in blobs.items()}
    assert sorted(p.name for p in original_path.parent.iterdir()) == sorted(
        [original_path.name, copy.name]
    )
    events = [e.record["event"] for e in read_audit(tmp_path / "audit.jsonl").entries]
    assert events == ["started", "command", "finished"]


def test_the_reg_copy_says_what_it_is_and_how_to_apply_it(
    tmp_path: Path, clock: FixedClock, reg_file: Path
) -> None:
    _apply(reg_file, clock, tmp_path / "audit.jsonl")
    copy = reg_file.with_name("sms_store.fixed.reg")
    text = copy.read_bytes()[2:].decode("utf-16-le")
    comments = [line for line in text.split("\r\n") if line.startswith(";")]
    assert "CORRECTED COPY" in comments[0] and "NOT evidence" in comments[0]
    assert str(reg_file) in comments[1]
    assert 'reg import "sms_store.fixed.reg"' in comments[2]
    result = RegExportSource(copy).read()
    assert not result.problems and not any(c.nul_positions for c in result.certs)


def test_an_existing_copy_is_never_overwritten(
    tmp_path: Path, clock: FixedClock, reg_file: Path
) -> None:
    taken = reg_file.with_name("sms_store.fixed.reg")
    taken.write_bytes(b"an admin's own file")
    store = ExportStore(reg_file)
    plan = prepare_offline(store=store, clock=clock)
    assert plan.mode is RepairMode.OFFLINE_COPY
    assert plan.output_path == str(reg_file.with_name("sms_store.fixed.2.reg"))
    _apply(reg_file, clock, tmp_path / "audit.jsonl")
    assert taken.read_bytes() == b"an admin's own file"
    assert reg_file.with_name("sms_store.fixed.2.reg").exists()


def test_a_whole_software_export_yields_only_the_sms_store_keys(
    tmp_path: Path, clock: FixedClock, blobs: dict[str, bytes]
) -> None:
    other = RegKey(
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SMS\Mobile Client",
        0,
        (
            RegValue(
                "ProductVersion", RegType.SZ, "4.00.6487.2000".encode("utf-16-le") + b"\0\0", 0
            ),
        ),
    )
    path = tmp_path / "software.reg"
    path.write_bytes(format_reg_file([other, *F.store_keys(blobs)]))
    _apply(path, clock, tmp_path / "audit.jsonl")
    text = path.with_name("software.fixed.reg").read_bytes()[2:].decode("utf-16-le")
    assert "Mobile Client" not in text and "SystemCertificates\\SMS\\Certificates" in text


def test_a_dry_run_writes_nothing(tmp_path: Path, clock: FixedClock, reg_file: Path) -> None:
    outcome = _apply(reg_file, clock, tmp_path / "audit.jsonl", apply=False)
    assert outcome.status is OutcomeStatus.DRY_RUN  # type: ignore[attr-defined]
    assert [p.name for p in reg_file.parent.iterdir()] == ["sms_store.reg"]
    assert not (tmp_path / "audit.jsonl").exists()


def test_other_evidence_cannot_be_an_offline_target(tmp_path: Path) -> None:
    from logscan.errors import UsageError

    certutil = tmp_path / "certutil.txt"
    certutil.write_text("SMS\n================ Certificate 0 ================\n")
    with pytest.raises(UsageError, match=r"reg export of the SMS store or an \.sst"):
        ExportStore(certutil)
