"""The literal prefilter on its own: the first anchor after a point, and whether a file
holds any anchor at all, read through a small buffer so anchors straddle every read."""

from __future__ import annotations

import io
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logscan.engine import prefilter
from logscan.engine.prefilter import anchor_search, holds_anchor

ANCHORS = [b"80092024", b"import client certificate store", b"smp"]


@pytest.mark.parametrize("native", [True, False], ids=["hyperscan", "regex"])
@settings(max_examples=150, deadline=None)
@given(
    text=st.binary(max_size=200),
    anchor=st.sampled_from([*ANCHORS, b""]),
    at=st.integers(min_value=0, max_value=200),
    upper=st.booleans(),
    read_size=st.integers(min_value=1, max_value=64),
)
def test_holds_anchor_agrees_with_a_plain_search(
    native: bool, text: bytes, anchor: bytes, at: int, upper: bool, read_size: int
) -> None:
    search = anchor_search(ANCHORS, prefer_native=native)
    assert search is not None
    at = min(at, len(text))
    data = text[:at] + (anchor.upper() if upper else anchor) + text[at:]
    expected = any(a in data.lower() for a in ANCHORS)
    # A tiny buffer: every read boundary falls inside some anchor for some example.
    with _read_size(max(read_size, search.longest)):
        assert holds_anchor(io.BytesIO(data), search) is expected


class _read_size:
    def __init__(self, size: int) -> None:
        self.size = size

    def __enter__(self) -> None:
        self.saved = prefilter._READ_SIZE
        prefilter._READ_SIZE = self.size
        prefilter._BUFFERS = threading.local()  # a buffer of the new size

    def __exit__(self, *_exc: object) -> None:
        prefilter._READ_SIZE = self.saved
        prefilter._BUFFERS = threading.local()
