"""The collector tests build bundles with the fact-input builders of tests/facts."""

from __future__ import annotations

import sys
from pathlib import Path

_FACTS = str(Path(__file__).resolve().parent.parent / "facts")
if _FACTS not in sys.path:
    sys.path.insert(0, _FACTS)
