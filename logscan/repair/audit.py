"""The repair audit log: append-only JSON lines, and reading it back with damage located.

Every record is one line of JSON written through a file opened in append mode only
(``O_APPEND``: each write lands at the end, whoever else writes), flushed and fsynced
before the flow goes on, so the record of a step exists before the next step runs. The
file is never rewritten or truncated. If a previous writer died mid-line, the next
record starts on a new line so only the torn line is damaged.

Records share ``schema``, ``event`` (started, backup, command, finished, refused,
declined), ``run_id``, ``when`` (UTC), ``who``, ``host``, ``tool_version`` and
``target``; ``finished`` also carries the plan, binary hash, backup paths, commands with
exit codes, before/after names and the outcome, so it stands alone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

SCHEMA = "logscan-repair-audit/1"
EVENTS = frozenset({"started", "backup", "command", "finished", "refused", "declined"})


class AuditSink(Protocol):
    """Where the flow appends its records."""

    def append(self, record: Mapping[str, Any]) -> None: ...


class AuditLog:
    """A JSON-lines file that only ever grows."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def _ends_mid_line(self) -> bool:
        try:
            with self.path.open("rb") as fh:
                fh.seek(0, os.SEEK_END)
                if fh.tell() == 0:
                    return False
                fh.seek(-1, os.SEEK_END)
                return fh.read(1) != b"\n"
        except FileNotFoundError:
            return False

    def append(self, record: Mapping[str, Any]) -> None:
        """Write one record durably; OSError if the log cannot be written."""
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)
        data = line.encode("utf-8") + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._ends_mid_line():
            data = b"\n" + data
        with self.path.open("ab") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


@dataclass(frozen=True, slots=True)
class AuditEntry:
    line: int
    record: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DamagedLine:
    line: int
    reason: str
    text: str  # the start of the line, for the person


@dataclass(frozen=True, slots=True)
class AuditRead:
    path: str
    entries: tuple[AuditEntry, ...]
    damaged: tuple[DamagedLine, ...]


def _check(record: object) -> str | None:
    if not isinstance(record, dict):
        return "not a JSON object"
    if record.get("schema") != SCHEMA:
        return f"schema is {record.get('schema')!r}, expected {SCHEMA!r}"
    if record.get("event") not in EVENTS:
        return f"unknown event {record.get('event')!r}"
    return None


def read_audit(path: str | Path) -> AuditRead:
    """Every record, and every line that is not one (with its line number)."""
    entries: list[AuditEntry] = []
    damaged: list[DamagedLine] = []
    with Path(path).open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            body = raw.rstrip(b"\r\n")
            if not body.strip():
                continue
            head = body[:80].decode("utf-8", "replace")
            try:
                record = json.loads(body.decode("utf-8"))
            except UnicodeDecodeError as exc:
                damaged.append(DamagedLine(number, f"not UTF-8 at byte {exc.start}", head))
                continue
            except json.JSONDecodeError as exc:
                damaged.append(
                    DamagedLine(number, f"bad JSON at column {exc.colno}: {exc.msg}", head)
                )
                continue
            problem = _check(record)
            if problem is not None:
                damaged.append(DamagedLine(number, problem, head))
            else:
                entries.append(AuditEntry(number, record))
    return AuditRead(str(path), tuple(entries), tuple(damaged))
