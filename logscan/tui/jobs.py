"""The viewer's background jobs: plain functions a Textual thread worker runs.

Each calls ``logscan.viewer`` and reports only by posting a message (``messages``)
through ``post``, the screen's thread-safe ``post_message``; none touches a widget.
Each takes a cancel flag, which the engine checks every few thousand records, so a
superseded search or a closing app stops them promptly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from textual.message import Message

from logscan.model import Level
from logscan.tui.messages import IndexProgressed, JobProgressed, LogChanged, SearchHits, ViewReady
from logscan.viewer import (
    FileChange,
    IndexProgress,
    LogIndex,
    Query,
    RecordFilter,
    RecordView,
    apply_filter,
    merge,
    search,
)

Post = Callable[[Message], object]
HIT_BATCH = 0.1  # seconds of search hits gathered before they are posted


def index_log(index: LogIndex, log: int, post: Post, cancel: threading.Event) -> None:
    """Index (or go on indexing) one log, posting its progress."""

    def report(progress: IndexProgress) -> None:
        post(IndexProgressed(log, progress))

    index.build(report, cancel)


def reach_back(
    index: LogIndex, log: int, level: Level, before: int, post: Post, cancel: threading.Event
) -> None:
    """Index a big log's gap backwards from its tail until the tail holds a record of
    ``level`` or worse before file offset ``before``, then post the progress."""
    index.reach_back(level, before, cancel)
    if not cancel.is_set():
        post(IndexProgressed(log, index.progress()))


def _progress(job: str, post: Post) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        post(JobProgressed(job, done, total))

    return report


def derive_view(
    logs: Sequence[LogIndex],
    base: RecordView,
    *,
    merged: bool,
    flt: RecordFilter | None,
    post: Post,
    cancel: threading.Event,
) -> None:
    """The merged and/or filtered view, posted as ``ViewReady`` unless cancelled."""
    view: RecordView | None = base
    if merged:
        view = merge(logs, progress=_progress("merging", post), cancel=cancel)
    if view is not None and flt is not None:
        view = apply_filter(view, flt, progress=_progress("filtering", post), cancel=cancel)
    if not cancel.is_set():
        post(ViewReady(view, flt, merged))


def search_view(
    view: RecordView, query: Query, start: int, post: Post, cancel: threading.Event
) -> None:
    """Every hit of ``query``, from row ``start`` to the end and then from the top,
    posted in batches as ``SearchHits``."""
    batch: list[int] = []
    last = time.monotonic()
    for a, b in ((start, None), (0, start)):
        for row in search(view, query, a, b, cancel=cancel):
            batch.append(row)
            if time.monotonic() - last > HIT_BATCH:
                post(SearchHits(query, batch, finished=False))
                batch, last = [], time.monotonic()
    if not cancel.is_set():
        post(SearchHits(query, batch, finished=True))


def follow_logs(logs: Sequence[LogIndex], post: Post) -> None:
    """One look at every followed log: read what was appended, re-read a rotated log."""
    for n, index in enumerate(logs):
        change = index.poll()
        if change is FileChange.ROTATED:
            index.reset()
        if change in (FileChange.GREW, FileChange.ROTATED):
            index.update()
        if change is not FileChange.NONE:
            post(LogChanged(n, change))
