"""The real program in a real terminal on a folder of hosts: ``logscan tui sample_logs``
under tmux opens the hosts, filters to one, opens its diagnosis and the evidence line."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_tui_terminal import TMUX, _tmux, _wait_for
from tui_support import SAMPLES

pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(os.name == "nt", reason="tmux runs on POSIX only"),
]


@pytest.fixture
def session() -> Iterator[str]:
    name = f"logscan-triage-{uuid.uuid4().hex[:8]}"
    logscan = Path(sys.executable).with_name("logscan")
    command = f"{logscan} tui {SAMPLES}; echo EXITED:$?; sleep 30"
    _tmux(
        "new-session", "-d", "-s", name, "-x", "120", "-y", "32",
        "-eTERM=xterm-256color", command,
    )  # fmt: skip
    try:
        yield name
    finally:
        _tmux("kill-session", "-t", name)


def test_hosts_filter_diagnosis_evidence_and_quit(session: str) -> None:
    hosts = _wait_for(session, "sorted by verdict")
    assert "WKS-XP-0142" in hosts and "confirmed" in hosts and "WKS-XP-0311" in hosts
    _tmux("send-keys", "-t", session, "/")
    _wait_for(session, "filter: host, verdict")  # the filter line has the focus
    _tmux("send-keys", "-t", session, "0142")
    filtered = _wait_for(session, "1 of 9 hosts")
    assert "WKS-XP-0311" not in filtered
    _tmux("send-keys", "-t", session, "Enter")  # leaves the filter for the table
    _tmux("send-keys", "-t", session, "Enter")  # opens the host
    diagnosis = _wait_for(session, "Diagnosis: WKS-XP-0142")
    assert "CONFIRMED" in diagnosis and "smsts.log:118" in diagnosis
    _tmux("send-keys", "-t", session, "Enter")  # the first evidence line, in the viewer
    viewer = _wait_for(session, "Failed to import client certificate store (0x80092024)")
    assert "smsts.log" in viewer
    _tmux("send-keys", "-t", session, "q")
    assert "EXITED:0" in _wait_for(session, "EXITED:")


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows logscan alone opens --live")
def test_logscan_alone_on_a_terminal_opens_sources_and_adds_a_path() -> None:
    name = f"logscan-alone-{uuid.uuid4().hex[:8]}"
    logscan = Path(sys.executable).with_name("logscan")
    _tmux(
        "new-session", "-d", "-s", name, "-x", "120", "-y", "32",
        "-eTERM=xterm-256color", f"{logscan}; echo EXITED:$?; sleep 30",
    )  # fmt: skip
    try:
        _wait_for(name, "nothing yet")
        _tmux("send-keys", "-t", name, "a")
        _wait_for(name, "Add a folder of hosts")
        _tmux("send-keys", "-t", name, "-l", str(SAMPLES / "WKS-XP-0142"))
        _tmux("send-keys", "-t", name, "Enter")
        _wait_for(name, "1 host diagnosed")
        _tmux("send-keys", "-t", name, "h")
        hosts = _wait_for(name, "1 of 1 hosts")
        assert "WKS-XP-0142" in hosts and "confirmed" in hosts
        _tmux("send-keys", "-t", name, "q")
        assert "EXITED:0" in _wait_for(name, "EXITED:")
    finally:
        _tmux("kill-session", "-t", name)
