"""Every sample scenario gets its documented verdict, names its codes, cites its key
evidence, and matches its golden evidence lines and plan (tests/data/diagnose).

Golden files are rewritten only with LOGSCAN_UPDATE_GOLDEN=1; a missing one fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from logscan.diagnose import Diagnosis, Verdict
from logscan.rules import RuleSet

from .conftest import GOLDEN, HOSTS, SAMPLES, expected, only, run

UPDATE = os.environ.get("LOGSCAN_UPDATE_GOLDEN") == "1"


def _record_start(path: Path, line: int) -> int:
    """The first line of the record holding ``line`` (CCM records can span lines)."""
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode("utf-8-sig")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if "<![LOG[" not in text:
        return line
    start = line
    while start > 1 and "<![LOG[" not in lines[start - 1]:
        start -= 1
    return start


def _cited(d: Diagnosis) -> set[str]:
    cites = {e.cite for e in d.evidence} | {a for e in d.evidence for a in e.also}
    cites |= {f"{t.path}:{t.line}" for t in d.timeline}
    for state in d.facts:
        cites |= {f.source for f in state.evidence}
        if state.source:
            cites.add(state.source)
    return cites


@pytest.mark.parametrize("host", HOSTS)
def test_sample_verdict_codes_and_key_evidence(host: str, ruleset: RuleSet) -> None:
    want = expected(host)
    d = only(run([SAMPLES / host], ruleset))
    assert d.host == want["host"]
    assert d.verdict is Verdict(want["verdict"])
    assert set(want["error_codes"]) <= set(d.error_codes)
    cited = _cited(d)
    thumbprints = {(c.path, c.thumbprint) for c in d.certificates}
    for key in want["key_evidence"]:
        path, line = key["path"], key["line"]
        start = _record_start(SAMPLES / host / path, line)
        in_certs = any(p == path and t in key["contains"] for p, t in thumbprints)
        assert in_certs or f"{path}:{start}" in cited or f"{path}:{line}" in cited, key


def _golden_view(d: Diagnosis) -> dict[str, Any]:
    return {
        "host": d.host,
        "verdict": d.verdict.value,
        "confidence": d.confidence.value,
        "error_codes": list(d.error_codes),
        "summary": d.summary,
        "evidence": [f"{e.cite}  {e.rule}" for e in d.evidence],
        "reasoning": [f"{s.step}: {s.effect.value} -> {s.verdict}" for s in d.reasoning],
        "plan": [
            {"id": r.id, "performer": r.performer.value, "commands": list(r.commands)}
            for r in d.remediation
        ],
    }


@pytest.mark.parametrize("host", HOSTS)
def test_sample_matches_golden(host: str, ruleset: RuleSet) -> None:
    view = _golden_view(only(run([SAMPLES / host], ruleset)))
    golden = GOLDEN / f"{host}.json"
    if UPDATE:
        golden.write_text(json.dumps(view, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert golden.exists(), f"no golden file {golden}; create it with LOGSCAN_UPDATE_GOLDEN=1"
    assert view == json.loads(golden.read_text("utf-8"))


def test_share_of_samples_gives_one_diagnosis_per_host(ruleset: RuleSet) -> None:
    report = run([SAMPLES], ruleset)
    got = {d.host: d.verdict.value for d in report.diagnoses}
    assert got == {h: expected(h)["verdict"] for h in HOSTS}
    # Cited relative to the share: the host folder comes first.
    for d in report.diagnoses:
        assert all(e.path.startswith(d.host + "/") for e in d.evidence), d.host
    assert report.rules_failed == 0 and report.rules_loaded > 20


def test_copies_of_one_log_are_cited_once(ruleset: RuleSet) -> None:
    d = only(run([SAMPLES / "WKS-W7-2207"], ruleset))
    step = [e for e in d.evidence if e.text.startswith("Failed to run the action")]
    assert len(step) == 1  # three smsts.log snapshots, one citation
    partition = [t for t in d.timeline if "Partition Disk 0" in t.text]
    assert [t.path for t in partition] == ["X_Windows_Temp_SMSTSLog/smsts.log"] * len(partition)
