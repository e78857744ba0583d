"""Anchors: the literal strings every matching record must contain, proven on generated text."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logscan.codes import extract
from logscan.rules import load_rules
from logscan.rules.anchors import code_anchors, regex_anchors
from logscan.rules.match_text import _Regex

PATTERNS = [
    r"Failed to run the action: (?P<step>Request State Store|Capture User State)\.",
    r"\b4\.0{1,2}\.(?P<build>6221|6487)\.(?P<rev>\d+)",
    r"KB97(?:7203|7384)",
    r"return code:?\s*(?P<rc>[1-9]\d*)",
    r"(?:SCANSTATE|LOADSTATE)\.EXE Version",
    r"abc?d+e*f{2,3}g",
    r"x(?:abc)?y(?:de|fgh)+",
    r"(?x) usmt \s+ started  # a comment\n \ at",
    r"(?:a|)bcd|efg(?=h)",
    r"(?<![\d.])(?P<v>4\.00?\.(?:6221|6487)\.\d{1,4})(?![\d.])",
    r"no\s+(?:valid\s+)?(?:state migration point|SMP)",
    r"\bimport\b.{0,40}certificate\s+store",
    r"(?i)USMT (?:completed with|returned) exit code\s*\(?(?:0x)?0*[1-9a-f]",
]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("Failed to run the action: ", {"failed to run the action: "}),
        ("KB97(?:7203|7384)", {"kb977203", "kb977384"}),
        ("abc?d", {"ab"}),
        ("(?:abc){2,}", {"abc"}),
        ("(a|aa)+$", {"a"}),
        ("(?:a|)bcd", {"bcd"}),
        (r"(?x) hello \  world # comment", {"hello world"}),
        ("foo|bar", {"foo", "bar"}),
    ],
)
def test_required_literals(pattern: str, expected: set[str]) -> None:
    assert regex_anchors(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        "x(?:abc)?y",  # only one character is required on each side
        "a{e<=1}",  # fuzzy matching: the literal may be misspelt
        "(?x:a b)cde",  # scoped verbose mode
        "(?(1)a|b)",  # conditional
        r"\d+\s+\w+",  # no literal at all
        "foo|.*",  # an alternative without a literal
        "(?V1)[[a-z]--[aeiou]]x",  # VERSION1 set operations
    ],
)
def test_unprovable_patterns_give_no_anchor(pattern: str) -> None:
    anchors = regex_anchors(pattern)
    assert anchors is None or min(len(a) for a in anchors) < 3


def _shipped_patterns() -> list[str]:
    out: list[str] = []

    def walk(matcher: object) -> None:
        if isinstance(matcher, _Regex):
            out.extend(p.compiled.pattern for p in matcher.patterns)
        for child in getattr(matcher, "items", ()) or ():
            walk(child)
        if hasattr(matcher, "item"):
            walk(matcher.item)

    for rule in load_rules().rules:
        walk(rule.matcher)
    return out


SHIPPED = _shipped_patterns()


def test_shipped_rules_have_regexes_to_check() -> None:
    assert len(SHIPPED) >= 5


@pytest.mark.parametrize("pattern", PATTERNS + SHIPPED)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_generated_match_contains_an_anchor(pattern: str, data: st.DataObject) -> None:
    anchors = regex_anchors(pattern)
    if anchors is None:
        return
    compiled = re.compile(pattern, re.IGNORECASE)
    text = data.draw(st.from_regex(compiled))
    found = compiled.search(text)
    assert found is not None
    assert any(a in found.group().lower() for a in anchors), (found.group(), anchors)


_SPELLINGS = (
    "Failed to import client certificate store (0x{code:08X})",
    "Failed to import client certificate store (0x{code:08x})",
    "Something failed (Error: {code:08X}; Source: Windows)",
    "Process completed with exit code {code}",
    "Process completed with exit code {signed}",
    "HRESULT={code:08x} (e:\\nts_sms_fre\\sms\\framework\\tscore\\tspolicy.cpp,1518)",
    "hr=0x{code:X}",
    "error {signed}",
    'ErrorCode="{signed}"',
    "0x({code:08X})",
)


@settings(max_examples=200, deadline=None)
@given(
    code=st.integers(min_value=0x10000, max_value=0xFFFFFFFF), spelling=st.sampled_from(_SPELLINGS)
)
def test_code_anchors_cover_every_spelling_extract_accepts(code: int, spelling: str) -> None:
    signed = code - (1 << 32) if code >= 1 << 31 else code
    text = spelling.format(code=code, signed=signed)
    anchors = code_anchors(code)
    assert anchors is not None
    if any(m.code == code for m in extract(text)):
        assert any(a in text.lower() for a in anchors), (text, anchors)


def test_posix_class_is_skipped_as_a_class() -> None:
    # In the regex module [[:alpha:]] is one class; the "]" after it is literal text.
    import regex

    assert regex_anchors("[[:alpha:]]]xyz") == {"]xyz"}
    assert regex.search("[[:alpha:]]]xyz", "q]xyz")


def test_code_anchors_of_the_kb977203_code() -> None:
    assert code_anchors(0x80092024) == {"80092024", "2148081700", "2146885596"}
    assert code_anchors(38) is None  # "exit code 38": too short to search bytes for
