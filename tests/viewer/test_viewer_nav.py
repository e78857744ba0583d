"""Jumping between errors and warnings from the level column, on every kind of view."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from viewer_support import built, ccm, damaged_log, full_parse

from logscan.model import Level
from logscan.viewer.filter import RecordFilter, apply_filter
from logscan.viewer.merge import merge
from logscan.viewer.query import Query
from logscan.viewer.view import RecordView


def _brute(levels: list[Level], row: int, at_least: Level, forward: bool) -> int | None:
    rows = range(row + 1, len(levels)) if forward else range(row - 1, -1, -1)
    return next((r for r in rows if levels[r] >= at_least), None)


def _views(tmp_path: Path) -> list[RecordView]:
    rng = random.Random(2)
    a = tmp_path / "CcmExec.log"
    a.write_bytes(damaged_log(rng, "ccm", 300, "utf-8"))
    b = tmp_path / "smsts.log"
    b.write_bytes(damaged_log(rng, "ccm", 200, "utf-16-le"))
    ia, ib = built(a), built(b)
    single = RecordView.of(ia)
    merged = merge([ia, ib])
    filtered = apply_filter(single, RecordFilter(text=Query.parse("e")))
    assert merged is not None and filtered is not None
    return [single, merged, filtered]


@pytest.mark.parametrize("at_least", [Level.WARNING, Level.ERROR])
def test_next_and_previous_match_a_brute_force_walk(tmp_path: Path, at_least: Level) -> None:
    for view in _views(tmp_path):
        levels = [r.level for r in view.records(0, len(view))]
        assert levels.count(Level.ERROR) > 3
        for row in [0, 1, len(view) // 2, len(view) - 2, len(view) - 1]:
            for forward in (True, False):
                got = view.find_level(row, at_least, forward=forward)
                assert got == _brute(levels, row, at_least, forward), (row, forward)


def test_last_error_of_a_large_log_backwards_from_the_end(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    rng = random.Random(4)
    types = rng.choices([0, 1, 2, 3], weights=[30, 60, 6, 4], k=30000)
    path.write_text("".join(ccm(f"record {k}", type_=t) for k, t in enumerate(types)))
    view = RecordView.of(built(path))
    levels = [r.level for r in full_parse(path)]
    last = max(i for i, level in enumerate(levels) if level is Level.ERROR)
    assert view.find_level(len(view), Level.ERROR, forward=False) == last
    assert view.level(last) is Level.ERROR
