"""Fixture for rule tests: one rule built from a YAML ``match:`` block."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from rulebuild import RuleFactory

from logscan.rules import Rule, load_rules


@pytest.fixture
def make_rule(tmp_path: Path) -> RuleFactory:
    """Build one rule from a ``match:`` block (YAML text), with optional extra fields."""

    def build(
        match: str, *, details: str = "hit", extra: str = "", kinds: str = "[ccmexec]"
    ) -> Rule:
        body = textwrap.indent(textwrap.dedent(match).strip(), "  ")
        text = (
            "id: test.rule\ntitle: t\nstatus: test\nlevel: low\ndescription: d\n"
            f"logsource:\n  kinds: {kinds}\nmatch:\n{body}\n"
            f"details: {details!r}\n{textwrap.dedent(extra)}"
            "tests:\n  must_match: ['x']\n"
        )
        path = tmp_path / "rule.yaml"
        path.write_text(text, encoding="utf-8")
        ruleset = load_rules([path], shipped=False)
        assert ruleset.errors == (), [str(p) for p in ruleset.errors]
        return ruleset.rules[0]

    return build
