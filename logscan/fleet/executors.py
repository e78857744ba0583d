"""Executors: where host jobs run. A small protocol with three implementations.

- ``LocalExecutor``: a process pool sized to the cores (the default);
- ``DaskExecutor``: an existing Dask distributed cluster (``--scheduler tcp://HOST:PORT``,
  the ``dask`` extra); the workers must see the bundles under the same paths;
- ``SerialExecutor``: this process, one job at a time (tests, ``--workers 1`` debugging).

``run`` streams outcomes in completion order and keeps only a few jobs in flight, so
memory stays bounded whatever the number of hosts. A job whose worker died is retried
once on a fresh worker, then reported as an error outcome; it never stops the run.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from logscan.errors import UsageError
from logscan.fleet.model import HostJob, HostResult

ScanFn = Callable[[HostJob], HostResult]


@dataclass(frozen=True, slots=True)
class Outcome:
    job: HostJob
    result: HostResult | None
    error: str = ""  # why there is no result (the worker died, the cluster lost it)


class Executor(Protocol):
    name: str
    workers: int

    def run(self, fn: ScanFn, jobs: Iterable[HostJob]) -> Iterator[Outcome]: ...

    def close(self, *, cancel: bool = False) -> None: ...


# What a worker's first host imports (the diagnosis stack, the parsers, certificates).
_WORKER_MODULES = (
    "logscan.fleet.work",
    "logscan.diagnose.report",
    "logscan.diagnose.serialize",
    "logscan.engine.scan",
    "logscan.parsers.cmtrace",
    "logscan.parsers.smstrace",
    "logscan.parsers.usmt",
    "logscan.certs.regexport",
    "hyperscan",
)


def default_workers() -> int:
    affinity = getattr(os, "sched_getaffinity", None)  # the cores this process may use
    if affinity is not None:
        return max(1, len(affinity(0)))
    return max(1, os.cpu_count() or 1)  # not on Linux


class SerialExecutor:
    """Runs every job in this process; the in-memory twin of the pools."""

    name = "serial"
    workers = 1

    def run(self, fn: ScanFn, jobs: Iterable[HostJob]) -> Iterator[Outcome]:
        for job in jobs:
            yield Outcome(job, fn(job))

    def close(self, *, cancel: bool = False) -> None:
        return None


def _ignore_sigint() -> None:
    # Ctrl-C reaches the whole process group: only the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalExecutor:
    """A process pool on this machine."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self._pool: Any = None
        self._cancelled = False

    def _new_pool(self) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        # forkserver: workers start from a clean process, not from a copy of this one
        # (which may hold threads and open files); spawn where there is no forkserver.
        ctx: Any
        if "forkserver" in methods:
            ctx = multiprocessing.get_context("forkserver")
            # Imported once in the fork server, inherited by every worker forked from it,
            # instead of once per worker (and again for each replacement after a crash).
            ctx.set_forkserver_preload(list(_WORKER_MODULES))
        else:
            ctx = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_ignore_sigint)

    def run(self, fn: ScanFn, jobs: Iterable[HostJob]) -> Iterator[Outcome]:
        from concurrent.futures import FIRST_COMPLETED, Future, wait
        from concurrent.futures.process import BrokenProcessPool

        limit = self.workers * 2 + 2
        pending: dict[Future[HostResult], HostJob] = {}
        queue = iter(jobs)
        retry: list[HostJob] = []
        exhausted = False
        while True:
            while len(pending) < limit and (retry or not exhausted):
                job = retry.pop() if retry else next(queue, None)
                if job is None:
                    exhausted = True
                    break
                # Started on the first job: a re-run where every host is unchanged pays nothing.
                self._pool = self._pool or self._new_pool()
                pending[self._pool.submit(fn, job)] = job
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            if self._cancelled:
                return  # closed meanwhile (Ctrl-C): what was not handed out is dropped
            broken = False
            for future in done:
                job = pending.pop(future)
                try:
                    yield Outcome(job, future.result())
                except BrokenProcessPool:
                    broken = True
                    if job.attempt >= 2:
                        why = "the worker process died while scanning this host"
                        yield Outcome(job, None, f"{why} (out of memory or a crash)")
                    else:
                        retry.append(_again(job))
            if broken:  # every job still in the dead pool is resubmitted to a new one
                retry.extend(_again(j) for j in pending.values())
                pending.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()

    def close(self, *, cancel: bool = False) -> None:
        self._cancelled = cancel
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if cancel:  # Ctrl-C: unfinished hosts are dropped, finished ones are already kept
            processes = list(getattr(pool, "_processes", {}).values())
            results = getattr(pool, "_result_queue", None)  # shutdown forgets it
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(5)
            _unblock_results(results)
        else:
            pool.shutdown(wait=True)


def _unblock_results(results: Any) -> None:
    """Close this process's write end of the pool's result pipe, once its workers are dead.

    A worker killed while sending its answer leaves half a message in that pipe; the
    pool's manager thread then waits for the rest forever, and the interpreter joins that
    thread at exit, so an interrupted batch could hang instead of exiting. With every
    write end closed the wait ends in end-of-file, which the pool treats as broken and
    cleans up. (``results`` is the standard library's queue; without it nothing is done.)
    """
    writer = getattr(results, "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()


def _again(job: HostJob) -> HostJob:
    from dataclasses import replace

    return replace(job, attempt=job.attempt + 1)


class DaskExecutor:
    """Jobs on a Dask distributed cluster; results are the same as a local run."""

    name = "dask"

    def __init__(self, scheduler: str) -> None:
        try:
            import distributed
        except ImportError as exc:
            raise UsageError(
                "--executor dask needs the dask extra: pip install 'logscan-configmgr[dask]'"
            ) from exc
        try:
            client: Any = distributed.Client
            self._client: Any = client(scheduler, timeout="10s")
        except OSError as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        self.workers = max(1, sum(self._client.nthreads().values()))
        self._live: dict[str, Any] = {}

    def run(self, fn: ScanFn, jobs: Iterable[HostJob]) -> Iterator[Outcome]:
        import distributed

        as_completed: Any = distributed.as_completed

        limit = self.workers * 2 + 2
        queue = iter(jobs)
        owners: dict[str, HostJob] = {}
        running = as_completed()

        def submit(job: HostJob) -> None:
            future = self._client.submit(fn, job, pure=False)
            owners[future.key] = job
            self._live[future.key] = future
            running.add(future)

        for job in queue:
            submit(job)
            if len(owners) >= limit:
                break
        for future in running:
            job = owners.pop(future.key)
            self._live.pop(future.key, None)
            if future.status == "finished":
                yield Outcome(job, future.result())
            else:
                yield Outcome(job, None, f"the Dask cluster lost this host: {future.exception()}")
            future.release()
            following = next(queue, None)
            if following is not None:
                submit(following)

    def close(self, *, cancel: bool = False) -> None:
        if cancel and self._live:
            self._client.cancel(list(self._live.values()), force=True)
        self._live.clear()
        self._client.close()


def make_executor(
    name: str, *, workers: int | None = None, scheduler: str | None = None
) -> Executor:
    """The executor named on the command line; ``UsageError`` for a bad combination."""
    if name == "dask":
        if not scheduler:
            raise UsageError("--executor dask needs --scheduler tcp://HOST:PORT")
        return DaskExecutor(scheduler)
    if scheduler:
        raise UsageError("--scheduler is only used with --executor dask")
    if name == "serial" or workers == 1:
        return SerialExecutor()
    if name == "local":
        return LocalExecutor(workers)
    raise UsageError(f"unknown executor {name!r}; known: local, dask, serial")
