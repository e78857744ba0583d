"""open_logs(): the paths a user gave, as log indexes ready to view (nothing read yet).

Discovery and rotation ordering are the input layer's (``logscan.inputs``): folders and
zip bundles are walked, rotated generations come oldest first, and what cannot be read
is returned as ``InputProblem`` s for the surface to show, never raised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from logscan.inputs.discover import find_logs
from logscan.inputs.source import InputProblem
from logscan.viewer.index import LogIndex


@dataclass(frozen=True, slots=True)
class OpenedLogs:
    """The logs found under the given paths, and the paths that could not be read."""

    indexes: tuple[LogIndex, ...]
    problems: tuple[InputProblem, ...]


def open_logs(paths: Iterable[str | Path]) -> OpenedLogs:
    """An unbuilt ``LogIndex`` for every log under ``paths`` (call ``build`` on each)."""
    found = find_logs(paths)
    return OpenedLogs(tuple(LogIndex(source) for source in found.sources), found.problems)
