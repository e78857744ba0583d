"""nul_text(): text with every NUL shown as ␀ and highlighted (the KB977203 defect)."""

from __future__ import annotations

from rich.text import Text

NUL_MARK = "␀"
NUL_STYLE = "bold reverse red"


def nul_text(value: str, style: str = "") -> Text:
    """``value`` with raw NULs made visible as ␀ and every ␀ highlighted."""
    text = Text(value.replace("\0", NUL_MARK), style=style)
    text.highlight_words([NUL_MARK], NUL_STYLE)
    return text
