"""Shared test fixtures: where the real public logs live, and helpers to build streams."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from logscan.inputs.stream import TextStream, detect_encoding, has_bom

ROOT = Path(__file__).resolve().parent.parent
REAL_LOGS = ROOT.parent / "shared" / "real_logs"


@pytest.fixture
def real_logs() -> Path:
    """The folder of real public logs kept outside the project (see its README)."""
    if not REAL_LOGS.is_dir():
        pytest.skip(f"real logs not available at {REAL_LOGS} (only inside the workplace)")
    return REAL_LOGS


def stream_of(raw: bytes, source: str = "test.log", block_size: int = 1 << 22) -> TextStream:
    """A TextStream over in-memory bytes, encoding sniffed as for a real file."""
    enc = detect_encoding(raw[: 1 << 16])
    return TextStream(
        source, lambda: io.BytesIO(raw), enc, bom=has_bom(raw, enc), block_size=block_size
    )


@pytest.fixture
def make_stream() -> Callable[..., TextStream]:
    return stream_of
