"""Repair test fixtures: real exported stores with the defect, CCMCertFix stand-ins, seams.

Certificates come from ``tests/certs/certfactory`` (real X.509 made with cryptography);
stores are written as real ``.reg`` exports and ``.sst`` files; CCMCertFix.exe stand-ins
are PE images built by ``pebuild``. ``@pytest.mark.windows`` tests are skipped elsewhere.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pebuild
import pytest
from repairkit import SP2, F, defective_blobs, host_state

from logscan.certs.sst import write_sst
from logscan.repair.clock import FixedClock
from logscan.repair.host import MemoryRepairHost


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if sys.platform == "win32":
        return
    skip = pytest.mark.skip(reason="needs a real Windows host")
    for item in items:
        if "windows" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def clock() -> FixedClock:
    # Just after the certificates' NotBefore, so no validity finding muddies the checks.
    return FixedClock(F.NOW, timedelta(milliseconds=5))


@pytest.fixture
def blobs() -> dict[str, bytes]:
    return defective_blobs()


@pytest.fixture
def reg_file(tmp_path: Path, blobs: dict[str, bytes]) -> Path:
    path = tmp_path / "evidence" / "sms_store.reg"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(F.reg_export(blobs))
    return path


@pytest.fixture
def sst_file(tmp_path: Path, blobs: dict[str, bytes]) -> Path:
    path = tmp_path / "evidence" / "sms_store.sst"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(write_sst(blobs.values()))
    return path


@pytest.fixture
def tool(tmp_path: Path) -> Path:
    """A CCMCertFix.exe stand-in: the SP2 build, signed, the documented size."""
    path = tmp_path / "site" / "Logs" / "KB977203" / "CCMCertFix.exe"
    path.parent.mkdir(parents=True)
    path.write_bytes(pebuild.build_pe(SP2))
    return path


@pytest.fixture
def host() -> MemoryRepairHost:
    return MemoryRepairHost(host_state())
