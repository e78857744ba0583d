"""Bundle identity with the cache's recorded stats: unchanged files are not read again,
and what they were recorded with is what the fingerprint holds."""

from __future__ import annotations

import json
from pathlib import Path

from logscan.fleet import BatchOptions, Cache, HostResult, HostStatus, SerialExecutor, run_batch
from logscan.fleet.identity import bundle_identity
from logscan.fleet.model import BundleKind, HostBundle


def _host(root: Path) -> HostBundle:
    folder = root / "WKS1"
    (folder / "Logs").mkdir(parents=True)
    (folder / "Logs" / "a.log").write_bytes(b"first line\r\n" * 5000)
    (folder / "b.txt").write_bytes(b"Host Name: WKS1\r\n")
    return HostBundle("WKS1", "WKS1", str(folder), "WKS1", BundleKind.FOLDER)


def _result(fingerprint: str) -> HostResult:
    return HostResult("WKS1", HostStatus.OK, "", "{}", "", fingerprint, 2, 1, 0.1, "r1")


def test_unchanged_files_reuse_the_recorded_hash_and_changed_ones_are_read(
    tmp_path: Path,
) -> None:
    bundle = _host(tmp_path)
    first = bundle_identity(bundle)
    assert first.files and not any(f.reused for f in first.files)
    cache = Cache.open(str(tmp_path / "c.sqlite"), "r1")
    cache.put(bundle.path, _result(first.fingerprint("r1")), first.files)

    again = bundle_identity(bundle, cache.known_edges_of([bundle.path])[bundle.path])
    assert all(f.reused for f in again.files)
    assert again == first and again.fingerprint("r1") == first.fingerprint("r1")

    with open(Path(bundle.path) / "Logs" / "a.log", "ab") as fh:
        fh.write(b"one more line\r\n")
    moved = bundle_identity(bundle, cache.known_edges_of([bundle.path])[bundle.path])
    assert [f.path for f in moved.files if not f.reused] == ["Logs/a.log"]
    assert moved.fingerprint("r1") != first.fingerprint("r1")
    assert moved == bundle_identity(bundle)  # the same identity as a full read
    cache.close()


def test_a_recorded_hash_is_only_trusted_under_the_same_stat(tmp_path: Path) -> None:
    bundle = _host(tmp_path)
    first = bundle_identity(bundle)
    known = {f.path: (f.stat, "forged") for f in first.files}
    assert {f.edges for f in bundle_identity(bundle, known).files} == {"forged"}
    stale = {f.path: (f.stat + "0", "forged") for f in first.files}
    assert bundle_identity(bundle, stale) == first


def test_a_cache_without_stats_learns_them_on_the_next_run(tmp_path: Path) -> None:
    bundle = _host(tmp_path)
    out = tmp_path / "out"
    options = BatchOptions(roots=(str(tmp_path / "WKS1"),), out=str(out), html=False)
    fresh = run_batch(options, SerialExecutor())
    cache_file = out / "logscan-cache.sqlite"
    cache = Cache.open(str(cache_file), fresh.summary["rules"]["version"])
    assert set(cache.known_edges_of([bundle.path])[bundle.path]) == {"Logs/a.log", "b.txt"}
    ((files,),) = cache._conn.execute("SELECT files FROM hosts").fetchall()
    blank = json.dumps([[*f[:4], ""] for f in json.loads(files)])  # stats not known
    cache._conn.execute("UPDATE hosts SET files = ?", (blank,))
    cache.close()

    second = run_batch(options, SerialExecutor())
    assert second.summary["from_cache"] == 1
    cache = Cache.open(str(cache_file), fresh.summary["rules"]["version"])
    known = cache.known_edges_of([bundle.path])[bundle.path]
    cache.close()
    assert set(known) == {"Logs/a.log", "b.txt"}
    assert all(f.reused for f in bundle_identity(bundle, known).files)
