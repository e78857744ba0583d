"""Key/value pairs of a USMT progress line, and the level they imply.

The pairs are written ``key, value, key, value`` with no quoting, yet values such as
object names and command lines can hold ", ". Keys come from a small documented set
(MicrosoftDocs ``usmt-log-files.md``), which is what lets a value keep its commas.
"""

from __future__ import annotations

from logscan.model import Level

KNOWN_KEYS = frozenset(
    key.lower()
    for key in (
        "program",
        "productVersion",
        "computerName",
        "commandLine",
        "PHASE",
        "detectedUser",
        "includedInMigration",
        "forUser",
        "detectedComponent",
        "totalSizeInMBToTransfer",
        "totalPercentageCompleted",
        "collectingUser",
        "totalMinutesRemaining",
        "error",
        "objectName",
        "action",
        "errorCode",
        "numberOfIgnoredErrors",
        "message",
    )
)


def _tokens(text: str) -> list[tuple[int, int]]:
    """Spans of the comma-separated tokens; commas inside double quotes do not split."""
    spans: list[tuple[int, int]] = []
    start = 0
    quoted = False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


def split_pairs(text: str) -> list[tuple[str, str]]:
    """``[(key, value), ...]`` in written order; a last key without value gets ""."""
    spans = _tokens(text)
    words = [text[a:b].strip() for a, b in spans]
    pairs: list[tuple[str, str]] = []
    i, n = 0, len(spans)
    while i < n:
        key = words[i]
        i += 1
        if i >= n:
            if key:
                pairs.append((key, ""))
            break
        first = last = i
        i += 1
        # An odd number of tokens left means a value held ", ": absorb tokens until the
        # next known key.
        while i < n and (n - i) % 2 == 1 and words[i].lower() not in KNOWN_KEYS:
            last = i
            i += 1
        if key:
            pairs.append((key, text[spans[first][0] : spans[last][1]].strip()))
    return pairs


def level_of(pairs: list[tuple[str, str]]) -> Level:
    """ERROR for an error USMT did not skip, WARNING for skipped ones, else INFO."""
    values = {key.lower(): value for key, value in pairs}
    if "error" in values:
        ignored = values.get("action", "").lower() == "ignore"
        return Level.WARNING if ignored else Level.ERROR
    ignored_count = values.get("numberofignorederrors", "")
    if ignored_count.isdigit() and int(ignored_count) > 0:
        return Level.WARNING
    return Level.INFO
