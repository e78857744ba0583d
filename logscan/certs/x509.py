"""Decoding of certificate DER (subject, issuer, serial, validity, EKUs) with ``cryptography``.

``cryptography`` is imported inside the function so that importing ``logscan.certs`` (and
``logscan --help``) stays light. A DER that does not decode is reported, never raised.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

SMS_SIGNING_EKU = "1.3.6.1.4.1.311.101"
SMS_ENCRYPTION_EKU = "1.3.6.1.4.1.311.101.2"


@dataclass(frozen=True, slots=True)
class X509Fields:
    """The parts of a certificate the checks look at."""

    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    ekus: tuple[str, ...]
    subject_cns: tuple[str, ...]


def thumbprint(der: bytes) -> str:
    """Upper-case hex SHA-1 of the DER: the registry key name and the Windows thumbprint."""
    return hashlib.sha1(der, usedforsecurity=False).hexdigest().upper()


def decode_der(der: bytes) -> X509Fields | str:
    """Fields of an X.509 DER certificate, or a one-line reason it could not be decoded."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        cert = x509.load_der_x509_certificate(der)
        subject = cert.subject.rfc4514_string()
        issuer = cert.issuer.rfc4514_string()
        cns = tuple(
            str(attr.value) for attr in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        )
        try:
            eku_ext = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
            ekus = tuple(oid.dotted_string for oid in eku_ext.value)
        except x509.ExtensionNotFound:
            ekus = ()
        return X509Fields(
            subject=subject,
            issuer=issuer,
            serial=f"{cert.serial_number:x}",
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            ekus=ekus,
            subject_cns=cns,
        )
    except Exception as exc:  # foreign bytes: any decoder complaint is a finding, not a crash
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"certificate DER does not decode: {reason[:160]}"
