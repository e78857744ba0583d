"""Builders for certificate fixtures: real X.509 made with ``cryptography``, real Blobs,
``.reg`` exports laid out as ``reg export`` writes them, SST files.

The SMS client certificates are self-signed with subject ``CN=<host>, CN=SMS`` and the EKU
of their role (reference §8); friendly names come in the shapes of the KB977203 defect.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from logscan.certs import props as P
from logscan.certs.blob import build_blob
from logscan.certs.x509 import SMS_ENCRYPTION_EKU, SMS_SIGNING_EKU
from logscan.inputs.regfile import RegKey, RegType, RegValue, format_reg_file

SIGNING = "SMS Signing Certificate"
ENCRYPTION = "SMS Encryption Certificate"
STORE = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\SMS"
NOW = datetime.now(UTC).replace(microsecond=0)


@lru_cache(maxsize=4)
def _key(index: int = 0) -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def make_der(
    host: str = "PC01",
    role: str | None = "signing",
    *,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    serial: int = 0x1234,
    sms_rdn: bool = True,
) -> bytes:
    """A self-signed certificate shaped like a ConfigMgr client certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    names = [x509.NameAttribute(NameOID.COMMON_NAME, host)]
    if sms_rdn:
        names.append(x509.NameAttribute(NameOID.COMMON_NAME, "SMS"))
    name = x509.Name(names)
    key = _key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before or NOW - timedelta(days=30))
        .not_valid_after(not_after or NOW + timedelta(days=3650))
    )
    if role is not None:
        oid = SMS_SIGNING_EKU if role == "signing" else SMS_ENCRYPTION_EKU
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.ObjectIdentifier(oid)]), critical=False
        )
    cert = builder.sign(key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.DER)


def friendly(text: str, shape: str = "clean") -> bytes:
    """Property-11 bytes: ``clean`` (one terminator), ``trailing`` (extra NUL before it),
    ``middle`` (a NUL replacing the first space), ``unterminated``, ``odd`` (one byte cut)."""
    body = text.encode("utf-16-le")
    if shape == "clean":
        return body + b"\0\0"
    if shape == "trailing":
        return body + b"\0\0\0\0"
    if shape == "middle":
        return text.replace(" ", "\0", 1).encode("utf-16-le") + b"\0\0"
    if shape == "unterminated":
        return body
    if shape == "odd":
        return body + b"\0\0"[:-1]
    raise ValueError(shape)


def thumb(der: bytes) -> str:
    return hashlib.sha1(der).hexdigest().upper()


def sms_blob(der: bytes, name: bytes | None, *, key_prov: bool = True, sha1: bool = True) -> bytes:
    """A Blob with the properties Windows keeps for a client certificate, DER last."""
    props: list[tuple[int, bytes]] = []
    if sha1:
        props.append((P.SHA1_HASH, hashlib.sha1(der).digest()))
    if key_prov:
        props.append(
            (
                P.KEY_PROV_INFO,
                P.build_key_prov_info(
                    "{11111111-2222-3333-4444-555555555555}",
                    "Microsoft Enhanced Cryptographic Provider v1.0",
                ),
            )
        )
    if name is not None:
        props.append((P.FRIENDLY_NAME, name))
    return build_blob(der, props)


def store_keys(blobs: dict[str, bytes], root: str = STORE) -> list[RegKey]:
    """The keys ``reg export HKLM\\...\\SMS`` writes: the store, its three subkeys, one key per
    certificate (name = thumbprint) holding ``Blob``."""
    keys = [RegKey(root, 0), RegKey(root + r"\Certificates", 0)]
    for name, blob in blobs.items():
        keys.append(
            RegKey(rf"{root}\Certificates\{name}", 0, (RegValue("Blob", RegType.BINARY, blob, 0),))
        )
    keys += [RegKey(root + r"\CRLs", 0), RegKey(root + r"\CTLs", 0)]
    return keys


def reg_export(blobs: dict[str, bytes], root: str = STORE, version: int = 5) -> bytes:
    return format_reg_file(store_keys(blobs, root), version)


def client_pair(
    host: str = "PC01", signing_shape: str = "clean", encryption_shape: str = "clean"
) -> dict[str, bytes]:
    """thumbprint -> Blob for the two client certificates of ``host``."""
    sign = make_der(host, "signing", serial=1)
    enc = make_der(host, "encryption", serial=2)
    return {
        thumb(sign): sms_blob(sign, friendly(SIGNING, signing_shape)),
        thumb(enc): sms_blob(enc, friendly(ENCRYPTION, encryption_shape)),
    }
