"""The C allocator of a batch worker, told to keep freed memory for reuse (glibc only).

glibc serves a block of 128 KiB or more with a mapping of its own and gives it back to
the kernel when it is freed; its adaptive threshold then trims the top of the heap
instead. A worker reads every log of a bundle into a buffer the size of the file (4 MiB
blocks for big ones) and frees it after the scan, so some of those buffers came back as
fresh pages that the kernel zeroes on first touch. ``benchmarks/bench_layers.py`` with
and without ``--default-malloc``: about 110 page faults per host by default, 390 for a
zipped one, and 2 and 7 with fixed thresholds; 8.05 → 7.82 ms of worker time per host,
10.2 → 9.4 ms per zipped host. Elsewhere (Windows, macOS, musl) nothing is changed.
"""

from __future__ import annotations

from functools import cache

_M_TRIM_THRESHOLD = -1  # from glibc's malloc.h
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 16 << 20  # blocks below this come from the heap (a log buffer is)
TRIM_THRESHOLD = 32 << 20  # free memory kept at the top of the heap before trimming


@cache
def keep_freed_memory() -> bool:
    """Sets the thresholds once per process; whether glibc took them."""
    # Imported here: the parent imports this module with the worker's, and never calls it.
    import ctypes
    import platform

    if platform.libc_ver()[0] != "glibc":  # asks confstr on glibc: no file is read
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this process runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # glibc answers 1 for a setting it took.
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
