"""Helpers for the viewer tests: open one file as an index, parse it in full, and build
logs of every format with the anomalies real logs have (torn, unclosed, stray, NULs,
multi-line, bad stamps, USMT runs and Version lines, legacy continuations)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from logscan.inputs.discover import discover
from logscan.inputs.reader import read_source
from logscan.inputs.source import LogSource
from logscan.model import LogRecord
from logscan.viewer.index import LogIndex


def source_of(path: Path) -> LogSource:
    found = [s for s in discover([path]) if isinstance(s, LogSource)]
    assert len(found) == 1, found
    return found[0]


def full_parse(path: Path) -> list[LogRecord]:
    """The records of a whole-file parse through the input layer (the reference)."""
    return [r for r in read_source(source_of(path)) if isinstance(r, LogRecord)]


def built(path: Path) -> LogIndex:
    index = LogIndex(source_of(path))
    index.build()
    assert index.done
    return index


def full(records: list[LogRecord]) -> list[tuple[Any, ...]]:
    """Records with their extras (LogRecord equality leaves extras out)."""
    return [(r, dict(r.extras)) for r in records]


def ccm(message: str, *, type_: int = 1, component: str = "TSManager", ms: int = 476) -> str:
    return (
        f'<![LOG[{message}]LOG]!><time="10:20:57.{ms:03d}+240" date="10-18-2019" '
        f'component="{component}" context="" type="{type_}" thread="2408" file="e.cxx:1">\r\n'
    )


_CCM = [
    ccm("message {n}", type_=1),
    ccm("Error {n} (0x80092024)", type_=3, component="OSDSMPClient"),
    ccm("warning {n}", type_=2, component="CcmExec"),
    ccm("multi\r\nline\n{n}", type_=0),
    ']LOG]!><time="10:20:57.476+240" date="10-18-2019" component="Torn" context="" '
    'type="2" thread="1" file="x">\r\n',
    "<![LOG[unclosed {n}\r\n",
    "stray text {n}\r\n",
    "   indented stray {n}\r\n",
    "\x00\x00\x00\x00",
    '<![LOG[bad stamp]LOG]!><time="25:61:61.000+0" date="13-45-2019" component="B" '
    'context="" type="1" thread="" file="">\r\n',
    ccm("café ñ {n}", component="Ünï"),
    '<![LOG[reordered]LOG]!><time="1:2:3" date="1-2-2019" thread="5" type="3" component="R">\n',
]
_USMT = [
    "2011-03-15 14:02:{s:02d}, Info                  [0x000000] info {n}\r\n",
    "2011-03-15 14:02:{s:02d}, Error                 [0x080000] failed {n}[gle=0x00000002]\r\n",
    "continuation {n}\r\n",
    "\r\n",
    "   indented continuation\r\n",
    "SCANSTATE.EXE Version 6.1.7601.0\r\n",
    "2011-03-15 14:02:{s:02d}, Info                  [0x000000] USMT Started at 2011/03/15\r\n",
    "2011-03-15 14:02:{s:02d}, Info                  [0x000000] LOADSTATE.EXE Version 10.0\r\n",
    "Error  [0x0802e9] stampless {n}\r\n",
    "2011-13-45 99:02:11, Info [0x0] impossible stamp\r\n",
    "2011-03-15 14:02:11, Bogus [0x0] unknown level\r\n",
]
_LEGACY = [
    "msg {n}  $$<SMS_X><03-15-2011 14:02:11.123+300><thread=4120 (0x1018)>\r\n",
    "pending line {n}\r\n",
    "\r\n",
    "~generation one {n}\r\n",
    "Starting~~  $$<SMS_Y><03-15-2011 14:02:12.123+300><thread=1 (0x1)>\r\n",
    "<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n",
    "bad trailer $$<garbage>\r\n",
    "failed here  $$<C><Fri Mar 26 10:43:41.547 1999 Eastern Standard Time><thread=1 (0x1)>\n",
]
_PLAIN = [
    "text {n}\n",
    "\n",
    "error {n}\r\n",
    "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\n",
    "warn\r",
]

KINDS = {
    "ccm": (_CCM, "CcmExec.log"),
    "usmt": (_USMT, "scanstate.log"),
    "legacy": (_LEGACY, "smsdbmon.log"),
    "plain": (_PLAIN, "notes.log"),
}
ENCODINGS = ("utf-8-sig", "utf-8", "utf-16-le", "utf-16-be", "cp1252")
_BOMS = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}


def damaged_log(rng: random.Random, kind: str, pieces: int, encoding: str) -> bytes:
    """A log of ``kind`` made of random pieces (good records and damage), encoded."""
    parts, _ = KINDS[kind]
    text = "".join(rng.choice(parts).format(n=k, s=k % 60) for k in range(pieces))
    if rng.random() < 0.3:  # a torn end: the writer died mid-record
        text = text[: rng.randrange(len(text) + 1)]
    if encoding == "cp1252":
        return text.encode(encoding, "replace")
    return _BOMS.get(encoding, b"") + text.encode(encoding)
