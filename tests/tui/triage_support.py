"""Helpers for the triage TUI tests: a config on sample_logs with repair seams on twins.

The store twin is loaded from a tmp copy of a sample host's sms_store.reg (sample_logs is
never written); CCMCertFix.exe is a PE stand-in built by ``tests/repair/pebuild``; the
scripted runner plays it against the twin; the clock is fixed.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.pilot import Pilot
from tui_support import SAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "repair"))

import pebuild

from logscan.repair.clock import FixedClock
from logscan.repair.host import HostState, MemoryRepairHost
from logscan.repair.runner import RecordingRunner
from logscan.repair.twin import StoreTwin, certfix_script
from logscan.tui.app import LogscanApp
from logscan.tui.config import RepairSeams, TuiConfig
from logscan.tui.screens.hosts import HostsScreen

# A week after the sample failures: the certificates are valid, the snapshots stable.
NOW = datetime(2011, 3, 10, 12, 0, tzinfo=UTC)
CONFIRMED, RESOLVED = "WKS-XP-0142", "WKS-XP-0311"
SP2_TOOL = pebuild.PeSpec(signed=True, total_size=17_768)


@dataclass
class Rig:
    config: TuiConfig
    twin: StoreTwin
    store_copy: Path
    audit: Path
    runner: RecordingRunner


def sample_digest(host: str) -> str:
    return hashlib.sha256((SAMPLES / host / "sms_store.reg").read_bytes()).hexdigest()


def rig(tmp_path: Path, host: str = CONFIRMED, *, elevated: bool = True) -> Rig:
    """Seams for repairing ``host``'s store (a tmp copy) as if this were that machine."""
    copy = tmp_path / host / "sms_store.reg"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(SAMPLES / host / "sms_store.reg", copy)
    tool = tmp_path / "site" / "CCMCertFix.exe"
    tool.parent.mkdir()
    tool.write_bytes(pebuild.build_pe(SP2_TOOL))
    twin = StoreTwin.from_file(copy)
    state = HostState(
        name=host,
        user="CORP\\admin",
        elevated=elevated,
        elevation_detail="test: high mandatory level" if elevated else "test: medium level",
        task_sequence=False,
        task_sequence_detail="test: no TSManager",
    )
    runner = RecordingRunner(certfix_script(twin))
    audit = tmp_path / "audit.jsonl"
    seams = RepairSeams(
        store=twin.store(),
        host=MemoryRepairHost(state),
        runner=runner,
        clock=FixedClock(NOW, timedelta(milliseconds=5)),
        audit_path=audit,
        backup_root=tmp_path / "backups",
        tool=str(tool),
    )
    config = TuiConfig(paths=(str(SAMPLES),), now=NOW, seams=seams)
    return Rig(config, twin, copy, audit, runner)


def triage_app(config: TuiConfig | None = None) -> LogscanApp:
    return LogscanApp(config=config or TuiConfig(paths=(str(SAMPLES),), now=NOW))


def hosts_screen(pilot: Pilot[None]) -> HostsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, HostsScreen), screen
    return screen
