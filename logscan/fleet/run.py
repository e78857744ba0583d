"""``run_batch``: discover hosts, reuse unchanged ones from the cache, scan the rest on an
executor, and write the outputs, keeping whatever finished if the run is interrupted.

    from logscan.fleet import BatchOptions, LocalExecutor, run_batch
    run = run_batch(BatchOptions(roots=("//share/wave3",), out="out"), LocalExecutor())
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from logscan import __version__
from logscan.diagnose.model import Verdict
from logscan.fleet.atomic import ensure_folder
from logscan.fleet.cache import CACHE_NAME, Cache
from logscan.fleet.discover import Discovery, discover_hosts
from logscan.fleet.executors import Executor, Outcome, ScanFn
from logscan.fleet.identity import BundleIdentity, KnownEdges, bundle_identity
from logscan.fleet.model import BundleKind, HostBundle, HostJob, HostResult, HostStatus
from logscan.fleet.mounts import is_local
from logscan.fleet.outputs import preload, write_outputs
from logscan.fleet.prefetch import prefetch
from logscan.fleet.progress import Progress
from logscan.fleet.rows import empty_row
from logscan.fleet.spool import Spool
from logscan.fleet.work import ruleset_for, scan_host

SUMMARY_SCHEMA = "logscan-batch/1"
_AHEAD = 256  # hosts whose cache rows are read in one query
_ID_THREADS = 4  # identity hashing is small reads: a few threads hide the latency
_PER_TASK = 16  # hosts whose identities one thread task takes


@dataclass(frozen=True, slots=True)
class BatchOptions:
    roots: tuple[str, ...]
    out: str
    rule_dirs: tuple[str, ...] = ()
    use_cache: bool = True
    cache_path: str | None = None  # default: logscan-cache.sqlite in ``out``
    now: datetime | None = None
    html: bool = True


@dataclass(slots=True)
class BatchRun:
    """What happened; ``summary`` is what summary.json holds."""

    summary: dict[str, Any]
    written: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def actionable(self) -> int:
        return int(self.summary["actionable"])

    @property
    def hosts(self) -> int:
        return int(self.summary["hosts"])


@dataclass(slots=True)
class _Tally:
    scanned: int = 0
    cached: int = 0
    scanned_bytes: int = 0
    changed_hosts: int = 0
    changed_files: int = 0


def run_batch(
    options: BatchOptions,
    executor: Executor,
    *,
    progress: Progress | None = None,
    scan: ScanFn = scan_host,
) -> BatchRun:
    """Scan every host under ``options.roots``; raises ``OutputError`` when ``out`` (or the
    cache) cannot be written. Ctrl-C stops the scan; finished hosts are still written."""
    started = time.perf_counter()
    out = Path(options.out)
    ensure_folder(out)
    ruleset, version = ruleset_for(options.rule_dirs)
    now = options.now or datetime.now(UTC)
    found = discover_hosts(options.roots, skip=[str(out)])
    cache = None
    if options.use_cache:
        cache = Cache.open(options.cache_path or str(out / CACHE_NAME), version)
    progress = progress or Progress()
    spool = Spool(out)
    tally = _Tally()
    interrupted = False
    # Identities are taken ahead in the background while the first hosts are already
    # scanned: hashing thousands of file heads and tails up front left the workers idle.
    # On shares a few threads hide the round trips; on local disks one (see ``mounts``).
    local = all(is_local(root) for root in options.roots)
    threads = ThreadPoolExecutor(1 if local else _ID_THREADS)
    # Starts the disk reads of each host handed out (``prefetch``): a thread of its own,
    # so a slow share never holds up the jobs. Only where the workers share this
    # machine's page cache: for a cluster it would read every bundle here once more.
    reading = ThreadPoolExecutor(1) if executor.name in ("local", "serial") else None
    # Several cache lookups per host; abspath asks the kernel for the cwd every time.
    keys = {b.label: _key(b) for b in found.hosts}
    try:
        idents = _identity_stream(threads, found.hosts, cache, keys)
        by_label: dict[str, tuple[HostBundle, BundleIdentity]] = {}
        progress.start(len(found.hosts), 0)

        fingerprints: dict[str, str] = {}  # what the outputs are made of, per host

        def record(bundle: HostBundle, result: HostResult, *, cached: bool) -> None:
            spool.add(bundle, result)
            fingerprints[bundle.label] = result.fingerprint
            progress.advance(result.bytes, cached=cached)
            if cached:
                tally.cached += 1
                return
            tally.scanned += 1
            tally.scanned_bytes += result.bytes
            ident = by_label[bundle.label][1]
            # Cached under the identity the parent saw, only if the worker saw the same.
            fresh = ident.fingerprint(version) == result.fingerprint
            if cache is not None and result.status.cacheable and fresh:
                cache.put(keys[bundle.label], result, ident.files)

        preloading: threading.Thread | None = None

        def jobs() -> Iterator[HostJob]:
            nonlocal preloading
            for n, (bundle, ident) in enumerate(zip(found.hosts, idents, strict=True)):
                if cache is not None and n % _AHEAD == 0:
                    ahead = found.hosts[n : n + _AHEAD]
                    cache.prefetch([keys[b.label] for b in ahead])
                by_label[bundle.label] = (bundle, ident)
                progress.add_todo(ident.bytes)
                fingerprint = ident.fingerprint(version)
                hit = cache.get(keys[bundle.label], fingerprint, bundle.label) if cache else None
                if hit is not None:
                    if cache is not None and not all(f.reused for f in ident.files):
                        cache.put_stats(keys[bundle.label], ident.files)  # next run skips the reads
                    record(bundle, hit, cached=True)
                    continue
                if cache is not None and cache.known(keys[bundle.label]):
                    tally.changed_hosts += 1
                    tally.changed_files += len(cache.changed_files(keys[bundle.label], ident.files))
                if preloading is None:  # something to scan: outputs will be rewritten
                    preloading = preload(options.html)
                known = tuple((f.path, f.stat, f.edges) for f in ident.files if f.stat)
                if reading is not None:
                    reading.submit(prefetch, _file_paths(bundle, ident))
                yield HostJob(
                    bundle, options.rule_dirs, version, now, fingerprint=fingerprint, known=known
                )

        try:
            for outcome in executor.run(scan, jobs()):
                bundle = by_label[outcome.job.bundle.label][0]
                record(bundle, _result_of(outcome, bundle, version), cached=False)
        except KeyboardInterrupt:
            interrupted = True
            executor.close(cancel=True)
        else:
            executor.close()
        progress.finish()
        if cache is not None:
            cache.commit()
        summary = _summary(options, found, spool, tally, version, ruleset.loaded, ruleset.failed)
        summary.update(
            complete=not interrupted,
            interrupted=interrupted,
            seconds=round(time.perf_counter() - started, 3),
            executor=executor.name,
            workers=executor.workers,
            generated_utc=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        summary["cache"]["notes"] = list(cache.notes) if cache else []
        elapsed = max(time.perf_counter() - started, 1e-6)
        summary["mb_per_s"] = round(tally.scanned_bytes / 1e6 / elapsed, 1)
        render = None
        if options.html:
            from logscan.fleet.report_html import write_report

            render = write_report
        written = write_outputs(out, spool, summary, render, list(fingerprints.values()))
        return BatchRun(summary, written, interrupted)
    finally:
        threads.shutdown(wait=True, cancel_futures=True)
        if reading is not None:
            reading.shutdown(wait=True, cancel_futures=True)
        spool.close()
        if cache is not None:
            cache.close()


def _file_paths(bundle: HostBundle, ident: BundleIdentity) -> list[str]:
    if bundle.kind is BundleKind.ZIP:
        return [bundle.path]
    return [os.path.join(bundle.path, f.path) for f in ident.files]


def _key(bundle: HostBundle) -> str:
    return os.path.abspath(bundle.path)


def _result_of(outcome: Outcome, bundle: HostBundle, version: str) -> HostResult:
    if outcome.result is not None:
        return replace(outcome.result, label=bundle.label)
    row = empty_row(bundle, HostStatus.ERROR, outcome.error, 0, 0)
    return HostResult(
        bundle.label, HostStatus.ERROR, outcome.error, json.dumps(row), "", "", 0, 0, 0.0, version
    )


def _summary(
    options: BatchOptions,
    found: Discovery,
    spool: Spool,
    tally: _Tally,
    version: str,
    loaded: int,
    failed: int,
) -> dict[str, Any]:
    verdicts = Counter(r["verdict"] for r in spool.rows if r["verdict"])
    statuses = Counter(r["status"] for r in spool.rows)
    actionable = sum(n for v, n in verdicts.items() if Verdict(v).actionable)
    return {
        "schema": SUMMARY_SCHEMA,
        "logscan": __version__,
        "roots": list(options.roots),
        "hosts": len(found.hosts),
        "finished": len(spool.rows),
        "not_scanned": len(found.hosts) - len(spool.rows),
        "scanned": tally.scanned,
        "from_cache": tally.cached,
        "verdicts": {v.value: verdicts.get(v.value, 0) for v in Verdict},
        "statuses": {s.value: statuses.get(s.value, 0) for s in HostStatus},
        "actionable": actionable,
        "bytes": sum(int(r["bytes"] or 0) for r in spool.rows),
        "scanned_bytes": tally.scanned_bytes,
        "rules": {"version": version, "loaded": loaded, "failed": failed},
        "cache": {
            "used": options.use_cache,
            "path": (options.cache_path or str(Path(options.out) / CACHE_NAME))
            if options.use_cache
            else None,
            "changed_hosts": tally.changed_hosts,
            "changed_files": tally.changed_files,
        },
        "duplicates": [
            {"name": d.name, "labels": list(d.labels), "paths": list(d.paths)}
            for d in found.duplicates
        ],
        "problems": list(found.problems),
    }


def _identity_stream(
    threads: ThreadPoolExecutor,
    hosts: tuple[HostBundle, ...],
    cache: Cache | None,
    keys: dict[str, str],
) -> Iterator[BundleIdentity]:
    """Identities in host order, taken ahead by ``threads``; the cache is read here, in
    the calling thread (a SQLite connection serves one thread)."""
    futures = []
    for start in range(0, len(hosts), _AHEAD):
        part = hosts[start : start + _AHEAD]
        known = cache.known_edges_of([keys[h.label] for h in part]) if cache else {}
        # A few hosts per task: fewer futures to make and wait on (one per host before).
        for at in range(0, len(part), _PER_TASK):
            group = [(h, known.get(keys[h.label])) for h in part[at : at + _PER_TASK]]
            futures.append(threads.submit(_identities, group))
    return (ident for f in futures for ident in f.result())


def _identities(group: list[tuple[HostBundle, KnownEdges | None]]) -> list[BundleIdentity]:
    return [bundle_identity(host, known) for host, known in group]
