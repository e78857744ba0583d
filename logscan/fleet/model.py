"""Batch data: host bundles found under the roots, jobs sent to workers, their results.

Everything here crosses a process (or machine) boundary, so it is small, frozen and
picklable; a host's diagnosis travels as JSON text, already in its output shape.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class BundleKind(StrEnum):
    FOLDER = "folder"
    ZIP = "zip"


class HostStatus(StrEnum):
    """How far a host's bundle could be read; every host gets a row whatever happens."""

    OK = "ok"  # diagnosed from everything in the bundle
    PARTIAL = "partial"  # diagnosed, but some files could not be read (listed in reason)
    NO_LOGS = "no_logs"  # nothing to diagnose: no logs, certificates or machine facts
    UNREADABLE = "unreadable"  # the bundle itself could not be opened (permission, damage)
    CHANGED = "changed"  # the bundle kept changing while it was scanned; not cached
    ERROR = "error"  # the worker failed on this host (a bug, or the worker died)

    @property
    def diagnosed(self) -> bool:
        return self in (HostStatus.OK, HostStatus.PARTIAL, HostStatus.CHANGED)

    @property
    def cacheable(self) -> bool:
        return self in (
            HostStatus.OK,
            HostStatus.PARTIAL,
            HostStatus.NO_LOGS,
            HostStatus.UNREADABLE,
        )


@dataclass(frozen=True, slots=True)
class HostBundle:
    """One machine's evidence: a folder or a zip under one of the roots.

    ``label`` is unique in the run (a duplicated name gets ``~2``, ``~3``); ``name`` is
    the folder or zip name the diagnosis falls back on; ``rel`` is the path relative to
    the root, as reports show it."""

    label: str
    name: str
    path: str
    rel: str
    kind: BundleKind


@dataclass(frozen=True, slots=True)
class HostJob:
    """What a worker needs to diagnose one host."""

    bundle: HostBundle
    rule_dirs: tuple[str, ...]  # user rule folders, loaded next to the shipped pack
    rules_version: str  # the worker checks it loaded the same rule pack
    now: datetime
    attempt: int = 1
    # The bundle's fingerprint as the parent took it: the worker takes the identity only
    # after the scan and compares (empty: the worker takes it before as well).
    fingerprint: str = ""
    # (path, stat, edge hash) of the files as the parent saw them: the worker's identity
    # after the scan re-reads only files whose stat moved (see ``identity.file_identity``).
    known: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class HostResult:
    """A worker's answer for one host.

    ``row`` is the JSON of the flat ``hosts.csv`` row (without ``label``); ``detail`` the
    JSON of the diagnosis (``docs/diagnose-json.md`` shape) or ``""`` when there is none.
    ``fingerprint`` is the bundle identity the result belongs to (see ``identity``).
    ``detail_z`` is ``detail`` zlib-compressed, as the cache keeps it: a result read from
    the cache carries that instead of ``detail``, so an unchanged host is not decompressed
    unless its diagnosis is needed again (when the outputs are rewritten)."""

    label: str
    status: HostStatus
    reason: str
    row: str
    detail: str
    fingerprint: str
    files: int
    bytes: int
    seconds: float
    rules_version: str
    detail_z: builtins.bytes = b""  # ``builtins``: the field ``bytes`` shadows the type
