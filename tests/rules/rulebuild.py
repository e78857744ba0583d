"""Records built by code, as a parser would make them, for rule tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from logscan.model import Level, LogFormat, LogRecord
from logscan.rules import Rule

RuleFactory = Callable[..., Rule]


def record(
    message: str,
    *,
    component: str = "OSDSMPClient",
    level: Level = Level.ERROR,
    thread: int | None = 2212,
    local: datetime | None = datetime(2011, 3, 15, 9, 2, 11),
    bias: int | None = 300,
    source: str = "CcmExec.log",
    line: int = 1,
    fmt: LogFormat = LogFormat.CCM,
) -> LogRecord:
    """A record as a parser would make it: UTC = local + bias when the bias is known."""
    return LogRecord(
        source=source,
        line=line,
        offset=0,
        length=len(message),
        local_time=local,
        bias=bias,
        level=level,
        component=component,
        thread=thread,
        message=message,
        format=fmt,
    )
