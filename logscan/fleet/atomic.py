"""Writing outputs safely: a temporary file in the same folder, flushed, then renamed.

A reader never sees a half-written file, and a failure (full disk, permissions) leaves
the previous version of that file as it was. Errors become ``OutputError`` with a reason a
person can act on.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from logscan.errors import LogscanError

_WHY = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted (read-only or immutable folder)",
    errno.EROFS: "the file system is read-only",
    errno.EFBIG: "the file is larger than this system allows",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
}


class OutputError(LogscanError):
    """Results could not be written; nothing already written was damaged."""


def why(exc: OSError) -> str:
    return _WHY.get(exc.errno or 0) or exc.strerror or str(exc)


def ensure_folder(folder: Path) -> None:
    """Create the output folder and prove it is writable, before any work is done."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".logscan-probe-", dir=folder)
        os.close(fd)
        os.remove(probe)
    except OSError as exc:
        raise OutputError(
            f"cannot write in the output folder {folder}: {why(exc)}; "
            "choose another folder with --out"
        ) from exc


@contextmanager
def atomic_open(path: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Yields a file to write; on success it replaces ``path``, on any failure it is removed."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise OutputError(
            f"cannot write {path}: {why(exc)}; the previous {path.name} is unchanged"
        ) from exc
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    with suppress(OSError):
        tmp.unlink()
