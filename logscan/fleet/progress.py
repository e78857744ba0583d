"""Batch progress on stderr: hosts done / total, MB/s and ETA, redrawn in place.

Shown only when stderr is a terminal (a log file or a pipe gets nothing but the final
summary line), and redrawn at most a few times a second so it costs nothing.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_REDRAW = 0.2  # seconds between redraws


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class Progress:
    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self._stream = stream or sys.stderr
        self.enabled = self._stream.isatty() if enabled is None else enabled
        self.total = 0
        self.done = 0
        self.cached = 0
        self.todo_bytes = 0  # bytes of the hosts that must be scanned
        self.scanned_bytes = 0
        self._start = time.monotonic()
        self._drawn = 0.0

    def start(self, hosts: int, todo_bytes: int) -> None:
        self.total, self.todo_bytes = hosts, todo_bytes
        self._start = time.monotonic()
        self._draw(force=True)

    def add_todo(self, size: int) -> None:
        """Bytes of one more host whose identity was taken (identities stream in while
        the first hosts are already scanned)."""
        self.todo_bytes += size

    def advance(self, size: int, *, cached: bool) -> None:
        self.done += 1
        if cached:
            self.cached += 1
        else:
            self.scanned_bytes += size
        self._draw()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self._start, 1e-6)
        rate = self.scanned_bytes / elapsed
        text = f"hosts {self.done}/{self.total}"
        if self.cached:
            text += f" ({self.cached} unchanged)"
        text += f"  {rate / 1e6:.1f} MB/s"
        left = self.todo_bytes - self.scanned_bytes
        if rate > 0 and self.done < self.total:
            text += f"  ETA {_clock(max(left, 0) / rate)}"
        return text

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._drawn < _REDRAW):
            return
        self._drawn = now
        self._stream.write("\r\x1b[K" + self.line())
        self._stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self._stream.write("\r\x1b[K" + self.line() + "\n")
            self._stream.flush()
