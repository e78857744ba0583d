"""Host grouping: which part of the given evidence is which machine, and ``host_of`` for the engine.

Decided by content, not by a naming convention:

- a folder whose direct children are machine-like bundles (folders or zips holding logs,
  registry exports or systeminfo output) and which holds no such evidence itself is a
  share of machines: each child is one host;
- any other folder, and a zip, is one machine;
- files named directly (a pasted ticket, a single smsts.log) together form one host.

A host is keyed by its label (folder name, zip name without ``.zip``, or the file name);
the same label under two given paths is the same machine collected twice, and is merged.
The real machine name is reconciled later from the evidence (``names``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from logscan.inputs.source import LogSource

# Folder names that belong to a Windows file system copied from one machine, never to a
# share of machines ("X_Windows_Temp_SMSTSLog" is how collectors flatten X:\Windows\...).
_SYSTEM_DIRS = frozenset(
    {
        "windows",
        "winnt",
        "system32",
        "syswow64",
        "ccm",
        "logs",
        "smstslog",
        "_smstasksequence",
        "ccmsetup",
        "users",
        "programdata",
        "program files",
    }
)
_EVIDENCE_SUFFIXES = (".log", ".lo_", ".reg", ".sst")
_PROBE_LIMIT = 5000  # entries looked at per child before calling it not machine-like
LOOSE_FILES = "files"


def _is_system_dir(name: str) -> bool:
    low = name.casefold()
    return low in _SYSTEM_DIRS or low.startswith("x_") or "smstslog" in low


def _is_evidence_name(name: str) -> bool:
    low = name.casefold()
    return low.endswith(_EVIDENCE_SUFFIXES) or "systeminfo" in low or low == "software"


def _zip_label(name: str) -> str:
    return name[:-4] if name.casefold().endswith(".zip") else name


def _machine_like(path: str) -> bool:
    """A folder or zip that holds machine evidence (looked at by name, bounded)."""
    if os.path.isfile(path):
        return path.casefold().endswith(".zip")
    seen = 0
    for _dirpath, dirnames, filenames in os.walk(path):
        dirnames.sort()
        for name in filenames:
            if _is_evidence_name(name) or name.casefold().endswith(".zip"):
                return True
        seen += len(filenames) + len(dirnames)
        if seen > _PROBE_LIMIT:
            return False
    return False


def is_share(path: str) -> bool:
    """Whether a folder is a share of machine bundles (each child one host)."""
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError:
        return False
    zips = False
    folders: list[str] = []
    for entry in entries:
        if entry.is_file():
            if _is_evidence_name(entry.name):
                return False  # the folder holds a machine's evidence itself
            zips = zips or entry.name.casefold().endswith(".zip")
        elif entry.is_dir():
            if _is_system_dir(entry.name):
                return False
            folders.append(entry.path)
    # One machine-like child settles it: looking into every host of a share of
    # thousands only to count them cost a batch a walk of each bundle.
    return zips or any(_machine_like(folder) for folder in folders)


@dataclass(slots=True)
class Unit:
    """One host's evidence: the paths it was found under and how they are cited.

    ``parts`` are ``(path on disk, display prefix)``: the prefix makes a file's citation
    relative to the input the user gave (``HOST1/`` for a folder of a share, empty for a
    zip, whose member names already start with ``HOST1.zip!``).
    """

    label: str
    parts: list[tuple[str, str]] = field(default_factory=list)
    loose: list[str] = field(default_factory=list)  # files named directly


@dataclass(slots=True)
class HostLayout:
    """Every host found under the given paths, and the ``host_of`` the engine calls."""

    units: dict[str, Unit] = field(default_factory=dict)
    shares: set[str] = field(default_factory=set)  # given paths that are shares
    roots: dict[str, str] = field(default_factory=dict)  # given path -> its host label

    def _unit(self, label: str) -> Unit:
        return self.units.setdefault(label, Unit(label))

    def host_of(self, source: LogSource) -> str:
        """The host label of a log source found under one of the given paths."""
        if source.root in self.shares:
            display = source.display.replace("\\", "/")
            cut = [i for i in (display.find("/"), display.find("!")) if i >= 0]
            if cut:
                return _zip_label(display[: min(cut)])
            return _zip_label(Path(source.root).name)  # a stray file at the share's top
        return self.roots.get(source.root, source.root)

    def label_of_path(self, path: str) -> str:
        """The host an input problem's path belongs to (longest matching given path)."""
        norm = path.replace("\\", "/")
        best, label = -1, ""
        for root in (*self.shares, *self.roots):
            r = root.replace("\\", "/").rstrip("/")
            if (norm == r or norm.startswith(r + "/") or norm.startswith(r + "!")) and len(
                r
            ) > best:
                best = len(r)
                if root in self.shares:
                    rest = norm[len(r) + 1 :]
                    cut = [i for i in (rest.find("/"), rest.find("!")) if i >= 0]
                    label = _zip_label(rest[: min(cut)] if cut else rest) or Path(r).name
                else:
                    label = self.roots[root]
        return label or Path(norm).name


def plan_hosts(paths: Iterable[str | Path]) -> HostLayout:
    """Split the given paths into hosts (see the module docstring)."""
    layout = HostLayout()
    loose: list[str] = []
    for given in (os.fspath(p) for p in paths):
        if os.path.isdir(given) and is_share(given):
            layout.shares.add(given)
            _add_share(layout, given)
        elif os.path.isdir(given):
            label = Path(os.path.abspath(given)).name or given
            layout.roots[given] = label
            layout._unit(label).parts.append((given, ""))
        elif given.casefold().endswith(".zip"):
            label = _zip_label(Path(given).name)
            layout.roots[given] = label
            layout._unit(label).parts.append((given, ""))
        else:
            loose.append(given)
    if loose:
        label = Path(loose[0]).name if len(loose) == 1 else LOOSE_FILES
        for given in loose:
            layout.roots[given] = label
        layout._unit(label).loose.extend(loose)
    return layout


def single_host(path: str | Path, label: str | None = None) -> HostLayout:
    """One folder or zip taken as one machine, whatever it holds (a batch has already
    decided what is a host); ``label`` defaults to the folder or zip name."""
    given = os.fspath(path)
    name = label or _zip_label(Path(os.path.abspath(given)).name) or given
    layout = HostLayout()
    layout.roots[given] = name
    layout._unit(name).parts.append((given, ""))
    return layout


def _add_share(layout: HostLayout, share: str) -> None:
    for entry in sorted(os.scandir(share), key=lambda e: e.name):
        if entry.is_file() and entry.name.casefold().endswith(".zip"):
            layout._unit(_zip_label(entry.name)).parts.append((entry.path, ""))
        elif entry.is_dir() and _machine_like(entry.path):
            layout._unit(entry.name).parts.append((entry.path, entry.name + "/"))
