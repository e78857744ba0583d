"""Severity inferred from message text, the way CMTrace colours formats that carry no level.

CMTrace paints a line red when its text contains "error", or "fail" other than in
"failover", and yellow when it contains "warn" (case-insensitive). The legacy ``$$<``
trace, CMTrace clipboard copies and plain text have no level field, so every parser of
those formats uses this one rule; a message like "No error in migration process is
recorded" is therefore ERROR, exactly as CMTrace shows it.
"""

from __future__ import annotations

import re

from logscan.model import Level

# "fail" not followed by "over": "failover failed" is still an error because of "failed".
_ERROR = re.compile(r"error|fail(?!over)", re.IGNORECASE)
_WARNING = re.compile(r"warn", re.IGNORECASE)
_ANY = re.compile(r"error|fail|warn", re.IGNORECASE)  # one pass for the common clean case


def infer_level(text: str) -> Level:
    """ERROR, WARNING or INFO for ``text``, by CMTrace's highlighting rule."""
    if _ANY.search(text) is None:
        return Level.INFO
    if _ERROR.search(text):
        return Level.ERROR
    if _WARNING.search(text):
        return Level.WARNING
    return Level.INFO
