"""Lint: every loading problem plus what a loaded rule should still fix, all located.

Static checks only (rule tests run the examples): a rule with no provable anchor needs a
full parse of every log; a must-match example whose text holds none of the rule's
anchors proves the anchors wrong; rules without references or near-miss examples are
harder to trust.
"""

from __future__ import annotations

from logscan.rules.loader import RuleSet
from logscan.rules.model import ExampleKind, ProblemCode, RuleProblem, Severity
from logscan.rules.rule import CorrelationRule, Rule


def lint(ruleset: RuleSet) -> list[RuleProblem]:
    """Problems of the set, errors and warnings, in file order."""
    problems = list(ruleset.problems)
    for rule in ruleset.rules:
        problems += _detection(rule)
    for corr in ruleset.correlations:
        problems += _common(corr)
    return sorted(
        problems,
        key=lambda p: (p.location.path, p.location.line or 0, p.location.column or 0),
    )


def _warn(rule: Rule | CorrelationRule, code: ProblemCode, message: str) -> RuleProblem:
    return RuleProblem(rule.meta.location, code, message, Severity.WARNING, rule.id)


def _common(rule: Rule | CorrelationRule) -> list[RuleProblem]:
    out = []
    if not rule.meta.references:
        out.append(
            _warn(rule, ProblemCode.NO_REFERENCES, "no references: cite the KB or page behind it")
        )
    if not any(ex.expect is ExampleKind.MUST_NOT_MATCH for ex in rule.examples):
        out.append(
            _warn(
                rule,
                ProblemCode.NO_EXAMPLES,
                "no must_not_match example: add the nearest line that must not fire",
            )
        )
    return out


def _detection(rule: Rule) -> list[RuleProblem]:
    out = _common(rule)
    if rule.needs_full_parse:
        out.append(
            _warn(
                rule,
                ProblemCode.NEEDS_FULL_PARSE,
                "needs full parse: no literal anchor can be derived from the match block "
                "(field conditions, short or optional text), so every record of every log "
                "must be parsed for this rule; add a literal or declare `anchors:`",
            )
        )
        return out
    for example in rule.examples:
        if example.expect is not ExampleKind.MUST_MATCH:
            continue
        raw = example.logs[0].text.encode("utf-8").lower()
        if not any(a in raw for a in rule.anchors):
            anchors = ", ".join(a.decode("ascii", "replace") for a in rule.anchors)
            out.append(
                RuleProblem(
                    example.location,
                    ProblemCode.ANCHOR_GAP,
                    f"this must_match example holds none of the rule's anchors ({anchors}); "
                    "the engine's byte prefilter would never find it: fix `anchors:`",
                    Severity.ERROR,
                    rule.id,
                )
            )
    return out
