"""Safe recursive folder walk: regular files in a stable order, links never followed.

Links found inside the tree (symbolic links, Windows junctions) are never followed: a
target inside the tree is read at its real place anyway, and a target outside it is not
evidence the user gave. Links that matter (to folders, or named like a wanted file) are
reported as skipped, saying why. Folders are also tracked by ``(st_dev, st_ino)``, so a
bind mount or junction that slips past the link test still cannot loop.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from logscan.inputs.source import InputProblem

_REPARSE_POINT = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT: junctions and other Windows links


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A regular file under the walked folder."""

    path: str  # path to open: the folder as given joined with ``rel``
    rel: str  # path relative to the folder, forward slashes
    name: str
    size: int
    ident: tuple[int, int]  # (st_dev, st_ino), to spot one file reached twice
    # The stat taken while walking, for callers that would otherwise stat again (the
    # batch's re-run compares every file's stat with the cache's).
    stat: os.stat_result | None = field(default=None, compare=False, repr=False)


def file_ident(path: str) -> tuple[tuple[int, int], int]:
    """``((st_dev, st_ino), size)`` of a path, following links (the caller named it)."""
    st = os.stat(path)
    return (st.st_dev, st.st_ino), st.st_size


def reason_of(exc: OSError) -> str:
    """A short human reason for an OS error, with what to do for permissions."""
    if isinstance(exc, PermissionError):
        return "permission denied; run as a user who can read it"
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    return exc.strerror or str(exc)


def _is_link(entry: os.DirEntry[str]) -> bool:
    if entry.is_symlink():
        return True
    if os.name != "nt":  # only Windows has links that are not symbolic (junctions)
        return False
    attrs = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    return bool(attrs & _REPARSE_POINT)


def walk_folder(root: str, wanted: Callable[[str], bool]) -> Iterator[FoundFile | InputProblem]:
    """Regular files under ``root`` whose name ``wanted`` accepts, folder by folder in
    name order; problems for unreadable folders and skipped links."""
    try:
        top = os.stat(root)
    except OSError as exc:
        yield InputProblem(root, reason_of(exc))
        return
    root_real: str | None = None  # resolved when a link is met (a stat per path part)
    visited = {(top.st_dev, top.st_ino)}
    pending: list[tuple[str, str]] = [(root, "")]
    while pending:
        folder, rel = pending.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield InputProblem(folder, f"cannot list folder: {reason_of(exc)}")
            continue
        subfolders: list[tuple[str, str]] = []
        for entry in entries:
            entry_rel = f"{rel}{entry.name}"
            try:
                if _is_link(entry):
                    root_real = root_real or os.path.realpath(root)
                    problem = _link_problem(entry, root_real, wanted)
                    if problem:
                        yield problem
                elif entry.is_dir(follow_symlinks=False):
                    st = os.stat(entry.path, follow_symlinks=False)
                    key = (st.st_dev, st.st_ino)
                    if key in visited:
                        yield InputProblem(
                            entry.path,
                            "folder already read (mount or junction loop); skipped",
                            fatal_for_path=False,
                        )
                        continue
                    visited.add(key)
                    subfolders.append((entry.path, f"{entry_rel}/"))
                elif wanted(entry.name):
                    st = os.stat(entry.path, follow_symlinks=False)
                    if not stat.S_ISREG(st.st_mode):
                        yield InputProblem(
                            entry.path,
                            "not a regular file (device, pipe or socket); skipped",
                            fatal_for_path=False,
                        )
                        continue
                    yield FoundFile(
                        entry.path, entry_rel, entry.name, st.st_size, (st.st_dev, st.st_ino), st
                    )
            except OSError as exc:
                yield InputProblem(entry.path, reason_of(exc))
        pending.extend(reversed(subfolders))


def _link_problem(
    entry: os.DirEntry[str], root_real: str, wanted: Callable[[str], bool]
) -> InputProblem | None:
    try:
        target = os.path.realpath(entry.path, strict=True)
        target_is_dir = os.path.isdir(target)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return InputProblem(entry.path, "symbolic link loop; not followed", False)
        if not wanted(entry.name):
            return None
        return InputProblem(entry.path, "broken symbolic link; skipped", False)
    if not target_is_dir and not wanted(entry.name):
        return None
    inside = _within(target, root_real)
    link_parent = os.path.realpath(os.path.dirname(entry.path))
    if not inside:
        why = f"symbolic link points outside the input folder (to {target}); not followed"
    elif target_is_dir and _within(link_parent, target):
        why = "symbolic link loops back to a parent folder; not followed"
    else:
        why = "symbolic link to another place in the input (read there); not followed"
    return InputProblem(entry.path, why, fatal_for_path=False)


def _within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives on Windows
        return False
