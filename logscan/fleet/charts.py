"""Report charts drawn with matplotlib as inline SVG: no script, no font or network fetch.

Text stays text in the SVG (``svg.fonttype = none``), so the page is small and its numbers
are searchable; ids are salted per chart so several SVGs can share one page, and no date
is embedded, so the same run renders the same bytes.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

VERDICT_COLOURS = {
    "confirmed": "#c0392b",
    "likely": "#e67e22",
    "at_risk": "#d4ac0d",
    "resolved": "#27ae60",
    "other_failure": "#8e44ad",
    "no_evidence": "#95a5a6",
}
_TOP = 12  # bars in a breakdown before the rest become "other"


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # never a window, whatever the environment says
    import matplotlib.pyplot as plt

    return plt


def _svg(fig: Any, salt: str) -> str:
    import matplotlib

    plt = _plt()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"logscan-{salt}"}):
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype: it is inline


def _figure(width: float, height: float) -> tuple[Any, Any]:
    plt = _plt()
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(width, height), dpi=96)
    ax.spines[["top", "right"]].set_visible(False)
    # Host counts are whole numbers: no 0.5-host ticks.
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig, ax


def verdict_chart(counts: dict[str, int]) -> str:
    names = list(VERDICT_COLOURS)
    values = [counts.get(n, 0) for n in names]
    fig, ax = _figure(5.2, 2.8)
    bars = ax.bar(names, values, color=[VERDICT_COLOURS[n] for n in names])
    ax.bar_label(bars, labels=[str(v) for v in values], fontsize=8)
    ax.set_ylabel("hosts")
    ax.set_title("Verdicts")
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return _svg(fig, "verdicts")


def failures_chart(firsts: Iterable[tuple[date, str]]) -> str | None:
    """Hosts by the day of their first logged failure, stacked by verdict."""
    per_day: dict[date, Counter[str]] = {}
    for day, verdict in firsts:
        per_day.setdefault(day, Counter())[verdict] += 1
    if not per_day:
        return None
    days = sorted(per_day)
    fig, ax = _figure(5.2, 2.8)
    bottom = [0] * len(days)
    for verdict, colour in VERDICT_COLOURS.items():
        heights = [per_day[d][verdict] for d in days]
        if any(heights):
            ax.bar(days, heights, bottom=bottom, color=colour, label=verdict, width=0.8)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylabel("hosts")
    ax.set_title("Failures over time (first failure per host, UTC day)")
    ax.legend(fontsize=7, frameon=False)
    fig.autofmt_xdate()
    return _svg(fig, "failures")


def breakdown_chart(values: Iterable[str], title: str, salt: str) -> str:
    counts = Counter(values)
    top = counts.most_common(_TOP)
    rest = sum(counts.values()) - sum(n for _, n in top)
    if rest:
        top.append((f"{len(counts) - _TOP} other", rest))
    top.reverse()  # largest at the top of a horizontal bar chart
    fig, ax = _figure(5.2, 0.5 + 0.28 * max(len(top), 1))
    from matplotlib.ticker import MaxNLocator

    bars = ax.barh([name for name, _ in top], [n for _, n in top], color="#2c6fad")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.bar_label(bars, labels=[str(n) for _, n in top], fontsize=8)
    ax.set_title(title)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlabel("hosts")
    return _svg(fig, salt)
