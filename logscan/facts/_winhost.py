"""WindowsHost: the real ``LiveHost`` -- winreg for the registry, subprocess for tools.

Imported only by ``live.default_host`` on Windows. ``winreg`` is loaded by name so this
module type-checks (and imports) on any platform; nothing here writes anywhere.
"""

from __future__ import annotations

import importlib
import os
import platform
import subprocess
from collections.abc import Sequence
from typing import Any

from logscan.facts.live import CommandResult
from logscan.facts.registry import RegData

_CREATE_NO_WINDOW = 0x08000000  # keep console tools from flashing a window
_TIMEOUT = 180.0  # systeminfo/wmic can take a minute on a slow old machine


class WindowsHost:
    """The machine logscan runs on."""

    def __init__(self, timeout: float = _TIMEOUT) -> None:
        self._timeout = timeout
        self._winreg: Any = importlib.import_module("winreg")

    def computer_name(self) -> str | None:
        return os.environ.get("COMPUTERNAME") or platform.node() or None

    def _open(self, key: str) -> Any:
        wr = self._winreg
        access = wr.KEY_READ | wr.KEY_WOW64_64KEY
        return wr.OpenKey(wr.HKEY_LOCAL_MACHINE, "SOFTWARE\\" + key, 0, access)

    def reg_value(self, key: str, name: str) -> RegData | None:
        wr = self._winreg
        try:
            with self._open(key) as handle:
                data, kind = wr.QueryValueEx(handle, name)
        except OSError:
            return None
        if kind in (wr.REG_SZ, wr.REG_EXPAND_SZ) and isinstance(data, str):
            return data
        if kind in (wr.REG_DWORD, wr.REG_QWORD) and isinstance(data, int):
            return data
        if kind == wr.REG_MULTI_SZ and isinstance(data, list):
            return "\n".join(str(item) for item in data)
        return data if isinstance(data, bytes) else None

    def reg_subkeys(self, key: str) -> list[str] | None:
        wr = self._winreg
        try:
            with self._open(key) as handle:
                count = wr.QueryInfoKey(handle)[0]
                return [str(wr.EnumKey(handle, i)) for i in range(count)]
        except OSError:
            return None

    def run(self, argv: Sequence[str]) -> CommandResult:
        try:
            done = subprocess.run(
                list(argv),
                capture_output=True,
                stdin=subprocess.DEVNULL,  # wmic waits on stdin when it is not a console
                timeout=self._timeout,
                creationflags=_CREATE_NO_WINDOW,
                check=False,
            )
        except FileNotFoundError:
            return CommandResult(None, error="not found on this system")
        except subprocess.TimeoutExpired:
            return CommandResult(None, error=f"no answer within {self._timeout:.0f} s")
        except OSError as exc:
            return CommandResult(None, error=str(exc))
        return CommandResult(done.returncode, done.stdout)
