"""Real SMS client certificates, their registry ``Blob`` and ``reg export`` text, reproducibly.

The RSA keys are drawn from a seeded generator (Miller-Rabin over ``random.Random``), the
certificate is built with ``cryptography`` and re-signed with SHA-1 as ConfigMgr 2007
clients signed theirs (``cryptography`` will not sign a certificate with SHA-1 itself, but
signs a digest with it), so every byte is the same on every run.

Blob layout (reference/cert-store.md section 3): elements ``DWORD propId, DWORD 1, DWORD cb,
data``, properties first, the DER certificate (0x20) last. The ``.reg`` text follows
``reg export`` exactly (section 5): UTF-16LE with BOM, CRLF, ``hex:`` wrapped at 77 columns.
"""

from __future__ import annotations

import hashlib
import random
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import gcd

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID, ObjectIdentifier

SMS_STORE = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\SMS"
SIGNING_EKU = "1.3.6.1.4.1.311.101"
ENCRYPTION_EKU = "1.3.6.1.4.1.311.101.2"
_SHA256_RSA = bytes.fromhex("300d06092a864886f70d01010b0500")
_SHA1_RSA = bytes.fromhex("300d06092a864886f70d0101050500")
_PROVIDER = "Microsoft Enhanced Cryptographic Provider v1.0"


def _probably_prime(n: int, rng: random.Random) -> bool:
    if n < 4:
        return n in (2, 3)
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(40):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random) -> int:
    # The two top bits set make p*q exactly 2*bits long.
    n = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
    while not _probably_prime(n, rng):
        n += 2
    return n


def seeded_rsa_key(bits: int, seed: str) -> rsa.RSAPrivateKey:
    """An RSA key that is the same for the same seed on every run."""
    rng = random.Random(seed)
    e = 65537
    while True:
        p, q = _prime(bits // 2, rng), _prime(bits // 2, rng)
        phi = (p - 1) * (q - 1)
        if p != q and gcd(e, phi) == 1:
            break
    d = pow(e, -1, phi)
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q)
    )
    return numbers.private_key()


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_len(len(body)) + body


@dataclass(frozen=True, slots=True)
class SmsCert:
    """One certificate of the SMS store as the registry holds it."""

    friendly: str  # the display text, without any NUL
    embedded_nul: bool  # the KB977203 defect: an extra NUL before the terminator
    der: bytes
    key_prov: bytes
    key_id: bytes

    @property
    def thumbprint(self) -> str:
        return hashlib.sha1(self.der).hexdigest().upper()

    @property
    def friendly_bytes(self) -> bytes:
        text = self.friendly + ("\0" if self.embedded_nul else "")
        return (text + "\0").encode("utf-16-le")

    def blob(self) -> bytes:
        """The registry ``Blob`` value: property elements, then the certificate."""
        elements = [
            (0x02, self.key_prov),
            (0x0B, self.friendly_bytes),
            (0x14, self.key_id),
            (0x03, hashlib.sha1(self.der).digest()),
            (0x20, self.der),
        ]
        return b"".join(struct.pack("<III", pid, 1, len(data)) + data for pid, data in elements)


def _key_prov_info(container: str, key_spec: int) -> bytes:
    """CERT_KEY_PROV_INFO in its offset form: 7 DWORDs, then the two UTF-16 strings."""
    cont = (container + "\0").encode("utf-16-le")
    prov = (_PROVIDER + "\0").encode("utf-16-le")
    head = struct.pack("<7I", 28, 28 + len(cont), 1, 0x20, 0, 0, key_spec)
    return head + cont + prov


