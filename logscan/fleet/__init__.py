"""Batch scans of many hosts' bundles: discovery, executors, the incremental cache, outputs.

    from logscan.fleet import BatchOptions, LocalExecutor, run_batch
    run = run_batch(BatchOptions(roots=("share",), out="out"), LocalExecutor())
    print(run.summary["verdicts"])

Imports nothing heavy: pandas, matplotlib and dask are loaded when outputs are written or
the Dask executor is chosen.
"""

from __future__ import annotations

from logscan.fleet.atomic import OutputError
from logscan.fleet.cache import Cache, CacheError
from logscan.fleet.diff import RunDiff, diff_runs
from logscan.fleet.discover import Discovery, Duplicate, discover_hosts
from logscan.fleet.executors import (
    DaskExecutor,
    Executor,
    LocalExecutor,
    Outcome,
    SerialExecutor,
    make_executor,
)
from logscan.fleet.model import BundleKind, HostBundle, HostJob, HostResult, HostStatus
from logscan.fleet.run import BatchOptions, BatchRun, run_batch
from logscan.fleet.work import scan_host

__all__ = [
    "BatchOptions",
    "BatchRun",
    "BundleKind",
    "Cache",
    "CacheError",
    "DaskExecutor",
    "Discovery",
    "Duplicate",
    "Executor",
    "HostBundle",
    "HostJob",
    "HostResult",
    "HostStatus",
    "LocalExecutor",
    "Outcome",
    "OutputError",
    "RunDiff",
    "SerialExecutor",
    "diff_runs",
    "discover_hosts",
    "make_executor",
    "run_batch",
    "scan_host",
]
