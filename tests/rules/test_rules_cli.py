"""``logscan rules list | lint | test | schema`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from logscan.cli.main import cli
from logscan.rules import load_rules
from logscan.rules.ruletest import run_rule_tests

DATA = Path(__file__).resolve().parent.parent / "data" / "rules"
SHIPPED = load_rules()
SHIPPED_EXAMPLES = len(run_rule_tests(SHIPPED))


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["rules", *args])


def test_list_shows_every_rule_and_the_count() -> None:
    result = run("list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == SHIPPED.loaded
    assert any(line.startswith("kb977203.osdsmpclient.import_failure ") for line in lines)
    assert result.stderr.strip().endswith(f"loaded {SHIPPED.loaded} rules, 0 failed to load")


def test_list_json_is_data_only() -> None:
    result = run("list", "--format", "json")
    rows = json.loads(result.stdout)
    by_id = {row["id"]: row for row in rows}
    row = by_id["kb977203.osdsmpclient.import_failure"]
    assert row["needs_full_parse"] is False
    assert set(row["anchors"]) == {"80092024", "2148081700", "2146885596"}
    assert by_id["kb977203.chain.resolved_by_later_success"]["type"] == "correlation"


def test_list_with_a_bad_user_folder_still_lists_shipped_rules() -> None:
    result = run("list", "--rules", str(DATA))
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert {r.id for r in SHIPPED.rules} <= set(ids)
    assert "test.good" in ids
    assert f"{DATA / 'bad_regex.yaml'}:9:43: error: bad regular expression" in result.stderr
    assert "failed to load" in result.stderr.splitlines()[-1]


def test_strict_makes_a_bad_rule_fatal() -> None:
    result = run("list", "--strict", "--rules", str(DATA / "bad_regex.yaml"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{DATA / 'bad_regex.yaml'}:9:43" in result.stderr


def test_lint_shipped_is_clean() -> None:
    result = run("lint", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 errors, 0 warnings" in result.stderr


@pytest.mark.parametrize(
    ("name", "where", "code"),
    [
        ("duplicate_key.yaml", "10:1", "duplicate_key"),
        ("unknown_matcher.yaml", "11:7", "unknown_matcher"),
        ("anchor_gap.yaml", "15:7", "anchor_gap"),
    ],
)
def test_lint_reports_located_problems_and_exits_1(name: str, where: str, code: str) -> None:
    result = run("lint", "--no-shipped", str(DATA / name))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{DATA / name}:{where}: error: ")
    assert f"[{code}]" in result.stdout


def test_lint_warnings_fail_only_when_strict() -> None:
    target = str(DATA / "needs_full_parse.yaml")
    relaxed = run("lint", "--no-shipped", target)
    strict = run("lint", "--no-shipped", "--strict", target)
    assert relaxed.exit_code == 0 and "needs full parse" in relaxed.stdout
    assert strict.exit_code == 1


def test_test_runs_every_shipped_example() -> None:
    result = run("test")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"{SHIPPED_EXAMPLES} examples of {SHIPPED.loaded} rules: {SHIPPED_EXAMPLES} passed" in (
        result.stderr
    )


def test_test_verbose_lists_passes() -> None:
    result = run("test", "-v")
    assert len(result.stdout.splitlines()) == SHIPPED_EXAMPLES
    assert all(": ok " in line for line in result.stdout.splitlines())


def test_test_shows_failing_example_with_rule_and_reason() -> None:
    target = DATA / "example_does_not_match.yaml"
    result = run("test", "--no-shipped", str(target))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{target}:15:7: FAIL test.example_does_not_match must_match: no record matched "
        "(1 parsed as cmtrace_copy): Failed to export client certificate store (0x80092024) "
        "OSDSMPClient",
        f"{target}:17:7: FAIL test.example_does_not_match must_not_match: matched line 1 "
        "(found): Failed to import client certificate store (0x80092024) OSDSMPClient",
    ]


def test_test_with_a_bad_user_rule_still_runs_shipped_rules() -> None:
    result = run(
        "test", "--rules", str(DATA / "bad_regex.yaml"), "--rules", str(DATA / "good_rule.yaml")
    )
    assert result.exit_code == 1  # a rule failed to load
    assert result.stdout == ""  # every example that ran passed
    total = SHIPPED_EXAMPLES + 2
    assert (
        f"{total} examples of {SHIPPED.loaded + 1} rules: {total} passed, 0 failed" in result.stderr
    )
    assert f"loaded {SHIPPED.loaded + 1} rules, 1 failed to load" in result.stderr


def test_catastrophic_rule_is_reported_by_test() -> None:
    result = run("test", "--no-shipped", str(DATA / "catastrophic_regex.yaml"))
    assert result.exit_code == 1
    assert "timed out after 0.25 s" in result.stdout


def test_missing_rules_folder() -> None:
    result = run("list", "--no-shipped", "--rules", str(DATA / "nowhere"))
    assert result.exit_code == 0
    assert f"{DATA / 'nowhere'}: error: no such rule file or folder" in result.stderr


def test_schema_prints_the_reference() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert "| `code` |" in result.stdout
