"""The SMS store as PowerShell JSON: ``Get-ChildItem Cert:\\LocalMachine\\SMS | ConvertTo-Json``.

What the text can prove depends on the PowerShell that wrote it (reference §6.3):
PowerShell 7 drops only the final UTF-16 unit of the friendly name, so an embedded NUL
shows as ``\\u0000``; Windows PowerShell 5.1 cuts the name at the first NUL, hiding the
defect. The writer is recognised by its date format (``/Date(ms)/`` = 5.1, ISO = 7) or by a
NUL in a name. With ``RawData`` in the JSON the certificate itself is decoded too.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from logscan.certs._text import line_of, read_text
from logscan.certs.assemble import make_cert
from logscan.certs.model import (
    CertInfo,
    CertProblem,
    CertReadResult,
    CertSourceKind,
    FriendlyFidelity,
    ProblemCode,
)
from logscan.certs.props import friendly_from_text
from logscan.errors import InputError, SourceLocation
from logscan.model import Level

_MS_DATE = re.compile(r"/Date\((-?\d+)(?:[+-]\d{4})?\)/")
LIMIT_PS51 = (
    "Windows PowerShell 5.1 JSON cuts friendly names at the first NUL: embedded NULs are "
    "invisible here (inventory only); read the registry Blob instead"
)
LIMIT_PS7 = (
    "PowerShell 7 JSON drops the final UTF-16 unit of each friendly name: embedded NULs show, "
    "but a missing terminator cannot be told apart"
)
LIMIT_UNKNOWN = (
    "the PowerShell version that wrote this JSON is unknown (no dates, no NUL): a clean-looking "
    "friendly name does not prove the stored bytes are clean"
)


def _date(value: Any) -> tuple[datetime | None, str]:
    """(UTC datetime, writer) where writer is 'ps51', 'ps7' or '' for a JSON date field."""
    if isinstance(value, dict):
        value = value.get("value", value.get("DateTime"))
    if not isinstance(value, str):
        return None, ""
    match = _MS_DATE.fullmatch(value.strip())
    if match:
        return datetime.fromtimestamp(int(match.group(1)) / 1000, UTC), "ps51"
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None, ""
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC), "ps7"


def _raw_data(value: Any) -> bytes | None:
    if isinstance(value, list) and all(isinstance(b, int) and 0 <= b < 256 for b in value):
        return bytes(value)
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return None
    return None


def _ekus(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    out = [item.get("ObjectId") for item in value if isinstance(item, dict)]
    return tuple(str(oid) for oid in out if oid)


def _items(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return [data]
    return data if isinstance(data, list) else []


def read_pwsh_json(source: str, text: str) -> CertReadResult:
    """Certificates from PowerShell JSON text; ``InputError`` if it is not JSON at all."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg}", SourceLocation(source, exc.lineno, exc.colno)
        ) from exc
    items = _items(data)
    problems: list[CertProblem] = []
    dates = [
        _date(item.get(k))[1]
        for item in items
        if isinstance(item, dict)
        for k in ("NotAfter", "NotBefore")
    ]
    names = [item.get("FriendlyName") for item in items if isinstance(item, dict)]
    if "ps7" in dates or any(isinstance(n, str) and "\0" in n for n in names):
        fidelity, limit = FriendlyFidelity.LAST_UNIT_DROPPED, LIMIT_PS7
    elif "ps51" in dates:
        fidelity, limit = FriendlyFidelity.CUT_AT_NUL, LIMIT_PS51
    else:
        fidelity, limit = FriendlyFidelity.CUT_AT_NUL, LIMIT_UNKNOWN
    certs = [
        cert
        for index, item in enumerate(items)
        if (
            cert := _cert(
                source, text=text, index=index, item=item, fidelity=fidelity, problems=problems
            )
        )
        is not None
    ]
    if not isinstance(data, (list, dict)):
        problems.append(
            CertProblem(
                SourceLocation(source, 1), ProblemCode.BAD_HEADER, "JSON is not a list or object"
            )
        )
    return CertReadResult(source, CertSourceKind.PWSH_JSON, tuple(certs), tuple(problems), (limit,))


def _cert(
    source: str,
    *,
    text: str,
    index: int,
    item: Any,
    fidelity: FriendlyFidelity,
    problems: list[CertProblem],
) -> CertInfo | None:
    thumb = item.get("Thumbprint") if isinstance(item, dict) else None
    if not isinstance(thumb, str) or not re.fullmatch(r"[0-9A-Fa-f]{40}", thumb):
        problems.append(
            CertProblem(
                SourceLocation(source, 1),
                ProblemCode.BAD_VALUE,
                f"entry {index} has no 40-digit Thumbprint",
            )
        )
        return None
    thumb = thumb.upper()
    origin = SourceLocation(source, line_of(text, thumb))
    name = item.get("FriendlyName")
    friendly = friendly_from_text(name, fidelity) if isinstance(name, str) else None
    der = _raw_data(item.get("RawData"))
    if der is not None:
        found: list[CertProblem] = []
        cert = make_cert(der, [], origin=origin, kind=CertSourceKind.PWSH_JSON, problems=found)
        problems.extend(found)
        if cert.thumbprint != thumb:
            problems.append(
                CertProblem(
                    origin,
                    ProblemCode.THUMBPRINT_MISMATCH,
                    f"Thumbprint {thumb} is not the SHA-1 of RawData ({cert.thumbprint})",
                    Level.ERROR,
                    thumb,
                )
            )
        has_key = item.get("HasPrivateKey")
        return _with(cert, friendly, has_key if isinstance(has_key, bool) else None)
    has_key = item.get("HasPrivateKey")
    return CertInfo(
        thumbprint=thumb,
        origin=origin,
        source_kind=CertSourceKind.PWSH_JSON,
        subject=item.get("Subject") if isinstance(item.get("Subject"), str) else None,
        issuer=item.get("Issuer") if isinstance(item.get("Issuer"), str) else None,
        serial=str(item["SerialNumber"]).lower() if item.get("SerialNumber") else None,
        not_before=_date(item.get("NotBefore"))[0],
        not_after=_date(item.get("NotAfter"))[0],
        ekus=_ekus(item.get("EnhancedKeyUsageList")),
        subject_cns=tuple(re.findall(r"(?:^|,)\s*CN=([^,]*)", item.get("Subject") or "")),
        friendly=friendly,
        has_private_key=has_key if isinstance(has_key, bool) else None,
    )


def _with(cert: CertInfo, friendly: Any, has_key: bool | None) -> CertInfo:
    from dataclasses import replace

    return replace(cert, friendly=friendly, has_private_key=has_key)


class PwshJsonSource:
    """A PowerShell JSON file on disk."""

    kind = CertSourceKind.PWSH_JSON

    def __init__(self, path: str | Path, display: str | None = None) -> None:
        self.path = Path(path)
        self.display = display or str(path)

    def read(self) -> CertReadResult:
        return read_pwsh_json(self.display, read_text(self.path, self.display, "PowerShell JSON"))
