"""Loading rule files and folders into a ``RuleSet``, shipped rules first.

Collect-all mode (the default, and what lint uses) never raises on a rule: a bad user
rule is reported with its ``path:line:col`` and the other rules, shipped ones included,
still load; the set says "loaded N rules, M failed to load". Strict mode (for scans that
must not run on a partial rule set) raises ``RuleError`` for the first problem.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from logscan.errors import SourceLocation
from logscan.rules._build import build_rule
from logscan.rules._yaml import Map, Scalar, load_documents
from logscan.rules.matching import DEFAULT_TIMEOUT, BuildContext
from logscan.rules.model import ProblemCode, RuleError, RuleProblem, Severity
from logscan.rules.rule import RECORD_FIELDS, CorrelationRule, Rule

RULE_SUFFIXES = (".yaml", ".yml")


def shipped_rules_dir() -> Path:
    """The rules that come with logscan: ``logscan/_rules`` in an installed wheel,
    the top-level ``rules/`` folder in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_rules"
    if installed.is_dir():
        return installed
    return package.parent / "rules"


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Loaded rules plus everything that went wrong while loading them."""

    rules: tuple[Rule, ...]
    correlations: tuple[CorrelationRule, ...]
    problems: tuple[RuleProblem, ...]
    failed: int  # rule documents (or whole files) that did not load
    files: tuple[str, ...]

    @property
    def loaded(self) -> int:
        return len(self.rules) + len(self.correlations)

    @property
    def errors(self) -> tuple[RuleProblem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    def get(self, rule_id: str) -> Rule | CorrelationRule | None:
        candidates: tuple[Rule | CorrelationRule, ...] = (*self.rules, *self.correlations)
        for rule in candidates:
            if rule.id == rule_id:
                return rule
        return None

    def anchors(self) -> frozenset[bytes]:
        """The union the engine searches raw bytes for."""
        return frozenset(a for r in self.rules for a in r.anchors)

    def summary(self) -> str:
        plural = "rule" if self.loaded == 1 else "rules"
        return f"loaded {self.loaded} {plural}, {self.failed} failed to load"


def rule_files(path: Path) -> list[Path]:
    """Rule files under a folder (recursively, sorted) or the file itself."""
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*") if p.suffix.lower() in RULE_SUFFIXES and p.is_file()
        )
    return [path]


def load_rules(
    paths: Iterable[Path | str] = (),
    *,
    shipped: bool = True,
    strict: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> RuleSet:
    """Shipped rules (unless ``shipped=False``) and the rule files or folders in
    ``paths``. Raises RuleError in strict mode; otherwise problems are in the set."""
    state = _LoadState(timeout)
    roots = [shipped_rules_dir()] if shipped else []
    roots += [Path(p) for p in paths]
    for root in roots:
        if not root.exists():
            state.fail(
                RuleProblem(
                    SourceLocation(str(root)),
                    ProblemCode.MISSING_PATH,
                    "no such rule file or folder; check the --rules path",
                )
            )
            continue
        files = rule_files(root)
        if not files:
            state.problems.append(
                RuleProblem(
                    SourceLocation(str(root)),
                    ProblemCode.EMPTY_FILE,
                    "no .yaml rule files in this folder",
                    Severity.WARNING,
                )
            )
        for file in files:
            state.load_file(file)
    ruleset = state.finish()
    if strict and ruleset.errors:
        raise RuleError(ruleset.errors[0])
    return ruleset


class _LoadState:
    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.rules: list[Rule] = []
        self.correlations: list[CorrelationRule] = []
        self.problems: list[RuleProblem] = []
        self.failed = 0
        self.failed_ids: set[str] = set()
        self.id_locations: dict[str, SourceLocation] = {}
        self.files: list[str] = []

    def fail(self, problem: RuleProblem) -> None:
        self.problems.append(problem)
        self.failed += 1

    def load_file(self, path: Path) -> None:
        name = str(path)
        self.files.append(name)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self.fail(
                RuleProblem(SourceLocation(name), ProblemCode.UNREADABLE, f"cannot read: {reason}")
            )
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            head = raw[: exc.start]
            line = head.count(b"\n") + 1
            column = exc.start - (head.rfind(b"\n") + 1) + 1
            self.fail(
                RuleProblem(
                    SourceLocation(name, line, column),
                    ProblemCode.UNREADABLE,
                    "not UTF-8 text; save the rule file as UTF-8",
                )
            )
            return
        file_problems: list[RuleProblem] = []
        documents = 0
        docs = load_documents(text, name, file_problems)
        while True:
            before = len(file_problems)  # reading a document may report duplicate keys
            try:
                doc, _ = next(docs)
            except StopIteration:
                break
            documents += 1
            ctx = BuildContext(file_problems)
            ctx.failed = any(p.severity is Severity.ERROR for p in file_problems[before:])
            rule = build_rule(doc, ctx)
            file_problems[before:] = [
                p if p.rule_id else dataclasses.replace(p, rule_id=ctx.rule_id)
                for p in file_problems[before:]
            ]
            self._add(doc, rule, ctx)
        syntax = [p for p in file_problems if p.code is ProblemCode.YAML_SYNTAX]
        self.problems += file_problems
        if syntax:
            self.failed += 1
        elif documents == 0:
            self.fail(
                RuleProblem(
                    SourceLocation(name, 1, 1),
                    ProblemCode.EMPTY_FILE,
                    "empty rule file: it holds no rule; add one or delete the file",
                )
            )

    def _add(self, doc: object, rule: Rule | CorrelationRule | None, ctx: BuildContext) -> None:
        if rule is None:
            self.failed += 1
            if ctx.rule_id:
                self.failed_ids.add(ctx.rule_id)
            return
        id_loc = rule.meta.location
        if isinstance(doc, Map) and isinstance(doc.items.get("id"), Scalar):
            id_loc = doc.items["id"].loc
        first = self.id_locations.get(rule.id)
        if first is not None:
            self.fail(
                RuleProblem(
                    id_loc,
                    ProblemCode.DUPLICATE_ID,
                    f"duplicate rule id {rule.id!r}, first defined at {first}; "
                    "give this rule its own id",
                    rule_id=rule.id,
                )
            )
            return
        self.id_locations[rule.id] = id_loc
        if isinstance(rule, Rule):
            self.rules.append(dataclasses.replace(rule, timeout=self.timeout))
        else:
            self.correlations.append(rule)

    def finish(self) -> RuleSet:
        detections = {r.id: r for r in self.rules}
        correlations = [c for c in self.correlations if self._resolve(c, detections)]
        return RuleSet(
            tuple(self.rules),
            tuple(correlations),
            tuple(self.problems),
            self.failed,
            tuple(self.files),
        )

    def _resolve(self, rule: CorrelationRule, detections: dict[str, Rule]) -> bool:
        ok = True
        for ref, loc in rule.referenced_ids().items():
            if ref in detections:
                continue
            ok = False
            if ref in self.failed_ids:
                why = "that rule failed to load (see its own error)"
            elif ref in self.id_locations:
                why = "it is a correlation rule; steps name detection rules"
            else:
                why = (
                    "no rule has this id; check the spelling or add the rule's folder with --rules"
                )
            self.problems.append(
                RuleProblem(
                    loc,
                    ProblemCode.UNKNOWN_REFERENCE,
                    f"unknown referenced rule id {ref!r}: {why}",
                    rule_id=rule.id,
                )
            )
        if ok:
            ok = self._check_placeholders(rule, detections)
        if not ok:
            self.failed += 1
        return ok

    def _check_placeholders(self, rule: CorrelationRule, detections: dict[str, Rule]) -> bool:
        ok = True
        for step in rule.steps:
            fields = {*RECORD_FIELDS, "details"}
            for ref in step.rules:
                target = detections[ref]
                fields |= target.matcher.capture_names() | {e.name for e in target.extractors}
            for name, loc in rule.placeholder_locations.items():
                prefix, _, field = name.partition(".")
                if prefix == step.name and field not in fields:
                    ok = False
                    self.problems.append(
                        RuleProblem(
                            loc,
                            ProblemCode.BAD_TEMPLATE,
                            f"unknown placeholder {{{name}}}; fields of step {step.name!r}: "
                            + ", ".join(sorted(fields)),
                            rule_id=rule.id,
                        )
                    )
        return ok
