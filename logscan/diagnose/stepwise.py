"""Diagnosis one host at a time, with progress and cancel, for surfaces that show a scan.

``diagnose`` answers for every host in one call; an interactive surface wants to say
"3 of 9 hosts" and to stop when asked. ``host_bundles`` splits the given paths into hosts
exactly as ``diagnose`` does (``plan_hosts``); ``diagnose_bundles`` diagnoses them in turn.
Each host's citations are relative to its own folder or zip (as in ``diagnose_bundle``),
so ``HostBundle.roots`` plus an ``Evidence.path`` finds the file again.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from logscan.diagnose.evidence import HostEvidence
from logscan.diagnose.gather import ScanFn, gather
from logscan.diagnose.host import diagnose_host
from logscan.diagnose.hosts import HostLayout, Unit, is_share, plan_hosts
from logscan.diagnose.report import Report
from logscan.rules.loader import RuleSet

Progress = Callable[[int, int, str], None]  # hosts done, hosts in all, the host now


@dataclass(frozen=True, slots=True)
class HostBundle:
    """One host's evidence: its label and the folders, zips or files it was found in."""

    label: str
    roots: tuple[str, ...]


def host_bundles(paths: Iterable[str | Path]) -> tuple[HostBundle, ...]:
    """The hosts under ``paths``, split as ``diagnose`` splits them."""
    layout = plan_hosts(paths)
    return tuple(
        HostBundle(unit.label, tuple(p for p, _ in unit.parts) + tuple(unit.loose))
        for unit in layout.units.values()
    )


def _layout(bundle: HostBundle) -> HostLayout:
    unit = Unit(bundle.label)
    layout = HostLayout(units={bundle.label: unit})
    for root in bundle.roots:
        layout.roots[root] = bundle.label
        if os.path.isdir(root) or root.casefold().endswith(".zip"):
            unit.parts.append((root, ""))
        else:
            unit.loose.append(root)
    return layout


def diagnose_bundles(
    bundles: Sequence[HostBundle],
    ruleset: RuleSet,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    scan: ScanFn | None = None,
) -> Report | None:
    """Every bundle diagnosed in turn; None when ``cancel`` was set before the end."""
    moment = now or datetime.now(UTC)
    hosts: list[HostEvidence] = []
    problems: list[str] = []
    disabled: list[str] = []
    for n, bundle in enumerate(bundles):
        if cancel is not None and cancel.is_set():
            return None
        if progress is not None:
            progress(n, len(bundles), bundle.label)
        got = gather(bundle.roots, ruleset, now=moment, scan=scan, layout=_layout(bundle))
        hosts += got.hosts
        problems += got.problems
        disabled += [d for d in got.disabled if d not in disabled]
    if progress is not None:
        progress(len(bundles), len(bundles), "")
    diagnoses = sorted((diagnose_host(ev) for ev in hosts), key=lambda d: d.host.casefold())
    return Report(
        tuple(diagnoses), ruleset.loaded, ruleset.failed, tuple(problems), tuple(disabled)
    )


def evidence_file(roots: Sequence[str], path: str) -> tuple[str, str] | None:
    """(root, display) of a cited evidence file: the root it lies under and its citation
    as the input layer writes it; None when no root holds it."""
    for root in roots:
        if root.casefold().endswith(".zip") and path.startswith(Path(root).name + "!"):
            return root, path
        if os.path.isdir(root) and os.path.isfile(os.path.join(root, path)):
            return root, path
        if os.path.isfile(root) and Path(root).name == path:
            return root, path
    return None


_PROBE_LIMIT = 5000  # files looked at per folder before deciding it holds logs only


def holds_hosts(paths: Iterable[str | Path]) -> bool:
    """Whether ``paths`` hold machines (a share of hosts, a zip, or a folder with store
    exports or systeminfo output) rather than only logs to read."""
    for given in (os.fspath(p) for p in paths):
        if given.casefold().endswith(".zip") and os.path.isfile(given):
            return True
        if not os.path.isdir(given):
            continue
        if is_share(given):
            return True
        seen = 0
        for _dir, _subdirs, files in os.walk(given):
            if any(_machine_file(name) for name in files):
                return True
            seen += len(files)
            if seen > _PROBE_LIMIT:
                break
    return False


def _machine_file(name: str) -> bool:
    low = name.casefold()
    return low.endswith((".reg", ".sst")) or "systeminfo" in low
