"""The batch worker's allocator setting: freed file buffers are reused, not faulted in anew."""

from __future__ import annotations

import json
import platform
import subprocess
import sys

import pytest

from logscan.fleet import allocator

_PROBE = """
import json, random, resource, sys
from logscan.fleet.allocator import keep_freed_memory

took = keep_freed_memory() if sys.argv[1] == "kept" else None
sizes = random.Random(1).choices([300_000, 500_000, 1_500_000, 4_000_000], k=300)
first = b"x" * max(sizes)  # the heap has been as large once: count what follows
del first
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for size in sizes:
    buf = b"x" * size  # a buffer the size of a log, filled and freed per file
    del buf
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
print(json.dumps({"faults": faults, "took": took, "again": keep_freed_memory()}))
"""


def _probe(mode: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True
    ).stdout
    return dict(json.loads(out))


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="the setting exists in glibc only",
)
def test_freed_buffers_are_reused() -> None:
    default, kept = _probe("default"), _probe("kept")
    assert kept["took"] is True and kept["again"] is True
    # By default the heap is trimmed and grown again, and blocks over the adaptive
    # threshold are mapped afresh, as buffers of varied sizes come and go; each time the
    # new pages fault in. Kept, the heap stays.
    assert isinstance(default["faults"], int) and isinstance(kept["faults"], int)
    assert default["faults"] > 300
    assert kept["faults"] < default["faults"] / 10


def test_elsewhere_nothing_is_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    allocator.keep_freed_memory.cache_clear()
    monkeypatch.setattr(platform, "libc_ver", lambda: ("", ""))  # as on Windows
    try:
        assert allocator.keep_freed_memory() is False
    finally:
        allocator.keep_freed_memory.cache_clear()
