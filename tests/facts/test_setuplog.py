"""ccmsetup facts from the records around the fact wordings equal a full parse's."""

from __future__ import annotations

from pathlib import Path

import pytest

from logscan.facts.loglines import facts_from_records
from logscan.facts.model import Fact
from logscan.facts.setuplog import setup_log_facts
from logscan.inputs.discover import FileOpener
from logscan.inputs.reader import read_source
from logscan.inputs.source import LogSource
from logscan.model import LogKind


def _source(path: Path) -> LogSource:
    size = path.stat().st_size
    return LogSource(
        path.name, path.name, LogKind.CCMSETUP, size, path.name, 0, FileOpener(str(path))
    )


def _line(message: str, n: int) -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="10:20:{n % 60:02d}.476+300" date="03-01-2011" '
        f'component="ccmsetup" context="" type="1" thread="2408" file="x.cpp:{n}">\r\n'
    )


def _full(path: Path) -> tuple[Fact, ...]:
    return facts_from_records(read_source(_source(path)))


def test_the_real_ccmsetup_log_gives_the_same_facts(real_logs: Path) -> None:
    path = real_logs / "cb-client_ccmsetup.log"
    full = _full(path)
    assert full  # the sample states the ccmsetup version and the OS
    assert setup_log_facts(_source(path)) == full


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_facts_far_apart_in_a_long_log_keep_their_lines_and_order(
    tmp_path: Path, encoding: str
) -> None:
    lines = [_line(f"filler message {i} with nothing to say", i) for i in range(3000)]
    lines[10] = _line("CcmSetup version: 5.0.7958.1000", 10)
    lines[1500] = _line("Client OS Version 6.1 Service Pack 1.0", 1500)
    lines[1501] = _line("SiteVersion:      4.00.6487.2000", 1501)
    lines[2990] = _line(
        'MSI PROPERTIES are PATCH="C:\\Temp\\configmgr2007-client-kb977203-x86.msp"', 2990
    )
    lines[2991] = _line("Retrived site version '4.00.6487.2000'", 2991)
    path = tmp_path / "ccmsetup.log"
    path.write_text("".join(lines), encoding=encoding, newline="")
    full = _full(path)
    assert len(full) == 6
    got = setup_log_facts(_source(path))
    assert got == full
    assert [f.source for f in got] == [f.source for f in full]


def test_a_log_without_any_fact_wording_gives_none(tmp_path: Path) -> None:
    path = tmp_path / "ccmsetup.log"
    path.write_text("".join(_line(f"message {i}", i) for i in range(50)), newline="")
    assert setup_log_facts(_source(path)) == () == _full(path)
