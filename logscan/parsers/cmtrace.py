"""The CCM/CMTrace log parser (``<![LOG[message]LOG]!><time=… date=… …>``).

Grammar and pitfalls: reference/log-formats.md sections 1 and 7. The whole byte stream is
scanned, not lines, because messages carry CR/LF of every kind. Canonical records (the
one attribute order every Microsoft writer uses) are taken by one compiled pattern run
with ``finditer``; whatever it leaves between its matches goes to the general scanner
(``_ccm_scan``), which reads attributes by name and recovers the rest. Both paths give
identical records for canonical input (a test runs every real log through both).

Decisions, for readers of the output:

- A record is followed by its own warnings, all located at the record's first line.
- Torn fragment (``…]LOG]!><attrs>`` without its opener): a record flagged TRUNCATED
  whose message is all the text since the previous record (blank lines excepted; a
  fragment starting a line keeps its indentation), never glued to that record.
- Unclosed ``<![LOG[`` (at end of file, or before the next opener): a record flagged
  UNCLOSED, message = its text, no time.
- Stray text (no opener, and the next marker is an opener or the end of file): kept as
  a record flagged STRAY, so nothing in the evidence is hidden, plus a warning.
  Blank space between records is ignored; zero-filled runs give one NUL_BYTES warning.
- A message over ``max_record`` bytes is cut to that size (OVERSIZE); the middle of such
  an item is skipped without being held, so memory stays flat whatever the input.
- Records, offsets and warnings do not depend on where block boundaries fall.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Generator, Iterator, Mapping
from datetime import datetime

from logscan.inputs.stream import TextStream
from logscan.model import LogFormat, RecordFlag
from logscan.parsers._ccm_attrs import frozen_extras, read_attributes
from logscan.parsers._ccm_big import MARK, enter_skip, skip
from logscan.parsers._ccm_emit import CLOSER, OPENER, Big, Emitter, Kind
from logscan.parsers._ccm_fields import LEVELS, TimeSuffix, date_parts, time_suffix
from logscan.parsers._ccm_record import make_record
from logscan.parsers._ccm_scan import scan
from logscan.parsers.base import ParseItem, line_breaks, register

MAX_RECORD = 64 << 20  # message bytes kept per record; the rest is skipped (OVERSIZE)

_FAST = re.compile(
    rb"""
    <!\[LOG\[
    # 1 message: holds neither ']LOG]!><' nor '<![LOG['. Excluding the opener costs
    # some speed but keeps every match attempt short: with it, a run of unclosed
    # records is scanned once, without it once per record (quadratic time).
    (
      [^\]<]*+
      (?: (?: \](?!LOG\]!><) | <(?!!\[LOG\[) ) [^\]<]*+ )*+
    )
    \]LOG\]!><time="
    (\d{1,2}:\d\d:\d\d)                 # 2 hour:minute:second, parsed once per distinct value
    ([^"\r\n<]*)                       # 3 fraction and bias (".476+240"), likewise
    "\ date="
    (\d{1,2}[-/]\d{1,2}[-/]\d{4})       # 4 month-day-year, likewise
    "\ component="([^"\r\n<]*)          # 5
    "\ context="([^"\r\n<]*)            # 6
    "\ type="([0-3]?)                   # 7
    "\ thread="(\d{0,10})               # 8 a 32-bit thread id
    "\ file="([^"\r\n<]*)               # 9
    ">
    """,
    re.X,
)

_NO_FLAGS: frozenset[RecordFlag] = frozenset()
_MULTILINE = frozenset({RecordFlag.MULTILINE})
_CACHE_LIMIT = 4096
_CLOCK_LIMIT = 86_400  # one entry per second of the day
_UNSEEN = (0, 0, 0)  # sentinel: date not parsed yet


def _round(run: _Run, final: bool) -> Generator[ParseItem, None, bool]:
    """Parse the window: fast matches, and the general scanner for what lies between.

    Returns whether the unconsumed rest is waiting for a marker to arrive.
    """
    em = run.em
    data, base = em.data, em.base
    utf16, bom, file_offset = em.utf16, em.skip, em.stream.file_offset
    codec, cap, source, advance = em.codec, em.max_record, em.source, em.lines.advance
    dates, clocks, tails = run.dates, run.clocks, run.tails
    components, extras_cache = run.components, run.extras
    levels, ccm, make = LEVELS, LogFormat.CCM, make_record
    pos = 0
    # Line numbers are counted here between consecutive fast records (the common case
    # costs one comparison); after any other path the shared LineCounter resynchronises.
    line = -1  # line of the previous fast record, -1 when unknown
    # Only a run carried from the previous window can be pending here: every other path
    # (the scanner, by-name records) reports its NUL runs itself.
    nul_pending = em.nul_pending > 0
    breaks = 0  # line breaks inside that record
    for m in _FAST.finditer(data):
        start, end = m.span()
        if start != pos:
            gap = data[pos:start]
            if gap in (b"\r\n", b"\n"):
                breaks += 1
            elif gap.isspace():
                breaks += line_breaks(gap, 0, len(gap))
            else:
                yield from scan(em, pos, start, True)
                line = -1
        pos = end
        msg, hms, suffix, date, comp, ctx, typ, th, fil = m.groups()
        try:
            ymd = dates.get(date, _UNSEEN)
            if ymd is _UNSEEN:
                ymd = dates[date] = date_parts(date)
            # (int membership tests use memchr: far cheaper than b"\x00" in msg)
            if ymd is None or len(msg) > cap or 0 in msg:
                raise _Unusual
            text = msg.decode(codec)  # UnicodeDecodeError is a ValueError
            tail = tails.get(suffix)
            if tail is None:
                tail = time_suffix(suffix)
                if tail is None:
                    raise _Unusual
                # Cache up to 3 fraction digits; 7-digit .NET ticks hardly ever repeat.
                if len(suffix) <= 4 or suffix[4] in b"+-":
                    tails[suffix] = tail
            us, minutes = tail
            y, mo, d = ymd
            clock = clocks.get(hms)
            if clock is None:
                clock = clocks[hms] = (int(hms[:-6]), int(hms[-5:-3]), int(hms[-2:]))
            h, mn, s = clock
            local = datetime(y, mo, d, h, mn, s, us)  # ValueError for 25:61:61
            component = components.get(comp)
            if component is None:
                component = components[comp] = comp.decode(codec)
            extras = extras_cache.get((ctx, fil))
            if extras is None:
                extras = extras_cache[ctx, fil] = _extras(ctx.decode(codec), fil.decode(codec))
        except (ValueError, _Unusual):
            # Anything odd goes to the by-name path, which knows how to flag and warn.
            yield from _by_name(em, m)
            line = -1
            continue
        if nul_pending:  # a zero-filled run the previous window ended in
            yield from em.flush_nuls()
            nul_pending = False
        if utf16:
            offset = file_offset(base + start)
            length = file_offset(base + end) - offset
        else:
            offset, length = bom + base + start, end - start
        line = advance(data, base, base + start) if line < 0 else line + breaks
        if 10 in msg or 13 in msg:
            flags, breaks = _MULTILINE, line_breaks(msg, 0, len(msg))
        else:
            flags, breaks = _NO_FLAGS, 0
        yield make(
            source,
            line,
            offset,
            length,
            local,
            minutes,
            levels[typ],
            component,
            int(th) if th else None,
            text,
            ccm,
            flags,
            extras,
        )
    if line >= 0:
        em.lines.jump(base + pos, line + breaks)  # skip recounting what was counted here
    run.trim_caches()
    consumed, waiting = yield from scan(em, pos, len(data), final)
    em.drop(consumed)
    return waiting


class _Unusual(Exception):
    """A canonical-looking record that the fast path leaves to the by-name path."""


def _extras(context: str, file: str) -> Mapping[str, str]:
    return frozen_extras({k: v for k, v in (("context", context), ("file", file)) if v})


def _by_name(em: Emitter, m: re.Match[bytes]) -> Iterator[ParseItem]:
    """A canonical-looking record with an anomaly (bad date, huge, NUL, undecodable)."""
    start, end, closer = m.start(), m.end(), m.end(1)
    fields = read_attributes(em.data[closer + len(CLOSER) : end], em.stream.decode)
    line = em.line_at(start)
    yield from em.emit(em.base + start, em.base + end, line, m[1], Kind.RECORD, fields=fields)


class _Conversions:
    """Caches of conversions from field bytes to values: logs repeat a few dates, biases,
    components. Pure functions of the bytes, so kept per thread rather than per parse:
    the engine parses a file as many small regions (one per hit), and starting each with
    empty caches converted the same fields again every time."""

    def __init__(self) -> None:
        self.dates: dict[bytes, tuple[int, int, int] | None] = {}
        self.clocks: dict[bytes, tuple[int, int, int]] = {}
        self.tails: dict[bytes, TimeSuffix] = {}
        self.components: dict[bytes, str] = {}
        self.extras: dict[tuple[bytes, bytes], Mapping[str, str]] = {}


_CONVERSIONS = threading.local()


def _conversions() -> _Conversions:
    found: _Conversions | None = getattr(_CONVERSIONS, "caches", None)
    if found is None:
        found = _CONVERSIONS.caches = _Conversions()
    return found


class _Run:
    """State of one parse: the emitter plus the conversion caches."""

    def __init__(self, stream: TextStream, max_record: int) -> None:
        self.stream = stream
        self.em = Emitter(stream, max_record)
        caches = _conversions()
        self.dates = caches.dates
        self.clocks = caches.clocks
        self.tails = caches.tails
        self.components = caches.components
        self.extras = caches.extras
        # Pending bytes past which an item still waiting for its closer is surely oversize.
        self.limit = max_record + 4 * MARK

    def trim_caches(self) -> None:
        """Bound the caches (hostile input could make every value distinct)."""
        caches = (self.dates, self.tails, self.components, self.extras)
        for cache in caches:
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
        if len(self.clocks) > _CLOCK_LIMIT:
            self.clocks.clear()

    def items(self) -> Iterator[ParseItem]:
        em = self.em
        held: list[bytes] = []  # blocks that cannot complete the waiting item, not yet joined
        held_len = 0
        tail = b""
        waiting = False
        big: Big | None = None
        for block in self.stream.blocks():
            if big is not None:
                big = yield from skip(em, big, block, final=False)
                if big is not None:
                    continue
            elif waiting:
                edge = tail + block[:MARK]
                tail = (tail + block[-MARK:])[-MARK:]
                if not any(k in edge or k in block for k in (CLOSER, OPENER)):
                    held.append(block)
                    held_len += len(block)
                    if len(em.data) + held_len > self.limit:
                        big = enter_skip(em, held)
                        held.clear()
                        held_len = 0
                    continue
                if held:
                    em.data += b"".join(held)
                    held.clear()
                    held_len = 0
                em.data += block
            else:
                em.data = em.data + block if em.data else block
            waiting = yield from _round(self, False)
            if waiting:
                tail = em.data[-MARK:]
                if len(em.data) > self.limit:
                    big = enter_skip(em, [])
        if big is not None:
            yield from skip(em, big, b"", final=True)
        if held:
            em.data += b"".join(held)
        yield from _round(self, True)
        yield from em.flush_nuls()


@register
class CcmParser:
    """Parser for CCM (CMTrace) logs: ConfigMgr client, task-sequence and MDT logs.

    ``max_record`` caps the message bytes kept per record (64 MiB by default).
    """

    format = LogFormat.CCM

    def __init__(self, max_record: int = MAX_RECORD) -> None:
        self.max_record = max_record

    def sniff(self, head: str) -> float:
        opener = "<![LOG[" in head
        closer = "]LOG]!><" in head
        if opener and closer:
            return 0.95
        if closer:
            return 0.7  # a file that starts with a torn record
        if opener:
            return 0.5  # the first record is longer than the head
        return 0.0

    def parse(self, stream: TextStream) -> Iterator[ParseItem]:
        return _Run(stream, self.max_record).items()
