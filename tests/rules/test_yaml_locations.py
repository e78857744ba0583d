"""Located YAML: positions inside scalars of every style, nested duplicates, documents."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from logscan.rules import ProblemCode, _yaml, load_rules
from logscan.rules._yaml import Scalar, load_documents, position_in_scalar
from logscan.rules.loader import shipped_rules_dir
from logscan.rules.model import RuleProblem

_HEAD = "id: t.r\ntitle: t\nstatus: test\nlevel: low\ndescription: d\nlogsource: {}\n"
_TAIL = "details: d\ntests: {must_match: [x]}\n"


def _problems(tmp_path: Path, body: str) -> list[tuple[str, ProblemCode]]:
    path = tmp_path / "r.yaml"
    path.write_text(_HEAD + body + _TAIL, encoding="utf-8")
    return [
        (str(p.location).removeprefix(f"{path}:"), p.code)
        for p in load_rules([path], shipped=False).errors
    ]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        # plain scalar: "match:" line 7, pattern starts at column 10, error at its end
        ("match:\n  regex: ab(c\n", "8:14"),
        # single quotes: each '' before the error is one character of the value
        ("match:\n  regex: 'it''s (x'\n", "8:19"),
        # literal block: the second line of the block, after its indentation
        ("match:\n  regex: |-\n    first line\n    second (line\n", "10:17"),
        # double quotes with an escape: only the scalar's start is certain
        ('match:\n  regex: "a\\tb(c"\n', "8:10"),
    ],
)
def test_regex_error_column_in_every_style(tmp_path: Path, body: str, where: str) -> None:
    assert _problems(tmp_path, body) == [(where, ProblemCode.BAD_REGEX)]


def test_duplicate_key_in_a_nested_mapping(tmp_path: Path) -> None:
    body = "match:\n  all:\n    - literal: a\n      literal: b\n"
    assert _problems(tmp_path, body) == [("10:7", ProblemCode.DUPLICATE_KEY)]


def test_tab_indentation_is_a_located_syntax_error(tmp_path: Path) -> None:
    body = "match:\n\tliteral: a\n"
    ((where, code),) = _problems(tmp_path, body)
    assert code is ProblemCode.YAML_SYNTAX and where.startswith("8:")


def test_several_documents_and_the_second_is_bad(tmp_path: Path) -> None:
    good = _HEAD + "match: {literal: a}\n" + _TAIL
    path = tmp_path / "two.yaml"
    path.write_text(good + "---\n" + good.replace("t.r", "t.s").replace("{literal: a}", "{x: a}"))
    ruleset = load_rules([path], shipped=False)
    assert [r.id for r in ruleset.rules] == ["t.r"]
    assert [(p.location.line, p.code) for p in ruleset.errors] == [
        (17, ProblemCode.UNKNOWN_MATCHER)
    ]


def test_not_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "ansi.yaml"
    path.write_bytes(b"id: t.r\ntitle: caf\xe9\n")
    (problem,) = load_rules([path], shipped=False).errors
    assert (problem.code, problem.location.line, problem.location.column) == (
        ProblemCode.UNREADABLE,
        2,
        11,
    )


def test_plain_hex_keeps_its_source_text() -> None:
    problems: list[object] = []
    ((doc, _),) = list(load_documents("code: 80092024\n", "x.yaml", problems))  # type: ignore[arg-type]
    scalar = doc.items["code"]  # type: ignore[union-attr]
    assert isinstance(scalar, Scalar)
    # YAML reads an unquoted 80092024 as decimal; the code matcher uses the text instead
    assert (scalar.value, scalar.text) == (80092024, "80092024")
    assert str(position_in_scalar(scalar, 2)) == "x.yaml:1:9"


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
def test_libyaml_and_python_loaders_give_the_same_located_trees(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The fast loader is used when present; errors must point at the same places.
    texts = [p.read_text(encoding="utf-8") for p in sorted(shipped_rules_dir().rglob("*.yaml"))]
    texts += ["a: 'it''s'\nb: \"t\\u00e9\\t\"\nc: |\n  x\n  y\nd: [1, 0x1F, é—]\n", "a: [1\n"]
    trees = {}
    for name in ("SafeLoader", "CSafeLoader"):
        monkeypatch.setattr(_yaml, "_LOADER", getattr(yaml, name))
        out = []
        for i, text in enumerate(texts):
            problems: list[RuleProblem] = []
            out.append((list(load_documents(text, f"f{i}.yaml", problems)), problems))
        trees[name] = out
    assert trees["SafeLoader"][:-1] == trees["CSafeLoader"][:-1]
    # A syntax error is located at the same line in both (the wording may differ).
    (py,), (c,) = trees["SafeLoader"][-1][1], trees["CSafeLoader"][-1][1]
    assert (py.location.line, py.code) == (c.location.line, c.code)
