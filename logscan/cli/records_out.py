"""Writers that stream LogRecords to stdout as an aligned table, JSON lines or CSV."""

from __future__ import annotations

import csv
import dataclasses
import json
from typing import Any, Protocol, TextIO

from logscan.model import LogRecord

# The record's fields in declaration order, with the derived UTC next to the bias it
# comes from: the CSV header, and the keys of record_dict.
_STORED = tuple(f.name for f in dataclasses.fields(LogRecord))
FIELDS = (*_STORED[: _STORED.index("bias") + 1], "utc", *_STORED[_STORED.index("bias") + 1 :])


def record_dict(record: LogRecord) -> dict[str, Any]:
    """A JSON-ready mapping of every field of a record (times in ISO 8601)."""
    return {
        "source": record.source,
        "line": record.line,
        "offset": record.offset,
        "length": record.length,
        "local_time": record.local_time.isoformat() if record.local_time else None,
        "bias": record.bias,
        "utc": record.utc.isoformat().replace("+00:00", "Z") if record.utc else None,
        "level": record.level.name.lower(),
        "component": record.component,
        "thread": record.thread,
        "message": record.message,
        "format": record.format.value,
        "flags": sorted(flag.value for flag in record.flags),
        "extras": dict(record.extras),
    }


class RecordWriter(Protocol):
    def write(self, record: LogRecord) -> None: ...

    def close(self) -> None: ...


class _JsonLines:
    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, record: LogRecord) -> None:
        self._out.write(json.dumps(record_dict(record), ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._out.flush()


class _Csv:
    def __init__(self, out: TextIO) -> None:
        self._writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        self._writer.writeheader()
        self._out = out

    def write(self, record: LogRecord) -> None:
        row = record_dict(record)
        row["flags"] = ";".join(row["flags"])
        row["extras"] = json.dumps(row["extras"], ensure_ascii=False) if row["extras"] else ""
        self._writer.writerow(row)

    def close(self) -> None:
        self._out.flush()


_LEVEL_TAG = {0: "VERB", 1: "INFO", 2: "WARN", 3: "ERR "}


class _Table:
    """Fixed columns, one line per record; line breaks inside messages shown as ⏎ so
    every record stays on one line and ``grep`` still works on the output."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        out.write(
            f"{'time (local)':<23} {'lvl':<4} {'component':<22} {'thread':>6}  "
            f"{'source:line':<28} message\n"
        )

    def write(self, record: LogRecord) -> None:
        when = (
            record.local_time.isoformat(sep=" ", timespec="milliseconds")
            if record.local_time
            else "-"
        )
        thread = "" if record.thread is None else str(record.thread)
        where = f"{record.source}:{record.line}"
        message = record.message.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
        self._out.write(
            f"{when:<23} {_LEVEL_TAG[int(record.level)]} {record.component[:22]:<22} "
            f"{thread:>6}  {where:<28} {message}\n"
        )

    def close(self) -> None:
        self._out.flush()


def writer_for(fmt: str, out: TextIO) -> RecordWriter:
    if fmt == "jsonl":
        return _JsonLines(out)
    if fmt == "csv":
        return _Csv(out)
    return _Table(out)
