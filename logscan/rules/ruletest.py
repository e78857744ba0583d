"""Rule tests: every rule's must-match and must-not-match examples, run through the real
parsers, so a rule is only as good as the log lines it proves itself on.

An example passes only if it parses cleanly (no parse warnings), and a must-match
example also proves the rule's anchors: the raw bytes of the matched record must hold
one of them, or the engine's byte prefilter would have skipped the record.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from logscan.errors import LogscanError
from logscan.inputs.stream import Encoding, TextStream
from logscan.model import LogFormat, LogKind, LogRecord, ParseWarning
from logscan.rules.correlate import correlate
from logscan.rules.loader import RuleSet
from logscan.rules.model import Example, ExampleKind, Finding, Hit, LogSnippet, RuleError
from logscan.rules.rule import CorrelationRule, Rule

# A file name per kind, so rules that select sources by file glob see a realistic name.
_FILE_NAMES = {
    LogKind.CCMEXEC: "CcmExec.log",
    LogKind.SMSTS: "smsts.log",
    LogKind.SCANSTATE: "ScanState.log",
    LogKind.LOADSTATE: "LoadState.log",
    LogKind.USMTUTILS: "UsmtUtils.log",
    LogKind.USMT_PROGRESS: "ScanStateProgress.log",
    LogKind.CCMSETUP: "ccmsetup.log",
    LogKind.CCMCERTFIX: "CCMCertFix.log",
    LogKind.CCM_OTHER: "execmgr.log",
    LogKind.OTHER: "pasted.txt",
}


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """The outcome of one example: passed or not, and why in one sentence."""

    rule_id: str
    example: Example
    passed: bool
    reason: str

    def __str__(self) -> str:
        verdict = "ok" if self.passed else "FAIL"
        expect = self.example.expect.value
        return f"{self.example.location}: {verdict} {self.rule_id} {expect}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ParsedSnippet:
    snippet: LogSnippet
    name: str
    fmt: LogFormat
    raw: bytes
    records: tuple[LogRecord, ...]
    warnings: tuple[ParseWarning, ...]


def parse_snippet(snippet: LogSnippet) -> ParsedSnippet:
    """Parse raw example text with the parser of its (given or sniffed) format."""
    from logscan.parsers.base import get, sniff_format

    raw = snippet.text.encode("utf-8")
    fmt = snippet.format or sniff_format(snippet.text)
    name = _FILE_NAMES.get(snippet.kind, "example.log") if snippet.kind else "example.log"
    stream = TextStream(name, lambda: io.BytesIO(raw), Encoding.UTF8, bom=False)
    records: list[LogRecord] = []
    warnings: list[ParseWarning] = []
    for item in get(fmt).parse(stream):
        if isinstance(item, LogRecord):
            records.append(item)
        else:
            warnings.append(item)
    return ParsedSnippet(snippet, name, fmt, raw, tuple(records), tuple(warnings))


def _first_line(text: str, limit: int = 90) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _unclean(parsed: ParsedSnippet) -> str | None:
    if parsed.warnings:
        return f"the example does not parse cleanly as {parsed.fmt.value}: {parsed.warnings[0]}"
    if not parsed.records:
        return f"the example parsed to no records as {parsed.fmt.value}"
    return None


def _hits(rule: Rule, parsed: ParsedSnippet) -> list[Hit]:
    if not rule.applies_to(parsed.snippet.kind, parsed.name, parsed.fmt):
        return []
    return [h for r in parsed.records if (h := rule.match(r, parsed.snippet.kind)) is not None]


def run_example(rule: Rule, example: Example) -> ExampleResult:
    def result(passed: bool, reason: str) -> ExampleResult:
        return ExampleResult(rule.id, example, passed, reason)

    parsed = parse_snippet(example.logs[0])
    problem = _unclean(parsed)
    if problem:
        return result(False, problem)
    try:
        hits = _hits(rule, parsed)
    except RuleError as exc:
        return result(False, exc.message)
    text = _first_line(example.logs[0].text)
    if example.expect is ExampleKind.MUST_NOT_MATCH:
        if hits:
            return result(False, f"matched line {hits[0].record.line} ({hits[0].details}): {text}")
        return result(True, "no match")
    if not hits:
        if not rule.applies_to(parsed.snippet.kind, parsed.name, parsed.fmt):
            kind = parsed.snippet.kind.value if parsed.snippet.kind else "none"
            return result(
                False,
                f"the rule's logsource does not cover this example (kind {kind}, format "
                f"{parsed.fmt.value}): {text}",
            )
        return result(
            False, f"no record matched ({len(parsed.records)} parsed as {parsed.fmt.value}): {text}"
        )
    for hit in hits:
        record = hit.record
        if not rule.raw_may_match(parsed.raw[record.offset : record.offset + record.length]):
            anchors = ", ".join(a.decode("ascii", "replace") for a in rule.anchors)
            return result(
                False,
                f"line {record.line} matched but its raw bytes hold none of the anchors "
                f"({anchors}): the engine's prefilter would skip it",
            )
    return result(True, hits[0].details)


def run_scenario(rule: CorrelationRule, example: Example, ruleset: RuleSet) -> ExampleResult:
    def result(passed: bool, reason: str) -> ExampleResult:
        return ExampleResult(rule.id, example, passed, reason)

    members = [r for r in ruleset.rules if r.id in rule.referenced_ids()]
    hits: list[Hit] = []
    for snippet in example.logs:
        parsed = parse_snippet(snippet)
        problem = _unclean(parsed)
        if problem:
            return result(False, problem)
        try:
            for member in members:
                hits += _hits(member, parsed)
        except RuleError as exc:
            return result(False, exc.message)
    findings = correlate(rule, hits)
    seen = ", ".join(sorted({h.rule_id for h in hits})) or "no hits"
    if example.expect is ExampleKind.MUST_MATCH:
        if findings:
            return result(True, findings[0].details)
        return result(False, f"no finding; member rules hit: {seen}")
    if findings:
        return result(False, f"unexpected finding ({_describe(findings[0])}); hits: {seen}")
    return result(True, "no finding")


def _describe(finding: Finding) -> str:
    return ", ".join(
        f"{step}={hit.record.source}:{hit.record.line}"
        for step, hit in zip(finding.steps, finding.hits, strict=True)
    )


def run_rule_tests(ruleset: RuleSet) -> list[ExampleResult]:
    """Every example of every loaded rule, in rule order."""
    results: list[ExampleResult] = []
    for rule in ruleset.rules:
        results += [_safe(rule.id, ex, partial(run_example, rule, ex)) for ex in rule.examples]
    for corr in ruleset.correlations:
        results += [
            _safe(corr.id, ex, partial(run_scenario, corr, ex, ruleset)) for ex in corr.examples
        ]
    return results


def _safe(rule_id: str, example: Example, run: Callable[[], ExampleResult]) -> ExampleResult:
    try:
        return run()
    except LogscanError as exc:  # an example whose format has no parser, say
        return ExampleResult(rule_id, example, False, exc.message)
