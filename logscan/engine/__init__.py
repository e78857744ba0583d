"""The scanning engine: literal prefilter, region parsing, matching, correlation.

    from logscan.engine import scan
    for event in scan(["sample_logs"], load_rules()):
        ...

``scan`` is the one entry point CLI, TUI and batch use; see ``logscan.engine.events``
for what it streams.
"""

from __future__ import annotations

from logscan.engine.events import (
    RuleDisabled,
    ScanEvent,
    ScanFinding,
    ScanHit,
    ScanProblem,
    ScanWarning,
    SourceScanned,
    SourceStatus,
)
from logscan.engine.scan import default_host, scan

__all__ = [
    "RuleDisabled",
    "ScanEvent",
    "ScanFinding",
    "ScanHit",
    "ScanProblem",
    "ScanWarning",
    "SourceScanned",
    "SourceStatus",
    "default_host",
    "scan",
]
