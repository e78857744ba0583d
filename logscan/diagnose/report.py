"""``diagnose``: paths and rules in, one ``Diagnosis`` per host out, as a ``Report``.

The one call CLI, TUI and batch reports make. Gathering (I/O) and the verdict (pure) are
separate modules; this joins them and keeps what concerns the whole run: rule counts,
inputs that belong to no host, rules stopped during the scan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from logscan.diagnose.gather import Gathered, ScanFn, gather, gather_live
from logscan.diagnose.host import diagnose_host
from logscan.diagnose.hosts import single_host
from logscan.diagnose.model import Diagnosis
from logscan.rules.loader import RuleSet


@dataclass(frozen=True, slots=True)
class Report:
    """Every host's diagnosis, plus the run's rule counts and problems."""

    diagnoses: tuple[Diagnosis, ...]
    rules_loaded: int
    rules_failed: int
    problems: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()

    @property
    def actionable(self) -> bool:
        return any(d.verdict.actionable for d in self.diagnoses)


def _report(gathered: Gathered, ruleset: RuleSet) -> Report:
    diagnoses = sorted(
        (diagnose_host(ev) for ev in gathered.hosts), key=lambda d: d.host.casefold()
    )
    return Report(
        tuple(diagnoses),
        ruleset.loaded,
        ruleset.failed,
        gathered.problems,
        gathered.disabled,
    )


def diagnose(
    paths: Iterable[str | Path],
    ruleset: RuleSet,
    *,
    now: datetime | None = None,
    scan: ScanFn | None = None,
) -> Report:
    """Diagnose every host found under ``paths`` (folders, zips, files)."""
    moment = now or datetime.now(UTC)
    return _report(gather(paths, ruleset, now=moment, scan=scan), ruleset)


def diagnose_bundle(
    path: str | Path,
    ruleset: RuleSet,
    *,
    label: str | None = None,
    now: datetime | None = None,
    scan: ScanFn | None = None,
) -> Report:
    """Diagnose one folder or zip as one machine, whatever it holds (batch scans call this
    per host). ``label`` names it (default: folder or zip name); no diagnosis, and the
    reason in ``problems``, when it holds no evidence at all."""
    moment = now or datetime.now(UTC)
    layout = single_host(path, label)
    return _report(gather([path], ruleset, now=moment, scan=scan, layout=layout), ruleset)


def diagnose_live(
    ruleset: RuleSet, *, now: datetime | None = None, scan: ScanFn | None = None
) -> Report:
    """Diagnose this machine (Windows only; ``UsageError`` elsewhere)."""
    moment = now or datetime.now(UTC)
    return _report(gather_live(ruleset, now=moment, scan=scan), ruleset)
