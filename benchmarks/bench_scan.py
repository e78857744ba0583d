"""Scan throughput of the whole shipped rule pack against ripgrep, on a generated fleet.

Builds (once, cached under benchmarks/_corpus/) a corpus of host folders with CcmExec.log,
smsts.log and ccmsetup.log in CCM format and a ScanState.log, where
failure and step records are as rare as on real clients (``--failure-rate``). Then, with
a warm page cache, scans it with ``logscan.engine.scan`` split over ``--workers``
processes, and runs ``rg -c 80092024`` over the same tree in the same run.

    python benchmarks/bench_scan.py --size-gb 1.0 --workers 2
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_log  # noqa: E402

_LAYOUT = [  # (relative path, generator, share of a host's bytes)
    ("Windows/system32/CCM/Logs/CcmExec.log", "ccm", 0.40),
    ("Windows/system32/CCM/Logs/SMSTSLog/smsts.log", "ccm", 0.35),
    ("Windows/system32/ccmsetup/ccmsetup.log", "ccm", 0.10),
    ("Windows/system32/CCM/Logs/SMSTSLog/scanstate.log", "usmt", 0.15),
]

_WORKER = r"""
import json, sys, time
from logscan.engine import ScanHit, ScanFinding, SourceScanned, scan
from logscan.rules import load_rules
rules = load_rules()
t0 = time.perf_counter()
hits = findings = sources = records = 0
for event in scan(sys.argv[1:], rules):
    if isinstance(event, ScanHit): hits += 1
    elif isinstance(event, ScanFinding): findings += 1
    elif isinstance(event, SourceScanned):
        sources += 1; records += event.records
status = open("/proc/self/status").read().split("VmHWM:")[1]
print(json.dumps({"seconds": time.perf_counter() - t0, "hits": hits, "findings": findings,
                  "sources": sources, "records": records,
                  "rss_mb": int(status.split()[0]) / 1024}))
"""


def build_corpus(root: Path, size: int, host_size: int, failure_rate: float) -> None:
    stamp = root / ".complete.json"
    want = {"size": size, "host_size": host_size, "failure_rate": failure_rate, "layout": 3}
    if stamp.exists() and json.loads(stamp.read_text()) == want:
        return
    shutil.rmtree(root, ignore_errors=True)
    hosts = max(1, size // host_size)
    for h in range(hosts):
        for i, (rel, kind, share) in enumerate(_LAYOUT):
            path = root / f"WKS-{h:05d}" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            rate = failure_rate
            write_log(kind, path, int(host_size * share), seed=h * 10 + i, failure_rate=rate)
    stamp.write_text(json.dumps(want))


def tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and p.name[0] != ".")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-gb", type=float, default=1.0)
    ap.add_argument("--host-mb", type=float, default=8.0, help="bytes of logs per host")
    ap.add_argument("--failure-rate", type=float, default=0.002)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    root = HERE / "_corpus" / f"fleet_{args.size_gb:g}GB"
    t0 = time.perf_counter()
    build_corpus(root, int(args.size_gb * 1e9), int(args.host_mb * 1e6), args.failure_rate)
    total = tree_bytes(root)
    print(f"corpus: {root} {total / 1e9:.2f} GB (ready in {time.perf_counter() - t0:.1f}s)")
    # Warm the page cache so both tools read from memory.
    subprocess.run(["cat", *map(str, root.rglob("*.log"))], stdout=subprocess.DEVNULL, check=True)

    hosts = sorted(str(p) for p in root.iterdir() if p.is_dir())
    shards = [hosts[i :: args.workers] for i in range(args.workers)]
    t0 = time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, "-c", _WORKER, *shard], stdout=subprocess.PIPE, text=True)
        for shard in shards
    ]
    results = [json.loads(p.communicate()[0]) for p in procs]
    wall = time.perf_counter() - t0
    hits = sum(r["hits"] for r in results)
    findings = sum(r["findings"] for r in results)
    records = sum(r["records"] for r in results)
    rss = max(r["rss_mb"] for r in results)

    rg = shutil.which("rg")
    rg_wall = None
    if rg:
        t0 = time.perf_counter()
        subprocess.run([rg, "-c", "80092024", str(root)], stdout=subprocess.DEVNULL, check=False)
        rg_wall = time.perf_counter() - t0
    gbps = total / 1e9 / wall
    print(
        f"logscan scan: {wall:.2f}s wall on {args.workers} worker(s), {gbps:.2f} GB/s aggregate, "
        f"{hits} hits, {findings} findings, {records} records parsed, "
        f"peak RSS per worker {rss:.0f} MB"
    )
    if rg_wall is not None:
        print(
            f"rg -c 80092024: {rg_wall:.2f}s, {total / 1e9 / rg_wall:.2f} GB/s; "
            f"logscan/rg time ratio {wall / rg_wall:.1f}x"
        )
    else:
        print("ripgrep not installed (apt-get install ripgrep) — no ratio")


if __name__ == "__main__":
    main()
