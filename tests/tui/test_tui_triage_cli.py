"""``logscan tui`` picks triage or viewer by what the paths hold; ``logscan`` alone opens
the TUI only on a terminal."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from click.testing import CliRunner
from tui_support import CCMEXEC, CONFIRMED_HOST, SAMPLES

from logscan.cli.exitcodes import ExitCode
from logscan.cli.main import cli

Started = list[dict[str, Any]]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Started:
    seen: Started = []

    def fake_run(self: Any, *args: object, **kwargs: object) -> None:
        session = self.session
        seen.append(
            {
                "logs": len(self.logs),
                "paths": None if session is None else session.paths,
                "live": None if session is None else session.config.live,
                "seams": None if session is None else session.config.seams,
            }
        )

    monkeypatch.setattr("logscan.tui.app.LogscanApp.run", fake_run)
    return seen


def test_folders_of_hosts_open_the_triage(started: Started) -> None:
    result = CliRunner().invoke(cli, ["tui", str(SAMPLES), str(CONFIRMED_HOST)])
    assert result.exit_code == 0, result.output
    assert started == [
        {"logs": 0, "paths": [str(SAMPLES), str(CONFIRMED_HOST)], "live": False, "seams": None}
    ]


def test_log_files_open_the_viewer(started: Started) -> None:
    result = CliRunner().invoke(cli, ["tui", str(CCMEXEC)])
    assert result.exit_code == 0, result.output
    assert started == [{"logs": 1, "paths": None, "live": None, "seams": None}]


def test_viewer_options_keep_the_viewer_even_on_a_host(started: Started) -> None:
    result = CliRunner().invoke(cli, ["tui", "--merge", str(CONFIRMED_HOST)])
    assert result.exit_code == 0, result.output
    assert started[0]["paths"] is None and started[0]["logs"] > 1


@pytest.mark.parametrize("args", [["tui"], ["tui", "--live", str(SAMPLES)]])
def test_paths_or_live(started: Started, args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == ExitCode.USAGE
    assert "PATH... or --live" in result.stderr
    assert not started


@pytest.mark.skipif(sys.platform == "win32", reason="off Windows the live seams refuse")
def test_live_off_windows_opens_the_triage_and_says_repair_is_unavailable(
    started: Started,
) -> None:
    result = CliRunner().invoke(cli, ["tui", "--live"])
    assert result.exit_code == 0, result.output
    assert started == [{"logs": 0, "paths": [], "live": True, "seams": None}]
    assert "repair unavailable" in result.stderr


def test_logscan_alone_without_a_terminal_prints_the_help(started: Started) -> None:
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 2
    assert "Usage:" in result.stderr and "tui" in result.stderr
    assert not started


def test_logscan_alone_on_a_terminal_opens_the_tui(
    started: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("logscan.cli.main._on_terminal", lambda: True)
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0, result.output
    assert len(started) == 1 and started[0]["paths"] == []
    assert started[0]["live"] is (sys.platform == "win32")
