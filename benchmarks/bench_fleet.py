"""Batch benchmark: ``logscan batch`` over a synthetic fleet (``fleet_corpus``), against ripgrep.

Runs, in order, each as a fresh ``logscan batch`` process:

1. cold: the corpus evicted from the page cache (posix_fadvise DONTNEED), empty cache;
2. warm: corpus in the page cache, empty cache (the full-scan throughput figure);
3. re-run: nothing changed, the cache of run 2 (the incremental figure);
4. re-run after 5% of the hosts got a new log line;

then ``rg -c 80092024`` over the same tree (warm). Peak RSS is the largest sum of RSS over
the batch process and all its descendants (pool workers, forkserver), sampled every 50 ms.

    python benchmarks/bench_fleet.py --hosts 400 --host-mb 2.5          # ~1 GB, default
    python benchmarks/bench_fleet.py --hosts 2000 --host-mb 2.5         # ~5 GB (the issue's)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fleet_corpus import build_fleet  # noqa: E402


def _parents() -> dict[int, int]:
    """pid -> parent pid for every process, from one pass over /proc."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            out[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    return out


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(pid: int) -> float:
    """RSS of ``pid`` and all its descendants. One pass over /proc per sample: walking
    it once per process of the tree cost the sampler a third of a core, taken from the
    run it measures."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    todo, total = [pid], 0
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo.extend(children.get(p, ()))
    return total / 1024


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of one process so far (its threads, not its children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_batch(args: list[str]) -> tuple[float, float, dict[str, object], float]:
    """Wall seconds, peak tree RSS (MB), summary.json and the batch process's own CPU
    seconds (sampled every 50 ms, so up to that much short) of one ``logscan batch``."""
    out = args[args.index("--out") + 1]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "logscan", "batch", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0.0
    cpu = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak, cpu
        while not stop.is_set():
            peak = max(peak, tree_rss_mb(proc.pid))
            cpu = _cpu_seconds(proc.pid) or cpu
            stop.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1, 4):
        raise SystemExit(f"logscan batch failed ({proc.returncode}): {err}")
    return wall, peak, json.loads((Path(out) / "summary.json").read_text()), cpu


def evict(root: Path) -> bool:
    """Drop the corpus from the page cache (no root needed for clean pages)."""
    ok = hasattr(os, "posix_fadvise")
    for path in root.rglob("*"):
        if path.is_file() and ok:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hosts", type=int, default=400)
    ap.add_argument("--host-mb", type=float, default=2.5)
    ap.add_argument("--zip-share", type=float, default=0.25)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--corpus", type=Path, help="where the fleet is written (default: _corpus)")
    args = ap.parse_args()
    root = args.corpus or HERE / "_corpus" / f"fleet_{args.hosts}x{args.host_mb:g}MB"
    t0 = time.perf_counter()
    build_fleet(root, args.hosts, args.host_mb, args.zip_share)
    files = [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]
    total = sum(p.stat().st_size for p in files)
    print(
        f"corpus: {root}: {args.hosts} hosts, {len(files)} files, {total / 1e9:.2f} GB "
        f"(ready in {time.perf_counter() - t0:.0f}s)"
    )
    # Bytecode as an installed package has it: where PYTHONDONTWRITEBYTECODE is set (as on
    # the machines here) every batch process and pool worker would otherwise compile the
    # whole package again, which no user's installation does.
    package = Path(__import__("logscan").__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    work = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    common = ["--workers", str(args.workers)]
    figures: dict[str, tuple[float, float, dict[str, object]]] = {}
    try:
        evicted = evict(root)
        figures["cold"] = timed_batch([str(root), "--out", str(work / "cold"), *common])
        subprocess.run(["cat", *map(str, files)], stdout=subprocess.DEVNULL, check=True)
        figures["warm"] = timed_batch([str(root), "--out", str(work / "warm"), *common])
        figures["rerun"] = timed_batch([str(root), "--out", str(work / "warm"), *common])
        touched = 0
        for host in sorted(root.iterdir())[::20]:
            logs = list(host.rglob("execmgr.log")) if host.is_dir() else []
            for log in logs:
                with log.open("ab") as fh:
                    fh.write(
                        b'<![LOG[bench: one more line]LOG]!><time="10:00:00.000+300" '
                        b'date="03-16-2011" component="execmgr" context="" type="1" '
                        b'thread="1" file="x">\r\n'
                    )
                touched += 1
        figures["changed"] = timed_batch([str(root), "--out", str(work / "warm"), *common])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, (wall, peak, summary, cpu) in figures.items():
        scanned = int(summary["scanned_bytes"])  # type: ignore[call-overload]
        print(
            f"{name:>8}: {wall:6.2f}s wall, {args.hosts / wall:7.1f} hosts/s, "
            f"{total / 1e6 / wall:7.1f} MB/s of corpus ({scanned / 1e6:.0f} MB scanned), "
            f"peak RSS (process tree) {peak:.0f} MB, from cache {summary['from_cache']}, "
            f"parent CPU {cpu:.2f}s"
        )
    if not evicted:
        print("cold: posix_fadvise unavailable, the page cache may have been warm")
    print(
        f"incremental re-run: {figures['warm'][0] / figures['rerun'][0]:.1f}x faster than warm; "
        f"after touching {touched} hosts: {figures['warm'][0] / figures['changed'][0]:.1f}x"
    )
    print(f"verdicts: {figures['warm'][2]['verdicts']}")
    rg = shutil.which("rg")
    if rg:
        t0 = time.perf_counter()
        subprocess.run([rg, "-c", "80092024", str(root)], stdout=subprocess.DEVNULL, check=False)
        rg_wall = time.perf_counter() - t0
        print(
            f"rg -c 80092024: {rg_wall:.2f}s, {total / 1e6 / rg_wall:.0f} MB/s; logscan warm / rg "
            f"time ratio {figures['warm'][0] / rg_wall:.1f}x (rg does not look inside zips)"
        )
    else:
        print("ripgrep not installed (apt-get install ripgrep): no ratio")


if __name__ == "__main__":
    main()
