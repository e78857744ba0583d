"""ViewerScreen: the log viewer (CMTrace-grade columns, errors, search, filter, merge, follow).

Everything slow runs in a thread worker (``logscan.tui.jobs``) that calls
``logscan.viewer`` and posts a message back (``logscan.tui.messages``): indexing each
log, searching, filtering, merging and following. What happens on the UI thread is
cheap: drawing the rows on screen (the engine parses one page of records) and jumping
between errors (a byte search over the level column).

A big log shows its end while its start is still being indexed (the engine's tail; one
row stands for the part in between). A jump to the previous error that would have to
look into that part asks the engine to index it backwards from the end (``reach_back``)
and lands once the answer is known; ``E`` right after ``G``, before the end is even
shown, waits for it likewise.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from logscan.errors import UsageError
from logscan.model import Level
from logscan.tui.jobs import derive_view, follow_logs, index_log, reach_back, search_view
from logscan.tui.messages import IndexProgressed, JobProgressed, LogChanged, SearchHits, ViewReady
from logscan.tui.screens.code_lookup import CodeLookup
from logscan.tui.screens.filter_dialog import FilterDialog
from logscan.tui.screens.help import KeyGroup
from logscan.tui.screens.search_prompt import SearchPrompt, SearchRequest
from logscan.tui.widgets.log_table import LogTable
from logscan.tui.widgets.record_detail import RecordDetail
from logscan.tui.widgets.status_line import StatusLine
from logscan.tui.widgets.viewer_status import viewer_status, viewer_title
from logscan.viewer import (
    FileChange,
    LogIndex,
    Query,
    RecordFilter,
    RecordView,
)
from logscan.viewer.goto import record_at_line

FOLLOW_INTERVAL = 0.5  # seconds between looks at followed logs (CMTrace polls every 0.5 s)


class ViewerScreen(Screen[None]):
    """One or several logs, one at a time or merged by UTC."""

    CSS_PATH = Path(__file__).with_name("viewer.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", key_display="/"),
        Binding("n", "hit(1)", "Next hit"),
        Binding("N", "hit(-1)", "Prev hit", show=False),
        Binding("e", "level(3, 1)", "Next error"),
        Binding("E", "level(3, -1)", "Prev error", show=False),
        Binding("w", "level(2, 1)", "Next warning", show=False),
        Binding("W", "level(2, -1)", "Prev warning", show=False),
        Binding("f", "filter", "Filter"),
        Binding("x", "clear_filter", "Show all lines", show=False),
        Binding("c", "codes", "Codes"),
        Binding("d,enter", "detail", "Detail", show=False),
        Binding("F", "follow", "Follow"),
        Binding("m", "merge", "Merge", show=False),
        Binding("right_square_bracket", "log(1)", "Next log", key_display="]", show=False),
        Binding("left_square_bracket", "log(-1)", "Prev log", key_display="[", show=False),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(
        self,
        logs: tuple[LogIndex, ...],
        *,
        merged: bool = False,
        follow: bool = False,
        goto: tuple[int, int] | None = None,
    ) -> None:
        """``goto`` (log number, line): start on that log, at the record holding the line
        (a diagnosis's evidence), once the log is indexed."""
        super().__init__()
        self.logs = logs
        self.current = goto[0] if goto is not None else 0
        self._goto_line = goto[1] if goto is not None else None
        self.merged = False
        self.view = RecordView.of(logs[self.current])
        self.filter: RecordFilter | None = None
        self.query_: Query | None = None
        self.hits: list[int] = []
        self.search_done = True
        self.follow = False
        self._want_merged = merged
        self._want_follow = follow
        self._jump_to_hit = False
        self.job_label = ""  # label of the running search/filter/merge, for the status line
        self.job_progress = ""
        self._cancels: dict[str, threading.Event] = {}
        self._timer: Timer | None = None
        # A jump to the previous error waiting for the index: (level, file offset of
        # the record it starts from, None for the end of the log once it is shown).
        self._pending: tuple[Level, int | None] | None = None

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="viewer-title")
        yield LogTable(self.view, id="log-table")
        yield RecordDetail(id="detail")
        yield StatusLine("", id="status")
        yield Footer()

    @property
    def table(self) -> LogTable:
        return self.query_one(LogTable)

    def key_groups(self) -> list[KeyGroup]:
        return [("Viewer", self.BINDINGS), ("Log table", LogTable.BINDINGS)]

    def on_mount(self) -> None:
        for n in range(len(self.logs)):
            self._index(n)
        if self._want_merged and len(self.logs) > 1:
            self.action_merge()
        if self._want_follow:
            self.action_follow()
        self._show_title()
        self._show_status()
        self.table.focus()

    # -- workers -------------------------------------------------------------------------

    def _cancel(self, job: str) -> threading.Event:
        """A fresh cancel flag for ``job``, setting the previous one."""
        old = self._cancels.get(job)
        if old is not None:
            old.set()
        event = self._cancels[job] = threading.Event()
        return event

    def _index(self, n: int) -> None:
        job = partial(index_log, self.logs[n], n, self.post_message, self._cancel(f"index-{n}"))
        self.run_worker(job, thread=True, group=f"index-{n}", exclusive=True)

    def _derive(self) -> None:
        """Recompute the merged and filtered views in a worker (after any change)."""
        job = partial(
            derive_view,
            self.logs,
            RecordView.of(self.logs[self.current], tail=False),
            merged=self.merged,
            flt=self.filter,
            post=self.post_message,
            cancel=self._cancel("view"),
        )
        self.job_label = "merging" if self.merged else "filtering"
        self.run_worker(job, thread=True, group="view", exclusive=True)
        self._show_status()

    def _search(self, query: Query, *, jump: bool = True) -> None:
        self.query_ = query
        self.hits = []
        self.search_done = False
        self._jump_to_hit = jump
        self.table.set_query(query)
        cancel = self._cancel("search")
        job = partial(search_view, self.view, query, self.table.cursor, self.post_message, cancel)
        self.run_worker(job, thread=True, group="search", exclusive=True)
        self._show_status()

    def _poll(self) -> None:
        job = partial(follow_logs, self.logs, self.post_message)
        self.run_worker(job, thread=True, group="follow", exclusive=True)

    def stop_work(self) -> None:
        """Stop every running job (the app is closing): a thread cannot be killed, but
        each engine call checks its cancel flag every few thousand records."""
        for event in self._cancels.values():
            event.set()

    def on_unmount(self) -> None:
        self.stop_work()

    # -- worker messages -----------------------------------------------------------------

    def on_index_progressed(self, message: IndexProgressed) -> None:
        if self.view.live and message.log == self.current:
            self.table.sync()
            self._retry_level()
            if self._goto_line is not None:
                self._go_to_line(self._goto_line, done=message.progress.done)
            if self.follow:
                self.table.action_last()
            if message.progress.done and self.query_ is not None:
                self._search(self.query_, jump=False)  # the rows indexed since it began
        derived = not self.view.live and (self.merged or message.log == self.current)
        if message.progress.done and derived:
            self._derive()
        self._show_status()

    def on_log_changed(self, message: LogChanged) -> None:
        if message.change is FileChange.ROTATED:
            self.notify(f"{self.logs[message.log].name} was rotated: read again from the start")
            self.table.forget()
        if message.change is FileChange.GONE:
            self.notify(f"{self.logs[message.log].name} is gone", severity="warning")
            return
        if self.view.live:
            self.table.sync()
            if self.follow:
                self.table.action_last()
            if self.query_ is not None:
                self._search(self.query_, jump=False)
        elif self.merged or message.log == self.current:
            self._derive()
        self._show_status()

    def on_view_ready(self, message: ViewReady) -> None:
        if message.view is None or message.filter != self.filter:
            return
        if message.merged != self.merged:
            return
        self.job_label = ""
        self.job_progress = ""
        self._set_view(message.view)

    def on_job_progressed(self, message: JobProgressed) -> None:
        share = message.done / message.total if message.total else 1.0
        self.job_progress = f"{message.job} {share:.0%}"
        self._show_status()

    def on_search_hits(self, message: SearchHits) -> None:
        if message.query is not self.query_:
            return
        for row in message.rows:
            self.hits.insert(bisect_left(self.hits, row), row)
        if self._jump_to_hit and message.rows:
            self._jump_to_hit = False
            self.table.go(message.rows[0])
        if message.finished:
            self.search_done = True
            if not self.hits:
                self.notify(f"not found: {self.query_.describe()}", severity="warning")
        self._show_status()

    def on_log_table_moved(self, message: LogTable.Moved) -> None:
        detail = self.query_one(RecordDetail)
        if detail.display:
            detail.show(self.table.record(message.row), self.query_)
        self._show_status()

    def action_back(self) -> None:
        # Opened from a diagnosis: back to it; the viewer alone has nothing beneath.
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def _go_to_line(self, line: int, *, done: bool) -> None:
        # Jump as soon as a later record is indexed (a big log need not be read to its end).
        index = self.logs[self.current]
        record = record_at_line(index, line)
        if record is None or (record >= self.view.head_rows - 1 and not done):
            if done:
                self._goto_line = None
            return
        self._goto_line = None
        self.table.go(self.view.position_of(0, record))

    # -- view switching ------------------------------------------------------------------

    def _place(self) -> tuple[LogIndex, int] | None:
        """The log and record number under the cursor."""
        if not len(self.view):
            return None
        s, i = self.view.locate(min(self.table.cursor, len(self.view) - 1))
        return self.view.indexes[s], i

    def _set_view(self, view: RecordView) -> None:
        place = self._place()
        self.view = view
        row = 0
        if place is not None and place[0] in view.indexes:
            row = view.position_of(view.indexes.index(place[0]), place[1])
        self.hits = []
        self.table.set_view(view, row)
        if self.query_ is not None:
            self._search(self.query_, jump=False)
        self._show_title()
        self._show_status()

    # -- actions -------------------------------------------------------------------------

    def action_search(self) -> None:
        def done(request: SearchRequest | None) -> None:
            if request is None:
                return
            try:
                self._search(Query.parse(request.text, regex=request.regex))
            except UsageError as exc:
                self.notify(exc.message, severity="error")

        current = self.query_
        self.app.push_screen(
            SearchPrompt(current.text if current else "", bool(current and current.regex)), done
        )

    def action_hit(self, direction: int) -> None:
        if not self.hits:
            waiting = self.query_ is not None and not self.search_done
            self.notify("still searching…" if waiting else "no search hits: press / to search")
            return
        cursor = self.table.cursor
        if direction > 0:
            k = bisect_right(self.hits, cursor)
            row = self.hits[k] if k < len(self.hits) else self.hits[0]
        else:
            k = bisect_left(self.hits, cursor) - 1
            row = self.hits[k] if k >= 0 else self.hits[-1]
        self.table.go(row)

    def action_level(self, level: int, direction: int) -> None:
        at_least = Level(level)
        forward = direction > 0
        self._pending = None
        view = self.view
        index = self.logs[self.current]
        if not forward and self.table.at_end and view.gap_row is None and index.tail_expected:
            self._pending = (at_least, None)  # the end is being indexed: then look
            self._show_status()
            return
        row = view.find_level(self.table.cursor, at_least, forward=forward)
        if row is not None and row == view.gap_row:
            if forward:
                self.notify(f"no {at_least.name.lower()} below yet ({view.gap_text()})")
            else:
                self._reach_back(at_least)
            return
        if row is None:
            where = "below" if forward else "above"
            busy = "" if all(ix.done for ix in self.logs) else " yet (still indexing)"
            self.notify(f"no {at_least.name.lower()} {where}{busy}")
            return
        self.table.go(row)

    def _reach_back(self, at_least: Level) -> None:
        """Have the engine index the gap backwards until it holds the previous error."""
        anchor = self.view.offset_at(self.table.cursor)
        if anchor is None:
            return
        self._pending = (at_least, anchor)
        job = partial(
            reach_back,
            self.logs[self.current],
            self.current,
            at_least,
            anchor,
            self.post_message,
            self._cancel("reach"),
        )
        self.run_worker(job, thread=True, group="reach", exclusive=True)
        self._show_status()

    def _retry_level(self) -> None:
        """Land a waiting jump once the index can answer it (the rows just moved)."""
        if self._pending is None:
            return
        at_least, anchor = self._pending
        view, index = self.view, self.logs[self.current]
        if anchor is None:
            if view.gap_row is None and index.tail_expected and self.table.at_end:
                return  # the end is not shown yet
            self._pending = None
            if self.table.at_end:
                self.action_level(at_least, -1)
            self._show_status()
            return
        if not len(view) or view.offset_at(self.table.cursor) != anchor:
            self._pending = None  # the cursor moved on meanwhile
            self._show_status()
            return
        row = view.find_level(self.table.cursor, at_least, forward=False)
        if row is not None and row == view.gap_row:
            return  # still in the part not indexed: the head's scan or the reach gets there
        self._pending = None
        self._show_status()
        if row is None:
            self.notify(f"no {at_least.name.lower()} above")
            return
        self.table.go(row)

    @property
    def pending_text(self) -> str:
        """What a waiting jump waits for, for the status line ("" when none waits)."""
        if self._pending is None:
            return ""
        what = self._pending[0].name.lower()
        if self._pending[1] is None:
            return f"indexing the end for the last {what}…"
        return f"looking back for the previous {what}…"

    def action_filter(self) -> None:
        def done(flt: RecordFilter | None) -> None:
            if flt is None:
                return
            self.filter = None if flt.empty else flt
            if self.filter is None and not self.merged:
                self._set_view(RecordView.of(self.logs[self.current]))
            else:
                self._derive()

        self.app.push_screen(FilterDialog(self.filter), done)

    def action_clear_filter(self) -> None:
        if self.filter is None:
            return
        self.filter = None
        if self.merged:
            self._derive()
        else:
            self._set_view(RecordView.of(self.logs[self.current]))

    def action_codes(self) -> None:
        record = self.table.record(self.table.cursor)
        if record is not None:
            self.app.push_screen(CodeLookup(record))

    def action_detail(self) -> None:
        detail = self.query_one(RecordDetail)
        detail.display = not detail.display
        if detail.display:
            detail.show(self.table.record(self.table.cursor), self.query_)

    def action_follow(self) -> None:
        self.follow = not self.follow
        if self.follow:
            if all(ix.path is None for ix in self.logs):
                self.follow = False
                self.notify("these logs are not files on disk: nothing to follow")
                return
            self._timer = self.set_interval(FOLLOW_INTERVAL, self._poll)
            self.table.action_last()
        elif self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._show_status()

    def action_merge(self) -> None:
        if len(self.logs) < 2:
            self.notify("only one log is open: nothing to merge")
            return
        self.merged = not self.merged
        if self.merged or self.filter is not None:
            place = self._place()
            if place is not None and not self.merged:
                self.current = self.logs.index(place[0])
            self._derive()
        else:
            place = self._place()
            if place is not None:
                self.current = self.logs.index(place[0])
            self._set_view(RecordView.of(self.logs[self.current]))

    def action_log(self, step: int) -> None:
        if len(self.logs) < 2:
            return
        self.merged = False
        self.current = (self.current + step) % len(self.logs)
        if self.filter is not None:
            self._derive()
        else:
            self._set_view(RecordView.of(self.logs[self.current]))

    # -- display -------------------------------------------------------------------------

    def _show_title(self) -> None:
        self.query_one("#viewer-title", Static).update(viewer_title(self))

    def _show_status(self) -> None:
        self.query_one(StatusLine).show(viewer_status(self))
