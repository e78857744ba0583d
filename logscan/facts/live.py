"""Facts read from the running machine, through the ``LiveHost`` seam.

Everything Windows-specific -- winreg, wmic, tasklist, PowerShell -- sits behind
``LiveHost``; ``WindowsHost`` (in ``_winhost``) is the real one, ``memhost.MemoryHost`` the
in-memory twin the tests use. ``default_host`` is the only place that looks at the
platform. Registry reads use the 64-bit view, so the explicit ``Wow6432Node`` path reaches
the 32-bit 2007 client's key from 64-bit Python (cert-store.md §2.5, §9.1).
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from logscan.errors import UsageError
from logscan.facts.model import Fact, FactName, FactsResult, Origin
from logscan.facts.registry import RegData, RegHit, read_registry_view
from logscan.facts.wmic_qfe import read_wmic_qfe
from logscan.model import ParseWarning, WarningCode

LIVE = "live"
QFE_WMIC = ("wmic", "qfe", "get", "CSName,HotFixID", "/format:list")
_PS = ("powershell.exe", "-NoProfile", "-NonInteractive", "-Command")
# Prints the list form wmic would, so one reader handles both (wmic is gone from new Windows).
QFE_POWERSHELL = (*_PS, "Get-HotFix | ForEach-Object { 'HotFixID=' + $_.HotFixID }")
TASKLIST_TSMANAGER = ("tasklist", "/FI", "IMAGENAME eq TSManager.exe", "/FO", "CSV", "/NH")
# The task-sequence COM object exists only while a task sequence runs.
TSENV_POWERSHELL = (
    *_PS,
    "try { $null = New-Object -ComObject Microsoft.SMS.TSEnvironment; 'running' } catch { 'none' }",
)


@dataclass(frozen=True, slots=True)
class CommandResult:
    """Outcome of running a program: ``returncode`` None when it could not be started."""

    returncode: int | None
    stdout: bytes = b""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class LiveHost(Protocol):
    """The running machine, as far as machine facts need it."""

    def computer_name(self) -> str | None: ...

    def reg_value(self, key: str, name: str) -> RegData | None:
        """Value under ``HKLM\\SOFTWARE\\<key>`` (64-bit view), None when absent."""
        ...

    def reg_subkeys(self, key: str) -> list[str] | None:
        """Subkey names under ``HKLM\\SOFTWARE\\<key>``, None when the key is absent."""
        ...

    def run(self, argv: Sequence[str]) -> CommandResult: ...


class LiveRegistryView:
    """``LiveHost``'s registry as a ``RegistryView``."""

    origin = Origin.LIVE

    def __init__(self, host: LiveHost) -> None:
        self._host = host

    def value(self, key: str, name: str) -> RegHit | None:
        data = self._host.reg_value(key, name)
        if data is None:
            return None
        return RegHit(data, f"live: registry HKLM\\SOFTWARE\\{key}\\{name}", LIVE)

    def subkeys(self, key: str) -> list[str] | None:
        return self._host.reg_subkeys(key)

    def key_cite(self, key: str) -> str:
        return f"live: registry HKLM\\SOFTWARE\\{key}"


def _as_live(facts: tuple[Fact, ...], argv: Sequence[str]) -> tuple[Fact, ...]:
    cite = f"live: {' '.join(argv)}"
    return tuple(dataclasses.replace(f, source=cite, origin=Origin.LIVE) for f in facts)


def _problem(message: str) -> ParseWarning:
    return ParseWarning(LIVE, 0, 0, WarningCode.UNREADABLE, message)


def _why(argv: Sequence[str], result: CommandResult) -> str:
    if result.returncode is None:
        return f"{argv[0]}: {result.error or 'could not run'}"
    return f"{argv[0]}: exit code {result.returncode}"


def _hotfixes(host: LiveHost) -> FactsResult:
    failures = []
    for argv in (QFE_WMIC, QFE_POWERSHELL):
        result = host.run(argv)
        if result.ok and result.stdout.strip():
            parsed = read_wmic_qfe(f"live: {argv[0]}", result.stdout)
            return FactsResult(_as_live(parsed.facts, argv), parsed.warnings)
        failures.append(_why(argv, result))
    return FactsResult((), (_problem("hotfix list unavailable (" + "; ".join(failures) + ")"),))


def _task_sequence(host: LiveHost) -> FactsResult:
    result = host.run(TASKLIST_TSMANAGER)
    if result.ok:
        running = b"tsmanager.exe" in result.stdout.lower()
        fact = Fact(
            FactName.TASK_SEQUENCE_RUNNING,
            running,
            f"live: {' '.join(TASKLIST_TSMANAGER)}",
            "TSManager.exe process " + ("found" if running else "not running"),
            Origin.LIVE,
        )
        return FactsResult((fact,))
    probe = host.run(TSENV_POWERSHELL)
    answer = probe.stdout.strip().lower()
    if probe.ok and answer in (b"running", b"none"):
        running = answer == b"running"
        fact = Fact(
            FactName.TASK_SEQUENCE_RUNNING,
            running,
            "live: Microsoft.SMS.TSEnvironment",
            "task-sequence environment " + ("present" if running else "absent"),
            Origin.LIVE,
        )
        return FactsResult((fact,))
    why = f"{_why(TASKLIST_TSMANAGER, result)}; {_why(TSENV_POWERSHELL, probe)}"
    return FactsResult((), (_problem(f"cannot tell whether a task sequence runs ({why})"),))


def read_live(host: LiveHost) -> FactsResult:
    """Every fact the running machine gives: registry, host name, hotfixes, task sequence."""
    result = read_registry_view(LiveRegistryView(host))
    name = host.computer_name()
    if name:
        host_fact = Fact(FactName.HOST_NAME, name, "live: computer name", "", Origin.LIVE)
        result += FactsResult((host_fact,))
    return result + _hotfixes(host) + _task_sequence(host)


def default_host() -> LiveHost:
    """The real machine; only Windows has one to read."""
    if sys.platform == "win32":
        from logscan.facts._winhost import WindowsHost

        return WindowsHost()
    raise UsageError(
        "live machine facts need Windows; here, read a collected bundle instead "
        "(logscan collector --write DIR, run it on the client, then point logscan at it)"
    )
