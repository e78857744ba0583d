"""Helpers for the TUI tests: an app on sample logs, and waiting for its workers (no sleeps)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from logscan.tui.app import LogscanApp
from logscan.tui.screens.viewer import ViewerScreen
from logscan.viewer import open_logs

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_logs"
# The confirmed KB977203 host: the 0x80092024 line in CcmExec.log, the failed step in smsts.log.
CONFIRMED_HOST = SAMPLES / "WKS-XP-0142"
CCMEXEC = CONFIRMED_HOST / "WINDOWS" / "system32" / "CCM" / "Logs" / "CcmExec.log"


def app_on(*paths: Path, merged: bool = False, follow: bool = False) -> LogscanApp:
    opened = open_logs(paths)
    assert opened.indexes and not opened.problems
    return LogscanApp(opened.indexes, merged=merged, follow=follow)


async def settle(pilot: Pilot[None]) -> None:
    """Until every worker is done and every message they posted has been handled."""
    app = pilot.app
    for _ in range(20):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return


def viewer(pilot: Pilot[None]) -> ViewerScreen:
    for screen in pilot.app.screen_stack:
        if isinstance(screen, ViewerScreen):
            return screen
    raise AssertionError("no viewer screen")


def run(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test with ``asyncio.run`` (no async plugin is needed)."""

    @functools.wraps(test)
    def sync(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return sync
