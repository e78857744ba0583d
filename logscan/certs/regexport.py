"""The SMS store from a ``reg export`` file: ``...\\SystemCertificates\\SMS\\Certificates\\<SHA1>``.

Any root works (``HKEY_LOCAL_MACHINE\\SOFTWARE``, a hive loaded under another name, a whole
SOFTWARE export): keys are matched by their ``\\Microsoft\\SystemCertificates\\SMS`` tail,
case-insensitively, and only those keys' values are parsed. Each certificate key's ``Blob``
value goes through the element parser; the key name is checked against SHA-1 of the DER.
"""

from __future__ import annotations

from pathlib import Path

from logscan.certs.blob import parse_blob
from logscan.certs.model import (
    CertInfo,
    CertProblem,
    CertReadResult,
    CertSourceKind,
    ProblemCode,
    StoreState,
)
from logscan.errors import SourceLocation
from logscan.inputs.regfile import RegFile, RegKey, RegType, read_reg_path
from logscan.model import Level

STORE_TAIL = "\\microsoft\\systemcertificates\\sms"
CERTS_TAIL = STORE_TAIL + "\\certificates"


def _in_store(path: str) -> bool:
    folded = path.casefold()
    return folded.endswith(STORE_TAIL) or (STORE_TAIL + "\\") in folded


def _cert_thumb(path: str) -> str | None:
    """The thumbprint if ``path`` is a certificate key of the SMS store."""
    folded = path.casefold()
    at = folded.rfind(CERTS_TAIL + "\\")
    if at < 0:
        return None
    name = path[at + len(CERTS_TAIL) + 1 :]
    return name if name and "\\" not in name else None


def _cert_from_key(
    reg: RegFile, key: RegKey, thumb: str, problems: list[CertProblem]
) -> CertInfo | None:
    loc = SourceLocation(reg.source, line=key.line)
    blob = key.value("Blob")
    if blob is None or blob.deleted:
        problems.append(
            CertProblem(
                loc,
                ProblemCode.BAD_VALUE,
                f"certificate key {thumb} has no Blob value",
                Level.ERROR,
                thumb.upper(),
            )
        )
        return None
    value_loc = SourceLocation(reg.source, line=blob.line)
    if blob.type is not RegType.BINARY:
        problems.append(
            CertProblem(
                value_loc,
                ProblemCode.BAD_VALUE,
                f"Blob is {blob.type.name}, expected REG_BINARY (read anyway)",
                Level.WARNING,
                thumb.upper(),
            )
        )
    cert, found = parse_blob(
        blob.raw,
        location=value_loc,
        kind=CertSourceKind.REG_EXPORT,
        expected_thumbprint=thumb,
    )
    problems.extend(found)
    return cert


def certs_from_regfile(reg: RegFile) -> CertReadResult:
    """Certificates of the SMS store(s) in a parsed export."""
    problems = [
        CertProblem(
            SourceLocation(w.source, line=w.line),
            ProblemCode.SOURCE_WARNING,
            f"{w.message} [{w.code.value}]",
            Level.WARNING,
        )
        for w in reg.warnings
    ]
    certs: list[CertInfo] = []
    store_seen = False
    for key in reg.keys:
        if key.deleted or not _in_store(key.path):
            continue
        store_seen = True
        thumb = _cert_thumb(key.path)
        if thumb is None:
            continue
        cert = _cert_from_key(reg, key, thumb, problems)
        if cert is not None:
            certs.append(cert)
    store = StoreState.FOUND if store_seen else StoreState.MISSING
    if not store_seen:
        first = next((k for k in reg.keys if not k.deleted), None)
        held = f"it holds [{first.path}]" if first else "it holds no keys"
        problems.append(
            CertProblem(
                SourceLocation(reg.source, line=first.line if first else 1),
                ProblemCode.NO_STORE,
                "no ...\\Microsoft\\SystemCertificates\\SMS key in this export "
                f"({held}); export it with: reg export "
                "HKLM\\SOFTWARE\\Microsoft\\SystemCertificates\\SMS sms.reg /y",
            )
        )
    return CertReadResult(
        reg.source, CertSourceKind.REG_EXPORT, tuple(certs), tuple(problems), (), store
    )


class RegExportSource:
    """A .reg file on disk read as an SMS certificate store."""

    kind = CertSourceKind.REG_EXPORT

    def __init__(self, path: str | Path, display: str | None = None) -> None:
        self.path = Path(path)
        self.display = display or str(path)

    def read(self) -> CertReadResult:
        """Raises ``InputError`` if the file is unreadable or not a registry export."""
        reg = read_reg_path(self.path, wanted=_in_store, display=self.display)
        return certs_from_regfile(reg)
