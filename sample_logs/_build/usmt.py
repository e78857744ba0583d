"""USMT 4 ScanState/LoadState logs and the ``/progress:`` log, stamped from the machine clock.

USMT writes local time without a zone (reference/log-formats.md section 4.1): the level
column is padded to 22 characters, continuation lines carry no stamp. The progress log
(section 4.2) carries an ISO-style offset, whose sign is the opposite of the CCM bias.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ccm import Clock, local_of

USMT_VERSION = "6.1.7600.16385"  # USMT 4.0 as shipped in the Windows AIK for Windows 7


@dataclass
class UsmtLog:
    """A ScanState or LoadState log for one run."""

    clock: Clock
    bias: int
    lines: list[str] = field(default_factory=list)

    def add(
        self, message: str, *, level: str = "Info", code: int = 0, gle: int | None = None
    ) -> datetime:
        utc = self.clock.step(0, 40)
        local = local_of(utc, self.bias)
        tail = "" if gle is None else f"[gle=0x{gle:08x}]"
        self.lines.append(f"{local:%Y-%m-%d %H:%M:%S}, {level:<22}[0x{code:06x}] {message}{tail}")
        return utc

    def more(self, text: str) -> None:
        """A continuation line of the previous record (no stamp)."""
        self.lines.append(text)

    def started(self, tool: str, command_line: str) -> None:
        utc = self.clock.utc
        local = local_of(utc, self.bias)
        fraction = f"{local.microsecond // 1000:03d}"
        self.add(f"{tool.upper()}.EXE Version {USMT_VERSION}")
        self.add(f"USMT Started at {local:%Y/%m/%d:%H:%M:%S}.{fraction}")
        self.add(f"Command line: {command_line}")

    def completed(self, tool: str, code: int, gle: int) -> None:
        self.add(f"{tool} return code: {code}")
        utc = self.clock.step(0, 30)
        local = local_of(utc, self.bias)
        self.add(
            f"USMT Completed at {local:%Y/%m/%d:%H:%M:%S}.{local.microsecond // 1000:03d}",
            gle=gle,
        )

    def encode(self) -> bytes:
        return ("\r\n".join(self.lines) + "\r\n").encode("utf-8-sig")


@dataclass
class ProgressLog:
    """The ``/progress:`` log of one run: key/value pairs after date, time and elapsed time."""

    clock: Clock
    bias: int
    started: datetime
    lines: list[str] = field(default_factory=list)

    def add(self, *pairs: str) -> None:
        utc = self.clock.step(0, 30)
        local = local_of(utc, self.bias)
        offset = -self.bias  # ISO sign: -05:00 is US Eastern standard time
        sign = "+" if offset >= 0 else "-"
        zone = f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
        elapsed = int((utc - self.started) / timedelta(seconds=1))
        hours, rest = divmod(elapsed, 3600)
        spent = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
        stamp = f"{local:%d %b %Y}, {local:%H:%M:%S} {zone}, {spent}"
        self.lines.append(", ".join([stamp, *pairs]))

    def encode(self) -> bytes:
        return ("\r\n".join(self.lines) + "\r\n").encode("utf-8-sig")
