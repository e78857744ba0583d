"""Results of a run as they arrive: flat rows in memory, diagnoses on disk.

Rows are small (one per host) and are needed together for the tables and charts; the
diagnoses are not, so they go to a temporary file in the output folder and are read back
one at a time, in host order, when ``findings.jsonl`` and the report are written. Memory
stays bounded by the number of hosts, never by the size of their evidence.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from logscan.fleet.atomic import OutputError, why
from logscan.fleet.model import HostBundle, HostResult


class Spool:
    def __init__(self, folder: Path) -> None:
        try:
            fd, name = tempfile.mkstemp(prefix=".logscan-spool-", suffix=".jsonl", dir=folder)
        except OSError as exc:
            raise OutputError(f"cannot write in {folder}: {why(exc)}") from exc
        self._path = name
        self._fh: IO[bytes] = os.fdopen(fd, "w+b")
        self._where: dict[str, tuple[int, int, bool]] = {}  # offset, size, compressed
        self._end = 0
        self._read_since_write = False
        self.rows: list[dict[str, Any]] = []
        self.bundles: dict[str, HostBundle] = {}

    def add(self, bundle: HostBundle, result: HostResult) -> dict[str, Any]:
        row = {**json.loads(result.row), "label": bundle.label}
        self.rows.append(row)
        self.bundles[bundle.label] = bundle
        if result.detail or result.detail_z:
            # A cached diagnosis is spooled as the cache holds it, compressed: when the
            # outputs turn out unchanged it is never decompressed at all.
            packed = bool(result.detail_z)
            data = result.detail_z if packed else result.detail.encode()
            try:
                # Appended at an offset kept here: seeking to the end before every write
                # flushed the buffer each time (one write call per host).
                if self._read_since_write:
                    self._fh.seek(self._end)
                    self._read_since_write = False
                self._where[bundle.label] = (self._end, len(data), packed)
                self._fh.write(data)
                self._end += len(data)
            except OSError as exc:
                raise OutputError(f"cannot write in {self._path}: {why(exc)}") from exc
        return row

    def sorted_rows(self) -> list[dict[str, Any]]:
        return sorted(self.rows, key=lambda r: (str(r["label"]).casefold(), r["label"]))

    def detail(self, label: str) -> dict[str, Any] | None:
        where = self._where.get(label)
        if where is None:
            return None
        offset, size, packed = where
        self._read_since_write = True
        self._fh.seek(offset)
        data = self._fh.read(size)
        value: dict[str, Any] = json.loads(zlib.decompress(data) if packed else data)
        return value

    def details(
        self, rows: list[dict[str, Any]]
    ) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
        for row in rows:
            yield row, self.detail(row["label"])

    def close(self) -> None:
        self._fh.close()
        with contextlib.suppress(OSError):
            os.remove(self._path)
