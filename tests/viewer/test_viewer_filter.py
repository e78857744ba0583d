"""Filter: the rows kept are exactly the records that satisfy every condition, in order."""

from __future__ import annotations

import random
import re
from pathlib import Path

from viewer_support import built, damaged_log, full_parse

from logscan.model import Level, LogRecord
from logscan.viewer.filter import RecordFilter, apply_filter
from logscan.viewer.query import Query
from logscan.viewer.view import RecordView


def _check(path: Path, flt: RecordFilter, keep: object) -> list[LogRecord]:
    view = RecordView.of(built(path))
    result = apply_filter(view, flt)
    assert result is not None
    expected = [r for r in full_parse(path) if keep(r)]  # type: ignore[operator]
    got = result.records(0, len(result))
    assert got == expected
    assert list(result.levels()) == [r.level for r in expected]
    return got


def _log(tmp_path: Path, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "CcmExec.log"
    path.write_bytes(damaged_log(random.Random(8), "ccm", 500, encoding))
    return path


def test_filter_by_level(tmp_path: Path) -> None:
    got = _check(
        _log(tmp_path), RecordFilter.at_least(Level.WARNING), lambda r: r.level >= Level.WARNING
    )
    assert got and all(r.level >= Level.WARNING for r in got)


def test_filter_by_component_is_case_insensitive(tmp_path: Path) -> None:
    flt = RecordFilter(components=frozenset({"osdsmpclient", "ccmexec"}))
    got = _check(
        _log(tmp_path), flt, lambda r: r.component.casefold() in {"osdsmpclient", "ccmexec"}
    )
    assert {r.component for r in got} == {"OSDSMPClient", "CcmExec"}


def test_filter_by_text_keeps_or_hides(tmp_path: Path) -> None:
    path = _log(tmp_path, "utf-16-le")
    rx = re.compile("error", re.IGNORECASE)
    keep = RecordFilter(text=Query.parse("error"))
    _check(path, keep, lambda r: rx.search(r.message) is not None)
    hide = RecordFilter(text=Query.parse("error"), exclude=True)
    _check(path, hide, lambda r: rx.search(r.message) is None)


def test_conditions_combine(tmp_path: Path) -> None:
    flt = RecordFilter(
        levels=frozenset({Level.ERROR}),
        components=frozenset({"OSDSMPClient"}),
        text=Query.parse("0x80092024"),
    )
    got = _check(
        _log(tmp_path),
        flt,
        lambda r: (
            r.level is Level.ERROR and r.component == "OSDSMPClient" and "0x80092024" in r.message
        ),
    )
    assert got


def test_filter_of_a_filtered_view_and_positions(tmp_path: Path) -> None:
    path = _log(tmp_path)
    view = RecordView.of(built(path))
    errors = apply_filter(view, RecordFilter.at_least(Level.ERROR))
    assert errors is not None
    narrowed = apply_filter(errors, RecordFilter(text=Query.parse("error")))
    assert narrowed is not None
    expected = [
        r for r in full_parse(path) if r.level is Level.ERROR and "error" in r.message.lower()
    ]
    assert narrowed.records(0, len(narrowed)) == expected
    # A record hidden by the filter maps to the next row shown.
    first = narrowed.locate(0)[1]
    assert narrowed.position_of(0, first) == 0
    assert narrowed.position_of(0, first - 1) == 0
    assert RecordFilter().empty and not RecordFilter.at_least(Level.ERROR).empty
