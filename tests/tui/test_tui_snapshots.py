"""SVG snapshots of the viewer at 80x24 and 160x50 (update with --snapshot-update)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_support import CCMEXEC, CONFIRMED_HOST, app_on, settle

SIZES = [(80, 24), (160, 50)]
Compare = Callable[..., bool]


def _then(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_viewer_opened(snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(app_on(CCMEXEC), terminal_size=size, run_before=_then())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_viewer_on_the_kb977203_error(snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(app_on(CCMEXEC), terminal_size=size, run_before=_then("e"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_viewer_merged_and_filtered(snap_compare: Compare, size: tuple[int, int]) -> None:
    keys = ("m", "f", *"failed", "enter")
    assert snap_compare(app_on(CONFIRMED_HOST), terminal_size=size, run_before=_then(*keys))


def test_help_screen(snap_compare: Compare) -> None:
    assert snap_compare(app_on(CCMEXEC), terminal_size=(80, 24), run_before=_then("question_mark"))


def test_viewer_light_theme(snap_compare: Compare) -> None:
    assert snap_compare(app_on(CCMEXEC), terminal_size=(80, 24), run_before=_then("t", "e"))
