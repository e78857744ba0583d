"""Helpers shared by the repair tests: PE specs, defective stores, host states."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "certs"))

import certfactory as F
import pebuild

from logscan.repair.host import HostState

SP2 = pebuild.PeSpec(signed=True, total_size=17_768)
SP1 = pebuild.PeSpec(file_version=(4, 0, 6221, 1193), string_version="4.00.6221.1193")


def defective_blobs(host: str = "PC01") -> dict[str, bytes]:
    """The two client certificates: signing with a trailing NUL, encryption with one inside."""
    return F.client_pair(host, "trailing", "middle")


def host_state(**changes: object) -> HostState:
    base = {
        "name": "PC01",
        "user": "CONTOSO\\admin",
        "elevated": True,
        "elevation_detail": "test",
        "task_sequence": False,
        "task_sequence_detail": "test",
    }
    base.update(changes)
    return HostState(**base)  # type: ignore[arg-type]
