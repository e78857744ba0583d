"""TuiConfig and RepairSeams: what the triage app is started on, and its outside world.

The app takes one ``TuiConfig``: the paths (or ``live``), the moment to diagnose at (a
fixed one makes snapshots stable) and the repair seams. Tests inject a store twin, a
scripted runner, a host state and a clock through ``RepairSeams``; ``live_seams`` builds
the real machine's (Windows only). No globals: every screen reads ``app.config``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from logscan.repair.clock import Clock, SystemClock
from logscan.repair.host import RepairHost
from logscan.repair.runner import CommandRunner
from logscan.repair.stores import RepairStore


@dataclass(frozen=True, slots=True)
class RepairSeams:
    """The machine a repair acts on: its SMS store, state, command runner and clock."""

    store: RepairStore
    host: RepairHost
    runner: CommandRunner
    clock: Clock = field(default_factory=SystemClock)
    audit_path: Path | None = None
    backup_root: Path | None = None
    tool: str | None = None  # CCMCertFix.exe, its folder or the SMS root share
    env: Mapping[str, str] = field(default_factory=dict)
    native: bool = False


@dataclass(frozen=True, slots=True)
class TuiConfig:
    """What ``logscan tui`` opens: folders/zips of hosts, or this machine (``live``)."""

    paths: tuple[str, ...] = ()
    live: bool = False
    now: datetime | None = None  # diagnose at this moment (default: the clock's)
    seams: RepairSeams | None = None  # None: repair shows why it is unavailable


def live_seams() -> RepairSeams:
    """This machine's seams (``UsageError`` off Windows, from the factories)."""
    from logscan.facts.live import default_host
    from logscan.repair.host import CommandHost
    from logscan.repair.paths import default_audit_path, default_backup_root
    from logscan.repair.runner import default_runner
    from logscan.repair.stores import default_live_store

    return RepairSeams(
        store=default_live_store(),
        host=CommandHost(default_host()),
        runner=default_runner(),
        audit_path=default_audit_path(),
        backup_root=default_backup_root(os.environ),
        env=dict(os.environ),
    )
