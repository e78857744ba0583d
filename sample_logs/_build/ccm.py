"""CCM (CMTrace) and legacy ``$$<`` record writers driven by one UTC clock per machine.

Every record is stamped from the machine's clock in UTC and written in local time with
the Windows bias of the moment (UTC = local + bias), so files written by different
phases (WinPE at +480, the full OS at +300) still agree on when things happened.
Records keep their UTC, so a file can be assembled from several writers and sorted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

CRLF = "\r\n"


class Clock:
    """The machine's true time (UTC), moved forward in small random steps."""

    def __init__(self, start_utc: datetime, seed: str) -> None:
        self.utc = start_utc
        self.rng = random.Random(seed)

    def step(self, lo_ms: int = 0, hi_ms: int = 16) -> datetime:
        self.utc += timedelta(milliseconds=self.rng.randint(lo_ms, hi_ms))
        return self.utc

    def wait(self, seconds: float, jitter_ms: int = 900) -> datetime:
        self.utc += timedelta(seconds=seconds, milliseconds=self.rng.randint(0, jitter_ms))
        return self.utc

    def set(self, utc: datetime) -> None:
        if utc < self.utc:
            raise ValueError(f"clock would go back from {self.utc} to {utc}")
        self.utc = utc


def local_of(utc: datetime, bias: int) -> datetime:
    """Local wall time for a Windows bias in minutes (positive west of Greenwich)."""
    return utc - timedelta(minutes=bias)


def ccm_text(
    message: str,
    utc: datetime,
    bias: int,
    component: str,
    level: int,
    thread: int,
    source: str,
) -> str:
    """One CCM record in the attribute order every Microsoft writer uses."""
    local = local_of(utc, bias)
    stamp = f"{local:%H:%M:%S}.{local.microsecond // 1000:03d}{bias:+d}"
    return (
        f'<![LOG[{message}]LOG]!><time="{stamp}" date="{local:%m-%d-%Y}" '
        f'component="{component}" context="" type="{level}" thread="{thread}" '
        f'file="{source}">'
    )


@dataclass(frozen=True, slots=True)
class Rec:
    """A written record: its true time and its text without the line end."""

    utc: datetime
    text: str


@dataclass
class CcmLog:
    """One CCM log file being written; ``bias`` may change between phases."""

    clock: Clock
    bias: int
    recs: list[Rec] = field(default_factory=list)

    def add(
        self,
        component: str,
        message: str,
        *,
        thread: int,
        source: str,
        level: int = 1,
        gap: tuple[int, int] = (0, 16),
    ) -> Rec:
        """Append a record stamped ``gap`` milliseconds after the previous clock reading."""
        utc = self.clock.step(*gap)
        rec = Rec(utc, ccm_text(message, utc, self.bias, component, level, thread, source))
        self.recs.append(rec)
        return rec

    def add_at(
        self,
        utc: datetime,
        component: str,
        message: str,
        *,
        thread: int,
        source: str,
        level: int = 1,
        bias: int | None = None,
    ) -> Rec:
        """Append a record at an explicit time (background activity drawn separately)."""
        b = self.bias if bias is None else bias
        rec = Rec(utc, ccm_text(message, utc, b, component, level, thread, source))
        self.recs.append(rec)
        return rec

    def snapshot(self) -> list[Rec]:
        """The records written so far (a copy of the file as it stood at this moment)."""
        return list(self.recs)


def encode(recs: list[Rec], encoding: str = "utf-8-sig") -> bytes:
    """File bytes: records in time order, CRLF after each, BOM per ``encoding``.

    ``utf-16`` means UTF-16LE with its BOM, as Notepad's "Unicode" writes it.
    """
    ordered = sorted(recs, key=lambda r: r.utc)
    text = "".join(r.text + CRLF for r in ordered)
    if encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(encoding)


def split_at_size(recs: list[Rec], limit: int) -> tuple[list[Rec], list[Rec]]:
    """Rotate like the client: the older file stops before it would pass ``limit`` bytes."""
    ordered = sorted(recs, key=lambda r: r.utc)
    size = 3  # the BOM
    for i, rec in enumerate(ordered):
        size += len(rec.text.encode("utf-8")) + 2
        if size > limit:
            return ordered[:i], ordered[i:]
    return ordered, []


def legacy_text(message: str, utc: datetime, bias: int, component: str, thread: int) -> str:
    """One SMS 2003 / ConfigMgr 2007 server trace line (generation 3 of the ``$$<`` format)."""
    local = local_of(utc, bias)
    stamp = f"{local:%m-%d-%Y %H:%M:%S}.{local.microsecond // 1000:03d}{bias:+d}"
    return f"{message}  $$<{component}><{stamp}><thread={thread} (0x{thread:X})>"


# US Eastern in 2011: EDT from 13 March 07:00 UTC to 6 November 06:00 UTC.
_DST_2011 = (datetime(2011, 3, 13, 7), datetime(2011, 11, 6, 6))


def eastern_bias(utc: datetime) -> int:
    """The Windows bias of a US Eastern machine at ``utc`` (2011 rules)."""
    start, end = _DST_2011
    return 240 if start <= utc < end else 300
