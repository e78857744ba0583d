"""Executors give the same answers: a real local process pool and a real Dask cluster on
loopback, compared byte for byte with the in-process run."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from logscan.errors import UsageError
from logscan.fleet import BatchOptions, LocalExecutor, SerialExecutor, make_executor, run_batch
from logscan.fleet.model import BundleKind, HostBundle, HostJob, HostResult

_COMPARED = ("hosts.csv", "findings.jsonl")


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in _COMPARED}


def _run(share: Path, out: Path, executor: object) -> dict[str, bytes]:
    options = BatchOptions(roots=(str(share),), out=str(out), use_cache=False)
    run = run_batch(options, executor)  # type: ignore[arg-type]
    assert run.summary["finished"] == run.hosts > 0
    return _outputs(out)


def test_the_local_pool_equals_the_serial_run(share: Path, tmp_path: Path) -> None:
    serial = _run(share, tmp_path / "serial", SerialExecutor())
    pooled = _run(share, tmp_path / "pool", LocalExecutor(2))
    assert pooled == serial


def test_dask_cluster_on_loopback_equals_the_local_run(share: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip(
        "distributed", reason="dask[distributed] is not installed (the dask extra)"
    )
    local = _run(share, tmp_path / "local", SerialExecutor())
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        executor = make_executor("dask", scheduler=cluster.scheduler_address)
        assert executor.workers == 2
        remote = _run(share, tmp_path / "dask", executor)
    assert remote == local


def test_bad_executor_choices_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="--scheduler"):
        make_executor("dask")
    with pytest.raises(UsageError, match="only used with --executor dask"):
        make_executor("local", scheduler="tcp://127.0.0.1:1")
    with pytest.raises(UsageError, match="known: local, dask"):
        make_executor("cloud")


def _stuck(_job: HostJob) -> HostResult:
    time.sleep(60)  # a host that takes long: the run is interrupted meanwhile
    raise AssertionError("never reached")


def test_an_interrupted_pool_never_hangs_the_exit(tmp_path: Path) -> None:
    # A worker killed while sending its answer leaves half a message in the pool's
    # result pipe; the pool's manager thread then waited for the rest forever, and the
    # interpreter joins that thread at exit: Ctrl-C hung `logscan batch` now and then.
    # Here the half message is written by hand, then the run is cancelled.
    executor = LocalExecutor(1)
    bundle = HostBundle("WKS", "WKS", str(tmp_path), "WKS", BundleKind.FOLDER)
    job = HostJob(bundle, (), "r", datetime.now(UTC))
    outcomes = executor.run(_stuck, [job])
    waiter = threading.Thread(target=lambda: list(outcomes), daemon=True)
    waiter.start()
    deadline = time.monotonic() + 30
    while executor._pool is None or not getattr(executor._pool, "_processes", None):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    pool = executor._pool
    manager = pool._executor_manager_thread
    os.write(pool._result_queue._writer.fileno(), (1000).to_bytes(4, "big") + b"half")
    time.sleep(0.5)  # the manager thread is now waiting for the other 996 bytes
    executor.close(cancel=True)
    manager.join(10)
    assert not manager.is_alive()
