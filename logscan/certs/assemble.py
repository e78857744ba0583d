"""Turning a certificate's DER and stored properties into a ``CertInfo`` (shared by all readers).

Checks that need both parts live here: SHA-1 of the DER against the registry key name and
against property 3, DER decoding, friendly-name analysis, KEY_PROV_INFO decoding. Each
anomaly is appended to the caller's problem list; nothing raises.
"""

from __future__ import annotations

from collections.abc import Sequence

from logscan.certs import props as P
from logscan.certs.model import (
    CertInfo,
    CertProblem,
    CertSourceKind,
    KeyProvInfo,
    ProblemCode,
)
from logscan.certs.x509 import decode_der, thumbprint
from logscan.errors import SourceLocation
from logscan.model import Level


def make_cert(
    der: bytes,
    properties: Sequence[tuple[int, bytes]],
    *,
    origin: SourceLocation,
    kind: CertSourceKind,
    problems: list[CertProblem],
    where: str = "",
    expected_thumbprint: str | None = None,
    key_provider: KeyProvInfo | None = None,
    has_private_key: bool | None = None,
) -> CertInfo:
    """A CertInfo from DER plus (property id, bytes) pairs in stored order.

    ``expected_thumbprint`` is the registry key name the Blob was found under.
    ``key_provider``/``has_private_key`` override what property 2 says (the live reader
    decodes the in-memory structure itself).
    """
    thumb = thumbprint(der)

    def problem(code: ProblemCode, message: str, severity: Level = Level.ERROR) -> None:
        problems.append(CertProblem(origin, code, message, severity, thumb, where))

    if expected_thumbprint is not None and expected_thumbprint.upper() != thumb:
        # Named by the key, as the user sees the entry in the registry.
        problems.append(
            CertProblem(
                origin,
                ProblemCode.THUMBPRINT_MISMATCH,
                f"key name {expected_thumbprint} is not the SHA-1 of the certificate ({thumb}); "
                "CryptoAPI ignores such an entry",
                Level.ERROR,
                expected_thumbprint.upper(),
                where,
            )
        )
    by_id: dict[int, bytes] = {}
    for prop_id, data in properties:
        by_id[prop_id] = data
    stored_hash = by_id.get(P.SHA1_HASH)
    if stored_hash is not None and stored_hash.hex().upper() != thumb:
        problem(
            ProblemCode.THUMBPRINT_MISMATCH,
            f"stored SHA-1 property {stored_hash.hex().upper()} differs from the certificate's "
            f"{thumb}",
            Level.WARNING,
        )
    fields = decode_der(der)
    if isinstance(fields, str):
        problem(ProblemCode.BAD_DER, fields)
        decoded = None
    else:
        decoded = fields
    friendly_raw = by_id.get(P.FRIENDLY_NAME)
    friendly = None if friendly_raw is None else P.analyze_friendly_name(friendly_raw)
    provider = key_provider
    prov_raw = by_id.get(P.KEY_PROV_INFO)
    if provider is None and prov_raw is not None:
        try:
            provider = P.parse_key_prov_info(prov_raw)
        except ValueError as exc:
            problem(ProblemCode.BAD_PROPERTY, f"KEY_PROV_INFO (2) is broken: {exc}", Level.WARNING)
    if has_private_key is None:
        has_private_key = prov_raw is not None or key_provider is not None
    return CertInfo(
        thumbprint=thumb,
        origin=origin,
        source_kind=kind,
        subject=decoded.subject if decoded else None,
        issuer=decoded.issuer if decoded else None,
        serial=decoded.serial if decoded else None,
        not_before=decoded.not_before if decoded else None,
        not_after=decoded.not_after if decoded else None,
        ekus=decoded.ekus if decoded else (),
        subject_cns=decoded.subject_cns if decoded else (),
        friendly=friendly,
        has_private_key=has_private_key,
        key_provider=provider,
        properties=tuple(prop_id for prop_id, _ in properties),
        der=der,
    )
