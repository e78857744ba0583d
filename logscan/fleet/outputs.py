"""The batch's files in ``--out``: hosts.csv, hosts.parquet, findings.jsonl, report.html and
summary.json, each written to a temporary file and renamed (``atomic``).

summary.json is written last: when it is there and says ``"complete": true`` every other
file of the run is too. A file that fails (disk full) stops the writing with an
``OutputError`` naming what was written and what was not; files of an earlier run that
were not yet replaced stay as they were.
"""

from __future__ import annotations

import hashlib
import json
import threading
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


def preload(html: bool) -> threading.Thread:
    """Import pandas (and matplotlib for the report) in a background thread while hosts
    are scanned: the parent mostly waits then, and these imports otherwise add a second
    of one-core work to the end of every run that scans something."""

    def load() -> None:
        try:
            import pandas  # noqa: F401

            if html:
                import matplotlib

                matplotlib.use("Agg")  # as charts does: never a window
                import matplotlib.pyplot
        except Exception:  # a missing extra is reported by its writer
            pass

    thread = threading.Thread(target=load, name="logscan-preload", daemon=True)
    thread.start()
    return thread


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


def content_digest(
    rows: list[dict[str, Any]], summary: dict[str, Any], fingerprints: list[str]
) -> str:
    """What the tables and the report are made of: when it is the same as the last run's,
    they would come out the same, and are not rewritten."""
    h = hashlib.blake2b(digest_size=16)
    for part in (rows, fingerprints, summary["rules"], summary["duplicates"], summary["problems"]):
        h.update(json.dumps(part, sort_keys=True, default=str).encode())
    h.update(str(summary["complete"]).encode())
    return h.hexdigest()


def _reusable(out: Path, digest: str) -> list[str] | None:
    """The previous run's output names, if they hold exactly this content and are intact."""
    try:
        last = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
        sizes: dict[str, int] = last["output_sizes"]
        if last.get("content_digest") != digest or not last.get("complete"):
            return None
        if any((out / name).stat().st_size != size for name, size in sizes.items()):
            return None
        return list(sizes)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_outputs(
    out: Path,
    spool: Spool,
    summary: dict[str, Any],
    render_html: Callable[[Path, list[dict[str, Any]], Spool, dict[str, Any]], None] | None,
    fingerprints: list[str] | None = None,
) -> list[str]:
    """Every output file; returns the names written (or kept, when unchanged), in order."""
    rows = spool.sorted_rows()
    written: list[str] = []
    digest = content_digest(rows, summary, sorted(fingerprints or []))
    summary["content_digest"] = digest
    kept = _reusable(out, digest) if fingerprints is not None else None
    if kept is not None and (render_html is None or REPORT in kept):
        summary["outputs_reused"] = True
        summary["output_sizes"] = {name: (out / name).stat().st_size for name in kept}
        summary["outputs"] = [*kept, SUMMARY]
        _summary(out / SUMMARY, summary)
        return [*kept, SUMMARY]
    summary["outputs_reused"] = False

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
    summary["output_sizes"] = {name: (out / name).stat().st_size for name in written}
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
