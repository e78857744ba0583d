"""Where a batch's time goes, layer by layer, on the synthetic fleet (``fleet_corpus``).

Each layer does everything the one before does and more, over every host, split over
``--workers`` processes (the page cache warm, as in bench_fleet's "warm" run):

1. read:     every file of every bundle read whole (zip members inflated);
2. prefilter: and one Hyperscan pass over each with the rule pack's anchors;
3. scan:     ``logscan.engine.scan`` of each host's logs (sniffing, regions around
             anchors parsed, rules matched, correlations);
4. diagnose: ``fleet.work.scan_host``: the scan plus facts, certificates, the verdict,
             its JSON and the bundle's identity: what a batch worker does per host.

``logscan batch`` adds the parent's share (discovery, identities ahead of the scan, the
cache, the spool) and the output files at the end (bench_fleet measures that).

Each layer also prints the workers' minor page faults per host, and the last line the
diagnose layer over the zipped hosts alone. Two switches show what two choices are
worth, against the same figures without them: ``--default-malloc`` leaves glibc's
allocator as it comes (``fleet.allocator`` not applied), ``--zlib`` inflates zip
members with zlib instead of ISA-L (``inputs.inflate``'s fallback).

    python benchmarks/bench_layers.py --hosts 2000 --host-mb 2.5
    python benchmarks/bench_layers.py --hosts 2000 --host-mb 2.5 --default-malloc --zlib
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import UTC, datetime
from functools import cache, partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fleet_corpus import build_fleet  # noqa: E402


def _files(host: str) -> list[bytes]:
    """Every file of the bundle, whole."""
    out = []
    if host.endswith(".zip"):
        from logscan.inputs.zipbundle import ZipMember, archives_kept_open, iter_members

        with archives_kept_open():
            for m in iter_members(host, host, lambda _n: True):
                if isinstance(m, ZipMember):
                    with m.opener() as fh:
                        out.append(fh.read())
        return out
    for folder, _dirs, names in os.walk(host):
        for name in names:
            with open(os.path.join(folder, name), "rb") as fh:
                out.append(fh.read())
    return out


@cache
def _searcher() -> Any:
    from logscan.engine.prefilter import anchor_search
    from logscan.rules import load_rules

    return anchor_search(a for r in load_rules().rules for a in r.anchors)


def _prefilter(host: str) -> int:
    search = _searcher()
    found = 0
    for data in _files(host):
        pos = 0
        while (end := search.first(data, pos)) is not None:
            found += 1
            pos = end
    return found


def _scan(host: str) -> int:
    from logscan.engine import ScanHit, scan
    from logscan.fleet.work import ruleset_for

    ruleset, _version = ruleset_for(())
    return sum(isinstance(e, ScanHit) for e in scan([host], ruleset))


def _diagnose(host: str) -> int:
    from logscan.fleet.model import BundleKind, HostBundle, HostJob
    from logscan.fleet.work import ruleset_for, scan_host

    _ruleset, version = ruleset_for(())
    name = Path(host).stem
    kind = BundleKind.ZIP if host.endswith(".zip") else BundleKind.FOLDER
    job = HostJob(HostBundle(name, name, host, name, kind), (), version, datetime.now(UTC))
    return scan_host(job).files


def _read(host: str) -> int:
    return sum(len(d) for d in _files(host))


LAYERS = {"read": _read, "prefilter": _prefilter, "scan": _scan, "diagnose": _diagnose}
COMPARED = {"zipped hosts": _diagnose}


def _measured(name: str, host: str) -> int:
    """Run one layer on one host; the minor page faults it took."""
    fn = LAYERS.get(name) or COMPARED[name]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    fn(host)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _init(default_malloc: bool, use_zlib: bool) -> None:
    if default_malloc:  # scan_host would otherwise set the thresholds on its first host
        import logscan.fleet.work

        logscan.fleet.work.keep_freed_memory = lambda: False  # type: ignore[assignment]
    if use_zlib:
        import zlib

        import logscan.inputs.inflate

        logscan.inputs.inflate._inflate_lib = zlib


def _warm(host: str) -> None:
    """Imports and compiled rules before the clock starts, in every worker."""
    for fn in LAYERS.values():
        fn(host)


def _row(pool: Any, name: str, hosts: list[str], size: int, workers: int) -> None:
    start = time.perf_counter()
    faults = pool.map(partial(_measured, name), hosts, chunksize=8)
    wall = time.perf_counter() - start
    per_host = wall * workers / len(hosts) * 1e3
    print(
        f"{name:>13}: {wall:6.2f}s wall, {size / 1e6 / wall:7.0f} MB/s, "
        f"{per_host:5.2f} ms of worker time and {sum(faults) / len(hosts):6.0f} page faults "
        f"per host"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hosts", type=int, default=400)
    ap.add_argument("--host-mb", type=float, default=2.5)
    ap.add_argument("--zip-share", type=float, default=0.25)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--default-malloc", action="store_true", help="glibc's allocator as it comes")
    ap.add_argument("--zlib", action="store_true", help="inflate zip members with zlib")
    args = ap.parse_args()
    root = HERE / "_corpus" / f"fleet_{args.hosts}x{args.host_mb:g}MB"
    build_fleet(root, args.hosts, args.host_mb, args.zip_share)
    hosts = sorted(str(p) for p in root.iterdir() if not p.name.startswith("."))
    size = 0
    for h in hosts:
        files = [Path(h)] if h.endswith(".zip") else Path(h).rglob("*")
        size += sum(f.stat().st_size for f in files if f.is_file())
    print(f"corpus: {root}: {len(hosts)} hosts, {size / 1e9:.2f} GB, {args.workers} workers")
    budget = args.workers * (size / 1e9) / len(hosts) * 1e3  # ms of CPU per host at 1 GB/s
    ctx = get_context("forkserver")
    switches = (args.default_malloc, args.zlib)
    with ctx.Pool(args.workers, initializer=_init, initargs=switches) as pool:
        pool.map(_warm, hosts[: args.workers * 2], chunksize=1)
        pool.map(_read, hosts, chunksize=8)  # the page cache warm, as the layers assume
        for name in LAYERS:
            _row(pool, name, hosts, size, args.workers)
        zips = [h for h in hosts if h.endswith(".zip")]
        zip_size = sum(Path(h).stat().st_size for h in zips)
        for name in COMPARED:
            _row(pool, name, zips, zip_size, args.workers)
    print(f"1 GB/s on {args.workers} cores allows {budget:.2f} ms of CPU per host, all told")


if __name__ == "__main__":
    main()
