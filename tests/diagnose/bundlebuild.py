"""Builders for crafted host bundles: an SMS store export with chosen friendly names and
creation dates, and CCM log lines in the shape the rules expect."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from logscan.certs import props as P
from logscan.certs.blob import build_blob
from logscan.certs.x509 import SMS_ENCRYPTION_EKU, SMS_SIGNING_EKU
from logscan.inputs.regfile import RegKey, RegType, RegValue, format_reg_file

STORE = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\SMS"


@lru_cache(maxsize=1)
def _key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def _der(host: str, eku: str, serial: int, not_before: datetime) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, host),
            x509.NameAttribute(NameOID.COMMON_NAME, "SMS"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(_key().public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=36500))
        .add_extension(x509.ExtendedKeyUsage([x509.ObjectIdentifier(eku)]), critical=False)
        .sign(_key(), hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def sms_store(host: str, *, nul: bool, created: datetime) -> bytes:
    """``reg export`` of the SMS store with the two client certificates of ``host``."""
    keys = [RegKey(STORE, 0), RegKey(STORE + r"\Certificates", 0)]
    for serial, (eku, name) in enumerate(
        (
            (SMS_SIGNING_EKU, "SMS Signing Certificate"),
            (SMS_ENCRYPTION_EKU, "SMS Encryption Certificate"),
        ),
        1,
    ):
        der = _der(host, eku, serial, created)
        friendly = name.encode("utf-16-le") + (b"\0\0" if nul else b"") + b"\0\0"
        blob = build_blob(
            der, [(P.SHA1_HASH, hashlib.sha1(der).digest()), (P.FRIENDLY_NAME, friendly)]
        )
        thumb = hashlib.sha1(der).hexdigest().upper()
        keys.append(
            RegKey(
                rf"{STORE}\Certificates\{thumb}", 0, (RegValue("Blob", RegType.BINARY, blob, 0),)
            )
        )
    return format_reg_file(keys)


def ccm(message: str, when: datetime, component: str = "TSManager", level: int = 1) -> str:
    """One CCM record written at UTC ``when`` with bias +300 (US Eastern)."""
    local = when.astimezone(UTC) - timedelta(minutes=300)
    return (
        f'<![LOG[{message}]LOG]!><time="{local:%H:%M:%S}.{local.microsecond // 1000:03d}+300" '
        f'date="{local:%m-%d-%Y}" component="{component}" context="" type="{level}" '
        f'thread="1876" file="x.cpp:1">\r\n'
    )


def write_log(path: Path, records: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + "".join(records).encode("utf-8"))
    return path


FAILURE_AT = datetime(2011, 3, 15, 14, 2, 11, tzinfo=UTC)


def failure_records(host: str, at: datetime = FAILURE_AT) -> list[str]:
    """The KB977203 failure of a refresh capture, as smsts.log writes it."""
    return [
        ccm(
            f"Set a global environment variable _SMSTSMachineName={host}",
            at - timedelta(minutes=5),
            level=0,
        ),
        ccm(
            "Start executing an instruction. Instruction name: Request State Store. "
            "Instruction pointer: 3",
            at - timedelta(seconds=2),
        ),
        ccm("Failed to import client certificate store (0x80092024)", at, "OSDSMPClient", 3),
        ccm(
            "Failed to run the action: Request State Store.\n"
            "Unknown error (Error: 80092024; Source: Windows)",
            at + timedelta(seconds=1),
            level=3,
        ),
    ]
