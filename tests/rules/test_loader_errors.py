"""Loader errors: each crafted bad rule file is reported at its exact path:line:col."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from logscan.errors import LogscanError
from logscan.model import LogKind
from logscan.rules import ProblemCode, RuleError, RuleTimeout, Severity, lint, load_rules
from logscan.rules.model import LogSnippet
from logscan.rules.ruletest import parse_snippet, run_rule_tests

DATA = Path(__file__).resolve().parent.parent / "data" / "rules"


def _errors(*names: str) -> list[tuple[str, ProblemCode]]:
    ruleset = load_rules([DATA / n for n in names], shipped=False)
    return [(str(p.location), p.code) for p in ruleset.errors]


def _at(name: str, line: int, col: int) -> str:
    return f"{DATA / name}:{line}:{col}"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("malformed_yaml.yaml", [(3, 7, ProblemCode.YAML_SYNTAX)]),
        (
            "wrong_types.yaml",
            [
                (2, 8, ProblemCode.WRONG_TYPE),  # title: a list
                (6, 13, ProblemCode.WRONG_TYPE),  # references: one string
                (8, 10, ProblemCode.WRONG_TYPE),  # kinds: one string
            ],
        ),
        ("empty_rule_file.yaml", [(1, 1, ProblemCode.EMPTY_FILE)]),
        ("duplicate_key.yaml", [(10, 1, ProblemCode.DUPLICATE_KEY)]),
        ("duplicate_id.yaml", [(11, 5, ProblemCode.DUPLICATE_ID)]),
        ("unknown_matcher.yaml", [(11, 7, ProblemCode.UNKNOWN_MATCHER)]),
        # the pattern is 32 characters; the quote opens at column 10, so its end is 43
        ("bad_regex.yaml", [(9, 43, ProblemCode.BAD_REGEX)]),
        ("bad_template.yaml", [(10, 21, ProblemCode.BAD_TEMPLATE)]),
        (
            "missing_field.yaml",
            [(1, 1, ProblemCode.MISSING_FIELD), (1, 1, ProblemCode.MISSING_FIELD)],
        ),
    ],
)
def test_bad_file_is_located(name: str, expected: list[tuple[int, int, ProblemCode]]) -> None:
    assert _errors(name) == [(_at(name, line, col), code) for line, col, code in expected]


def test_messages_say_what_to_fix() -> None:
    by_code = {
        p.code: p.message
        for name in ("unknown_matcher.yaml", "duplicate_key.yaml", "duplicate_id.yaml")
        for p in load_rules([DATA / name], shipped=False).errors
    }
    assert "known matchers: all, any, code, component" in by_code[ProblemCode.UNKNOWN_MATCHER]
    assert "first at line 8, column 1" in by_code[ProblemCode.DUPLICATE_KEY]
    assert f"first defined at {_at('duplicate_id.yaml', 1, 5)}" in by_code[ProblemCode.DUPLICATE_ID]


def test_missing_fields_are_named() -> None:
    messages = [p.message for p in load_rules([DATA / "missing_field.yaml"], shipped=False).errors]
    assert any("'details'" in m for m in messages)
    assert any("'match'" in m for m in messages)


def test_missing_folder() -> None:
    ruleset = load_rules([DATA / "no_such_folder"], shipped=False)
    assert [(str(p.location), p.code) for p in ruleset.errors] == [
        (str(DATA / "no_such_folder"), ProblemCode.MISSING_PATH)
    ]
    assert ruleset.failed == 1


def test_unknown_reference_points_at_the_id() -> None:
    errors = _errors("good_rule.yaml", "unknown_reference.yaml")
    assert errors == [(_at("unknown_reference.yaml", 11, 13), ProblemCode.UNKNOWN_REFERENCE)]


def test_reference_to_a_rule_that_failed_says_so() -> None:
    ruleset = load_rules([DATA / "unknown_reference.yaml"], shipped=False)
    assert ruleset.correlations == ()
    assert [p.location.line for p in ruleset.errors] == [9, 11]


def test_duplicate_key_fails_only_its_rule() -> None:
    ruleset = load_rules([DATA / "duplicate_key.yaml", DATA / "good_rule.yaml"], shipped=False)
    assert [r.id for r in ruleset.rules] == ["test.good"]
    assert (ruleset.loaded, ruleset.failed) == (1, 1)
    assert ruleset.summary() == "loaded 1 rule, 1 failed to load"


def test_strict_mode_raises_the_first_problem() -> None:
    with pytest.raises(RuleError) as info:
        load_rules([DATA / "good_rule.yaml", DATA / "bad_regex.yaml"], shipped=False, strict=True)
    assert isinstance(info.value, LogscanError)
    assert info.value.problem.code is ProblemCode.BAD_REGEX
    assert str(info.value.location) == _at("bad_regex.yaml", 9, 43)


def test_bad_user_rules_never_stop_shipped_rules() -> None:
    shipped = load_rules()
    mixed = load_rules([DATA])
    assert shipped.errors == ()
    assert [r.id for r in mixed.rules][: len(shipped.rules)] == [r.id for r in shipped.rules]
    assert mixed.failed >= 10
    assert len(mixed.correlations) == len(shipped.correlations)


def _results(name: str) -> dict[tuple[str, int | None], tuple[bool, str]]:
    ruleset = load_rules([DATA / name], shipped=False)
    return {
        (r.example.expect.value, r.example.location.line): (r.passed, r.reason)
        for r in run_rule_tests(ruleset)
    }


def test_example_that_does_not_match_is_located() -> None:
    results = _results("example_does_not_match.yaml")
    assert results[("must_match", 14)][0] is True
    passed, reason = results[("must_match", 15)]
    assert not passed and "no record matched" in reason
    passed, reason = results[("must_not_match", 17)]
    assert not passed and "matched line 1" in reason


@pytest.mark.parametrize("name", ["catastrophic_regex.yaml", "nested_plus_regex.yaml"])
def test_catastrophic_regex_is_reported_not_hung(name: str) -> None:
    started = time.monotonic()
    results = _results(name)
    assert time.monotonic() - started < 5
    assert results[("must_match", 13)] == (True, "found")
    passed, reason = results[("must_not_match", 15)]
    if name == "catastrophic_regex.yaml":
        # (a|aa)+$ backtracks exponentially: the time budget stops it
        assert not passed and "[regex_timeout]" in reason and "timed out after" in reason
    else:
        # the regex module recognises (a+)+$ and answers at once
        assert passed


def test_timeout_names_the_pattern_and_the_record() -> None:
    (rule,) = load_rules([DATA / "catastrophic_regex.yaml"], shipped=False).rules
    rec = parse_snippet(LogSnippet("a" * 68 + "!", LogKind.OTHER)).records[0]
    started = time.monotonic()
    with pytest.raises(RuleTimeout) as info:
        rule.match(rec, LogKind.OTHER)
    assert time.monotonic() - started < 2
    problem = info.value.problem
    assert (str(problem.location), problem.code, problem.rule_id) == (
        _at("catastrophic_regex.yaml", 9, 10),
        ProblemCode.REGEX_TIMEOUT,
        "test.catastrophic_regex",
    )
    assert "pasted.txt:1" in problem.message


def test_declared_anchor_that_misses_the_example() -> None:
    problems = lint(load_rules([DATA / "anchor_gap.yaml"], shipped=False))
    assert [(str(p.location), p.code, p.severity) for p in problems] == [
        (_at("anchor_gap.yaml", 15, 7), ProblemCode.ANCHOR_GAP, Severity.ERROR)
    ]
    results = _results("anchor_gap.yaml")
    passed, reason = results[("must_match", 15)]
    assert not passed and "prefilter would skip it" in reason


def test_needs_full_parse_is_a_lint_warning() -> None:
    ruleset = load_rules([DATA / "needs_full_parse.yaml"], shipped=False)
    assert ruleset.rules[0].needs_full_parse
    assert [(p.code, p.severity) for p in lint(ruleset)] == [
        (ProblemCode.NEEDS_FULL_PARSE, Severity.WARNING)
    ]


def test_good_rule_has_no_problems() -> None:
    ruleset = load_rules([DATA / "good_rule.yaml"], shipped=False)
    assert lint(ruleset) == []
    assert all(r.passed for r in run_rule_tests(ruleset))
