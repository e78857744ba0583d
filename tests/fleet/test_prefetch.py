"""Read-ahead of the hosts handed out: the kernel really loads the files, and the batch
asks for exactly the files of each host it hands out."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from logscan.fleet import BatchOptions, run_batch
from logscan.fleet import prefetch as prefetch_module
from logscan.fleet import run as run_module
from logscan.fleet.executors import SerialExecutor
from logscan.fleet.prefetch import prefetch


def _resident_pages(path: Path) -> int:
    out = subprocess.run(
        ["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.split()[0])


@pytest.mark.skipif(
    shutil.which("fincore") is None or not hasattr(os, "posix_fadvise"),
    reason="needs posix_fadvise and util-linux's fincore to see the page cache",
)
def test_the_kernel_reads_the_file_ahead(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    path.write_bytes(os.urandom(4 << 20))
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)  # clean pages only can be dropped
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    if _resident_pages(path) > 1 << 20:
        pytest.skip("this filesystem keeps the file in memory (tmpfs?)")
    assert prefetch([str(path), str(tmp_path / "gone.log")]) == 1  # the missing one skipped
    deadline = time.monotonic() + 5
    while _resident_pages(path) < 4 << 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _resident_pages(path) == 4 << 20


def test_without_the_call_nothing_is_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "posix_fadvise", raising=False)
    (tmp_path / "a.log").write_text("x")
    assert prefetch_module.prefetch([str(tmp_path / "a.log")]) == 0


def _share(tmp_path: Path) -> Path:
    share = tmp_path / "share"
    for host in ("PC1", "PC2"):
        logs = share / host / "Logs"
        logs.mkdir(parents=True)
        (logs / "smsts.log").write_text("x")
        (share / host / "systeminfo.txt").write_text("Host Name: " + host)
    shutil.make_archive(str(share / "PC3"), "zip", share / "PC1")
    return share


def test_each_host_handed_out_is_read_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    share = _share(tmp_path)
    asked: list[list[str]] = []
    monkeypatch.setattr(run_module, "prefetch", lambda paths: asked.append(sorted(paths)))
    run_batch(BatchOptions(roots=(str(share),), out=str(tmp_path / "out")), SerialExecutor())
    assert sorted(asked) == [
        [str(share / "PC1" / "Logs" / "smsts.log"), str(share / "PC1" / "systeminfo.txt")],
        [str(share / "PC2" / "Logs" / "smsts.log"), str(share / "PC2" / "systeminfo.txt")],
        [str(share / "PC3.zip")],
    ]


class _ClusterTwin(SerialExecutor):
    """Runs here, but is named as a cluster: its workers would not share this page cache."""

    name = "dask"


def test_a_cluster_run_reads_nothing_ahead_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    share = _share(tmp_path)
    asked: list[object] = []
    monkeypatch.setattr(run_module, "prefetch", asked.append)
    run = run_batch(BatchOptions(roots=(str(share),), out=str(tmp_path / "out")), _ClusterTwin())
    assert run.summary["scanned"] == 3
    assert asked == []
