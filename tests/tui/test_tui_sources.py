"""The Sources screen: add a path without restarting, cancel a running scan."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static
from triage_support import CONFIRMED, NOW, RESOLVED, hosts_screen
from tui_support import SAMPLES, run, settle

from logscan.diagnose.stepwise import HostBundle
from logscan.tui.app import LogscanApp
from logscan.tui.config import TuiConfig
from logscan.tui.screens.add_path import AddPathPrompt
from logscan.tui.screens.hosts import HostsScreen
from logscan.tui.screens.sources import SourcesScreen


def _status(screen: SourcesScreen) -> str:
    return str(screen.query_one("#scan-status", Static).render())


@run
async def test_add_a_path_and_scan_again_without_restarting() -> None:
    app = LogscanApp(config=TuiConfig(paths=(str(SAMPLES / CONFIRMED),), now=NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert [r.host for r in hosts_screen(pilot).rows] == [CONFIRMED]
        await pilot.press("escape", "a")
        prompt = pilot.app.screen
        assert isinstance(prompt, AddPathPrompt)
        prompt.query_one(Input).value = str(SAMPLES / "no-such-host")
        await pilot.press("enter")
        assert pilot.app.screen is prompt  # says why, stays open
        assert "no such file" in str(prompt.query_one("#add-path-error", Static).render())
        prompt.query_one(Input).value = str(SAMPLES / RESOLVED)
        await pilot.press("enter")
        await settle(pilot)
        sources = pilot.app.screen
        assert isinstance(sources, SourcesScreen)
        assert sources.query_one("#coverage", DataTable).row_count == 2
        assert RESOLVED in str(sources.query_one("#sources-loaded", Static).render())
        await pilot.press("h")
        assert sorted(r.host for r in hosts_screen(pilot).rows) == [CONFIRMED, RESOLVED]


@run
async def test_cancel_a_running_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    started = threading.Event()

    def slow(bundles: Sequence[HostBundle], *_a: Any, **kw: Any) -> None:
        # Stands in for a long scan: reports the first host, then waits for the cancel.
        kw["progress"](0, len(bundles), bundles[0].label)
        started.set()
        kw["cancel"].wait(10)

    monkeypatch.setattr("logscan.tui.triage_jobs.diagnose_bundles", slow)
    app = LogscanApp(config=TuiConfig(paths=(str(SAMPLES),), now=NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        assert started.wait(10)
        await pilot.pause()
        sources = pilot.app.screen
        assert isinstance(sources, SourcesScreen) and sources.scanning
        assert "of 9" in _status(sources)
        await pilot.press("x")
        await settle(pilot)
        assert not sources.scanning
        assert "cancelled" in _status(sources)
        assert not isinstance(pilot.app.screen, HostsScreen)
        assert sources.session.report is None


@run
async def test_live_where_it_cannot_run_says_why() -> None:
    if sys.platform == "win32":
        pytest.skip("the live readers work on Windows")
    app = LogscanApp(config=TuiConfig(live=True, now=NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        sources = pilot.app.screen
        assert isinstance(sources, SourcesScreen) and not sources.scanning
        assert "this machine" in str(sources.query_one("#sources-loaded", Static).render())
        assert "Windows" in _status(sources)
        assert sources.session.report is None
