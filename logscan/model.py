"""Cross-layer frozen dataclasses and enums: log records, parse warnings, log kinds.

Everything that crosses a layer boundary (inputs -> parsers -> engine -> diagnosis ->
surfaces) is one of these types, so the layers can be tested and replaced separately.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import IntEnum, StrEnum
from types import MappingProxyType

_EMPTY: Mapping[str, str] = MappingProxyType({})


class Level(IntEnum):
    """Severity, using the CCM ``type`` numbering so ``level >= Level.WARNING`` reads naturally.

    CCM type 0 (and an empty type) is verbose/debug output in task-sequence logs.
    """

    VERBOSE = 0
    INFO = 1
    WARNING = 2
    ERROR = 3


class LogFormat(StrEnum):
    """On-disk record grammar; each has exactly one parser module."""

    CCM = "ccm"  # <![LOG[...]LOG]!><time=... >
    SMSTRACE = "smstrace"  # legacy "simple" SMS trace: message  $$<Comp><stamp><thread=...>
    USMT = "usmt"  # ScanState/LoadState/UsmtUtils
    USMT_PROGRESS = "usmt_progress"  # /progress: log
    CMTRACE_COPY = "cmtrace_copy"  # CMTrace clipboard text pasted into tickets and KBs
    PLAIN = "plain"  # anything else: one record per line


class LogKind(StrEnum):
    """Which log a file is (what rules target), independent of its grammar."""

    CCMEXEC = "ccmexec"
    SMSTS = "smsts"
    SCANSTATE = "scanstate"
    LOADSTATE = "loadstate"
    USMTUTILS = "usmtutils"
    USMT_PROGRESS = "usmt_progress"
    CCMSETUP = "ccmsetup"
    CCMCERTFIX = "ccmcertfix"
    CCM_OTHER = "ccm_other"  # any other CCM- or legacy-format ConfigMgr log
    OTHER = "other"  # text we could not attribute (pasted tickets, unknown logs)


class RecordFlag(StrEnum):
    """Anomalies a record survived; the record is still usable."""

    TRUNCATED = "truncated"  # torn write: the start of the message was lost
    UNCLOSED = "unclosed"  # record never closed (end of file or next record started)
    MULTILINE = "multiline"  # message holds line breaks
    MANAGED = "managed"  # legacy trace line ended with the ~~ managed-code marker
    ROLLOVER = "rollover"  # <MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>
    RUN_START = "run_start"  # USMT "USMT Started at" begins a new run
    BAD_TIME = "bad_time"  # timestamp present but unusable
    UNDECODABLE = "undecodable"  # bytes were not valid in the file's encoding (replaced)
    OVERSIZE = "oversize"  # cut at the size cap
    STRAY = "stray"  # text between records that belongs to none, kept so nothing is hidden


class WarningCode(StrEnum):
    """Closed set of parse/input anomalies, stable for machine output and tests."""

    TORN_RECORD = "torn_record"
    UNCLOSED_RECORD = "unclosed_record"
    BAD_ATTRIBUTE = "bad_attribute"
    UNKNOWN_ATTRIBUTE = "unknown_attribute"
    BAD_TIMESTAMP = "bad_timestamp"
    BAD_BIAS = "bad_bias"
    BAD_LEVEL = "bad_level"
    BAD_THREAD = "bad_thread"
    STRAY_TEXT = "stray_text"  # text between records that belongs to none
    DECODE_ERROR = "decode_error"
    NUL_BYTES = "nul_bytes"
    BINARY_CONTENT = "binary_content"
    OVERSIZE_RECORD = "oversize_record"
    ODD_UTF16_LENGTH = "odd_utf16_length"
    EMPTY_FILE = "empty_file"
    MIXED_FORMATS = "mixed_formats"
    UNREADABLE = "unreadable"
    BAD_KEY = "bad_key"  # registry export: malformed or unexpected [key] line
    BAD_VALUE = "bad_value"  # registry export: value line that cannot be decoded as written
    WRONG_ENCODING = "wrong_encoding"  # file encoding differs from what its format requires


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One log record with everything needed to cite it and re-read its raw bytes.

    ``offset``/``length`` are byte positions in the original file (after any BOM, in the
    file's own encoding), so a viewer can re-read exactly what was on disk.
    ``utc`` is ``local + bias minutes`` when the bias is known (CCM and legacy trace),
    the ISO offset applied for the USMT progress log, else None.
    """

    source: str
    line: int
    offset: int
    length: int
    local_time: datetime | None
    bias: int | None
    level: Level
    component: str
    thread: int | None
    message: str
    format: LogFormat
    flags: frozenset[RecordFlag] = frozenset()
    extras: Mapping[str, str] = field(default_factory=lambda: _EMPTY, compare=False)

    @property
    def utc(self) -> datetime | None:
        """``local_time + bias`` minutes, in UTC; None when either is unknown.

        Derived, not stored: every format that knows its zone expresses it as a bias
        (the USMT progress log's ISO offset is stored as its negation), and building the
        aware datetime only when asked saves a tenth of the CCM parse time."""
        if self.local_time is None or self.bias is None:
            return None
        return self.local_time.replace(tzinfo=UTC) + timedelta(minutes=self.bias)


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """An anomaly in the content of one file, located by line (and byte offset)."""

    source: str
    line: int
    offset: int
    code: WarningCode
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message} [{self.code.value}]"
