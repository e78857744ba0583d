"""Messages the TUI's workers post back to the screen that started them.

Workers run engine calls (``logscan.viewer``) in threads; they never touch widgets, they
post one of these and the screen's handler updates the display on the UI thread.
"""

from __future__ import annotations

from textual.message import Message

from logscan.viewer import FileChange, IndexProgress, Query, RecordFilter, RecordView


class IndexProgressed(Message):
    """The background index of one log advanced (or finished: ``progress.done``)."""

    def __init__(self, log: int, progress: IndexProgress) -> None:
        super().__init__()
        self.log = log
        self.progress = progress


class ViewReady(Message):
    """A merged or filtered view was computed (``view`` None: cancelled)."""

    def __init__(self, view: RecordView | None, flt: RecordFilter | None, merged: bool) -> None:
        super().__init__()
        self.view = view
        self.filter = flt
        self.merged = merged


class JobProgressed(Message):
    """A long search, filter or merge moved on: ``done`` of ``total`` rows."""

    def __init__(self, job: str, done: int, total: int) -> None:
        super().__init__()
        self.job = job
        self.done = done
        self.total = total


class SearchHits(Message):
    """Rows found by a running search (more may follow until ``finished``)."""

    def __init__(self, query: Query, rows: list[int], *, finished: bool) -> None:
        super().__init__()
        self.query = query
        self.rows = rows
        self.finished = finished


class LogChanged(Message):
    """A followed log grew or was rotated, and has been read again."""

    def __init__(self, log: int, change: FileChange) -> None:
        super().__init__()
        self.log = log
        self.change = change
