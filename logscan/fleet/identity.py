"""Bundle identity for the incremental cache: every file's path, size, mtime and a hash of
its head and tail, folded into one fingerprint with the rule-pack version.

Reading only the head and tail keeps a warm re-run cheap (32 KiB per file whatever its
size); logs grow at the end and rotate by renaming, which this sees. A zip bundle is one
file. Walking never follows links (``inputs.walk``), so a folder loop cannot hang it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from logscan.fleet.model import BundleKind, HostBundle
from logscan.inputs.source import InputProblem
from logscan.inputs.walk import walk_folder

_EDGE = 16 * 1024  # bytes hashed at each end of a file


@dataclass(frozen=True, slots=True)
class FileIdentity:
    path: str  # relative to the bundle
    size: int
    mtime_ns: int
    edges: str  # hash of the first and last _EDGE bytes


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


def file_identity(path: str, rel: str) -> FileIdentity:
    """Raises ``OSError`` when the file cannot be read."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        h = hashlib.blake2b(digest_size=16)
        h.update(fh.read(_EDGE))
        if st.st_size > _EDGE:
            fh.seek(max(_EDGE, st.st_size - _EDGE))
            h.update(fh.read(_EDGE))
    return FileIdentity(rel, st.st_size, st.st_mtime_ns, h.hexdigest())


def bundle_identity(bundle: HostBundle) -> BundleIdentity:
    """Identity of every file of a bundle; what cannot be read is listed, never raised."""
    files: list[FileIdentity] = []
    problems: list[str] = []
    if bundle.kind is BundleKind.ZIP:
        try:
            files.append(file_identity(bundle.path, Path(bundle.path).name))
        except OSError as exc:
            problems.append(f"{bundle.path}: {exc.strerror or exc}")
        return BundleIdentity(tuple(files), tuple(problems))
    for item in walk_folder(bundle.path, lambda _name: True):
        if isinstance(item, InputProblem):
            problems.append(str(item))
            continue
        try:
            files.append(file_identity(item.path, item.rel))
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
