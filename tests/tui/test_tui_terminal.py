"""The real program in a real terminal: ``logscan tui`` under tmux, keys sent, screen read.

Pilot tests drive the app in-process; this one proves the installed command starts,
draws, answers keys and quits in an actual terminal. Skipped where tmux is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_support import CCMEXEC

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
_TIMEOUT = 30.0


def _tmux(*args: str) -> str:
    assert TMUX is not None
    done = subprocess.run([TMUX, *args], capture_output=True, text=True, check=False)
    return done.stdout


@pytest.fixture
def session(tmp_path: Path) -> Iterator[str]:
    name = f"logscan-test-{uuid.uuid4().hex[:8]}"
    logscan = Path(sys.executable).with_name("logscan")
    command = f"{logscan} tui {CCMEXEC}; echo EXITED:$?; sleep 30"
    env = {"TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    _tmux(
        "new-session", "-d", "-s", name, "-x", "100", "-y", "30",
        *[f"-e{k}={v}" for k, v in env.items()], command,
    )  # fmt: skip
    try:
        yield name
    finally:
        _tmux("kill-session", "-t", name)


def _screen(name: str) -> str:
    return _tmux("capture-pane", "-p", "-t", name)


def _wait_for(name: str, text: str) -> str:
    """The pane's text once it shows ``text`` (polled: a real program takes real time)."""
    deadline = time.monotonic() + _TIMEOUT
    while True:
        screen = _screen(name)
        if text in screen:
            return screen
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")
        time.sleep(0.1)


@pytest.mark.skipif(os.name == "nt", reason="tmux runs on POSIX only")
def test_real_terminal_open_jump_to_error_and_quit(session: str) -> None:
    first = _wait_for(session, "CcmExec.log  (ccm")
    assert "Component" in first and "Message" in first
    _tmux("send-keys", "-t", session, "e")
    shown = _wait_for(session, "CRYPT_E_NOT_CHAR_STRING")
    assert "Failed to import client certificate store (0x80092024)" in shown
    assert "CcmExec.log:1325" in shown
    _tmux("send-keys", "-t", session, "q")
    assert "EXITED:0" in _wait_for(session, "EXITED:")
