"""FileWatch: has a log file grown, been rotated, or gone, since it was last read?

ConfigMgr rotates a log by renaming ``X.log`` to ``X.lo_`` and starting a new ``X.log``
(a new file: another inode, usually a smaller size); other writers truncate and rewrite
in place (the same inode, but the first bytes change). Both count as rotation; a file
that only got longer grew. Polling a stat and a few head bytes is cheap enough to run
every half second, and works the same on every platform and on network shares.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum

HEAD_CHECK = 256  # bytes compared to tell an in-place rewrite from an append


class FileChange(StrEnum):
    """What happened to a followed file since the last look."""

    NONE = "none"
    GREW = "grew"  # appended to: read the new records
    ROTATED = "rotated"  # replaced or rewritten: read it again from the start
    GONE = "gone"  # deleted or unreadable for now: keep what was read


@dataclass(frozen=True, slots=True)
class FileState:
    """Identity, size and first bytes of a file at one moment."""

    ident: tuple[int, int]
    size: int
    head: bytes


def file_state(path: str) -> FileState | None:
    """The state of ``path`` now, None when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            head = fh.read(HEAD_CHECK)
    except OSError:
        return None
    return FileState((st.st_dev, st.st_ino), st.st_size, head)


def compare(before: FileState | None, now: FileState | None, read_to: int) -> FileChange:
    """What changed between two looks; ``read_to`` is how far the last read got."""
    if now is None:
        return FileChange.GONE
    if before is None:
        return FileChange.ROTATED  # it came back (or appeared): read it whole
    if now.ident != before.ident or now.size < read_to:
        return FileChange.ROTATED
    common = min(len(before.head), len(now.head))
    if now.head[:common] != before.head[:common]:
        return FileChange.ROTATED
    if now.size > read_to:
        return FileChange.GREW
    return FileChange.NONE
