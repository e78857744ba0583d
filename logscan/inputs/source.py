"""LogSource: one log file found in the evidence (on disk or inside a zip), not yet read.

Discovery yields these cheaply; ``inputs.reader.inspect_head`` looks at the head and the
readers open a ``TextStream`` on it. Opening is always read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from logscan.model import LogKind

HEAD_SIZE = 1 << 16


@dataclass(frozen=True, slots=True)
class LogSource:
    """A log file in the evidence.

    ``display`` is what reports cite: the path relative to the input the user gave, with
    zip members written ``bundle.zip!member``. ``family`` groups rotated generations of
    one log (``smsts.lo_``, ``smsts-20100101-101010.log`` and ``smsts.log``); within a
    family, lower ``generation`` is older and is read first.
    """

    display: str
    root: str
    kind: LogKind
    size: int
    family: str
    generation: int
    opener: Callable[[], BinaryIO] = field(compare=False, repr=False)

    def head(self, size: int = HEAD_SIZE) -> bytes:
        with self.opener() as fh:
            return fh.read(size)


@dataclass(frozen=True, slots=True)
class InputProblem:
    """An input (or part of one) that could not be read; reported, never fatal to the run."""

    path: str
    reason: str
    fatal_for_path: bool = True  # False: only part of the path was skipped (e.g. one zip entry)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
