"""The certificate JSON a logscan collector writes (the raw Blobs, base64-encoded).

Format ``logscan-certs/1`` (UTF-8 JSON; a bare list of entries is accepted too)::

    {
      "format": "logscan-certs/1",
      "host": "PC01",                          # optional: computer name
      "store": "LocalMachine\\\\SMS",            # optional: informational
      "collected": "2011-03-15T19:02:11Z",     # optional: ISO time of collection
      "certificates": [
        {
          "thumbprint": "E2FEBF61...45CA",     # registry key name (40 hex digits)
          "blob_base64": "AwAAAAEAAAAUAAAA...", # the Blob value, base64 of the raw bytes
          "registry_key": "HKLM\\\\SOFTWARE\\\\...\\\\<thumbprint>"   # optional
        }
      ]
    }

Every Blob goes through the same element parser as a .reg export, so the friendly-name
bytes are exact. The shell-only collector writes a ``reg export`` instead; this format is for
collectors that can run a script (e.g. PowerShell 2.0 reading the ``Blob`` values).
"""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path
from typing import Any

from logscan.certs._text import line_of, read_text
from logscan.certs.blob import parse_blob
from logscan.certs.model import (
    CertInfo,
    CertProblem,
    CertReadResult,
    CertSourceKind,
    ProblemCode,
)
from logscan.errors import InputError, SourceLocation

FORMAT = "logscan-certs/1"


def read_collected(source: str, text: str) -> CertReadResult:
    """Certificates from collector JSON; ``InputError`` if it is not JSON."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg}", SourceLocation(source, exc.lineno, exc.colno)
        ) from exc
    problems: list[CertProblem] = []
    host = None
    entries: Any = data
    if isinstance(data, dict):
        if data.get("format") not in (None, FORMAT):
            problems.append(
                CertProblem(
                    SourceLocation(source, line_of(text, '"format"') or 1),
                    ProblemCode.BAD_HEADER,
                    f"format {data.get('format')!r}, this reader knows {FORMAT!r} (read anyway)",
                )
            )
        host = data.get("host") if isinstance(data.get("host"), str) else None
        entries = data.get("certificates", [])
    if not isinstance(entries, list):
        entries = []
        problems.append(
            CertProblem(SourceLocation(source, 1), ProblemCode.BAD_HEADER, "no certificates list")
        )
    certs: list[CertInfo] = []
    for index, entry in enumerate(entries):
        cert = _entry(source, text, index, entry, problems)
        if cert is not None:
            certs.append(cert)
    return CertReadResult(
        source, CertSourceKind.COLLECTED, tuple(certs), tuple(problems), (), host=host
    )


def _entry(
    source: str, text: str, index: int, entry: Any, problems: list[CertProblem]
) -> CertInfo | None:
    thumb = entry.get("thumbprint") if isinstance(entry, dict) else None
    encoded = entry.get("blob_base64") if isinstance(entry, dict) else None
    line = (line_of(text, thumb) if isinstance(thumb, str) and thumb else None) or 1
    loc = SourceLocation(source, line)
    if not isinstance(encoded, str):
        problems.append(
            CertProblem(loc, ProblemCode.BAD_VALUE, f"entry {index} has no blob_base64 string")
        )
        return None
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        problems.append(
            CertProblem(
                loc, ProblemCode.BAD_VALUE, f"entry {index}: blob_base64 is not base64: {exc}"
            )
        )
        return None
    cert, found = parse_blob(
        blob,
        location=loc,
        kind=CertSourceKind.COLLECTED,
        expected_thumbprint=thumb if isinstance(thumb, str) and thumb else None,
    )
    problems.extend(found)
    return cert


class CollectedSource:
    """A collector JSON file on disk."""

    kind = CertSourceKind.COLLECTED

    def __init__(self, path: str | Path, display: str | None = None) -> None:
        self.path = Path(path)
        self.display = display or str(path)

    def read(self) -> CertReadResult:
        return read_collected(self.display, read_text(self.path, self.display, "collector JSON"))


def write_collected(blobs: dict[str, bytes], host: str | None = None) -> str:
    """Collector JSON for thumbprint -> Blob (the inverse of ``read_collected``)."""
    doc: dict[str, Any] = {"format": FORMAT}
    if host is not None:
        doc["host"] = host
    doc["store"] = "LocalMachine\\SMS"
    doc["certificates"] = [
        {"thumbprint": thumb, "blob_base64": base64.b64encode(blob).decode("ascii")}
        for thumb, blob in blobs.items()
    ]
    return json.dumps(doc, indent=2)
