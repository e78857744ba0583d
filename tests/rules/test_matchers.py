"""Matchers: literals, regexes with captures, codes in every spelling, field conditions,
all/any/not, and the registry."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import pytest
from rulebuild import RuleFactory, record

from logscan.model import Level, LogFormat, LogKind
from logscan.rules import ProblemCode, load_rules
from logscan.rules._yaml import Node
from logscan.rules.matching import BuildContext, known_matchers, register
from logscan.rules.model import LogSnippet
from logscan.rules.ruletest import parse_snippet

IMPORT = "Failed to import client certificate store (0x80092024)"


def test_literal_ignores_case_unless_told(make_rule: RuleFactory) -> None:
    loose = make_rule("literal: IMPORT CLIENT certificate store")
    strict = make_rule("literal: IMPORT CLIENT certificate store\ncase_sensitive: true")
    assert loose.match(record(IMPORT)) is not None
    assert strict.match(record(IMPORT)) is None
    assert strict.match(record("IMPORT CLIENT certificate store")) is not None


def test_literal_list_and_field(make_rule: RuleFactory) -> None:
    rule = make_rule("literal: [osdsmp, osdusmt]\nfield: component")
    assert rule.match(record("x", component="OSDSMPClient")) is not None
    assert rule.match(record("OSDSMPClient in the text", component="TSManager")) is None
    assert rule.needs_full_parse  # a component literal proves nothing about the message


def test_regex_named_groups_become_captures(make_rule: RuleFactory) -> None:
    rule = make_rule(
        r"regex: 'Failed to run the action: (?P<step>[^.]+)\.'",
        details="step {step} failed",
    )
    hit = rule.match(record("Failed to run the action: Request State Store.\nUnknown error"))
    assert hit is not None
    assert hit.captures == {"step": "Request State Store"}
    assert hit.details == "step Request State Store failed"
    assert rule.anchors == (b"failed to run the action: ",)


def test_captures_block_extracts_after_the_match(make_rule: RuleFactory) -> None:
    rule = make_rule(
        "code: 0x80092024",
        details="{code} by {who}",
        extra="captures:\n  who: '^(\\w+) to'\n",
    )
    hit = rule.match(record(IMPORT))
    assert hit is not None and hit.details == "0x80092024 by Failed"
    missing = rule.match(record("-2146885596 without the phrase"))
    assert missing is not None and missing.details == "0x80092024 by ?"


SPELLINGS = [
    "Failed to import client certificate store (0x80092024)",
    "Failed to import client certificate store (80092024)",
    "Failed to import client certificate store.\nUnknown error (Error: 80092024; Source: Windows)",
    "Process completed with exit code 2148081700",
    "Process completed with exit code -2146885596",
]


@pytest.mark.parametrize("message", SPELLINGS)
@pytest.mark.parametrize("written", ["0x80092024", "80092024", "'2148081700'", "-2146885596"])
def test_code_matches_every_spelling(make_rule: RuleFactory, message: str, written: str) -> None:
    rule = make_rule(f"code: {written}", details="{code} / {codes}")
    hit = rule.match(record(message))
    assert hit is not None
    assert hit.codes == (0x80092024,)
    assert hit.captures["code"] == "0x80092024"
    assert hit.details == "0x80092024 / 0x80092024"
    raw = message.encode().lower()
    assert any(a in raw for a in rule.anchors)


def test_code_spellings_through_the_real_parser(make_rule: RuleFactory) -> None:
    rule = make_rule("code: 0x80092024")
    for message in SPELLINGS:
        line = (
            f'<![LOG[{message}]LOG]!><time="09:02:11.123+300" date="03-15-2011" '
            'component="OSDSMPClient" context="" type="3" thread="2212" file="x.cpp:1">'
        )
        parsed = parse_snippet(LogSnippet(line, LogKind.SMSTS))
        assert parsed.warnings == ()
        (parsed_record,) = parsed.records
        hit = rule.match(parsed_record, LogKind.SMSTS)
        assert hit is not None and hit.codes == (0x80092024,)


@pytest.mark.parametrize("other", ["0x80092002", "0x80092004", "Error: 80070005; Source: Windows"])
def test_code_does_not_match_other_codes(make_rule: RuleFactory, other: str) -> None:
    rule = make_rule("code: 0x80092024")
    assert rule.match(record(f"Failed to import client certificate store ({other})")) is None


def test_level_thread_kind_format_component(make_rule: RuleFactory) -> None:
    rule = make_rule(
        """
        all:
          - literal: store
          - level: '>= warning'
          - thread: [2212, 7]
          - kind: [ccmexec, smsts]
          - format: ccm
          - component: OSD*
        """
    )
    good = record("store", level=Level.WARNING)
    assert rule.match(good, LogKind.CCMEXEC) is not None
    assert rule.match(record("store", level=Level.INFO), LogKind.CCMEXEC) is None
    assert rule.match(record("store", thread=1), LogKind.CCMEXEC) is None
    assert rule.match(good, LogKind.SCANSTATE) is None
    assert rule.match(record("store", fmt=LogFormat.CMTRACE_COPY), LogKind.CCMEXEC) is None
    assert rule.match(record("store", component="TSManager"), LogKind.CCMEXEC) is None


def test_level_equality(make_rule: RuleFactory) -> None:
    rule = make_rule("all:\n  - literal: store\n  - level: warning")
    assert rule.match(record("store", level=Level.WARNING)) is not None
    assert rule.match(record("store", level=Level.ERROR)) is None


def test_time_window_uses_utc_or_local(make_rule: RuleFactory) -> None:
    rule = make_rule(
        "all:\n  - literal: store\n"
        "  - time: {after: '2011-03-15T14:00:00', before: '2011-03-15T15:00:00'}"
    )
    assert rule.match(record("store", local=datetime(2011, 3, 15, 9, 30))) is not None  # 14:30 UTC
    assert rule.match(record("store", local=datetime(2011, 3, 15, 10, 30))) is None  # 15:30 UTC
    # a USMT record has no zone: its local time is compared as it is
    assert rule.match(record("store", local=datetime(2011, 3, 15, 14, 10), bias=None)) is not None
    assert rule.match(record("store", local=None, bias=None)) is None


def test_all_any_not(make_rule: RuleFactory) -> None:
    rule = make_rule(
        """
        all:
          - literal: import client certificate store
          - not:
              code: 0x80092024
          - any:
              - regex: '(?P<how>failed)'
              - literal: could not
        """,
        details="{how} {codes}",
    )
    assert rule.match(record(IMPORT)) is None
    hit = rule.match(record("Failed to import client certificate store (0x80092004)"))
    assert hit is not None and hit.details == "Failed 0x80092004"
    assert rule.match(record("Imported client certificate store")) is None
    # all: the most selective anchor of its items; not: nothing
    assert rule.anchors == (b"import client certificate store",)


def test_failed_branch_leaves_no_captures(make_rule: RuleFactory) -> None:
    rule = make_rule(
        """
        any:
          - all:
              - regex: '(?P<x>store)'
              - literal: zzz
          - literal: store
        """,
        details="{x}",
    )
    hit = rule.match(record("store"))
    assert hit is not None and hit.captures == {} and hit.details == "?"


def test_captures_under_not_cannot_be_used(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "id: t.r\ntitle: t\nstatus: test\nlevel: low\ndescription: d\nlogsource: {}\n"
        "match: {all: [{literal: store}, {not: {regex: '(?P<x>z)'}}]}\n"
        "details: 'got {x}'\ntests: {must_match: [x]}\n",
        encoding="utf-8",
    )
    (problem,) = load_rules([path], shipped=False).errors
    assert (problem.code, str(problem.location)) == (ProblemCode.BAD_TEMPLATE, f"{path}:8:15")


def test_any_needs_anchors_from_every_item(make_rule: RuleFactory) -> None:
    both = make_rule("any:\n  - literal: import certificate\n  - code: 0x80092024")
    assert set(both.anchors) == {b"import certificate", b"80092024", b"2148081700", b"2146885596"}
    partial = make_rule("any:\n  - literal: import certificate\n  - component: OSDSMPClient")
    assert partial.needs_full_parse


def test_unknown_matcher_lists_known(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "id: t.r\ntitle: t\nstatus: test\nlevel: low\ndescription: d\nlogsource: {}\n"
        "match: {regexp: x}\ndetails: d\ntests: {must_match: [x]}\n",
        encoding="utf-8",
    )
    (problem,) = load_rules([path], shipped=False).errors
    assert problem.code is ProblemCode.UNKNOWN_MATCHER
    assert str(problem.location) == f"{path}:7:9"
    assert problem.message.endswith("known matchers: " + ", ".join(sorted(known_matchers())))


@pytest.mark.parametrize(
    ("match", "code", "col"),
    [
        ("{level: '>= loud'}", ProblemCode.BAD_VALUE, 16),
        ("{kind: ccmexe}", ProblemCode.BAD_VALUE, 15),
        ("{code: not-a-code}", ProblemCode.BAD_VALUE, 15),
        ("{thread: abc}", ProblemCode.WRONG_TYPE, 17),
        ("{literal: x, regex: y}", ProblemCode.BAD_VALUE, 21),
        ("{literal: x, case: true}", ProblemCode.UNKNOWN_FIELD, 21),
        ("{all: x}", ProblemCode.WRONG_TYPE, 14),
        ("{time: {after: yesterday}}", ProblemCode.BAD_VALUE, 23),
    ],
)
def test_bad_matcher_values_are_located(
    tmp_path: Path, match: str, code: ProblemCode, col: int
) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "id: t.r\ntitle: t\nstatus: test\nlevel: low\ndescription: d\nlogsource: {}\n"
        f"match: {match}\ndetails: d\ntests: {{must_match: [x]}}\n",
        encoding="utf-8",
    )
    (problem,) = load_rules([path], shipped=False).errors
    assert (problem.code, str(problem.location)) == (code, f"{path}:7:{col}")


def test_register_adds_a_matcher(make_rule: RuleFactory) -> None:
    @register("test_length", value="a number", doc="message longer than the number")
    def _build(value: Node, options: Mapping[str, Node], ctx: BuildContext) -> object:
        limit = int(getattr(value, "value", 0))

        class _Longer:
            def test(self, subject: object) -> bool:
                return len(subject.record.message) > limit  # type: ignore[attr-defined]

            def anchors(self) -> None:
                return None

            def capture_names(self) -> frozenset[str]:
                return frozenset()

        return _Longer()

    try:
        rule = make_rule("test_length: 5")
        assert rule.match(record("123456")) is not None
        assert rule.match(record("1234")) is None
    finally:
        from logscan.rules import matching

        del matching._MATCHERS["test_length"]
