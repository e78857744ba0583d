"""Local or network filesystem, from a mount table (a real file in the kernel's format)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from logscan.fleet import mounts
from logscan.fleet.mounts import filesystem_type, is_local

TABLE = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//filer/wave3 /mnt/share cifs rw,vers=3.0 0 0
filer:/export /mnt/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/share/local\\040copy xfs rw 0 0
user@host:/x /mnt/ssh fuse.sshfs rw 0 0
"""


@pytest.fixture
def table(tmp_path: Path) -> str:
    path = tmp_path / "mounts"
    path.write_text(TABLE)
    return str(path)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/", "ext4"),
        ("/home/admin/logs", "ext4"),
        ("/mnt/share", "cifs"),
        ("/mnt/share/WKS-01/CcmExec.log", "cifs"),
        ("/mnt/shared", "ext4"),  # a sibling with a longer name is not inside the share
        ("/mnt/nfs/a", "nfs4"),
        ("/mnt/share/local copy/WKS-02", "xfs"),  # the longest mount point wins
        ("/mnt/ssh", "fuse.sshfs"),
    ],
)
def test_the_longest_mount_point_above_a_path_decides(table: str, path: str, kind: str) -> None:
    assert filesystem_type(path, table) == kind


def test_an_unreadable_table_says_nothing(tmp_path: Path) -> None:
    assert filesystem_type("/", str(tmp_path / "missing")) is None


def test_only_known_local_filesystems_count_as_local(
    table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mounts, "MOUNTS", table)
    monkeypatch.setattr(os.path, "realpath", lambda p: p)
    assert is_local("/home/admin/logs")
    assert not is_local("/mnt/share/WKS-01")
    assert not is_local("/mnt/nfs")
    assert not is_local("/mnt/ssh/x")
    monkeypatch.setattr(mounts, "MOUNTS", "/nonexistent/mounts")
    assert not is_local("/home/admin/logs")  # not known: counted as remote
