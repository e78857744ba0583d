"""Facts from a ccmsetup log without parsing all of it: only the records around the
wordings ``loglines`` matches are parsed.

A ccmsetup.log runs to megabytes and a fleet has one per host; the facts come from a
handful of lines. The raw text is searched for ``loglines.ANCHORS`` with the engine's
prefilter and only the records around a hit are parsed (``engine.regions``), so the
facts, their citations and their order are those of a full parse. A format without
record framing, a record too long to carry, or a read error falls back to the full
reader (which turns read errors into warnings, as before).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from logscan.facts.loglines import ANCHORS, facts_from_records
from logscan.facts.model import Fact
from logscan.inputs.reader import inspect_head, read_source
from logscan.inputs.source import LogSource
from logscan.inputs.stream import TextStream
from logscan.model import LogFormat
from logscan.parsers.base import all_parsers

if TYPE_CHECKING:
    from logscan.engine.prefilter import AnchorSearch

# One compiled searcher per thread: a Hyperscan scratch space serves one scan at a time.
_LOCAL = threading.local()


def _search() -> AnchorSearch | None:
    # Imported here: the engine (Hyperscan) is only needed when a ccmsetup log is present.
    from logscan.engine.prefilter import anchor_search

    if not hasattr(_LOCAL, "search"):
        _LOCAL.search = anchor_search(ANCHORS)
    search: AnchorSearch | None = _LOCAL.search
    return search


def setup_log_facts(source: LogSource) -> tuple[Fact, ...]:
    """The facts ``facts_from_records(read_source(source))`` gives, parsing less."""
    from logscan.engine.framing import FRAMERS
    from logscan.engine.regions import CarryOverflow, scan_regions

    try:
        head = inspect_head(source)
    except OSError:
        return facts_from_records(read_source(source))
    if head.empty or head.binary:
        return ()  # the full reader yields only a warning for these: no facts
    fmt, encoding, bom = head.format, head.encoding, head.bom
    parsers = all_parsers()
    parser = parsers.get(fmt) or parsers.get(LogFormat.PLAIN)
    framer = FRAMERS.get(fmt)
    search = _search()
    if parser is None or framer is None or search is None:
        return facts_from_records(read_source(source))
    stream = TextStream(source.display, source.opener, encoding, bom=bom)
    try:
        return facts_from_records(scan_regions(stream, parser, framer, search))
    except (CarryOverflow, OSError):
        return facts_from_records(read_source(source))
