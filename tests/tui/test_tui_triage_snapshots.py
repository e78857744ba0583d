"""SVG snapshots of the triage screens at 80x24 and 160x50, diagnosed at a fixed moment
(update with --snapshot-update)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from triage_support import CONFIRMED, hosts_screen, rig, triage_app
from tui_support import settle

from logscan.tui.config import TuiConfig

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


def _repair_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TuiConfig:
    """Seams whose paths are relative to a tmp working folder, so the plan's text is stable."""
    r = rig(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert r.config.seams is not None
    seams = dataclasses.replace(
        r.config.seams,
        tool="site/CCMCertFix.exe",
        backup_root=Path("backups"),
        audit_path=Path("audit.jsonl"),
    )
    return dataclasses.replace(r.config, seams=seams)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_repair_ready(
    snap_compare: Compare, size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = triage_app(_repair_config(tmp_path, monkeypatch))
    assert snap_compare(app, terminal_size=size, run_before=_on(CONFIRMED, "enter", "r"))


def test_repair_confirmation(
    snap_compare: Compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = triage_app(_repair_config(tmp_path, monkeypatch))
    run_before = _on(CONFIRMED, "enter", "r", "a")
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
