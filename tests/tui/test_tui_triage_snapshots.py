"""SVG snapshots of the triage screens at 80x24 and 160x50, diagnosed at a fixed moment
(update with --snapshot-update)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from triage_support import CONFIRMED, hosts_screen, triage_app
from tui_support import settle

SIZES = [(80, 24), (160, 50)]
Compare = Callable[..., bool]


def _on(host: str | None, *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if host is not None:
            assert hosts_screen(pilot).select(host)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sources(snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(triage_app(), terminal_size=size, run_before=_on(None, "escape"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_hosts(snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(triage_app(), terminal_size=size, run_before=_on(None))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_diagnosis_of_the_confirmed_host(snap_compare: Compare, size: tuple[int, int]) -> None:
    assert snap_compare(triage_app(), terminal_size=size, run_before=_on(CONFIRMED, "enter"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_certificates_of_the_confirmed_host(snap_compare: Compare, size: tuple[int, int]) -> None:
    run_before = _on(CONFIRMED, "enter", "c")
    assert snap_compare(triage_app(), terminal_size=size, run_before=run_before)


def test_repair_unavailable_without_seams(snap_compare: Compare) -> None:
    run_before = _on(CONFIRMED, "enter", "r")
    assert snap_compare(triage_app(), terminal_size=(80, 24), run_before=run_before)
