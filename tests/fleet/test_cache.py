"""The SQLite cache on a real file: round trip, identity, rule changes, corruption."""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import replace
from pathlib import Path

from logscan.fleet import Cache, HostResult, HostStatus
from logscan.fleet.identity import FileIdentity

FILES = (FileIdentity("a.log", 10, 1, "ab"), FileIdentity("b.log", 20, 2, "cd"))


def result(fingerprint: str = "f1") -> HostResult:
    return HostResult(
        "WKS1", HostStatus.OK, "", '{"host": "WKS1"}', '{"x": 1}', fingerprint, 2, 30, 0.5, "r1"
    )


def whole(r: HostResult | None) -> HostResult | None:
    """A cached result with its diagnosis decompressed, to compare with what was put."""
    if r is None:
        return None
    return replace(
        r, detail=zlib.decompress(r.detail_z).decode() if r.detail_z else r.detail, detail_z=b""
    )


def test_round_trip_and_identity(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite")
    cache = Cache.open(path, "r1")
    cache.put("/share/WKS1", result(), FILES)
    cache.close()
    again = Cache.open(path, "r1")
    hit = again.get("/share/WKS1", "f1")
    assert hit is not None and hit.detail == "" and hit.detail_z  # left compressed
    assert whole(hit) == result()
    # Named as this run names the host (a duplicate found since gets "~2").
    renamed = again.get("/share/WKS1", "f1", "WKS1~2")
    assert renamed is not None and whole(renamed) == replace(result(), label="WKS1~2")
    assert again.get("/share/WKS1", "f2") is None  # the bundle changed
    assert again.get("/share/OTHER", "f1") is None
    changed = (FILES[0], FileIdentity("b.log", 21, 3, "ce"), FileIdentity("c.log", 1, 1, "x"))
    assert again.changed_files("/share/WKS1", changed) == ["b.log", "c.log"]
    assert again.notes == []
    again.close()


def test_a_new_rule_pack_empties_the_cache_and_says_so(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite")
    cache = Cache.open(path, "r1")
    cache.put("/share/WKS1", result(), FILES)
    cache.close()
    other = Cache.open(path, "r2")
    assert other.get("/share/WKS1", "f1") is None
    assert not other.known("/share/WKS1")
    assert any("rule pack r1" in n and "r2" in n for n in other.notes)
    other.close()


def test_a_damaged_file_is_detected_rebuilt_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    cache = Cache.open(str(path), "r1")
    cache.put("/share/WKS1", result(), FILES)
    cache.close()
    raw = bytearray(path.read_bytes())
    raw[:100] = b"\xff" * 100  # the header: SQLite no longer recognises the file
    path.write_bytes(bytes(raw))
    rebuilt = Cache.open(str(path), "r1")
    assert any("damaged" in n and "rebuilt" in n for n in rebuilt.notes)
    assert rebuilt.get("/share/WKS1", "f1") is None
    rebuilt.put("/share/WKS1", result(), FILES)
    rebuilt.close()
    assert whole(Cache.open(str(path), "r1").get("/share/WKS1", "f1")) == result()


def test_a_tampered_entry_is_not_trusted(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite")
    cache = Cache.open(path, "r1")
    cache.put("/share/WKS1", result(), FILES)
    cache.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE hosts SET payload = X'00' || payload")
    again = Cache.open(path, "r1")
    assert again.get("/share/WKS1", "f1") is None
    assert any("damaged" in n for n in again.notes)
    again.close()


def test_prefetched_lookups_answer_like_single_ones(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite")
    cache = Cache.open(path, "r1")
    stat = (FileIdentity("a.log", 10, 1, "ab", "s1"),)
    bundles = [f"/share/WKS{i}" for i in range(1200)]  # more than one IN (...) query
    for i, bundle in enumerate(bundles):
        if i % 3:
            cache.put(bundle, result(f"f{i}"), stat)
    cache.close()
    with sqlite3.connect(path) as conn:  # one entry tampered with
        conn.execute("UPDATE hosts SET payload = X'00' || payload WHERE bundle = '/share/WKS5'")
    # Prefetched first: reading the damaged entry drops it, as a single lookup would.
    ahead = Cache.open(path, "r1")
    ahead.prefetch(bundles)
    got = [ahead.get(b, f"f{i}") for i, b in enumerate(bundles)]
    assert any("WKS5" in n and "damaged" in n for n in ahead.notes)
    known = list(ahead.known_edges_of(bundles).values())
    ahead.close()
    single = Cache.open(path, "r1")
    assert got == [single.get(b, f"f{i}") for i, b in enumerate(bundles)]
    assert whole(got[1]) == result("f1") and got[0] is None and got[5] is None
    assert known == [single.known_edges_of([b])[b] for b in bundles]
    assert known[1] == {"a.log": ("s1", "ab")} and known[0] == {}
    single.close()


def test_a_cache_laid_out_by_another_logscan_is_rebuilt_and_says_so(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite")
    Cache.open(path, "r1").close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    again = Cache.open(path, "r1")
    assert any("another logscan" in n and "'1'" in n for n in again.notes), again.notes
    again.put("/share/WKS1", result(), FILES)
    assert whole(again.get("/share/WKS1", "f1")) == result()
    again.close()


def test_a_damaged_file_list_only_costs_the_reads_it_saved(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite")
    cache = Cache.open(path, "r1")
    stat = (FileIdentity("a.log", 10, 1, "ab", "s1"),)
    cache.put("/share/WKS1", result(), stat)
    assert cache.known_edges_of(["/share/WKS1"])["/share/WKS1"] == {"a.log": ("s1", "ab")}
    for damage in ("not json", '[["a.log", "ten"]]', '{"a": 1}'):
        cache._conn.execute("UPDATE hosts SET files = ?", (damage,))
        assert (
            cache.known_edges_of(["/share/WKS1"])["/share/WKS1"] == {}
        )  # every file is hashed again
        assert cache.changed_files("/share/WKS1", stat) == ["a.log"]
        assert whole(cache.get("/share/WKS1", "f1")) == result()  # the entry itself is fine
    cache.close()
