"""Fleet fixtures: a share built from the sample bundles (folders, a zip, an empty host)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from logscan.fleet import BatchOptions, BatchRun, SerialExecutor, run_batch

SAMPLES = Path(__file__).resolve().parents[2] / "sample_logs"
HOSTS = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir() and not p.name.startswith("_"))
ZIPPED = "WKS-XP-0142"


def zip_folder(folder: Path, target: Path, prefix: str = "") -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                z.write(f, prefix + f.relative_to(folder).as_posix())


def make_share(root: Path, hosts: list[str] | None = None) -> Path:
    """A share: each sample host as a folder, ``ZIPPED`` as a zip, plus an empty host."""
    root.mkdir(parents=True, exist_ok=True)
    for name in hosts or HOSTS:
        if name == ZIPPED:
            zip_folder(SAMPLES / name, root / f"{name}.zip", f"{name}/")
        else:
            shutil.copytree(
                SAMPLES / name, root / name, ignore=shutil.ignore_patterns("EXPECTED.json")
            )
    (root / "WKS-EMPTY-01").mkdir()
    return root


@pytest.fixture
def share(tmp_path: Path) -> Path:
    return make_share(tmp_path / "share")


def run_serial(roots: list[Path], out: Path, **kwargs: Any) -> BatchRun:
    options = BatchOptions(roots=tuple(str(r) for r in roots), out=str(out), **kwargs)
    return run_batch(options, SerialExecutor())


def read_rows(out: Path) -> dict[str, dict[str, str]]:
    import csv

    with (out / "hosts.csv").open(encoding="utf-8", newline="") as fh:
        return {row["label"]: row for row in csv.DictReader(fh)}
