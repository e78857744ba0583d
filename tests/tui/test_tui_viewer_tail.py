"""The viewer on a big log whose start is still being indexed: End and the last error
land on the right records at once, and stay on them when the index catches up.

The head's scan is held (``LogIndex.holding``) right after the engine has indexed the
log's tail, so every step below happens while most of the log is not indexed yet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_support import app_on, run, settle, viewer

from logscan.inputs.discover import discover
from logscan.inputs.reader import read_source
from logscan.model import Level, LogRecord
from logscan.tui.screens.viewer import ViewerScreen
from logscan.tui.widgets.record_detail import describe
from logscan.viewer import tail

_LINE = (
    '<![LOG[{msg}]LOG]!><time="14:02:{s:02d}.123+300" date="03-15-2011" '
    'component="{comp}" context="" type="{t}" thread="{k}" file="x.cpp:1">\r\n'
)


@pytest.fixture(autouse=True)
def small_tails(monkeypatch: pytest.MonkeyPatch) -> None:
    """A log of a few megabytes counts as big, and its tail is its last 64 KiB."""
    monkeypatch.setattr(tail, "TAIL_FROM", 1 << 20)
    monkeypatch.setattr(tail, "TAIL_BYTES", 64 << 10)


def _write(path: Path, records: int, errors_until: int) -> list[LogRecord]:
    """A CCM log with an error every 97 records up to ``errors_until``, none after."""
    text = "".join(
        _LINE.format(
            msg=f"record {k} of a log that is big enough to be indexed from both ends",
            s=k % 60,
            comp=("CcmExec", "PolicyAgent", "DataTransferService")[k % 3],
            t=3 if k % 97 == 5 and k <= errors_until else 1,
            k=k,
        )
        for k in range(records)
    )
    path.write_text(text, encoding="utf-8", newline="")
    (source,) = list(discover([path]))
    return [r for r in read_source(source) if isinstance(r, LogRecord)]  # type: ignore[arg-type]


async def _until(pilot: Pilot[None], done: object) -> None:
    """Let the app handle what the workers posted until ``done()`` holds."""
    for _ in range(400):
        if done():  # type: ignore[operator]
            return
        await pilot.pause()
    raise AssertionError("the viewer never got there")


def _shown(screen: ViewerScreen) -> LogRecord:
    record = screen.table.record(screen.table.cursor)
    assert record is not None
    return record


def _landed(screen: ViewerScreen) -> bool:
    return not screen.pending_text and screen.table.cursor != screen.view.gap_row


@run
async def test_end_then_last_error_while_the_log_is_indexed(tmp_path: Path) -> None:
    log = tmp_path / "CcmExec.log"
    records = _write(log, 16000, errors_until=15990)
    last_error = max(r.offset for r in records if r.level is Level.ERROR)
    app = app_on(log)
    (index,) = app.logs
    with index.holding():
        async with app.run_test(size=(100, 30)) as pilot:
            await _until(pilot, lambda: app.screen_stack and len(viewer(pilot).view))
            screen = viewer(pilot)
            # Pressed at once: the end may not be indexed yet; the keys wait for it.
            await pilot.press("G", "E")
            await _until(pilot, lambda: _landed(screen) and screen.view.gap_row is not None)
            assert not index.done and len(index) < len(records) // 2
            shown = _shown(screen)
            assert shown.offset == last_error
            assert shown.line == 0  # not known before the head gets there
            assert "(line ?)" in describe(shown).plain
            await pilot.press("G")
            assert _shown(screen).offset == records[-1].offset
            # The gap row says what it stands for.
            gap = screen.view.gap_row
            assert gap is not None
            screen.table.go(gap)
            await pilot.pause()
            drawn = screen.table.render_line(1 + gap - round(screen.table.scroll_y))
            assert "not indexed yet" in drawn.text


@run
async def test_previous_error_reaches_back_into_the_part_not_indexed(tmp_path: Path) -> None:
    log = tmp_path / "CcmExec.log"
    records = _write(log, 16000, errors_until=11000)  # none in the last 64 KiB
    last_error = max(r.offset for r in records if r.level is Level.ERROR)
    app = app_on(log)
    (index,) = app.logs
    with index.holding():
        async with app.run_test(size=(100, 30)) as pilot:
            await _until(pilot, lambda: app.screen_stack and len(viewer(pilot).view))
            screen = viewer(pilot)
            await _until(pilot, lambda: screen.view.gap_row is not None)
            await pilot.press("G", "E")
            await _until(pilot, lambda: _landed(screen))
            assert not index.done
            assert _shown(screen).offset == last_error
            assert screen.view.gap_row is not None  # found without indexing the rest


@run
async def test_the_cursor_keeps_its_record_when_the_head_joins_the_tail(
    tmp_path: Path,
) -> None:
    log = tmp_path / "CcmExec.log"
    records = _write(log, 16000, errors_until=15990)
    app = app_on(log)
    (index,) = app.logs
    async with app.run_test(size=(100, 30)) as pilot:
        with index.holding():
            await _until(pilot, lambda: app.screen_stack and len(viewer(pilot).view))
            screen = viewer(pilot)
            await _until(pilot, lambda: screen.view.gap_row is not None)
            await pilot.press("G", "k", "k")  # two rows above the end: no longer pinned
            before = _shown(screen)
            row = screen.table.cursor
        await settle(pilot)  # released: the head's scan reaches the tail and joins it
        assert index.done and screen.view.gap_row is None
        assert screen.table.cursor > row  # rows moved down...
        after = _shown(screen)
        assert after.offset == before.offset  # ...and the cursor with its record
        assert after.line == records[-3].line and after.line > 0
