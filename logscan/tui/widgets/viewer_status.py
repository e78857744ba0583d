"""The log viewer's title and status line, as text from the screen's state.

Kept apart from ``screens.viewer`` so the screen holds behaviour and this holds wording.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logscan.tui.screens.viewer import ViewerScreen


def viewer_title(screen: ViewerScreen) -> str:
    """The title line: the log shown (format, encoding, n of m) or the merge."""
    if screen.merged:
        title = f"{len(screen.logs)} logs merged by UTC"
    else:
        index = screen.logs[screen.current]
        title = f"{index.name}  ({index.format.value}, {index.encoding.value})"
        if len(screen.logs) > 1:
            title += f"  [{screen.current + 1}/{len(screen.logs)}]"
    return title


def viewer_status(screen: ViewerScreen) -> list[tuple[str, str]]:
    """The status line's parts: position, problems, indexing, filter, search, job, follow."""
    rows = len(screen.view)
    cursor = min(screen.table.cursor + 1, rows) if rows else 0
    parts: list[tuple[str, str]] = [(f"{cursor:,}/{rows:,}", "bold")]
    shown = screen.logs[screen.current]
    if shown.blocked is not None and not screen.merged:
        parts.append((shown.blocked.message, "red"))
    building = [ix for ix in screen.logs if not ix.done]
    if building:
        share = sum(ix.progress().fraction for ix in building) / len(building)
        parts.append((f"indexing {share:.0%}", "yellow"))
    if screen.filter is not None:
        parts.append((f"filter: {screen.filter.describe()}", "cyan"))
    if screen.query_ is not None:
        state = "" if screen.search_done else "…"
        parts.append((f"/{screen.query_.text}: {len(screen.hits):,} hits{state}", "magenta"))
    if screen.pending_text:
        parts.append((screen.pending_text, "yellow"))
    if screen.job_label and screen.job_progress:
        parts.append((screen.job_progress, "yellow"))
    if screen.follow:
        parts.append(("FOLLOW", "bold green"))
    warnings = sum(ix.warning_count for ix in screen.logs)
    if warnings:
        parts.append((f"{warnings:,} parse warnings", "dim"))
    return parts
