"""write_collector: where it writes, CRLF, refusing to overwrite, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from logscan.collector import SCRIPT_NAME, script_bytes, write_collector
from logscan.errors import InputError, UsageError


def test_writes_the_script_with_crlf(tmp_path: Path) -> None:
    target = write_collector(tmp_path / "new" / "dir")
    assert target == tmp_path / "new" / "dir" / SCRIPT_NAME
    data = target.read_bytes()
    assert data == script_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert sorted(p.name for p in (tmp_path / "new" / "dir").iterdir()) == [SCRIPT_NAME]


def test_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / SCRIPT_NAME
    target.write_bytes(b"my edited copy")
    with pytest.raises(UsageError, match="--force") as err:
        write_collector(tmp_path)
    assert err.value.location is not None and err.value.location.path == str(target)
    assert target.read_bytes() == b"my edited copy"
    write_collector(tmp_path, force=True)
    assert target.read_bytes() == script_bytes()


def test_a_file_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="not a folder"):
        write_collector(tmp_path / "file")


def test_unwritable_folder_is_an_input_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write"):
        write_collector(blocker / "sub")
