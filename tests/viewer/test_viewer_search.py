"""Search: the rows found are exactly the records whose message matches, in order, and
chunks whose bytes cannot match are not parsed."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from viewer_support import built, ccm, damaged_log, full_parse

from logscan.errors import UsageError
from logscan.model import LogFormat
from logscan.viewer import scan
from logscan.viewer.index import LogIndex
from logscan.viewer.query import Query
from logscan.viewer.search import search
from logscan.viewer.view import RecordView


def _expected(path: Path, pattern: str, flags: int = 0) -> list[int]:
    rx = re.compile(pattern, flags)
    return [i for i, r in enumerate(full_parse(path)) if rx.search(r.message)]


@pytest.mark.parametrize(
    ("text", "regex", "pattern", "flags"),
    [
        ("error", False, "error", re.IGNORECASE),
        ("Error", False, "Error", 0),  # smart case: a capital makes it case-sensitive
        ("0x80092024", False, re.escape("0x80092024"), re.IGNORECASE),
        (r"err\w+ \d+", True, r"err\w+ \d+", re.IGNORECASE),
        ("café", False, "café", re.IGNORECASE),
    ],
)
def test_search_finds_exactly_the_matching_records(
    tmp_path: Path, text: str, regex: bool, pattern: str, flags: int
) -> None:
    rng = random.Random(21)
    for encoding in ("utf-8", "utf-16-le", "cp1252"):
        path = tmp_path / "CcmExec.log"
        path.write_bytes(damaged_log(rng, "ccm", 400, encoding))
        view = RecordView.of(built(path))
        got = list(search(view, Query.parse(text, regex=regex)))
        assert got == _expected(path, pattern, flags), encoding
        assert got, "the generated log must hold matches"


def test_search_real_log(real_logs: Path) -> None:
    path = real_logs / "mdt-standalone_smsts.log"
    view = RecordView.of(built(path))
    got = list(search(view, Query.parse("failed")))
    assert got == _expected(path, "failed", re.IGNORECASE)
    assert len(got) > 0


def test_chunks_without_the_bytes_are_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "CHUNK_BYTES", 4096)
    lines = [ccm(f"ordinary line {k}") for k in range(2000)]
    lines[1500] = ccm("Failed to import client certificate store (0x80092024)", type_=3)
    path = tmp_path / "CcmExec.log"
    path.write_text("".join(lines), encoding="utf-8")
    index = built(path)
    parsed: list[int] = []
    real = LogIndex.chunk_records

    def counting(self: LogIndex, c: int, raw: bytes | None = None) -> tuple[int, list]:  # type: ignore[type-arg]
        parsed.append(c)
        return real(self, c, raw)

    monkeypatch.setattr(LogIndex, "chunk_records", counting)
    assert list(search(RecordView.of(index), Query.parse("0x80092024"))) == [1500]
    assert parsed == [index.chunk_of(1500)]
    assert index.chunk_count() > 50


def test_nul_inside_a_line_does_not_hide_a_match(tmp_path: Path) -> None:
    # Line parsers drop NUL bytes, so "fai\0led" reads as "failed" though the bytes differ.
    path = tmp_path / "notes.log"
    path.write_bytes(b"one\r\nfai\x00led here\r\nthree\r\n")
    view = RecordView.of(built(path))
    assert [view.record(i).message for i in search(view, Query.parse("failed"))] == ["failed here"]


def test_progress_log_messages_are_not_prefiltered(tmp_path: Path) -> None:
    path = tmp_path / "scanstateprogress.log"
    path.write_text(
        "15 Mar 2011, 14:02:11 -05:00, 00:00:01, PHASE, Initializing\r\n"
        "15 Mar 2011, 14:02:12 -05:00, 00:00:02, totalSizeInMBToTransfer, 12.5\r\n",
        encoding="utf-8",
    )
    index = built(path)
    assert index.format is LogFormat.USMT_PROGRESS
    query = Query.parse("PHASE=Initializing")  # rebuilt text: not in the file's bytes
    assert list(search(RecordView.of(index), query)) == [0]


def test_search_range_and_highlight_spans(tmp_path: Path) -> None:
    path = tmp_path / "CcmExec.log"
    path.write_text("".join(ccm(f"step {k} failed, retry failed") for k in range(10)))
    view = RecordView.of(built(path))
    query = Query.parse("FAILED", ignore_case=True)
    assert list(search(view, query, 3, 6)) == [3, 4, 5]
    message = view.record(0).message
    assert [message[a:b] for a, b in query.spans(message)] == ["failed", "failed"]


def test_bad_regex_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="not a valid regular expression"):
        Query.parse("(unclosed", regex=True)
