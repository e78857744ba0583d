"""Checks over one read store: the KB977203 embedded NUL and the other things that go wrong.

Pure functions of a ``CertReadResult``, the current time and the host name (both passed
in: the clock is a seam). The client certificates are recognised by friendly name or by
their EKU, never by subject order. A source that cannot show NULs (certutil, Windows
PowerShell) gets one ``nul_not_visible`` note instead of a false all-clear.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from logscan.certs.model import (
    CertInfo,
    CertReadResult,
    FriendlyFidelity,
    FriendlyName,
    StoreState,
)
from logscan.certs.x509 import SMS_ENCRYPTION_EKU, SMS_SIGNING_EKU
from logscan.errors import SourceLocation
from logscan.model import Level

SIGNING_NAME = "SMS Signing Certificate"
ENCRYPTION_NAME = "SMS Encryption Certificate"


class CheckId(StrEnum):
    """Closed set of certificate checks, stable for machine output."""

    EMBEDDED_NUL = "embedded_nul"  # KB977203: a NUL before the final terminator
    NUL_NOT_VISIBLE = "nul_not_visible"  # the source hides NULs: no verdict on names
    MALFORMED_FRIENDLY_NAME = "malformed_friendly_name"  # odd length, no terminator, empty
    MISSING_SIGNING = "missing_signing"
    MISSING_ENCRYPTION = "missing_encryption"
    DUPLICATE = "duplicate"  # the same certificate listed twice in one source
    DUPLICATE_ROLE = "duplicate_role"  # more than one signing / encryption certificate
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    HOST_MISMATCH = "host_mismatch"  # subject CN names another machine (cloned image)
    NO_STORE = "no_store"


class Role(StrEnum):
    SIGNING = "signing"
    ENCRYPTION = "encryption"


@dataclass(frozen=True, slots=True)
class CertFinding:
    """One check result about one certificate (or the store when ``thumbprint`` is None)."""

    check: CheckId
    severity: Level
    thumbprint: str | None
    message: str
    evidence: str
    origin: SourceLocation | None


def role_of(cert: CertInfo) -> Role | None:
    """Signing or encryption client certificate, by friendly name or EKU."""
    display = cert.friendly.display if cert.friendly else ""
    if display == SIGNING_NAME or (
        SMS_SIGNING_EKU in cert.ekus and SMS_ENCRYPTION_EKU not in cert.ekus
    ):
        return Role.SIGNING
    if display == ENCRYPTION_NAME or SMS_ENCRYPTION_EKU in cert.ekus:
        return Role.ENCRYPTION
    return None


def nul_evidence(name: FriendlyName) -> str:
    """Human evidence: the name with ␀ marks, sizes, positions, and the raw tail bytes."""
    positions = ", ".join(str(p) for p in name.nul_positions)
    tail = name.raw[-8:].hex(" ")
    term = "terminated" if name.terminated else "NOT terminated"
    return (
        f'friendly name "{name.visible}" ({len(name.raw)} bytes, {name.units} UTF-16 units, '
        f"{term}); NUL at unit {positions} before the terminator; last bytes: {tail}"
    )


def _name_findings(cert: CertInfo, name: FriendlyName) -> list[CertFinding]:
    out: list[CertFinding] = []
    if name.has_embedded_nul and name.fidelity is not FriendlyFidelity.CUT_AT_NUL:
        seen = "" if name.fidelity is FriendlyFidelity.EXACT else " (as shown by PowerShell 7)"
        out.append(
            CertFinding(
                CheckId.EMBEDDED_NUL,
                Level.ERROR,
                cert.thumbprint,
                f"friendly name has an embedded NUL{seen}: CryptoAPI with KB974571 rejects "
                "this certificate on import (0x80092024, KB977203); fix with CCMCertFix.exe",
                nul_evidence(name),
                cert.origin,
            )
        )
    if name.fidelity is not FriendlyFidelity.EXACT:
        return out
    broken = []
    if not name.raw:
        broken.append("empty")
    if name.odd_length:
        broken.append(f"odd byte count {len(name.raw)}")
    if name.raw and not name.terminated:
        broken.append("no NUL terminator")
    if broken:
        out.append(
            CertFinding(
                CheckId.MALFORMED_FRIENDLY_NAME,
                Level.WARNING,
                cert.thumbprint,
                f"friendly name is malformed: {', '.join(broken)}",
                f'"{name.visible}" raw {name.raw[:64].hex(" ")}',
                cert.origin,
            )
        )
    return out


def _validity(cert: CertInfo, now: datetime) -> list[CertFinding]:
    if cert.not_after is not None and cert.not_after < now:
        return [
            CertFinding(
                CheckId.EXPIRED,
                Level.WARNING,
                cert.thumbprint,
                f"certificate expired on {cert.not_after:%Y-%m-%d %H:%M} UTC",
                f"NotAfter {cert.not_after.isoformat()} < now {now.isoformat()}",
                cert.origin,
            )
        ]
    if cert.not_before is not None and cert.not_before > now:
        return [
            CertFinding(
                CheckId.NOT_YET_VALID,
                Level.WARNING,
                cert.thumbprint,
                f"certificate is not valid before {cert.not_before:%Y-%m-%d %H:%M} UTC "
                "(clock wrong?)",
                f"NotBefore {cert.not_before.isoformat()} > now {now.isoformat()}",
                cert.origin,
            )
        ]
    return []


def _host(cert: CertInfo, host: str) -> list[CertFinding]:
    short = host.split(".", 1)[0].casefold()
    names = [cn for cn in cert.subject_cns if cn.casefold() != "sms"]
    if not names or any(cn.split(".", 1)[0].casefold() == short for cn in names):
        return []
    return [
        CertFinding(
            CheckId.HOST_MISMATCH,
            Level.WARNING,
            cert.thumbprint,
            f"subject names {', '.join(names)}, not this host {host} (cloned image?)",
            f"subject {cert.subject}",
            cert.origin,
        )
    ]


def _store_findings(result: CertReadResult, roles: Counter[Role]) -> list[CertFinding]:
    loc = SourceLocation(result.source)
    out: list[CertFinding] = []
    for role, check in (
        (Role.SIGNING, CheckId.MISSING_SIGNING),
        (Role.ENCRYPTION, CheckId.MISSING_ENCRYPTION),
    ):
        name = SIGNING_NAME if role is Role.SIGNING else ENCRYPTION_NAME
        if roles[role] == 0:
            out.append(CertFinding(check, Level.WARNING, None, f"no {name} in the store", "", loc))
        elif roles[role] > 1:
            out.append(
                CertFinding(
                    CheckId.DUPLICATE_ROLE,
                    Level.WARNING,
                    None,
                    f"{roles[role]} certificates act as {name}",
                    "",
                    loc,
                )
            )
    return out


def check_result(
    result: CertReadResult, *, now: datetime, host: str | None = None
) -> list[CertFinding]:
    """Every finding for one source. ``now`` must be timezone-aware."""
    if result.store is StoreState.MISSING:
        return [
            CertFinding(
                CheckId.NO_STORE,
                Level.INFO,
                None,
                "no SMS certificate store in this source",
                "",
                SourceLocation(result.source),
            )
        ]
    findings: list[CertFinding] = []
    counts = Counter(c.thumbprint for c in result.certs)
    roles: Counter[Role] = Counter()
    reported: set[str] = set()
    hidden = False
    for cert in result.certs:
        if counts[cert.thumbprint] > 1 and cert.thumbprint not in reported:
            reported.add(cert.thumbprint)
            findings.append(
                CertFinding(
                    CheckId.DUPLICATE,
                    Level.WARNING,
                    cert.thumbprint,
                    f"listed {counts[cert.thumbprint]} times in this source",
                    "",
                    cert.origin,
                )
            )
        elif cert.thumbprint in reported:
            continue
        role = role_of(cert)
        if role is not None:
            roles[role] += 1
        if cert.friendly is not None:
            findings += _name_findings(cert, cert.friendly)
            hidden |= cert.friendly.fidelity is FriendlyFidelity.CUT_AT_NUL
        findings += _validity(cert, now)
        if host and role is not None:
            findings += _host(cert, host)
    if hidden:
        findings.append(
            CertFinding(
                CheckId.NUL_NOT_VISIBLE,
                Level.INFO,
                None,
                "this source cuts friendly names at the first NUL: it cannot show whether "
                "KB977203 applies; read the registry Blob (reg export) instead",
                "; ".join(result.limitations),
                SourceLocation(result.source),
            )
        )
    if result.store is StoreState.FOUND:
        findings += _store_findings(result, roles)
    return findings


def has_kb977203(findings: Iterable[CertFinding]) -> bool:
    """Whether any finding is the KB977203 condition (an embedded NUL)."""
    return any(f.check is CheckId.EMBEDDED_NUL for f in findings)
