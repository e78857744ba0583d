"""What CCMCertFix.exe reported: its exit, its console output and its own log file.

The tool's log wording is not documented, so nothing here decides the outcome (reading
the store again does). The report keeps the log's last lines for the person and the
audit, picks out lines that say error/fail or carry an HRESULT, and the thumbprints the
tool mentions. CCM-format lines (``<![LOG[…]LOG]!>``) are reduced to their message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from logscan.inputs.stream import read_at_most
from logscan.repair.runner import RunResult, decode_output, tail

_KEEP = 40
_LOG_LIMIT = 4 << 20
_CCM = re.compile(r"<!\[LOG\[(?P<message>.*?)\]LOG\]!>", re.DOTALL)
_ERROR = re.compile(
    r"""
    \b(?:error|fail(?:ed|ure)?)\b   # the words tools use for failures
    | \b0x8[0-9a-f]{7}\b            # an HRESULT failure code
    """,
    re.IGNORECASE | re.VERBOSE,
)
_THUMB = re.compile(r"\b[0-9A-Fa-f]{40}\b")


@dataclass(frozen=True, slots=True)
class CertFixReport:
    """CCMCertFix's own account of the run."""

    exit: str
    log_path: str | None
    log_found: bool
    log_lines: tuple[str, ...]  # the last lines of its log
    error_lines: tuple[str, ...]
    thumbprints: tuple[str, ...]  # certificates its log mentions
    stdout: str
    stderr: str


def _messages(text: str) -> list[str]:
    if "<![LOG[" in text:
        return [m.group("message").strip() for m in _CCM.finditer(text)]
    return [line.strip() for line in text.splitlines() if line.strip()]


def read_certfix_report(result: RunResult, log_path: Path | None) -> CertFixReport:
    """The report for one run; the log is read if the tool wrote it."""
    text = ""
    found = False
    if log_path is not None:
        try:
            with log_path.open("rb") as fh:
                text = decode_output(read_at_most(fh, _LOG_LIMIT))
            found = True
        except OSError:
            found = False
    lines = _messages(text) + _messages(result.stdout) + _messages(result.stderr)
    thumbs = list(dict.fromkeys(m.group(0).upper() for m in _THUMB.finditer(text)))
    return CertFixReport(
        exit=result.describe(),
        log_path=None if log_path is None else str(log_path),
        log_found=found,
        log_lines=tuple(_messages(text)[-_KEEP:]),
        error_lines=tuple(line for line in lines if _ERROR.search(line))[-_KEEP:],
        thumbprints=tuple(thumbs),
        stdout=tail(result.stdout),
        stderr=tail(result.stderr),
    )
