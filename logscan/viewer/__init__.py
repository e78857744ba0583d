"""The log viewer engine: large logs opened at once, read lazily, searched, filtered, merged.

No UI code lives here (the Textual TUI in ``logscan.tui`` only calls it). The pieces:

- ``LogIndex`` (``index``, built by ``indexing``): one log; ``build()`` indexes it in the
  background (run it in a worker thread), ``records(start, stop)`` parses just the
  records asked for, with the file's own parser, so they equal a full parse; ``poll()``
  and ``update()`` follow a growing log. A big CCM log's end is indexed first (``tail``,
  ``segment``), so it can be shown before the rest; ``reach_back`` indexes backwards
  from there on demand.
- ``RecordView`` (``view``): the rows on screen, over one log or several (a big log's
  head, a gap row, its tail); ``find_level`` jumps between errors without parsing.
- ``merge`` (``merge``): several logs of one host in UTC order.
- ``Query``, ``search`` (``query``, ``search``): literal or regex search, chunk by
  chunk, skipping chunks whose bytes cannot match.
- ``RecordFilter``, ``apply_filter`` (``filter``): hide rows by level, component, text.
- ``codes_in`` (``lookup``): the error codes a record mentions, looked up.
- ``open_logs`` (``open``): paths to indexes, through the input layer.
"""

from __future__ import annotations

from logscan.viewer.filter import RecordFilter, apply_filter, subset
from logscan.viewer.follow import FileChange
from logscan.viewer.index import LogIndex
from logscan.viewer.indexing import IndexProgress
from logscan.viewer.lookup import CodeNote, codes_in
from logscan.viewer.merge import host_bias, merge
from logscan.viewer.open import OpenedLogs, open_logs
from logscan.viewer.query import Query
from logscan.viewer.search import highlight, match_rows, search
from logscan.viewer.view import RecordView

__all__ = [
    "CodeNote",
    "FileChange",
    "IndexProgress",
    "LogIndex",
    "OpenedLogs",
    "Query",
    "RecordFilter",
    "RecordView",
    "apply_filter",
    "codes_in",
    "highlight",
    "host_bias",
    "match_rows",
    "merge",
    "open_logs",
    "search",
    "subset",
]
