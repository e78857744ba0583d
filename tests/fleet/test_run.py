"""A batch over the sample share: rows agree with ``diagnose``, outputs, incremental re-runs."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from logscan.diagnose import diagnose_bundle
from logscan.fleet import HostStatus
from logscan.rules import load_rules

from .conftest import SAMPLES, ZIPPED, read_rows, run_serial


def test_every_host_gets_a_row_that_agrees_with_its_diagnosis(share: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = run_serial([share], out)
    rows = read_rows(out)
    rules = load_rules()
    for label, row in rows.items():
        if label == "WKS-EMPTY-01":
            assert row["status"] == HostStatus.NO_LOGS.value and not row["verdict"]
            continue
        bundle = share / (f"{label}.zip" if label == ZIPPED else label)
        (d,) = diagnose_bundle(bundle, rules).diagnoses
        assert (row["verdict"], row["host"], row["status"]) == (d.verdict.value, d.host, "ok")
        assert row["error_codes"] == " ".join(d.error_codes)
        assert int(row["evidence"]) == len(d.evidence)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["complete"] and summary["hosts"] == len(rows) == run.hosts
    counted = {v: sum(r["verdict"] == v for r in rows.values()) for v in summary["verdicts"]}
    assert counted == summary["verdicts"]
    assert summary["actionable"] == sum(counted[v] for v in ("confirmed", "likely", "at_risk"))
    assert set(summary["outputs"]) >= {"hosts.csv", "findings.jsonl", "report.html", "summary.json"}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_findings_cite_real_lines_from_the_root(share: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_serial([share], out)
    lines = (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines
    checked = 0
    for item in map(json.loads, lines):
        assert item["cite"].startswith(item["path"])
        if item["kind"] != "log" or "!" in item["path"]:
            continue
        target = share / item["path"]
        assert target.is_file(), item
        raw = target.read_bytes()
        text = raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode("utf-8", "replace")
        assert 1 <= item["line"] <= len(text.splitlines()), item
        checked += 1
    assert checked > 20
    zipped = [json.loads(x) for x in lines if f"{ZIPPED}.zip!" in x]
    assert zipped and all(z["path"].startswith(f"{ZIPPED}.zip!") for z in zipped)


def test_a_rerun_takes_unchanged_hosts_from_the_cache(share: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_serial([share], out)
    before = {n: (out / n).read_bytes() for n in ("hosts.csv", "findings.jsonl")}
    second = run_serial([share], out)
    assert second.summary["from_cache"] == first.hosts and second.summary["scanned"] == 0
    assert {n: (out / n).read_bytes() for n in before} == before
    assert second.summary["outputs_reused"] and not first.summary["outputs_reused"]
    (out / "report.html").write_text("damaged by hand")  # a kept output must be intact
    assert not run_serial([share], out).summary["outputs_reused"]
    assert (out / "report.html").read_text().startswith("<!DOCTYPE html>")
    # Rewritten from cached (compressed) diagnoses alone: the same findings as the scan.
    assert (out / "findings.jsonl").read_bytes() == before["findings.jsonl"]

    log = share / "WKS-XP-0588" / "WINDOWS" / "system32" / "CCM" / "Logs" / "CcmExec.log"
    with log.open("ab") as fh:  # the log grew: one host, one file changed
        fh.write(b"\r\n")
    third = run_serial([share], out)
    assert not third.summary["outputs_reused"]
    assert third.summary["scanned"] == 1
    assert third.summary["cache"]["changed_hosts"] == 1
    assert third.summary["cache"]["changed_files"] == 1


def test_a_changed_rule_pack_rescans_everything(share: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_serial([share], out)
    user_rules = tmp_path / "rules"
    shutil.copytree(Path(load_rules().files[0]).parent, user_rules / "copy")
    for f in (user_rules / "copy").iterdir():  # same rules under other ids: a new pack
        f.write_text(f.read_text().replace("id: ", "id: user."), encoding="utf-8")
    again = run_serial([share], out, rule_dirs=(str(user_rules),))
    assert again.summary["from_cache"] == 0
    assert any("rule pack" in n for n in again.summary["cache"]["notes"])


def test_a_damaged_cache_is_rebuilt_and_reported(share: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_serial([share], out)
    (out / "logscan-cache.sqlite").write_bytes(b"this is not a database" * 100)
    again = run_serial([share], out)
    assert again.summary["from_cache"] == 0 and again.summary["finished"] == again.hosts
    assert any("damaged" in n for n in again.summary["cache"]["notes"])
    assert run_serial([share], out).summary["from_cache"] == again.hosts


def test_no_cache_writes_no_cache_file(share: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = run_serial([share], out, use_cache=False)
    assert run.summary["scanned"] == run.hosts
    assert not (out / "logscan-cache.sqlite").exists()


def test_parquet_matches_csv(share: Path, tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "out"
    run_serial([share], out)
    if not (out / "hosts.parquet").exists():
        pytest.skip("pyarrow is not installed (the parquet extra)")
    csv_frame = pd.read_csv(out / "hosts.csv", dtype=str, keep_default_na=False)
    pq_frame = pd.read_parquet(out / "hosts.parquet")
    assert list(pq_frame["label"]) == list(csv_frame["label"])
    assert list(pq_frame["verdict"].fillna("")) == list(csv_frame["verdict"])
    assert str(pq_frame["os_build"].dtype) == "Int64"


def test_samples_exist() -> None:
    assert os.path.isdir(SAMPLES)


def test_the_report_is_written_without_matplotlib(
    share: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # the report extra is not installed
    out = tmp_path / "out"
    run_serial([share], out, use_cache=False)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="no-charts"' in page and "<svg" not in page and 'id="hosts"' in page
