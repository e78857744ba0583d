"""Diagnosis test helpers: the shipped rules, a fixed clock, sample hosts and their files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from logscan.diagnose import Diagnosis, Report, diagnose
from logscan.rules import RuleSet, load_rules

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_logs"
GOLDEN = ROOT / "tests" / "data" / "diagnose"
NOW = datetime(2024, 1, 1, tzinfo=UTC)
HOSTS = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir() and not p.name.startswith("_"))


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    rules = load_rules()
    assert not rules.errors, rules.errors
    return rules


def run(paths: list[Path] | list[str], rules: RuleSet) -> Report:
    return diagnose(paths, rules, now=NOW)


def only(report: Report) -> Diagnosis:
    assert len(report.diagnoses) == 1, [d.host for d in report.diagnoses]
    return report.diagnoses[0]


def expected(host: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / host / "EXPECTED.json").read_text("utf-8"))
    return data
