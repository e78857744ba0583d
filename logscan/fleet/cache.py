"""The incremental cache: a SQLite file of host results keyed by bundle identity.

A host's entry is used only when its bundle fingerprint (every file's path, size, mtime
and head/tail hash, see ``identity``) and the rule-pack version both match; each entry
carries a hash of its payload, checked on read. The whole cache is dropped when the rule
pack or logscan's version changed, and rebuilt when SQLite finds it damaged; either way
the reason is in ``notes`` for the run to report. Only the batch's parent process writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
import zlib
from dataclasses import dataclass
from typing import Any

from logscan import __version__
from logscan.fleet.atomic import OutputError
from logscan.fleet.identity import FileIdentity, KnownEdges
from logscan.fleet.model import HostResult, HostStatus

CACHE_NAME = "logscan-cache.sqlite"
_SCHEMA = "4"  # 2: the diagnosis compressed apart (``_pack``); 4: files in the host row
_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hosts (
    bundle TEXT PRIMARY KEY,      -- absolute path of the folder or zip
    fingerprint TEXT NOT NULL,    -- identity.BundleIdentity.fingerprint(rules)
    payload BLOB NOT NULL,        -- the HostResult, see _pack
    digest TEXT NOT NULL,         -- sha256 of payload, checked on read
    updated REAL NOT NULL,
    -- the bundle's files as JSON [[path, size, mtime_ns, edges, stat], ...]: identity,
    -- and the full stat the edge hash was taken under (identity.stat_key, "" when not
    -- known), so a re-run reuses the hash of a file whose stat is unchanged. One row
    -- per host, not per file: a re-run reads thousands of these.
    files TEXT NOT NULL
);
"""
_IN_LIMIT = 500  # bundles per ``IN (...)`` query (SQLite allows 999 parameters in old builds)
_COMMIT_EVERY = 1.0  # seconds: Ctrl-C or a crash loses at most this much cached work


class _OtherSchema(sqlite3.DatabaseError):
    """The cache was laid out by another version of logscan: rebuilt, not damaged."""


class CacheError(OutputError):
    """The cache file cannot be created or written (folder not writable, disk full)."""


@dataclass(frozen=True, slots=True)
class Cached:
    result: HostResult
    files: tuple[FileIdentity, ...]


def _pack(r: HostResult) -> bytes:
    """The head fields and the diagnosis compressed apart, so a hit is read without
    decompressing the (much larger) diagnosis: ``len(head)`` (4 bytes), head, detail."""
    fields = [r.label, r.status.value, r.reason, r.row, r.fingerprint]
    fields += [str(r.files), str(r.bytes), repr(r.seconds), r.rules_version]
    head = zlib.compress("\x1e".join(fields).encode(), 1)
    detail = r.detail_z or (zlib.compress(r.detail.encode(), 1) if r.detail else b"")
    return len(head).to_bytes(4, "big") + head + detail


def _unpack(blob: bytes, label: str | None = None) -> HostResult:
    size = int.from_bytes(blob[:4], "big")
    f = zlib.decompress(blob[4 : 4 + size]).decode().split("\x1e")
    # Left compressed: the payload's digest was checked before this (``Cache.get``).
    detail_z = blob[4 + size :]
    return HostResult(
        f[0] if label is None else label,
        HostStatus(f[1]),
        f[2],
        f[3],
        "",
        f[4],
        int(f[5]),
        int(f[6]),
        float(f[7]),
        f[8],
        detail_z=detail_z,
    )


def _json(files: tuple[FileIdentity, ...]) -> str:
    return json.dumps([[f.path, f.size, f.mtime_ns, f.edges, f.stat] for f in files])


def _files(text: str) -> list[FileIdentity]:
    """The files column read back; ValueError when it is not what ``_json`` wrote."""
    try:
        return [
            FileIdentity(p, int(size), int(mtime), edges, stat)
            for p, size, mtime, edges, stat in json.loads(text)
        ]
    except (TypeError, KeyError) as exc:
        raise ValueError(f"files column: {exc}") from exc


