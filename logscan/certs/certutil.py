"""Inventory from ``certutil -store SMS`` / ``certutil -v -store SMS`` text output.

certutil prints the friendly name as text that ends at the first NUL, so this source can
list certificates (thumbprint, names, dates, key) but never prove a name clean or defective;
the result says so in its limitations. Dates are local time in an unknown zone and in the
writer's locale; English month/day/year forms are read, others are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from logscan.certs._text import read_text
from logscan.certs.model import (
    CertInfo,
    CertProblem,
    CertReadResult,
    CertSourceKind,
    FriendlyFidelity,
    KeyProvInfo,
    ProblemCode,
    StoreState,
)
from logscan.certs.props import friendly_from_text
from logscan.errors import SourceLocation
from logscan.model import Level

LIMITATION = (
    "certutil output hides the NUL: friendly names are cut at the first NUL, so this is an "
    "inventory only; read the registry Blob (reg export) to detect KB977203"
)
_BANNER = re.compile(r"^=+\s*Certificate\s+(\d+)\s*=+\s*$")
_FIELD = re.compile(
    r"^\s*(Serial Number|Issuer|Subject|NotBefore|NotAfter|Cert Hash\(sha1\)):\s*(.*)$"
)
_OID = re.compile(r"\((\d+(?:\.\d+){2,})\)|^\s*(\d+(?:\.\d+){2,})\s*$")
_DATE_FORMATS = ("%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S")


@dataclass
class _Block:
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    friendly: str | None = None
    ekus: list[str] = field(default_factory=list)
    container: str | None = None
    provider: str | None = None
    no_key: bool = False


def _date(text: str) -> datetime | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _indented_after(lines: list[str], i: int) -> str:
    """Join the indented continuation lines after a ``Label:`` line (verbose layout)."""
    parts: list[str] = []
    for line in lines[i + 1 :]:
        if not line.strip() or not line.startswith((" ", "\t")):
            break
        parts.append(line.strip())
    return ", ".join(parts)


def _blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    in_eku = False
    for i, line in enumerate(lines):
        if _BANNER.match(line):
            blocks.append(_Block(i + 1))
            in_eku = False
            continue
        if not blocks:
            continue
        block = blocks[-1]
        match = _FIELD.match(line)
        if match:
            label, value = match.group(1), match.group(2).strip()
            block.fields.setdefault(label, value or _indented_after(lines, i))
            continue
        stripped = line.strip()
        if stripped.startswith(("CERT_FRIENDLY_NAME_PROP_ID(11):", "Friendly Name:")):
            rest = stripped.split(":", 1)[1].strip()
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            block.friendly = rest or nxt.strip()
        elif "Enhanced Key Usage" in stripped or stripped.startswith("CERT_ENHKEY_USAGE_PROP_ID"):
            in_eku = True
        elif in_eku:
            oid = _OID.search(stripped)
            if oid:
                block.ekus.append(oid.group(1) or oid.group(2))
            elif not stripped or not line.startswith((" ", "\t")):
                in_eku = False
        if stripped.startswith("Key Container ="):
            block.container = stripped.split("=", 1)[1].strip()
        elif stripped.startswith("Provider ="):
            block.provider = stripped.split("=", 1)[1].strip()
        elif "Missing stored keyset" in stripped:
            block.no_key = True
    return blocks


def read_certutil(source: str, text: str) -> CertReadResult:
    """Inventory from certutil text (problems for blocks without a usable hash)."""
    lines = text.splitlines()
    problems: list[CertProblem] = []
    failed = next((ln for ln in lines if "-store command FAILED" in ln), None)
    certs = [c for b in _blocks(lines) if (c := _cert(source, b, problems)) is not None]
    store = StoreState.FOUND
    if failed is not None and not certs:
        store = StoreState.MISSING if "0x80070002" in failed else StoreState.UNREADABLE
        problems.append(
            CertProblem(
                SourceLocation(source, lines.index(failed) + 1),
                ProblemCode.NO_STORE if store is StoreState.MISSING else ProblemCode.API_ERROR,
                failed.strip(),
            )
        )
    return CertReadResult(
        source, CertSourceKind.CERTUTIL, tuple(certs), tuple(problems), (LIMITATION,), store
    )


def _cert(source: str, block: _Block, problems: list[CertProblem]) -> CertInfo | None:
    loc = SourceLocation(source, block.line)
    digest = re.sub(r"\s+", "", block.fields.get("Cert Hash(sha1)", "")).upper()
    if not re.fullmatch(r"[0-9A-F]{40}", digest):
        problems.append(
            CertProblem(
                loc, ProblemCode.BAD_VALUE, "certificate block without a usable Cert Hash(sha1)"
            )
        )
        return None
    dates = {}
    for label in ("NotBefore", "NotAfter"):
        raw = block.fields.get(label)
        dates[label] = _date(raw) if raw else None
        if raw and dates[label] is None:
            problems.append(
                CertProblem(
                    loc,
                    ProblemCode.BAD_VALUE,
                    f"{label} {raw!r} is not in a known date format (locale?)",
                    Level.WARNING,
                    digest,
                )
            )
    subject = block.fields.get("Subject")
    provider = None
    if block.container or block.provider:
        provider = KeyProvInfo(block.container, block.provider, 0, 0, 0)
    return CertInfo(
        thumbprint=digest,
        origin=loc,
        source_kind=CertSourceKind.CERTUTIL,
        subject=subject,
        issuer=block.fields.get("Issuer"),
        serial=block.fields.get("Serial Number", "").replace(" ", "").lower() or None,
        not_before=dates["NotBefore"],
        not_after=dates["NotAfter"],
        ekus=tuple(block.ekus),
        subject_cns=tuple(re.findall(r"CN=([^,]*)", subject or "")),
        friendly=(
            friendly_from_text(block.friendly, FriendlyFidelity.CUT_AT_NUL)
            if block.friendly is not None
            else None
        ),
        has_private_key=False if block.no_key else (True if provider else None),
        key_provider=provider,
    )


class CertutilSource:
    """A saved certutil output file."""

    kind = CertSourceKind.CERTUTIL

    def __init__(self, path: str | Path, display: str | None = None) -> None:
        self.path = Path(path)
        self.display = display or str(path)

    def read(self) -> CertReadResult:
        return read_certutil(self.display, read_text(self.path, self.display, "certutil output"))
