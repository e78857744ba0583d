"""Comparing two batch runs (before and after a remediation wave): which hosts changed
verdict or status, which appeared, which are gone. Reads each run's hosts.csv; hosts are
matched by their bundle label (the folder or zip name), case-insensitively."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from logscan.errors import InputError

_HOSTS_CSV = "hosts.csv"


@dataclass(frozen=True, slots=True)
class HostChange:
    label: str
    host: str
    old_verdict: str  # "" when the host had no verdict (unreadable, no logs) or was absent
    new_verdict: str
    old_status: str
    new_status: str


@dataclass(frozen=True, slots=True)
class RunDiff:
    changed: tuple[HostChange, ...]  # verdict or status differs
    added: tuple[HostChange, ...]
    removed: tuple[HostChange, ...]
    unchanged: int
    old_verdicts: dict[str, int]
    new_verdicts: dict[str, int]


def _load(run: Path) -> dict[str, dict[str, str]]:
    path = run / _HOSTS_CSV if run.is_dir() else run
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or "label" not in reader.fieldnames:
                raise InputError(f"{path} is not a logscan batch hosts.csv (no label column)")
            return {row["label"].casefold(): row for row in reader}
    except OSError as exc:
        raise InputError(
            f"cannot read {path}: {exc.strerror or exc}; give two --out folders of "
            "'logscan batch' runs"
        ) from exc


def _change(key: str, old: dict[str, str] | None, new: dict[str, str] | None) -> HostChange:
    either = new or old or {}
    return HostChange(
        label=either.get("label", key),
        host=either.get("host", ""),
        old_verdict=(old or {}).get("verdict", ""),
        new_verdict=(new or {}).get("verdict", ""),
        old_status=(old or {}).get("status", ""),
        new_status=(new or {}).get("status", ""),
    )


def diff_runs(old: Path, new: Path) -> RunDiff:
    """Compare two runs (their --out folders or hosts.csv files); ``InputError`` if unreadable."""
    before, after = _load(old), _load(new)
    changed, added, removed = [], [], []
    unchanged = 0
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        if a is None:
            added.append(_change(key, a, b))
        elif b is None:
            removed.append(_change(key, a, b))
        elif (a["verdict"], a["status"]) != (b["verdict"], b["status"]):
            changed.append(_change(key, a, b))
        else:
            unchanged += 1
    return RunDiff(
        tuple(changed),
        tuple(added),
        tuple(removed),
        unchanged,
        dict(Counter(r["verdict"] or "(none)" for r in before.values())),
        dict(Counter(r["verdict"] or "(none)" for r in after.values())),
    )
