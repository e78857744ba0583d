"""The command-runner seam: run a program with a timeout and capture what it says.

``SubprocessRunner`` is the real one (no shell, stdin closed, output captured, killed at
the timeout); ``DryRunner`` records commands and runs nothing; ``RecordingRunner`` records
and hands each command to a script, which is how tests and the TUI demo stand in for
CCMCertFix.exe (see ``twin.certfix_script``). Only ``default_runner`` looks at the
platform.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

_CREATE_NO_WINDOW = 0x08000000
_TAIL = 4000


@dataclass(frozen=True, slots=True)
class RunResult:
    """What happened: ``returncode`` None when the program did not finish (or never ran)."""

    argv: tuple[str, ...]
    returncode: int | None
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False
    error: str = ""  # could not start, or why it stopped
    duration_s: float = 0.0
    ran: bool = True

    @property
    def ok(self) -> bool:
        return self.ran and self.returncode == 0 and not self.timed_out

    def describe(self) -> str:
        if not self.ran:
            return "not run (dry run)"
        if self.timed_out:
            return f"killed after the {self.duration_s:.0f} s timeout"
        if self.returncode is None:
            return f"could not run: {self.error}"
        return f"exit code {self.returncode}"


class CommandRunner(Protocol):
    """Runs one command; never raises for the program's own failures."""

    def run(self, argv: Sequence[str], *, timeout: float, cwd: str | None = None) -> RunResult: ...


def decode_output(raw: bytes) -> str:
    """Console output as text: UTF-8 when it is, else the ANSI code page's cp1252."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def tail(text: str, limit: int = _TAIL) -> str:
    """The end of a long output, marked as cut."""
    return text if len(text) <= limit else "…" + text[-limit:]


class SubprocessRunner:
    """Runs programs for real (no shell: the argv is passed as given)."""

    def __init__(self, creationflags: int = 0) -> None:
        self._creationflags = creationflags

    def run(self, argv: Sequence[str], *, timeout: float, cwd: str | None = None) -> RunResult:
        args = tuple(argv)
        start = time.monotonic()
        try:
            done = subprocess.run(
                list(args),
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                cwd=cwd,
                creationflags=self._creationflags,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            return RunResult(
                args,
                None,
                decode_output(_bytes(exc.stdout)),
                decode_output(_bytes(exc.stderr)),
                timed_out=True,
                error=f"no exit within {timeout:.0f} s; killed",
                duration_s=time.monotonic() - start,
            )
        except OSError as exc:
            return RunResult(args, None, error=str(exc), duration_s=time.monotonic() - start)
        return RunResult(
            args,
            done.returncode,
            decode_output(done.stdout),
            decode_output(done.stderr),
            duration_s=time.monotonic() - start,
        )


def _bytes(data: bytes | str | None) -> bytes:
    if data is None:
        return b""
    return data.encode() if isinstance(data, str) else data


class DryRunner:
    """Records every command it is given and runs none of them."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[str, ...], float, str | None]] = []

    def run(self, argv: Sequence[str], *, timeout: float, cwd: str | None = None) -> RunResult:
        self.calls.append((tuple(argv), timeout, cwd))
        return RunResult(tuple(argv), None, ran=False)


Script = Callable[[tuple[str, ...], float, "str | None"], RunResult]


class RecordingRunner:
    """Records every command and lets ``script`` play the program's part."""

    def __init__(self, script: Script) -> None:
        self._script = script
        self.calls: list[tuple[tuple[str, ...], float, str | None]] = []

    def run(self, argv: Sequence[str], *, timeout: float, cwd: str | None = None) -> RunResult:
        args = tuple(argv)
        self.calls.append((args, timeout, cwd))
        return self._script(args, timeout, cwd)


def default_runner() -> CommandRunner:
    """The real runner; on Windows without flashing a console window."""
    if sys.platform == "win32":
        return SubprocessRunner(_CREATE_NO_WINDOW)
    else:
        return SubprocessRunner()
