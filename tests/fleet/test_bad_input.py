"""Bad input for a batch: every defect is a host row or a run note, never an abort, and
nothing written before is lost (the issue's list)."""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from logscan.diagnose import report as diagnose_report
from logscan.fleet import HostStatus, OutputError
from logscan.fleet import atomic as atomic_module

from .conftest import SAMPLES, make_share, read_rows, run_serial


def test_no_logs_zip_bomb_and_traversal_are_rows_with_reasons(tmp_path: Path) -> None:
    share = make_share(tmp_path / "share", ["WKS-XP-0588"])
    with zipfile.ZipFile(share / "WKS-BOMB.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("WKS-BOMB/ccmexec.log", b"\0" * (20 << 20))  # 20 MiB of NULs: ratio ~1000
    with zipfile.ZipFile(share / "WKS-EVIL.zip", "w") as z:
        z.writestr("../../etc/ccmexec.log", b"x")
        z.writestr(
            "WKS-EVIL/systeminfo.txt", (SAMPLES / "WKS-XP-0588" / "systeminfo.txt").read_bytes()
        )
    (share / "WKS-BROKEN.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    out = tmp_path / "out"
    run = run_serial([share], out)
    rows = read_rows(out)
    assert rows["WKS-EMPTY-01"]["status"] == HostStatus.NO_LOGS.value
    assert rows["WKS-BOMB"]["status"] == HostStatus.UNREADABLE.value
    assert "limit" in rows["WKS-BOMB"]["reason"] or "ratio" in rows["WKS-BOMB"]["reason"]
    assert rows["WKS-BROKEN"]["status"] == HostStatus.UNREADABLE.value
    evil = rows["WKS-EVIL"]
    assert evil["status"] == HostStatus.PARTIAL.value and ".." in evil["reason"]
    assert not (tmp_path / "etc").exists()
    assert rows["WKS-XP-0588"]["verdict"] == "likely"
    assert run.summary["statuses"]["unreadable"] == 2


def test_permission_denied_file_makes_the_host_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    share = make_share(tmp_path / "share", ["WKS-XP-0142", "WKS-XP-0588"])
    denied = str(share / "WKS-XP-0588" / "WINDOWS" / "system32" / "CCM" / "Logs" / "smsts.log")
    real_open = builtins.open

    def guarded(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | os.PathLike) and os.fspath(file) == denied:
            raise PermissionError(errno.EACCES, "Permission denied", denied)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(io, "open", guarded)
    out = tmp_path / "out"
    run_serial([share], out)
    monkeypatch.undo()
    row = read_rows(out)["WKS-XP-0588"]
    assert row["status"] == HostStatus.PARTIAL.value
    assert "smsts.log" in row["reason"] and "permission" in row["reason"].lower()
    assert read_rows(out)["WKS-XP-0142.zip".removesuffix(".zip")]["status"] == "ok"


def test_a_bundle_that_keeps_changing_is_reported_and_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    share = make_share(tmp_path / "share", ["WKS-XP-0588", "WKS-W7-1164"])
    growing = share / "WKS-XP-0588" / "WINDOWS" / "system32" / "CCM" / "Logs" / "CcmExec.log"
    real = diagnose_report.diagnose_bundle

    def collecting_meanwhile(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name == "WKS-XP-0588":  # the collector is still copying logs
            with growing.open("ab") as fh:
                fh.write(b"\r\n")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(diagnose_report, "diagnose_bundle", collecting_meanwhile)
    out = tmp_path / "out"
    run_serial([share], out)
    rows = read_rows(out)
    assert rows["WKS-XP-0588"]["status"] == HostStatus.CHANGED.value
    assert "changed while it was scanned" in rows["WKS-XP-0588"]["reason"]
    assert rows["WKS-XP-0588"]["verdict"] == "likely"  # still diagnosed, from what was read
    monkeypatch.undo()
    again = run_serial([share], out)
    assert again.summary["scanned"] == 1  # only the moving one
    assert again.summary["from_cache"] == again.hosts - 1


def test_a_bundle_that_changed_once_is_rescanned_and_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    share = make_share(tmp_path / "share", ["WKS-XP-0588"])
    growing = share / "WKS-XP-0588" / "systeminfo.txt"
    real = diagnose_report.diagnose_bundle
    calls: list[str] = []

    def once(path: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(str(path))
        if calls.count(str(path)) == 1 and Path(path).name == "WKS-XP-0588":
            with growing.open("ab") as fh:
                fh.write(b"\r\n")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(diagnose_report, "diagnose_bundle", once)
    run_serial([share], tmp_path / "out")
    assert read_rows(tmp_path / "out")["WKS-XP-0588"]["status"] == HostStatus.OK.value
    assert len([c for c in calls if c.endswith("WKS-XP-0588")]) == 2


def _immutable(folder: Path) -> bool:
    """Make a folder unwritable even for root (chattr +i); False when not possible."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        return True
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    done = subprocess.run([chattr, "+i", str(folder)], check=False, capture_output=True)
    return done.returncode == 0


def _mutable(folder: Path) -> None:
    if os.geteuid() != 0:
        folder.chmod(0o700)
    else:
        subprocess.run(["chattr", "-i", str(folder)], check=False, capture_output=True)


def test_an_unwritable_output_folder_is_refused_before_scanning(tmp_path: Path) -> None:
    share = make_share(tmp_path / "share", ["WKS-XP-0588"])
    out = tmp_path / "out"
    out.mkdir()
    if not _immutable(out):
        pytest.skip("cannot make a folder unwritable here (root without chattr)")
    try:
        with pytest.raises(OutputError, match="cannot write in the output folder"):
            run_serial([share], out)
    finally:
        _mutable(out)
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    with pytest.raises(OutputError, match="not a folder"):
        run_serial([share], blocked / "out")


def test_a_full_disk_keeps_the_previous_outputs_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    share = make_share(tmp_path / "share", ["WKS-XP-0588", "WKS-W7-1164"])
    out = tmp_path / "out"
    run_serial([share], out)
    before = {
        p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".csv", ".json", ".html")
    }
    shutil.rmtree(share / "WKS-W7-1164")  # the next run would write different tables
    real_open = builtins.open

    def filling(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        if "w" in mode and Path(os.fspath(file)).name.startswith(".hosts.csv.tmp"):
            handle.close()
            raise OSError(errno.ENOSPC, "No space left on device", os.fspath(file))
        return handle

    monkeypatch.setattr(atomic_module, "open", filling, raising=False)
    with pytest.raises(OutputError, match="disk is full") as caught:
        run_serial([share], out)
    monkeypatch.undo()
    assert "already written: findings.jsonl" in str(caught.value)
    after = {
        p.name: p.read_bytes() for p in out.iterdir() if p.suffix in (".csv", ".json", ".html")
    }
    assert after == before  # hosts.csv, report.html and summary.json of the last good run
    assert not [p for p in out.iterdir() if ".tmp-" in p.name]


def test_a_same_size_rewrite_with_its_mtime_put_back_is_still_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker reuses the parent's edge hashes for files whose stat did not move; the
    # stat includes the change time, which no tool can put back, so this is still caught
    # and the host is scanned again.
    share = make_share(tmp_path / "share", ["WKS-XP-0588"])
    log = share / "WKS-XP-0588" / "WINDOWS" / "system32" / "CCM" / "Logs" / "CcmExec.log"
    real = diagnose_report.diagnose_bundle
    calls: list[str] = []

    def rewriting(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name != "WKS-XP-0588":
            return real(path, *args, **kwargs)
        calls.append(str(path))
        if len(calls) == 1:
            st = log.stat()
            data = bytearray(log.read_bytes())
            data[:5] = b"XXXXX"
            log.write_bytes(bytes(data))
            os.utime(log, ns=(st.st_atime_ns, st.st_mtime_ns))
            assert log.stat().st_size == st.st_size
        return real(path, *args, **kwargs)

    monkeypatch.setattr(diagnose_report, "diagnose_bundle", rewriting)
    run_serial([share], tmp_path / "out")
    assert len(calls) == 2  # seen, and scanned again
    assert read_rows(tmp_path / "out")["WKS-XP-0588"]["status"] == HostStatus.OK.value