class Cache:
    """Open with ``Cache.open(path, rules_version)``; ``notes`` says what was found."""

    def __init__(self, conn: sqlite3.Connection, path: str, notes: list[str]) -> None:
        self._conn = conn
        self.path = path
        self.notes = notes
        self._last_commit = time.monotonic()
        # Prefetched ``hosts`` rows by bundle (None: no entry); see ``prefetch``.
        self._ahead: dict[str, Any] = {}

    @classmethod
    def open(cls, path: str, rules_version: str) -> Cache:
        notes: list[str] = []
        try:
            conn = _connect(path, rules_version, notes)
        except sqlite3.OperationalError as exc:  # cannot open, locked, cannot write
            raise CacheError(f"cannot open the cache {path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:  # not a database, malformed, failed check
            if isinstance(exc, _OtherSchema):
                notes.append(f"cache {path} was written by another logscan ({exc}); rebuilt")
            else:
                notes.append(f"cache {path} was damaged ({exc}); rebuilt from scratch")
            try:
                _remove(path)
                conn = _connect(path, rules_version, [])
            except (OSError, sqlite3.Error) as again:
                raise CacheError(f"cannot rebuild the cache {path}: {again}") from again
        return cls(conn, path, notes)

    def prefetch(self, bundles: list[str]) -> None:
        """Read the entries of ``bundles`` in one query for the ``get`` calls that follow
        (a re-run of thousands of unchanged hosts is mostly these lookups; one query per
        host cost more than the rest of the host's work). Pass a few hundred at a time:
        what is prefetched stays in memory until it is asked for."""
        for start in range(0, len(bundles), _IN_LIMIT):
            part = bundles[start : start + _IN_LIMIT]
            marks = ",".join("?" * len(part))
            query = "SELECT bundle, fingerprint, payload, digest FROM hosts WHERE bundle IN "
            try:
                rows = self._conn.execute(f"{query}({marks})", part).fetchall()
            except sqlite3.DatabaseError:  # a damaged row: ``get`` meets it host by host
                continue
            found = {bundle: tuple(row) for bundle, *row in rows}
            for bundle in part:
                self._ahead[bundle] = found.get(bundle)

    def get(self, bundle: str, fingerprint: str, label: str | None = None) -> HostResult | None:
        """The cached result of ``bundle`` if it was cached under ``fingerprint``, with
        ``label`` (this run's name for the host; default: the one it was cached with)."""
        if bundle in self._ahead:
            row = self._ahead.pop(bundle)
        else:
            try:
                row = self._conn.execute(
                    "SELECT fingerprint, payload, digest FROM hosts WHERE bundle = ?", (bundle,)
                ).fetchone()
            except sqlite3.DatabaseError as exc:  # a damaged row or page
                self.notes.append(f"cache entry for {bundle} was damaged ({exc}); rescanned")
                self._conn.execute("DELETE FROM hosts WHERE bundle = ?", (bundle,))
                return None
        if row is None or row[0] != fingerprint:
            return None
        if not isinstance(row[1], bytes) or hashlib.sha256(row[1]).hexdigest() != row[2]:
            self.notes.append(f"cache entry for {bundle} was damaged; the host was rescanned")
            self._conn.execute("DELETE FROM hosts WHERE bundle = ?", (bundle,))
            return None
        try:
            return _unpack(row[1], label)
        except (zlib.error, ValueError, IndexError, UnicodeDecodeError):
            self.notes.append(f"cache entry for {bundle} was unreadable; the host was rescanned")
            return None

    def known(self, bundle: str) -> bool:
        """Whether the cache holds an entry (of any fingerprint) for this bundle."""
        row = self._conn.execute("SELECT 1 FROM hosts WHERE bundle = ?", (bundle,)).fetchone()
        return row is not None

    def changed_files(self, bundle: str, files: tuple[FileIdentity, ...]) -> list[str]:
        """Files of a bundle that are new or differ from the cached identity."""
        row = self._conn.execute("SELECT files FROM hosts WHERE bundle = ?", (bundle,)).fetchone()
        try:
            old = {f.path: f for f in _files(row[0])} if row else {}
        except ValueError:  # a damaged list: every file counts as changed
            old = {}
        return [f.path for f in files if old.get(f.path) != f]

    def known_edges_of(self, bundles: list[str]) -> dict[str, KnownEdges]:
        """The edge hashes recorded for each bundle's files, with the stat they were taken
        under (empty for a bundle never cached), in one query per few hundred bundles."""
        out: dict[str, KnownEdges] = {b: {} for b in bundles}
        try:
            for start in range(0, len(bundles), _IN_LIMIT):
                part = bundles[start : start + _IN_LIMIT]
                marks = ",".join("?" * len(part))
                query = f"SELECT bundle, files FROM hosts WHERE bundle IN ({marks})"
                for bundle, files in self._conn.execute(query, part):
                    out[bundle] = {f.path: (f.stat, f.edges) for f in _files(files) if f.stat}
        except (sqlite3.DatabaseError, ValueError):  # damaged: hash every file, as uncached
            return {b: {} for b in bundles}
        return out

    def put(self, bundle: str, result: HostResult, files: tuple[FileIdentity, ...]) -> None:
        blob = _pack(result)
        row = (bundle, result.fingerprint, blob, hashlib.sha256(blob).hexdigest(), time.time())
        try:
            self._conn.execute(
                "INSERT OR REPLACE INTO hosts VALUES (?, ?, ?, ?, ?, ?)", (*row, _json(files))
            )
            if time.monotonic() - self._last_commit > _COMMIT_EVERY:
                self.commit()
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the cache {self.path}: {exc}") from exc

    def put_stats(self, bundle: str, files: tuple[FileIdentity, ...]) -> None:
        """Record the stat of a cached bundle's files (it was not known, or a file's stat
        moved without its identity changing: a copy, a ``touch`` putting mtime back)."""
        try:
            self._conn.execute(
                "UPDATE hosts SET files = ? WHERE bundle = ?", (_json(files), bundle)
            )
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the cache {self.path}: {exc}") from exc

    def commit(self) -> None:
        try:
            self._conn.commit()
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the cache {self.path}: {exc}") from exc
        self._last_commit = time.monotonic()

    def close(self) -> None:
        try:
            self._conn.commit()
        finally:
            self._conn.close()


def _connect(path: str, rules_version: str, notes: list[str]) -> sqlite3.Connection:
    existed = os.path.exists(path) and os.path.getsize(path) > 0
    conn = sqlite3.connect(path, timeout=10)
    try:
        if existed:
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check: {check[0] if check else 'none'}")
        conn.executescript(_DDL)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        want = {"schema": _SCHEMA, "rules": rules_version, "logscan": __version__}
        if meta and meta != want:
            if meta.get("schema") != _SCHEMA:
                raise _OtherSchema(f"cache schema {meta.get('schema')!r}, not {_SCHEMA!r}")
            notes.append(
                f"cache {path} was built with rule pack {meta.get('rules')} / logscan "
                f"{meta.get('logscan')}; now {rules_version} / {__version__}: "
                "every host is rescanned"
            )
            conn.execute("DELETE FROM hosts")
        if meta != want:
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(want.items()))
        conn.commit()
    except BaseException:
        conn.close()
        raise
    return conn


def _remove(path: str) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + suffix)
