"""Bundle identity for the incremental cache: every file's path, size, mtime and a hash of
its head and tail, folded into one fingerprint with the rule-pack version.

Reading only the head and tail keeps a warm re-run cheap (8 KiB per file whatever its
size); logs grow at the end and rotate by renaming, which this sees. A re-run reads not
even that for a file whose full stat (size, mtime, ctime, inode, device) is the one the
cache recorded with its hash: its content cannot have changed without ctime moving. A
zip bundle is one file. Walking never follows links (``inputs.walk``), so a folder loop
cannot hang it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from logscan.fleet.model import BundleKind, HostBundle
from logscan.inputs.source import InputProblem
from logscan.inputs.walk import walk_folder

# Bytes hashed at each end of a file: a dozen log records. Appends move the size and the
# tail; four times as much cost the parent of a first run 0.2 ms more per host.
_EDGE = 4 * 1024


@dataclass(frozen=True, slots=True)
class FileIdentity:
    path: str  # relative to the bundle
    size: int
    mtime_ns: int
    edges: str  # hash of the first and last _EDGE bytes
    # The full stat the hash was taken under; not part of the identity (a copy with the
    # same content and mtime is the same file), only what lets a re-run skip the read.
    stat: str = field(default="", compare=False)
    reused: bool = field(default=False, compare=False)  # edges taken from the cache


# (bundle-relative path) -> (stat key, edges hash) recorded by an earlier run
KnownEdges = Mapping[str, tuple[str, str]]


def stat_key(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"


@dataclass(frozen=True, slots=True)
class BundleIdentity:
    files: tuple[FileIdentity, ...]
    problems: tuple[str, ...]  # parts that could not be listed or read

    @property
    def bytes(self) -> int:
        return sum(f.size for f in self.files)

    def fingerprint(self, rules_version: str) -> str:
        h = hashlib.blake2b(rules_version.encode(), digest_size=20)
        for f in self.files:
            h.update(f"\0{f.path}\0{f.size}\0{f.mtime_ns}\0{f.edges}".encode())
        for p in self.problems:
            h.update(f"\0!{p}".encode())
        return h.hexdigest()


def file_identity(
    path: str, rel: str, known: KnownEdges | None = None, st: os.stat_result | None = None
) -> FileIdentity:
    """Raises ``OSError`` when the file cannot be read. ``known``: hashes recorded by an
    earlier run, reused when the file's stat is unchanged; ``st``: the file's stat if the
    caller has just taken it (the walk has)."""
    if known is not None and rel in known:
        st = st or os.stat(path)
        key, edges = known[rel]
        if stat_key(st) == key:
            return FileIdentity(rel, st.st_size, st.st_mtime_ns, edges, key, reused=True)
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        h = hashlib.blake2b(digest_size=16)
        h.update(fh.read(_EDGE))
        if st.st_size > _EDGE:
            fh.seek(max(_EDGE, st.st_size - _EDGE))
            h.update(fh.read(_EDGE))
    return FileIdentity(rel, st.st_size, st.st_mtime_ns, h.hexdigest(), stat_key(st))


def bundle_identity(bundle: HostBundle, known: KnownEdges | None = None) -> BundleIdentity:
    """Identity of every file of a bundle; what cannot be read is listed, never raised."""
    files: list[FileIdentity] = []
    problems: list[str] = []
    if bundle.kind is BundleKind.ZIP:
        try:
            files.append(file_identity(bundle.path, Path(bundle.path).name, known))
        except OSError as exc:
            problems.append(f"{bundle.path}: {exc.strerror or exc}")
        return BundleIdentity(tuple(files), tuple(problems))
    for item in walk_folder(bundle.path, lambda _name: True):
        if isinstance(item, InputProblem):
            problems.append(str(item))
            continue
        try:
            files.append(file_identity(item.path, item.rel, known, item.stat))
        except OSError as exc:
            problems.append(f"{item.path}: {exc.strerror or exc}")
    return BundleIdentity(tuple(files), tuple(problems))


def rules_version(rule_files: tuple[str, ...]) -> str:
    """The rule pack's version: a hash of the loaded rule files' bytes (with their folder
    and file names, so it is the same wherever the pack is installed)."""
    parts: list[tuple[str, str]] = []
    for name in rule_files:
        p = Path(name)
        try:
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError as exc:  # a file that vanished since loading: never a stale match
            digest = f"unreadable:{exc}"
        parts.append((f"{p.parent.name}/{p.name}", digest))
    h = hashlib.sha256()
    for part in sorted(parts):
        h.update("\0".join(part).encode() + b"\n")
    return h.hexdigest()[:16]
