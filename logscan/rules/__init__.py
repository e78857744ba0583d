"""Detection rules: YAML rule files, their model, loader, matchers, lint and rule tests.

    ruleset = load_rules([user_dir])          # shipped rules first; strict=True raises
    print(ruleset.summary())                  # "loaded 24 rules, 1 failed to load"
    for rule in ruleset.rules:
        if rule.applies_to(kind, path, fmt):
            hit = rule.match(record, kind)    # Hit | None; raises RuleTimeout
    findings = correlate_all(ruleset.correlations, hits, host_of=...)

The engine prefilters raw bytes with ``ruleset.anchors()`` (or ``Rule.anchors``), calls
``Rule.match`` on the records around the anchors, and hands the hits of each host to
``correlate_all``. Rule data lives in the top-level ``rules/`` folder
(``shipped_rules_dir()``); its schema is documented in ``rules/README.md``.
"""

from __future__ import annotations

from logscan.rules.correlate import correlate, correlate_all
from logscan.rules.lint import lint
from logscan.rules.loader import RuleSet, load_rules, shipped_rules_dir
from logscan.rules.model import (
    Finding,
    Hit,
    ProblemCode,
    RuleError,
    RuleLevel,
    RuleProblem,
    RuleTimeout,
    Severity,
    Status,
)
from logscan.rules.rule import CorrelationRule, Rule

__all__ = [
    "CorrelationRule",
    "Finding",
    "Hit",
    "ProblemCode",
    "Rule",
    "RuleError",
    "RuleLevel",
    "RuleProblem",
    "RuleSet",
    "RuleTimeout",
    "Severity",
    "Status",
    "correlate",
    "correlate_all",
    "lint",
    "load_rules",
    "shipped_rules_dir",
]