def sms_cert(host: str, purpose: str, created: datetime, *, embedded_nul: bool) -> SmsCert:
    """The self-signed "SMS Signing/Encryption Certificate" of a 2007 client on ``host``.

    ``purpose`` is "Signing" or "Encryption". ``created`` (UTC) is when the client made it.
    """
    seed = f"{host}/{purpose}/{created.isoformat()}"
    rng = random.Random(seed)
    key = seeded_rsa_key(1024, seed)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, host, _type=_ASN1Type.PrintableString),
            x509.NameAttribute(NameOID.COMMON_NAME, "SMS", _type=_ASN1Type.PrintableString),
        ]
    )
    eku = SIGNING_EKU if purpose == "Signing" else ENCRYPTION_EKU
    start = created.replace(microsecond=0, tzinfo=None)
    draft = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(rng.getrandbits(127) | (1 << 126))
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=36524))
        .add_extension(x509.ExtendedKeyUsage([ObjectIdentifier(eku)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    tbs = draft.tbs_certificate_bytes
    if tbs.count(_SHA256_RSA) != 1:
        raise RuntimeError("unexpected TBS layout: signature algorithm not found once")
    tbs = tbs.replace(_SHA256_RSA, _SHA1_RSA)
    signature = key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    der = _tlv(0x30, tbs + _SHA1_RSA + _tlv(0x03, b"\0" + signature))
    cert = x509.load_der_x509_certificate(der)
    key.public_key().verify(
        signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), hashes.SHA1()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.PKCS1
    )
    parts = [rng.getrandbits(bits) for bits in (32, 16, 16, 16, 48)]
    container = (
        "{" + "-".join(f"{p:0{w}X}" for p, w in zip(parts, (8, 4, 4, 4, 12), strict=True)) + "}"
    )
    return SmsCert(
        friendly=f"SMS {purpose} Certificate",
        embedded_nul=embedded_nul,
        der=der,
        key_prov=_key_prov_info(container, 2 if purpose == "Signing" else 1),
        key_id=hashlib.sha1(public).digest(),
    )


RegValue = tuple[str, str, object]  # (kind "sz" | "bin" | "dword", name, data)


def _hex_value(name: str, data: bytes) -> str:
    """``"name"=hex:..`` wrapped as reg.exe does: ``\\`` + CRLF + two spaces at 77 columns."""
    out = f'"{name}"=hex:'
    width = len(out)
    for i, byte in enumerate(data):
        out += f"{byte:02x}"
        if i == len(data) - 1:
            break
        out += ","
        width += 3
        if width >= 77:
            out += "\\\r\n  "
            width = 2
    return out


def _value_line(kind: str, name: str, data: object) -> str:
    if kind == "sz":
        text = str(data).replace("\\", "\\\\").replace('"', '\\"')
        return f'"{name}"="{text}"'
    if kind == "dword":
        return f'"{name}"=dword:{int(str(data)):08x}'
    if kind == "bin" and isinstance(data, bytes):
        return _hex_value(name, data)
    raise ValueError(f"unknown value kind {kind!r}")


def reg_export(keys: list[tuple[str, list[RegValue]]]) -> bytes:
    """A ``reg export`` file for keys given depth-first in the order reg.exe walks them."""
    lines = ["Windows Registry Editor Version 5.00"]
    for path, values in keys:
        lines += ["", f"[{path}]"]
        lines += [_value_line(kind, name, data) for kind, name, data in values]
    text = "\r\n".join(lines) + "\r\n\r\n"
    return b"\xff\xfe" + text.encode("utf-16-le")


def sms_store_export(certs: list[SmsCert]) -> bytes:
    """``reg export HKLM\\SOFTWARE\\Microsoft\\SystemCertificates\\SMS``.

    reg.exe lists subkeys in the registry's (case-insensitive) order, so ``Certificates``
    comes before ``CRLs`` and ``CTLs``, and certificates sort by thumbprint.
    """
    keys: list[tuple[str, list[RegValue]]] = [(SMS_STORE, []), (SMS_STORE + r"\Certificates", [])]
    for cert in sorted(certs, key=lambda c: c.thumbprint):
        path = SMS_STORE + "\\Certificates\\" + cert.thumbprint
        keys.append((path, [("bin", "Blob", cert.blob())]))
    keys += [(SMS_STORE + r"\CRLs", []), (SMS_STORE + r"\CTLs", [])]
    return reg_export(keys)


def mobile_client_export(version: str, site: str, *, wow64: bool) -> bytes:
    """``reg export`` of the client's ``Mobile Client`` key (under Wow6432Node on x64)."""
    node = r"SOFTWARE\Wow6432Node" if wow64 else "SOFTWARE"
    path = rf"HKEY_LOCAL_MACHINE\{node}\Microsoft\SMS\Mobile Client"
    return reg_export(
        [(path, [("sz", "AssignedSiteCode", site), ("sz", "ProductVersion", version)])]
    )
