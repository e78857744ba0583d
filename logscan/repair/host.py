"""The machine a repair would change, behind a seam: who runs it, elevation, task sequence.

``RepairHost.state()`` answers the interlock questions at one moment; the flow asks again
right before it changes anything. ``CommandHost`` answers through the programs Windows
ships (``whoami``, ``tasklist``, PowerShell) run by a ``facts.live.LiveHost``, so its
parsing is tested with ``facts.memhost.MemoryHost``; ``MemoryRepairHost`` is the plain
twin for flow tests. An answer of None means "cannot tell", which the interlocks treat
as a refusal, never as a yes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from typing import Protocol

from logscan.facts.live import TASKLIST_TSMANAGER, TSENV_POWERSHELL, LiveHost

WHOAMI = ("whoami",)
WHOAMI_GROUPS = ("whoami", "/groups", "/fo", "csv", "/nh")
# Mandatory integrity labels (stable SIDs, unlike the localised group names).
_HIGH_LABELS = {
    "S-1-16-12288": "high integrity (elevated)",
    "S-1-16-16384": "system integrity (SYSTEM)",
    "S-1-16-20480": "protected process",
}
_LOW_LABELS = {
    "S-1-16-8192": "medium integrity (not elevated)",
    "S-1-16-4096": "low integrity",
    "S-1-16-0": "untrusted",
}


@dataclass(frozen=True, slots=True)
class HostState:
    """What the interlocks need to know about the machine, each with how it was learnt."""

    name: str | None
    user: str | None
    elevated: bool | None
    elevation_detail: str
    task_sequence: bool | None
    task_sequence_detail: str


class RepairHost(Protocol):
    """The machine under repair."""

    def state(self) -> HostState: ...


class MemoryRepairHost:
    """Twin: answers with ``current``; tests may replace it between plan and execution."""

    def __init__(self, current: HostState) -> None:
        self.current = current
        self.asked = 0

    def state(self) -> HostState:
        self.asked += 1
        return self.current

    def set(self, **changes: object) -> None:
        self.current = replace(self.current, **changes)  # type: ignore[arg-type]


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def elevation_from_groups(output: str) -> tuple[bool | None, str]:
    """Elevation from ``whoami /groups /fo csv /nh``: the mandatory label's SID decides."""
    for row in csv.reader(io.StringIO(output)):
        for cell in row:
            sid = cell.strip()
            if sid in _HIGH_LABELS:
                return True, f"whoami /groups: {_HIGH_LABELS[sid]} ({sid})"
            if sid in _LOW_LABELS:
                return False, f"whoami /groups: {_LOW_LABELS[sid]} ({sid})"
    return None, "whoami /groups listed no mandatory integrity label"


class CommandHost:
    """``RepairHost`` over a ``LiveHost``: whoami for user and elevation, tasklist/TSEnv."""

    def __init__(self, host: LiveHost) -> None:
        self._host = host

    def _elevation(self) -> tuple[bool | None, str]:
        result = self._host.run(WHOAMI_GROUPS)
        if not result.ok:
            why = result.error or f"exit code {result.returncode}"
            return None, f"whoami /groups failed ({why}): cannot tell whether elevated"
        return elevation_from_groups(_text(result.stdout))

    def _user(self) -> str | None:
        result = self._host.run(WHOAMI)
        user = _text(result.stdout).strip() if result.ok else ""
        return user or None

    def _task_sequence(self) -> tuple[bool | None, str]:
        listed = self._host.run(TASKLIST_TSMANAGER)
        if listed.ok:
            running = b"tsmanager.exe" in listed.stdout.lower()
            return running, "tasklist: TSManager.exe " + ("running" if running else "not running")
        probe = self._host.run(TSENV_POWERSHELL)
        answer = probe.stdout.strip().lower()
        if probe.ok and answer in (b"running", b"none"):
            running = answer == b"running"
            return running, "Microsoft.SMS.TSEnvironment " + ("present" if running else "absent")
        return None, "neither tasklist nor the TSEnvironment probe answered"

    def state(self) -> HostState:
        elevated, elevation_detail = self._elevation()
        running, ts_detail = self._task_sequence()
        return HostState(
            name=self._host.computer_name(),
            user=self._user(),
            elevated=elevated,
            elevation_detail=elevation_detail,
            task_sequence=running,
            task_sequence_detail=ts_detail,
        )


def default_repair_host() -> RepairHost:
    """This machine (Windows only; ``facts.live.default_host`` refuses elsewhere)."""
    from logscan.facts.live import default_host

    return CommandHost(default_host())
