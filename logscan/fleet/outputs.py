"""The batch's files in ``--out``: hosts.csv, hosts.parquet, findings.jsonl, report.html and
summary.json, each written to a temporary file and renamed (``atomic``).

summary.json is written last: when it is there and says ``"complete": true`` every other
file of the run is too. A file that fails (disk full) stops the writing with an
``OutputError`` naming what was written and what was not; files of an earlier run that
were not yet replaced stay as they were.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from logscan.fleet.atomic import OutputError, atomic_open
from logscan.fleet.rows import BOOL_COLUMNS, COLUMNS, INT_COLUMNS, cite_prefix, finding_rows
from logscan.fleet.spool import Spool

HOSTS_CSV = "hosts.csv"
HOSTS_PARQUET = "hosts.parquet"
FINDINGS = "findings.jsonl"
SUMMARY = "summary.json"
REPORT = "report.html"


def hosts_frame(rows: list[dict[str, Any]]) -> Any:
    """The hosts table as a pandas DataFrame with stable column types."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in INT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    for col in BOOL_COLUMNS:
        frame[col] = frame[col].astype("boolean")
    for col in COLUMNS:
        if col not in INT_COLUMNS and col not in BOOL_COLUMNS:
            frame[col] = frame[col].astype("string")
    return frame


def _parquet_available() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def write_outputs(
    out: Path,
    spool: Spool,
    summary: dict[str, Any],
    render_html: Callable[[Path, list[dict[str, Any]], Spool, dict[str, Any]], None] | None,
) -> list[str]:
    """Every output file; returns the names written, in order."""
    rows = spool.sorted_rows()
    written: list[str] = []

    def step(name: str, fn: Callable[[], None]) -> None:
        try:
            fn()
        except OutputError as exc:
            done = ", ".join(written) or "nothing"
            raise OutputError(f"{exc.message} (already written: {done})") from exc
        written.append(name)

    frame = hosts_frame(rows)
    step(FINDINGS, lambda: _findings(out / FINDINGS, rows, spool))
    step(HOSTS_CSV, lambda: _csv(out / HOSTS_CSV, frame))
    if _parquet_available():
        step(HOSTS_PARQUET, lambda: _parquet(out / HOSTS_PARQUET, frame))
    if render_html is not None:
        step(REPORT, lambda: render_html(out / REPORT, rows, spool, summary))
    summary["outputs"] = [*written, SUMMARY]
    step(SUMMARY, lambda: _summary(out / SUMMARY, summary))
    return written


def _findings(path: Path, rows: list[dict[str, Any]], spool: Spool) -> None:
    with atomic_open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row, detail in spool.details(rows):
            if detail is None:
                continue
            bundle = spool.bundles[row["label"]]
            for item in finding_rows(row["label"], bundle.rel, cite_prefix(bundle), detail):
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")


def _csv(path: Path, frame: Any) -> None:
    with atomic_open(path, "w", encoding="utf-8", newline="") as fh:
        frame.to_csv(fh, index=False, lineterminator="\n")


def _parquet(path: Path, frame: Any) -> None:
    with atomic_open(path, "wb") as fh:
        frame.to_parquet(fh, index=False)


def _summary(path: Path, summary: dict[str, Any]) -> None:
    with atomic_open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(summary, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
