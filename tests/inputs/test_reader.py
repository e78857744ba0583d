"""read_source / read_paths: what the input layer adds around whichever parser runs.

The mechanics tests register a tiny line parser under PLAIN (restored afterwards), so
they check only the reader, whatever the real parsers do. The end-to-end tests at the
bottom use the real parsers on the real public logs.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logscan.errors import ParseError
from logscan.inputs.discover import discover
from logscan.inputs.reader import read_paths, read_source
from logscan.inputs.rotation import family_of
from logscan.inputs.source import InputProblem, LogSource
from logscan.inputs.stream import Encoding, TextStream
from logscan.inputs.watched import MAX_NUL_WARNINGS, WatchedStream
from logscan.model import Level, LogFormat, LogKind, LogRecord, ParseWarning, WarningCode
from logscan.parsers import base
from logscan.parsers.base import iter_lines


class LineParser:
    """One record per line, message as decoded; NULs are left in."""

    format = LogFormat.PLAIN

    def sniff(self, head: str) -> float:
        return 0.0

    def parse(self, stream: TextStream) -> Iterator[LogRecord | ParseWarning]:
        for line in iter_lines(stream):
            yield LogRecord(
                source=stream.source,
                line=line.number,
                offset=stream.file_offset(line.pos),
                length=len(line.text),
                local_time=None,
                bias=None,
                level=Level.INFO,
                component="",
                thread=None,
                message=stream.decode(line.text)[0],
                format=LogFormat.PLAIN,
            )


@pytest.fixture
def line_parser(monkeypatch: pytest.MonkeyPatch) -> LineParser:
    base.all_parsers()  # load the real modules first so they cannot overwrite the fake
    parser = LineParser()
    monkeypatch.setitem(base._REGISTRY, LogFormat.PLAIN, parser)
    return parser


def source_of(
    raw: bytes | None = None,
    name: str = "t.log",
    opener: Callable[[], BinaryIO] | None = None,
    size: int | None = None,
) -> LogSource:
    family, generation = family_of(name)
    return LogSource(
        display=name,
        root="in",
        kind=LogKind.OTHER,
        size=len(raw or b"") if size is None else size,
        family=family,
        generation=generation,
        opener=opener or (lambda: io.BytesIO(raw or b"")),
    )


def read(raw: bytes, name: str = "t.log") -> list[LogRecord | ParseWarning]:
    return list(read_source(source_of(raw, name), LogFormat.PLAIN))


def warnings_of(items: list[Any]) -> list[ParseWarning]:
    return [i for i in items if isinstance(i, ParseWarning)]


def records_of(items: list[Any]) -> list[LogRecord]:
    return [i for i in items if isinstance(i, LogRecord)]


@pytest.mark.usefixtures("line_parser")
class TestMechanics:
    def test_clean_file_has_no_warnings(self) -> None:
        items = read(b"one\r\ntwo\r\n")
        assert [r.message for r in records_of(items)] == ["one", "two"]
        assert warnings_of(items) == []

    @pytest.mark.parametrize("raw", [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])
    def test_empty_file(self, raw: bytes) -> None:
        items = read(raw, "empty.log")
        assert [(w.code, w.source, w.line) for w in warnings_of(items)] == [
            (WarningCode.EMPTY_FILE, "empty.log", 1)
        ]
        assert records_of(items) == []

    def test_binary_garbage_is_reported_and_not_parsed(self) -> None:
        noise = bytes((i * 7919 + 13) % 251 for i in range(70_000))
        items = read(noise, "smsts.log")
        assert [(w.code, w.source) for w in warnings_of(items)] == [
            (WarningCode.BINARY_CONTENT, "smsts.log")
        ]
        assert records_of(items) == []

    def test_nul_flood_is_located(self) -> None:
        raw = b"first\r\nsecond\r\n" + bytes(100_000) + b"\r\nafter\r\n"
        items = read(raw)
        nul = [w for w in warnings_of(items) if w.code is WarningCode.NUL_BYTES]
        assert [(w.line, w.offset) for w in nul] == [(3, raw.index(b"\0"))]
        assert "100,000" in nul[0].message
        assert records_of(items)[-1].message == "after"

    def test_nul_run_in_utf16_is_located_in_file_bytes(self) -> None:
        text = "first\r\n" + "\0" * 50 + "tail\r\n"
        raw = b"\xff\xfe" + text.encode("utf-16-le")
        nul = warnings_of(read(raw))
        assert [(w.code, w.line, w.offset) for w in nul] == [
            (WarningCode.NUL_BYTES, 2, 2 + len("first\r\n") * 2)
        ]

    def test_many_nul_runs_are_capped_with_a_summary(self) -> None:
        raw = b"".join(b"line %d\x00\x00\r\n" % i for i in range(MAX_NUL_WARNINGS + 5))
        nul = [w for w in warnings_of(read(raw)) if w.code is WarningCode.NUL_BYTES]
        assert len(nul) == MAX_NUL_WARNINGS + 1
        assert [w.line for w in nul[:-1]] == list(range(1, MAX_NUL_WARNINGS + 1))
        assert "5 more run(s)" in nul[-1].message
        assert nul[-1].line == MAX_NUL_WARNINGS + 5

    def test_nul_warnings_come_near_their_place(self) -> None:
        raw = b"a\r\n\x00\x00\r\n" + b"b\r\n" * 10
        kinds = ["W" if isinstance(i, ParseWarning) else "R" for i in read(raw)]
        assert kinds.index("W") < 3

    @pytest.mark.parametrize("bom", [b"\xff\xfe", b""])
    def test_odd_utf16_length(self, bom: bytes) -> None:
        raw = bom + "text line\r\nmore text here\r\n".encode("utf-16-le") + b"!"
        items = read(raw)
        odd = [w for w in warnings_of(items) if w.code is WarningCode.ODD_UTF16_LENGTH]
        assert [(w.source, w.offset) for w in odd] == [("t.log", len(raw) - 1)]

    @pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
    def test_unpaired_surrogates_in_utf16_are_located(self, enc: str) -> None:
        bom = "\ufeff".encode(enc)
        text = "good line\r\nlone \ud800 high\r\nlow \udc00\udc00 twice\r\nfine\r\n"
        raw = bom + text.encode(enc, errors="surrogatepass")
        items = read(raw)
        bad = warnings_of(items)
        assert [(w.code, w.line) for w in bad] == [
            (WarningCode.DECODE_ERROR, 2),
            (WarningCode.DECODE_ERROR, 3),
        ]
        assert bad[0].offset == raw.index("\ud800".encode(enc, errors="surrogatepass"))
        assert bad[1].message.startswith("2 ")
        assert [r.message for r in records_of(items)][-1] == "fine"

    def test_odd_tail_is_not_also_a_decode_error(self) -> None:
        raw = b"\xff\xfe" + "lone \ud800\r\nend".encode("utf-16-le", "surrogatepass") + b"x"
        codes = [w.code for w in warnings_of(read(raw))]
        assert codes == [WarningCode.DECODE_ERROR, WarningCode.ODD_UTF16_LENGTH]

    def test_real_replacement_characters_in_utf8_are_text(self) -> None:
        assert warnings_of(read("already \ufffd replaced\r\n".encode())) == []

    def test_invalid_utf8_still_reads(self) -> None:
        raw = b"\xef\xbb\xbfok\r\nbad \xff\xfe here\r\nok again\r\n"
        items = read(raw)
        assert [r.message for r in records_of(items)] == ["ok", "bad \xff\xfe here", "ok again"]

    def test_oserror_while_reading_keeps_records_and_warns(self) -> None:
        class Failing(io.BytesIO):
            def __init__(self) -> None:
                super().__init__(b"".join(b"line %d\r\n" % i for i in range(10)))
                self.reads = 0

            def read(self, size: int | None = -1) -> bytes:
                self.reads += 1
                if self.reads > 1:
                    raise OSError(5, "Input/output error")
                return super().read(30)

        source = source_of(opener=Failing, size=80)
        items = list(read_source(source, LogFormat.PLAIN))
        unreadable = [w for w in warnings_of(items) if w.code is WarningCode.UNREADABLE]
        assert len(unreadable) == 1
        assert "Input/output error" in unreadable[0].message
        assert records_of(items)  # what was read before the error is kept

    def test_file_gone_before_reading(self, tmp_path: Path, craft: Any) -> None:
        folder = craft.tree(tmp_path / "h", {"smsts.log": craft.ccm_bytes("x")})
        (source,) = [s for s in discover([folder]) if isinstance(s, LogSource)]
        (folder / "smsts.log").unlink()
        items = list(read_source(source))
        assert [(w.code, w.source) for w in warnings_of(items)] == [
            (WarningCode.UNREADABLE, "smsts.log")
        ]
        assert "gone" in items[0].message

    def test_permission_denied_at_open(self) -> None:
        def denied() -> BinaryIO:
            raise PermissionError(13, "Permission denied")

        items = list(read_source(source_of(opener=denied)))
        assert [w.code for w in warnings_of(items)] == [WarningCode.UNREADABLE]
        assert "permission denied" in items[0].message

    def test_sniffed_format_without_parser_falls_back_to_plain(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delitem(base._REGISTRY, LogFormat.CCM, raising=False)
        monkeypatch.setattr("logscan.inputs.reader.sniff_format", lambda head: LogFormat.CCM)
        items = list(read_source(source_of(b"x\r\n")))
        assert [r.message for r in records_of(items)] == ["x"]

    def test_explicit_format_without_parser_is_a_usage_error(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delitem(base._REGISTRY, LogFormat.USMT, raising=False)
        with pytest.raises(ParseError, match="no parser for format 'usmt'"):
            list(read_source(source_of(b"x\r\n"), LogFormat.USMT))


def test_watched_stream_run_across_blocks() -> None:
    raw = b"ab\r\ncd" + bytes(10) + b"ef\r\n\x00"
    for block_size in (1, 3, 5, 7, 64):
        stream = WatchedStream(
            "w.log", lambda: io.BytesIO(raw), Encoding.UTF8, bom=False, block_size=block_size
        )
        for _ in stream.blocks():
            pass
        found = stream.finish()
        assert [(w.line, w.offset, w.message.split()[0]) for w in found] == [
            (2, 6, "10"),
            (3, len(raw) - 1, "1"),
        ], block_size


@settings(max_examples=200, deadline=None)
@given(
    raw=st.lists(
        st.sampled_from([b"a", b"bc", b"\r", b"\n", b"\r\n", b"\x00", b"\x00\x00"]), max_size=40
    ).map(b"".join),
    block_size=st.integers(min_value=1, max_value=16),
)
def test_watched_lines_agree_with_iter_lines(raw: bytes, block_size: int) -> None:
    """Every NUL run is reported at the line and offset where iter_lines has it."""
    stream = WatchedStream(
        "w.log", lambda: io.BytesIO(raw), Encoding.UTF8, bom=False, block_size=block_size
    )
    lines = list(iter_lines(stream))
    found = stream.finish()
    starts = [m.start() for m in re.finditer(rb"\x00+", raw)][:MAX_NUL_WARNINGS]
    assert [w.offset for w in found[: len(starts)]] == starts
    for w in found[: len(starts)]:
        (line,) = [ln for ln in lines if ln.pos <= w.offset < ln.pos + len(ln.text) + len(ln.eol)]
        assert w.line == line.number


# --- end to end with the real parsers ------------------------------------------------------

REAL_COUNTS = {
    "mdt-standalone_smsts.log": 881,
    "cb-client_ccmsetup.log": 195,
    "plaso_sccm_various.log": 10,
    "usmt10_scanstate.log": 69,
    "legacy-server_rotation_BgbServer.log": 4,
    "legacy-server_component-start_BgbServer.lo_": 20,
    "malformed-thirdparty_helloworld.log": 6,
}


def test_real_logs_through_discover_and_read(real_logs: Path) -> None:
    counts: Counter[str] = Counter()
    warned: Counter[str] = Counter()
    for item in read_paths([real_logs]):
        assert not isinstance(item, InputProblem)
        if isinstance(item, LogRecord):
            counts[item.source] += 1
        else:
            warned[item.source] += 1
    for name, expected in REAL_COUNTS.items():
        assert counts[name] == expected, name
    # The rotated .lo_ holds 4 records plus its rollover marker.
    assert counts["legacy-server_rotation_BgbServer.lo_"] in (4, 5)
    assert set(warned) <= {"malformed-thirdparty_helloworld.log"}


def test_real_rotation_family_is_read_oldest_first(real_logs: Path) -> None:
    order = [
        i.source
        for i in read_paths(
            [
                real_logs / "legacy-server_rotation_BgbServer.log",
                real_logs / "legacy-server_rotation_BgbServer.lo_",
            ]
        )
        if isinstance(i, LogRecord)
    ]
    # Given separately they are separate inputs; in one folder they form a family.
    assert order[0] == "legacy-server_rotation_BgbServer.log"
    in_folder = [i.source for i in read_paths([real_logs]) if isinstance(i, LogRecord)]
    bgb = [s for s in in_folder if s.startswith("legacy-server_rotation")]
    assert bgb == sorted(bgb, key=lambda s: not s.endswith(".lo_"))


def test_real_logs_in_a_bundle_match_the_folder(
    real_logs: Path, tmp_path: Path, craft: Any
) -> None:
    members = {f"Logs/{p.name}": p.read_bytes() for p in sorted(real_logs.glob("*.lo*"))}
    bundle = craft.zip(tmp_path / "HOST.zip", members)
    from_zip = [i for i in read_paths([bundle]) if isinstance(i, LogRecord)]
    from_folder = [i for i in read_paths([real_logs]) if isinstance(i, LogRecord)]
    assert len(from_zip) == len(from_folder)
    assert {r.source.split("!Logs/")[1] for r in from_zip} == {r.source for r in from_folder}
    key = lambda r: (r.source.rpartition("/")[2], r.line)  # noqa: E731
    for a, b in zip(sorted(from_zip, key=key), sorted(from_folder, key=key), strict=True):
        assert (a.line, a.offset, a.length, a.message) == (b.line, b.offset, b.length, b.message)


def test_read_paths_reports_problems_and_reads_the_rest(tmp_path: Path, craft: Any) -> None:
    folder = craft.tree(tmp_path / "h", {"smsts.log": craft.ccm_bytes("one", "two")})
    items = list(read_paths([tmp_path / "missing", folder]))
    assert isinstance(items[0], InputProblem)
    assert [i.message for i in items if isinstance(i, LogRecord)] == ["one", "two"]


def test_nul_runs_are_reported_once_with_the_real_parsers(craft: Any) -> None:
    raw = craft.ccm_bytes("a") + bytes(1000) + craft.ccm("b").encode() + b"\0\0"
    for name in ("smsts.log", "notes.txt"):
        items = list(read_source(source_of(raw, name)))
        nul = [w for w in warnings_of(items) if w.code is WarningCode.NUL_BYTES]
        assert [(w.line, w.offset) for w in nul] == [
            (2, raw.index(b"\0")),
            (3, len(raw) - 2),
        ]
        assert [r.message for r in records_of(items)] == ["a", "b"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le"])
@pytest.mark.parametrize(("preamble", "first"), [(0, 100), (0, 60_000), (20_000, 100)])
def test_a_log_that_shows_its_format_late_is_still_sniffed(
    tmp_path: Path, encoding: str, preamble: int, first: int
) -> None:
    # The head is first looked at in 16 KiB; a file that does not settle there (text
    # before the first record) is looked at further, as far as 64 KiB.
    from logscan.inputs.reader import inspect_head

    attrs = '<time="10:00:00.000+000" date="01-02-2024" component="PolicyAgent" '
    attrs += 'context="" type="1" thread="1" file="x.cpp:1">'
    junk = "copied from a console\r\n" * (preamble // 23)
    body = "".join(f"<![LOG[{m}]LOG]!>{attrs}\r\n" for m in ["p" * first, "next", "last"])
    path = tmp_path / "odd.txt"  # the name says nothing: only content can decide
    path.write_bytes(("\ufeff" + junk + body).encode(encoding))
    (source,) = list(discover([path]))
    assert inspect_head(source).format is LogFormat.CCM
    records = [r for r in read_source(source) if isinstance(r, LogRecord)]
    assert [r.message for r in records][-2:] == ["next", "last"]
