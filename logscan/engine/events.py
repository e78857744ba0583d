"""What ``engine.scan`` streams: per-source coverage, hits, correlated findings, warnings.

Every event names the host it belongs to (``host_of(source)``, by default the input path
the source was found under), so diagnosis, the TUI and batch reports can group without
knowing how the scan walked the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from logscan.inputs.source import InputProblem, LogSource
from logscan.model import LogFormat, ParseWarning
from logscan.rules.model import Finding, Hit, RuleProblem


class SourceStatus(StrEnum):
    """How far a source could be read."""

    READ = "read"  # read (prefiltered or fully parsed)
    EMPTY = "empty"
    BINARY = "binary"  # not text: not parsed
    UNREADABLE = "unreadable"  # vanished, permission, damaged zip member (partly read at most)


@dataclass(frozen=True, slots=True)
class SourceScanned:
    """Coverage of one log source, emitted after its hits."""

    host: str
    source: LogSource
    format: LogFormat | None  # None when the file was not parsed at all
    status: SourceStatus
    candidates: int  # anchor hits the prefilter found
    records: int  # records parsed (around candidates, or all on a full parse)
    warnings: int  # parse warnings among those records
    full_parse: bool
    detail: str = ""  # why not READ, in words


@dataclass(frozen=True, slots=True)
class ScanHit:
    host: str
    source: LogSource
    hit: Hit


@dataclass(frozen=True, slots=True)
class ScanFinding:
    host: str
    finding: Finding


@dataclass(frozen=True, slots=True)
class ScanWarning:
    """A parse warning from the parts of a file that were parsed."""

    host: str
    warning: ParseWarning


@dataclass(frozen=True, slots=True)
class ScanProblem:
    """An input that could not be read (``host`` is the input path it came from)."""

    host: str
    problem: InputProblem


@dataclass(frozen=True, slots=True)
class RuleDisabled:
    """A rule stopped for the rest of the scan (its regex timed out)."""

    problem: RuleProblem


ScanEvent = SourceScanned | ScanHit | ScanFinding | ScanWarning | ScanProblem | RuleDisabled
