"""The shipped rule pack: loads clean, lints clean, every example passes, anchors cover
every example, the README reference is current, and real logs give no false alarm."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from logscan.inputs.discover import discover
from logscan.inputs.reader import read_source
from logscan.inputs.source import LogSource
from logscan.model import LogFormat, LogRecord
from logscan.rules import Rule, lint, load_rules, shipped_rules_dir
from logscan.rules.model import ExampleKind
from logscan.rules.ruletest import ExampleResult, parse_snippet, run_rule_tests
from logscan.rules.schema import BEGIN, END, render_reference

SHIPPED = load_rules()
RESULTS = run_rule_tests(SHIPPED)


def test_shipped_rules_live_in_the_top_level_folder() -> None:
    assert shipped_rules_dir() == Path(__file__).resolve().parents[2] / "rules"
    assert SHIPPED.files and all(f.startswith(str(shipped_rules_dir())) for f in SHIPPED.files)


def test_shipped_rules_load_and_lint_clean() -> None:
    assert SHIPPED.problems == ()
    assert SHIPPED.failed == 0
    assert [str(p) for p in lint(SHIPPED)] == []


def test_no_shipped_rule_needs_a_full_parse() -> None:
    assert [r.id for r in SHIPPED.rules if r.needs_full_parse] == []


@pytest.mark.parametrize("result", RESULTS, ids=lambda r: f"{r.rule_id}:{r.example.location.line}")
def test_every_example_passes(result: ExampleResult) -> None:
    assert result.passed, str(result)


def test_every_rule_has_both_kinds_of_example() -> None:
    for rule in (*SHIPPED.rules, *SHIPPED.correlations):
        kinds = {ex.expect for ex in rule.examples}
        assert kinds == set(ExampleKind), rule.id


def _matching_records(rule: Rule) -> list[tuple[bytes, LogRecord]]:
    out = []
    for example in rule.examples:
        if example.expect is not ExampleKind.MUST_MATCH:
            continue
        parsed = parse_snippet(example.logs[0])
        matched = [r for r in parsed.records if rule.match(r, example.logs[0].kind)]
        assert matched, f"{rule.id}: {example.location} matched nothing"
        out += [(parsed.raw[r.offset : r.offset + r.length], r) for r in matched]
    return out


@pytest.mark.parametrize("rule", SHIPPED.rules, ids=lambda r: r.id)
def test_anchors_cover_the_raw_bytes_of_every_matched_example(rule: Rule) -> None:
    assert rule.anchors
    for raw, record in _matching_records(rule):
        low = raw.lower()
        assert any(a in low for a in rule.anchors), (rule.id, record.line, rule.anchors)


def test_the_pack_covers_the_kb977203_evidence() -> None:
    ids = {r.id for r in (*SHIPPED.rules, *SHIPPED.correlations)}
    assert {
        "kb977203.osdsmpclient.import_failure",
        "kb977203.smsts.state_migration_step_failed",
        "kb977203.smsts.action_exit_code",
        "kb977203.smsts.task_sequence_failed",
        "kb977203.fix.client_patch",
        "kb977203.fix.ccmcertfix_ran",
        "kb977203.fix.state_store_succeeded",
        "configmgr.client.version_2007",
        "usmt.run_started",
        "usmt.run_completed",
        "osd.osdsmpclient.import_failure_other_code",
        "osd.state_store.access_denied",
        "osd.state_store.smp_unreachable",
        "usmt.return_code.nonzero",
        "kb977203.chain.state_store_failed_usmt_never_ran",
        "kb977203.chain.usmt_aborted_after_import_failure",
        "kb977203.chain.usmt_failed_after_import_failure",
        "kb977203.chain.resolved_by_later_success",
    } <= ids


def test_import_failure_examples_use_every_code_spelling() -> None:
    rule = SHIPPED.get("kb977203.osdsmpclient.import_failure")
    assert isinstance(rule, Rule)
    texts = " ".join(ex.logs[0].text for ex in rule.examples if ex.expect is ExampleKind.MUST_MATCH)
    for spelling in (
        "(0x80092024)",
        "(80092024)",
        "Error: 80092024; Source: Windows",
        "2148081700",
        "-2146885596",
    ):
        assert spelling in texts


def test_examples_use_every_native_format() -> None:
    formats = {
        parse_snippet(snippet).fmt
        for rule in (*SHIPPED.rules, *SHIPPED.correlations)
        for example in rule.examples
        for snippet in example.logs
    }
    assert formats >= {LogFormat.CCM, LogFormat.SMSTRACE, LogFormat.USMT, LogFormat.CMTRACE_COPY}


def test_readme_reference_is_generated_from_the_code() -> None:
    text = (shipped_rules_dir() / "README.md").read_text(encoding="utf-8")
    current = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert current == render_reference(), "run: logscan rules schema --write"


def _sources(folder: Path) -> list[LogSource]:
    return [s for s in discover([folder]) if isinstance(s, LogSource)]


def test_real_logs_raise_no_kb977203_alarm(real_logs: Path) -> None:
    hits: Counter[str] = Counter()
    records = 0
    for source in _sources(real_logs):
        raw = (real_logs / source.display).read_bytes()
        for item in read_source(source):
            if not isinstance(item, LogRecord):
                continue
            records += 1
            for rule in SHIPPED.rules:
                if not rule.applies_to(source.kind, source.display, item.format):
                    continue
                if rule.match(item, source.kind) is not None:
                    hits[rule.id] += 1
                    # the prefilter must have let this record through
                    assert rule.raw_may_match(raw[item.offset : item.offset + item.length])
    assert records > 1000
    usmt = (real_logs / "usmt10_scanstate.log").read_bytes()
    expected = Counter(
        {
            "usmt.run_started": usmt.count(b"USMT Started at"),
            "usmt.run_completed": usmt.count(b"USMT Completed at"),
        }
    )
    # Timeline, host-name and USMT-error rules are meant to hit ordinary logs.
    alarms = Counter(
        {r: n for r, n in hits.items() if not r.startswith(("timeline.", "host.", "usmt.error."))}
    )
    assert alarms == +expected
