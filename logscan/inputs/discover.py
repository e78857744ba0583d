"""discover(): the log sources under files, folders and zip bundles, and what could not be read.

Which files count:

- a file the user names directly is always read (kind by name, then by content, else
  OTHER), unless it is a ``.zip``, which is read as a bundle;
- inside folders and bundles: files whose name announces a kind (``smsts.log``,
  ``ccmexec.lo_``, ``scanstateprogress.log``, ...), plus any other ``.log``/``.lo_``/
  ``.txt`` whose head sniffs as a CCM, legacy trace or USMT log; binaries and unrelated
  text are passed over silently;
- ``.zip`` files inside folders are bundles (one per machine is the usual layout).

``display`` is the path relative to the input given (a single file: its name; a zip
member: ``bundle.zip!member/path``), always with forward slashes. ``InputProblem.path``
is the full path (``C:/share/HOST1.zip!Logs/smsts.log`` for a member), so a person can go
and look. ``fatal_for_path`` is True when a path, file, folder or whole archive could not
be read (missing, permission, damaged, encrypted); False when one entry was skipped on
purpose while the rest was read (unsafe member name, link, size limit, nesting depth).

One file reached twice (the same folder given twice, a file and its folder) is read once.
Nothing here raises for bad input, and every file is opened read-only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from logscan.inputs.kinds import SNIFF_SUFFIXES, kind_from_content, kind_from_name
from logscan.inputs.rotation import family_of, order_sources
from logscan.inputs.sniff import decode_head
from logscan.inputs.source import InputProblem, LogSource
from logscan.inputs.walk import FoundFile, file_ident, reason_of, walk_folder
from logscan.inputs.zipbundle import DEFAULT_LIMITS, ZipLimits, ZipMember, iter_members
from logscan.model import LogKind

_SNIFF_SIZE = 1 << 14  # the first records name their components well within 16 KiB


@dataclass(frozen=True, slots=True)
class FileOpener:
    """Opens one file on disk read-only; a plain picklable callable."""

    path: str

    def __call__(self) -> BinaryIO:
        return open(self.path, "rb")


def _wanted(name: str) -> bool:
    return name.lower().endswith((*SNIFF_SUFFIXES, ".zip"))


def _is_zip(name: str) -> bool:
    return name.lower().endswith(".zip")


def discover(
    paths: Iterable[str | Path], *, limits: ZipLimits = DEFAULT_LIMITS
) -> Iterator[LogSource | InputProblem]:
    """Log sources and input problems for every path, in a stable order, never raising
    for bad input. ``limits`` are the zip-bomb thresholds (see ``ZipLimits``)."""
    seen: set[object] = set()
    for given in paths:
        yield from _Discovery(os.fspath(given), seen, limits).run()


@dataclass(frozen=True, slots=True)
class FoundLogs:
    """Everything ``find_logs`` found: sources in reading order, and what could not be read."""

    sources: tuple[LogSource, ...]  # rotation families oldest generation first
    problems: tuple[InputProblem, ...]


def find_logs(paths: Iterable[str | Path], *, limits: ZipLimits = DEFAULT_LIMITS) -> FoundLogs:
    """``discover`` run to the end and split: the form every command reads logs in."""
    sources: list[LogSource] = []
    problems: list[InputProblem] = []
    for item in discover(paths, limits=limits):
        if isinstance(item, InputProblem):
            problems.append(item)
        else:
            sources.append(item)
    return FoundLogs(tuple(order_sources(sources)), tuple(problems))


class _Discovery:
    """One given path being explored; ``seen`` is shared by all paths of a call."""

    def __init__(self, root: str, seen: set[object], limits: ZipLimits) -> None:
        self.root = root
        self.seen = seen
        self.limits = limits

    def run(self) -> Iterator[LogSource | InputProblem]:
        given = self.root
        try:
            is_dir = os.path.isdir(given)
            ident, size = file_ident(given)
        except FileNotFoundError:
            yield InputProblem(given, "no such file or folder; check the path")
            return
        except OSError as exc:
            yield InputProblem(given, reason_of(exc))
            return
        if is_dir:
            for item in walk_folder(given, _wanted):
                if isinstance(item, InputProblem):
                    yield item
                elif _is_zip(item.name):
                    yield from self._bundle(item.path, item.rel, item.ident)
                else:
                    yield from self._file(item, explicit=False)
            return
        name = os.path.basename(os.path.normpath(given))
        if not os.path.isfile(given):
            yield InputProblem(given, "not a regular file or folder (device, pipe or socket)")
        elif _is_zip(name):
            yield from self._bundle(given, name, ident)
        else:
            yield from self._file(FoundFile(given, name, name, size, ident), explicit=True)

    def _first_time(self, key: object) -> bool:
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def _file(self, found: FoundFile, *, explicit: bool) -> Iterator[LogSource | InputProblem]:
        if not self._first_time(found.ident):
            return
        opener = FileOpener(found.path)
        try:
            kind = _kind(found.name, opener, explicit=explicit)
        except OSError as exc:
            yield InputProblem(found.path, reason_of(exc))
            return
        if kind is not None:
            yield self._source(found.rel, kind, found.size, opener)

    def _bundle(
        self, path: str, display: str, ident: tuple[int, int]
    ) -> Iterator[LogSource | InputProblem]:
        if not self._first_time(ident):
            return
        for item in iter_members(path, display, _wanted, self.limits):
            if isinstance(item, InputProblem):
                yield item
            else:
                yield from self._member(item)

    def _member(self, member: ZipMember) -> Iterator[LogSource | InputProblem]:
        try:
            kind = _kind(member.name, member.opener, explicit=False)
        except OSError as exc:
            yield InputProblem(member.problem_path, f"cannot read member: {reason_of(exc)}")
            return
        if kind is not None:
            yield self._source(member.display, kind, member.size, member.opener)

    def _source(
        self, display: str, kind: LogKind, size: int, opener: Callable[[], BinaryIO]
    ) -> LogSource:
        family, generation = family_of(display)
        return LogSource(
            display=display,
            root=self.root,
            kind=kind,
            size=size,
            family=family,
            generation=generation,
            opener=opener,
        )


def _kind(name: str, opener: Callable[[], BinaryIO], *, explicit: bool) -> LogKind | None:
    """The file's kind, or None when it is no log of ours; reads the head, which also
    proves the file can be opened (OSError propagates)."""
    with opener() as fh:
        head = fh.read(_SNIFF_SIZE)
    by_name = kind_from_name(name)
    if by_name is not None:
        return by_name
    by_content = kind_from_content(decode_head(head))
    if by_content is not None:
        return by_content
    return LogKind.OTHER if explicit else None
