"""The evidence collector for clients that cannot run logscan, and ``write_collector``.

``collect_logscan.cmd`` (package data) is a cmd.exe batch script for Windows XP, Vista,
7 and WinPE: it copies every CCM, smsts and USMT log folder, exports the SMS certificate
store and client keys with reg.exe, captures systeminfo and wmic qfe, and writes a
``manifest.txt``, all into ``<out>\\<COMPUTERNAME>\\``. ``logscan.facts.bundle`` reads what
it produces. The script is kept in the package byte for byte; ``write_collector`` copies
it out with CRLF line ends, which cmd.exe needs.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from logscan.errors import InputError, SourceLocation, UsageError

SCRIPT_NAME = "collect_logscan.cmd"
_VERSION = re.compile(rb'^set "LS_VERSION=([^"]+)"\r?$', re.MULTILINE)

__all__ = ["SCRIPT_NAME", "collector_version", "script_bytes", "write_collector"]


def script_bytes() -> bytes:
    """The collector script, with CRLF line ends whatever git did to the checkout."""
    raw = resources.files(__name__).joinpath(SCRIPT_NAME).read_bytes()
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def collector_version() -> str:
    """The version the script writes into every manifest (``collector_version=``)."""
    m = _VERSION.search(script_bytes())
    return m.group(1).decode("ascii") if m else "unknown"


def write_collector(directory: str | Path, *, force: bool = False) -> Path:
    """Write ``collect_logscan.cmd`` into ``directory`` (created if needed); return its path.

    Raises ``UsageError`` when the script is already there and ``force`` is not set, and
    ``InputError`` when the folder cannot be created or written.
    """
    folder = Path(directory)
    target = folder / SCRIPT_NAME
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            "not a folder; give the folder to write the script into", SourceLocation(str(folder))
        )
    if target.exists() and not force:
        raise UsageError(
            "the collector script is already there; use --force to overwrite it",
            SourceLocation(str(target)),
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_bytes(script_bytes())
    except OSError as exc:
        raise InputError(
            f"cannot write the collector script: {exc.strerror or exc}",
            SourceLocation(str(target)),
        ) from exc
    return target
