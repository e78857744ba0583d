"""Oversize CCM items: keep the first ``max_record`` bytes, skip the rest unheld.

An item (record, torn fragment, unclosed record or stray text) whose message outgrows the
cap while its end is still to come is switched to skip mode: its head is kept, its middle
is only counted (lines, size, last non-blank byte) and dropped block by block, and the
general scanner finishes it once its closer or the next opener shows up. Peak memory is
about twice the cap (the held blocks and the head built from them) plus a block.
"""

from __future__ import annotations

from collections.abc import Generator

from logscan.parsers._ccm_emit import CLOSER, OPENER, SPACE, Big, Emitter, Kind, cut_text
from logscan.parsers._ccm_scan import rstrip_end
from logscan.parsers.base import ParseItem

MARK = len(OPENER)  # bytes kept at a block edge so a marker split by it is still found


def _last_bytes(chunks: list[bytes], n: int) -> bytes:
    out = b""
    for chunk in reversed(chunks):
        out = chunk[-(n - len(out)) :] + out
        if len(out) >= n:
            break
    return out


def enter_skip(em: Emitter, held: list[bytes]) -> Big:
    """Switch the item at the window start (continued by ``held`` blocks) to skip mode.

    The caller knows that neither the window after the item's own opener nor the held
    blocks contain a marker.
    """
    data = em.data
    orphan = not data.startswith(OPENER)
    body = 0 if orphan else len(OPENER)
    cap = em.max_record
    parts: list[bytes] = []
    got = 0
    for chunk in [data[body:], *held]:
        if got >= cap:
            break
        parts.append(chunk[: cap - got])
        got += len(parts[-1])
    head = cut_text(b"".join(parts), cap, em.codec == "utf-8")
    del parts
    big = Big(em.base, em.line_at(0), head, orphan, em.base)
    # Count lines and find the last non-blank byte chunk by chunk, without joining.
    chunks = [data, *held]
    keep = sum(map(len, chunks)) - MARK
    off = 0
    for chunk in chunks:
        hi = min(len(chunk), keep - off)
        if hi > 0:
            em.lines.advance(chunk, em.base + off, em.base + off + hi)
            end = len(chunk[:hi].rstrip(SPACE))
            if end:
                big.last_end = em.base + off + end
        off += len(chunk)
    edge = _last_bytes(chunks, MARK + 1)
    em.data = edge[-MARK:]
    em.fresh_line = edge[0] in (10, 13)
    em.base += keep
    return big


def skip(
    em: Emitter, big: Big, block: bytes, final: bool
) -> Generator[ParseItem, None, Big | None]:
    """Look for the end of an oversize item in the next block; None once it is found."""
    em.data += block
    data = em.data
    body = 0 if big.orphan else len(OPENER)
    c = data.find(CLOSER)
    o = data.find(OPENER)
    if c != -1 and (o == -1 or c < o):
        big.size = em.base + c - big.start - body
        em.drop(c)
        em.cont = big  # the general scanner finishes it with its attributes
        return None
    if o != -1 or final:
        stop = o if o != -1 else len(data)
        end = rstrip_end(data, 0, stop)
        end_pos = em.base + end if end else big.last_end
        big.size = end_pos - big.start - body
        kind = Kind.STRAY if big.orphan else Kind.UNCLOSED
        yield from em.emit(big.start, end_pos, big.line, big.head, kind, oversize=big.size)
        em.drop(stop)
        return None
    keep = len(data) - MARK
    if keep > 0:
        end = rstrip_end(data, 0, keep)
        if end:
            big.last_end = em.base + end
        em.drop(keep)
    return big
