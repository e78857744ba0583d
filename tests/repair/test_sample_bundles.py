"""Repair driven by the real diagnosis of the sample bundles (copies; sample_logs untouched)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from logscan.cli.exitcodes import ExitCode
from logscan.cli.main import cli

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"


def _copy_store(tmp_path: Path, host: str) -> Path:
    if not (SAMPLES / host).is_dir():
        pytest.skip(f"sample bundle {host} not present")
    target = tmp_path / host / "sms_store.reg"
    target.parent.mkdir()
    shutil.copyfile(SAMPLES / host / "sms_store.reg", target)
    return target


def _repair(store: Path, host: str, tmp_path: Path, *extra: str) -> object:
    args = ["repair", str(store), "--evidence", str(SAMPLES / host)]
    return CliRunner().invoke(cli, [*args, "--audit-log", str(tmp_path / "a.jsonl"), *extra])


def test_a_confirmed_host_gets_a_copy_and_is_resolved_afterwards(tmp_path: Path) -> None:
    store = _copy_store(tmp_path, "WKS-XP-0142")
    before = sorted(p.name for p in (SAMPLES / "WKS-XP-0142").rglob("*"))
    result = _repair(store, "WKS-XP-0142", tmp_path, "--apply", "--yes")
    assert result.exit_code == ExitCode.OK, result.output  # type: ignore[attr-defined]
    out = result.stdout  # type: ignore[attr-defined]
    assert "verdict: confirmed" in out and "host WKS-XP-0142" in out
    assert "Diagnosis after the repair: resolved" in out
    assert store.with_name("sms_store.fixed.reg").exists()
    assert sorted(p.name for p in (SAMPLES / "WKS-XP-0142").rglob("*")) == before


@pytest.mark.parametrize("host", ["WKS-XP-0311", "WKS-XP-0420", "WKS-XP-0533"])
def test_hosts_whose_verdict_calls_for_no_repair_are_refused(tmp_path: Path, host: str) -> None:
    store = _copy_store(tmp_path, host)
    result = _repair(store, host, tmp_path)
    assert result.exit_code == ExitCode.REPAIR_NOT_NEEDED, result.output  # type: ignore[attr-defined]
    assert "[not_needed]" in result.stdout  # type: ignore[attr-defined]
    assert [p.name for p in store.parent.iterdir()] == ["sms_store.reg"]
