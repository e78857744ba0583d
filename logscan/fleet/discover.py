"""Host discovery for a batch: which folders and zips under the roots are machines.

A root that is a share of machines (``diagnose.hosts.is_share``) gives one host per child
folder or zip; a child folder that is itself a share (a wave folder of machines) is
entered too, to a bounded depth, never through links and never twice (folder loops).
A root that is not a share is one machine itself. Every child folder of a share is a host
even when it holds no logs at all: the admin expects a row for it.

Two bundles with the same name (``WKS1`` under two roots, ``WKS1/`` beside ``WKS1.zip``)
stay two hosts: the later ones are labelled ``WKS1~2``, ``WKS1~3`` and reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from logscan.diagnose.hosts import is_share
from logscan.fleet.model import BundleKind, HostBundle

_MAX_DEPTH = 4  # share -> wave -> site -> machine is as deep as real collections go


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A bundle name found more than once, and the labels the copies got."""

    name: str
    labels: tuple[str, ...]
    paths: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(
            f"{label} = {path}" for label, path in zip(self.labels, self.paths, strict=True)
        )
        return f"host name {self.name!r} found {len(self.labels)} times: {where}"


@dataclass(frozen=True, slots=True)
class Discovery:
    hosts: tuple[HostBundle, ...]
    problems: tuple[str, ...]  # roots or folders that could not be read, links skipped
    duplicates: tuple[Duplicate, ...]


@dataclass(slots=True)
class _Walk:
    skip: frozenset[str]  # real paths never taken as hosts (the output folder)
    skip_names: frozenset[str] = frozenset()  # their last parts
    found: list[tuple[str, str, str, BundleKind]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seen: set[tuple[int, int]] = field(default_factory=set)


def _skipped(walk: _Walk, entry: os.DirEntry[str]) -> bool:
    # An entry can only resolve to a skipped folder of the same name (links are not
    # followed here): the name is compared first, sparing a stat per path part per host.
    return entry.name in walk.skip_names and os.path.realpath(entry.path) in walk.skip


def _zip_name(name: str) -> str:
    return name[:-4] if name.casefold().endswith(".zip") else name


def discover_hosts(roots: Iterable[str], *, skip: Iterable[str] = ()) -> Discovery:
    """Every host bundle under ``roots`` in a stable order (never raises for bad input)."""
    real = frozenset(os.path.realpath(s) for s in skip)
    walk = _Walk(real, frozenset(os.path.basename(s) for s in real))
    for root in roots:
        _root(walk, os.fspath(root))
    return _label(walk)


def _root(walk: _Walk, root: str) -> None:
    if not os.path.exists(root):
        walk.problems.append(f"{root}: no such file or folder; check the path")
    elif os.path.isfile(root):
        if root.casefold().endswith(".zip"):
            name = os.path.basename(root)
            walk.found.append((_zip_name(name), root, name, BundleKind.ZIP))
        else:
            walk.problems.append(f"{root}: not a folder or a zip bundle; skipped")
    elif is_share(root):
        _share(walk, root, "", 0)
    else:
        name = os.path.basename(os.path.abspath(root))
        walk.found.append((name, root, name, BundleKind.FOLDER))


def _share(walk: _Walk, folder: str, rel: str, depth: int) -> None:
    try:
        st = os.stat(folder)
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        walk.problems.append(f"{folder}: cannot list folder: {exc.strerror or exc}")
        return
    if (st.st_dev, st.st_ino) in walk.seen:
        walk.problems.append(f"{folder}: folder already read (mount or link loop); skipped")
        return
    walk.seen.add((st.st_dev, st.st_ino))
    for entry in entries:
        if entry.name.startswith(".") or _skipped(walk, entry):
            continue
        if entry.name.startswith("_"):  # no machine name starts so: tooling beside the bundles
            walk.problems.append(f"{entry.path}: name starts with '_', not a machine; skipped")
            continue
        entry_rel = f"{rel}{entry.name}"
        try:
            if entry.is_symlink():
                walk.problems.append(f"{entry.path}: symbolic link; not followed")
            elif entry.is_file(follow_symlinks=False):
                if entry.name.casefold().endswith(".zip"):
                    kind = BundleKind.ZIP
                    walk.found.append((_zip_name(entry.name), entry.path, entry_rel, kind))
            elif entry.is_dir(follow_symlinks=False):
                if depth + 1 < _MAX_DEPTH and is_share(entry.path):
                    _share(walk, entry.path, entry_rel + "/", depth + 1)
                else:
                    walk.found.append((entry.name, entry.path, entry_rel, BundleKind.FOLDER))
        except OSError as exc:
            walk.problems.append(f"{entry.path}: {exc.strerror or exc}")


def _label(walk: _Walk) -> Discovery:
    counts: dict[str, int] = {}
    groups: dict[str, list[HostBundle]] = {}
    hosts: list[HostBundle] = []
    for name, path, rel, kind in walk.found:
        key = name.casefold()  # Windows machine names ignore case
        counts[key] = counts.get(key, 0) + 1
        label = name if counts[key] == 1 else f"{name}~{counts[key]}"
        bundle = HostBundle(label, name, path, rel, kind)
        hosts.append(bundle)
        groups.setdefault(key, []).append(bundle)
    duplicates = tuple(
        Duplicate(group[0].name, tuple(b.label for b in group), tuple(b.path for b in group))
        for group in groups.values()
        if len(group) > 1
    )
    return Discovery(tuple(hosts), tuple(walk.problems), duplicates)
