"""open_logs(): the paths a user gave, as log indexes ready to view (nothing read yet).

Discovery and rotation ordering are the input layer's (``logscan.inputs``): folders and
zip bundles are walked, rotated generations come oldest first, and what cannot be read
is returned as ``InputProblem`` s for the surface to show, never raised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from logscan.inputs.discover import discover
from logscan.inputs.rotation import order_sources
from logscan.inputs.source import InputProblem, LogSource
from logscan.viewer.index import LogIndex


@dataclass(frozen=True, slots=True)
class OpenedLogs:
    """The logs found under the given paths, and the paths that could not be read."""

    indexes: tuple[LogIndex, ...]
    problems: tuple[InputProblem, ...]


def open_logs(paths: Iterable[str | Path]) -> OpenedLogs:
    """An unbuilt ``LogIndex`` for every log under ``paths`` (call ``build`` on each)."""
    sources: list[LogSource] = []
    problems: list[InputProblem] = []
    for item in discover(paths):
        if isinstance(item, InputProblem):
            problems.append(item)
        else:
            sources.append(item)
    indexes = tuple(LogIndex(source) for source in order_sources(sources))
    return OpenedLogs(indexes, tuple(problems))
