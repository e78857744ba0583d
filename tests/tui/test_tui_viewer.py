"""The log viewer driven by Pilot: open, jump to errors, search, filter, help, merge, follow."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_support import CCMEXEC, CONFIRMED_HOST, app_on, run, settle, viewer

from logscan.inputs.discover import discover
from logscan.inputs.reader import read_source
from logscan.model import Level, LogRecord
from logscan.tui.screens.code_lookup import CodeLookup
from logscan.tui.screens.filter_dialog import FilterDialog
from logscan.tui.screens.help import HelpScreen, binding_rows
from logscan.tui.screens.search_prompt import SearchPrompt
from logscan.tui.widgets.record_detail import RecordDetail, describe
from logscan.tui.widgets.status_line import StatusLine
from logscan.viewer import scan


def _records(path: Path) -> list[LogRecord]:
    (source,) = list(discover([path]))
    return [r for r in read_source(source) if isinstance(r, LogRecord)]  # type: ignore[arg-type]


@run
async def test_open_and_jump_to_the_next_error() -> None:
    records = _records(CCMEXEC)
    errors = [i for i, r in enumerate(records) if r.level is Level.ERROR]
    async with app_on(CCMEXEC).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = viewer(pilot)
        assert len(screen.view) == len(records)
        assert screen.table.cursor == 0
        await pilot.press("e")
        assert screen.table.cursor == errors[0]
        record = screen.table.record(screen.table.cursor)
        assert record is not None and "0x80092024" in record.message
        detail = describe(record)
        assert "CRYPT_E_NOT_CHAR_STRING" in detail.plain
        assert screen.query_one(RecordDetail).display
        await pilot.press("G")
        assert screen.table.cursor == len(records) - 1
        await pilot.press("E")
        assert screen.table.cursor == errors[-1]


@run
async def test_search_finds_every_match_and_steps_through_hits() -> None:
    records = _records(CCMEXEC)
    expected = [i for i, r in enumerate(records) if re.search("state", r.message, re.I)]
    async with app_on(CCMEXEC).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = viewer(pilot)
        await pilot.press("slash")
        assert isinstance(pilot.app.screen, SearchPrompt)
        await pilot.press(*"state", "enter")
        await settle(pilot)
        assert screen.hits == expected
        assert screen.table.cursor == expected[0]
        await pilot.press("n")
        assert screen.table.cursor == expected[1]
        await pilot.press("N", "N")
        assert screen.table.cursor == expected[-1]  # wraps around
        assert "hits" in str(screen.query_one(StatusLine).render())


@run
async def test_filter_hides_non_matching_lines_and_x_shows_all() -> None:
    records = _records(CCMEXEC)
    kept = [r for r in records if "0x80092024" in r.message]
    async with app_on(CCMEXEC).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = viewer(pilot)
        await pilot.press("f")
        dialog = pilot.app.screen
        assert isinstance(dialog, FilterDialog)
        assert dialog.focused is dialog.query_one("#filter-text", Input)
        await pilot.press(*"0x80092024", "enter")
        await settle(pilot)
        assert screen.view.records(0, len(screen.view)) == kept
        assert screen.filter is not None
        await pilot.press("x")
        await settle(pilot)
        assert len(screen.view) == len(records)
        assert screen.table.record(screen.table.cursor) == kept[0]  # stays on the same line


@run
async def test_filter_by_level_with_a_bad_regex_first() -> None:
    records = _records(CCMEXEC)
    async with app_on(CCMEXEC).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = viewer(pilot)
        await pilot.press("f")
        await pilot.press("ctrl+r", *"(oops", "enter")
        dialog = pilot.app.screen
        assert isinstance(dialog, FilterDialog)  # still open, saying why
        assert "not a valid regular expression" in str(dialog.query_one("#filter-error").render())
        dialog.query_one("#filter-text", Input).value = ""
        for level in ("info", "verbose"):
            await pilot.click(f"#level-{level}")
        await pilot.click("#filter-apply")
        await settle(pilot)
        assert screen.view.records(0, len(screen.view)) == [
            r for r in records if r.level >= Level.WARNING
        ]


@run
async def test_help_lists_every_key_binding() -> None:
    async with app_on(CCMEXEC).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = binding_rows(pilot.app.key_groups())  # type: ignore[attr-defined]
        described = {what for _, _, what in rows}
        for needed in ("Search", "Next error", "Prev error", "Filter", "Follow", "Help", "Quit"):
            assert needed in described
        assert len(rows) >= 20
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


@run
async def test_code_lookup_of_the_selected_line() -> None:
    async with app_on(CCMEXEC).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e", "c")
        assert isinstance(pilot.app.screen, CodeLookup)
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, CodeLookup)


@run
async def test_merge_several_logs_and_step_between_them() -> None:
    async with app_on(CONFIRMED_HOST).run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = viewer(pilot)
        sizes = [len(ix) for ix in screen.logs]
        assert len(sizes) == 2
        await pilot.press("m")
        await settle(pilot)
        assert screen.merged and len(screen.view) == sum(sizes)
        sources = {r.source for r in screen.view.records(0, len(screen.view))}
        assert sources == {ix.name for ix in screen.logs}
        await pilot.press("m")
        await settle(pilot)
        assert not screen.merged
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.current == 1 and len(screen.view) == sizes[1]


@run
async def test_follow_mode_shows_appended_lines(tmp_path: Path) -> None:
    log = tmp_path / "CcmExec.log"
    line = (
        '<![LOG[{msg}]LOG]!><time="14:02:11.123+300" date="03-15-2011" component="CcmExec" '
        'context="" type="{t}" thread="1" file="x.cpp:1">\r\n'
    )
    log.write_text("".join(line.format(msg=f"start {k}", t=1) for k in range(5)))
    async with app_on(log, follow=True).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = viewer(pilot)
        assert screen.follow and len(screen.view) == 5
        with log.open("a") as fh:
            fh.write(line.format(msg="appended failure", t=3))
        screen._poll()  # what the follow timer does every half second
        await settle(pilot)
        assert len(screen.view) == 6
        assert screen.table.cursor == 5
        record = screen.table.record(5)
        assert record is not None and record.message == "appended failure"
        await pilot.press("F")
        assert not screen.follow


@run
async def test_theme_toggles_between_light_and_dark() -> None:
    async with app_on(CCMEXEC).run_test(size=(80, 24)) as pilot:
        assert pilot.app.theme == "textual-dark"
        await pilot.press("t")
        assert pilot.app.theme == "textual-light"


@run
async def test_command_palette_runs_viewer_actions() -> None:
    records = _records(CCMEXEC)
    first_error = next(i for i, r in enumerate(records) if r.level is Level.ERROR)
    async with app_on(CCMEXEC).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = viewer(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Next error")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.table.cursor == first_error


@run
async def test_a_click_selects_the_row_under_the_mouse() -> None:
    records = _records(CCMEXEC)
    async with app_on(CCMEXEC).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = viewer(pilot)
        await pilot.click("#log-table", offset=(5, 4))  # line 0 is the column header
        assert screen.table.cursor == 3
        shown = screen.query_one(RecordDetail)
        assert f":{records[3].line}" in str(shown.query_one("#detail-body").render())


def test_quit_while_indexing_stops_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "BATCH", 16)  # many small commits: quitting lands mid-scan
    log = tmp_path / "CcmExec.log"
    line = (
        '<![LOG[record {k}]LOG]!><time="14:02:11.123+300" date="03-15-2011" '
        'component="CcmExec" context="" type="1" thread="1" file="x.cpp:1">\r\n'
    )
    log.write_text("".join(line.format(k=k) for k in range(40000)))
    app = app_on(log)
    (index,) = app.logs

    async def scenario() -> None:
        # Held after its first batch: quitting lands mid-scan however fast the machine.
        with index.holding():
            async with app.run_test(size=(80, 24)) as pilot:
                while not len(viewer(pilot).view):
                    await pilot.pause()
                await pilot.press("q")

    asyncio.run(scenario())
    assert not index.done
    assert 0 < len(index) < 40000


@run
async def test_an_empty_log_says_so(tmp_path: Path) -> None:
    log = tmp_path / "smsts.log"
    log.write_bytes(b"\xef\xbb\xbf")
    async with app_on(log).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = viewer(pilot)
        assert len(screen.view) == 0
        assert "empty file" in str(screen.query_one(StatusLine).render())
        await pilot.press("e", "n", "c", "G")  # nothing to jump to: no crash
        assert screen.table.cursor == 0
