"""Asking the kernel to start reading a host's files before its worker opens them.

On a first run the bundles are not in the page cache: a worker that opens a log waits
for the disk, and its core idles meanwhile. The parent hands out jobs a few hosts ahead
of the workers (``executors``); as it does, it asks for each file of the host with
``posix_fadvise(WILLNEED)``, which starts the read in the background and returns. By
the time a worker opens the file it is (mostly) in memory. Bounded by the jobs in
flight, so a corpus larger than memory is never read ahead as a whole. Only local runs
ask (a cluster's workers have page caches of their own). Where the call does not exist
(Windows, macOS) nothing is done.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

_WILLNEED = getattr(os, "POSIX_FADV_WILLNEED", None)


def prefetch(paths: Iterable[str]) -> int:
    """Start reading every file of ``paths``; how many the kernel was asked for. A path
    that cannot be opened is skipped: the worker reports it when it reads."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None or _WILLNEED is None:
        return 0
    asked = 0
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            advise(fd, 0, 0, _WILLNEED)
            asked += 1
        except OSError:
            pass
        finally:
            os.close(fd)
    return asked
