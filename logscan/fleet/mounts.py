"""Whether a path lives on a network filesystem (an SMB or NFS share), from the mount table.

The batch takes every bundle's identity in a few threads. Where a file's stat is a
network round trip, threads hide that latency; on a local disk the same threads only
pass the interpreter lock around (an unchanged re-run of 2,000 hosts took a quarter
longer with four than with one). Where the answer is not known, the path counts as
remote: the cost of guessing wrong that way is small, the other way large.
"""

from __future__ import annotations

import os

_NETWORK_TYPES = frozenset(
    {
        "cifs", "smb3", "smbfs", "nfs", "nfs4", "9p", "afs", "ceph", "glusterfs",
        "lustre", "fuse.sshfs", "fuse.rclone", "davfs", "fuse.davfs2", "gpfs",
    }
)  # fmt: skip
MOUNTS = "/proc/self/mounts"


def _unescape(field: str) -> str:
    """Mount table fields escape space, tab, newline and backslash as octal."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def filesystem_type(path: str, mounts: str | None = None) -> str | None:
    """The type of the filesystem holding ``path`` (the longest mount point above it),
    None when the mount table cannot be read."""
    try:
        with open(mounts or MOUNTS, encoding="utf-8", errors="replace") as fh:
            table = fh.read().splitlines()
    except OSError:
        return None
    real = os.path.realpath(path)
    best, kind = -1, None
    for line in table:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape(fields[1])
        inside = real == point or real.startswith(point.rstrip("/") + "/")
        if inside and len(point) > best:
            best, kind = len(point), fields[2]
    return kind


def is_local(path: str) -> bool:
    """True only when ``path`` is known to be on a local filesystem."""
    if os.name == "nt":
        # A UNC path is a share; a drive letter may be a mapped share, which only the
        # Win32 API can tell (kept out of here): counted as remote.
        return False
    kind = filesystem_type(path)
    return kind is not None and kind not in _NETWORK_TYPES and not kind.startswith("nfs")
