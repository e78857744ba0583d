"""StatusLine: one line under the log saying where the cursor is and what is running."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    """Parts joined by separators; parts are (text, style) pairs."""

    def show(self, parts: list[tuple[str, str]]) -> None:
        text = Text()
        for k, (part, style) in enumerate(p for p in parts if p[0]):
            if k:
                text.append("  │  ", style="dim")
            text.append(part, style=style)
        self.update(text)
