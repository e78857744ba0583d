"""The SMS store from an offline SOFTWARE hive (``reg save`` or ``System32\\config\\SOFTWARE``).

Reads ``\\Microsoft\\SystemCertificates\\SMS\\Certificates\\<SHA1>`` value ``Blob`` with regipy
(optional extra ``pip install logscan-configmgr[hive]``; imported only here, only when
called). regipy holds the whole hive in memory; a SOFTWARE hive is tens of MB, acceptable on
an analysis host. The key is shared under WOW64, so there is no ``Wow6432Node`` variant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from logscan.certs.blob import parse_blob
from logscan.certs.model import (
    CertInfo,
    CertProblem,
    CertReadResult,
    CertSourceKind,
    ProblemCode,
    StoreState,
)
from logscan.errors import InputError, SourceLocation
from logscan.model import Level

CERTS_KEY = r"\Microsoft\SystemCertificates\SMS\Certificates"
HIVE_MAGIC = b"regf"
INSTALL_HINT = "pip install logscan-configmgr[hive]"


def _open(path: Path, display: str) -> Any:
    try:
        from regipy.registry import RegistryHive
    except ImportError as exc:
        raise InputError(
            "reading an offline registry hive needs regipy, which is not installed: "
            + INSTALL_HINT,
            SourceLocation(display),
        ) from exc
    try:
        hive_class: Any = RegistryHive  # untyped library
        return hive_class(str(path))
    except OSError as exc:
        raise InputError(
            f"cannot read hive: {exc.strerror or exc}", SourceLocation(display)
        ) from exc
    except Exception as exc:  # regipy/construct raise many types for foreign bytes
        head = path.read_bytes()[:4] if path.is_file() else b""
        reason = "no 'regf' signature" if head != HIVE_MAGIC else str(exc).splitlines()[0][:160]
        raise InputError(
            f"not a readable registry hive ({reason}); give a SOFTWARE hive saved with "
            "'reg save HKLM\\SOFTWARE software.hiv'",
            SourceLocation(display, offset=0),
        ) from exc


class HiveSource:
    """An offline SOFTWARE hive file read as an SMS certificate store."""

    kind = CertSourceKind.HIVE

    def __init__(self, path: str | Path, display: str | None = None) -> None:
        self.path = Path(path)
        self.display = display or str(path)

    def read(self) -> CertReadResult:
        """Raises ``InputError`` when regipy is missing or the file is not a hive."""
        from regipy.exceptions import RegipyException

        hive = _open(self.path, self.display)
        limitations: list[str] = []
        header = hive.header
        if header.primary_sequence_num != header.secondary_sequence_num:
            limitations.append(
                "hive is dirty (sequence numbers differ): recent changes may sit in its .LOG "
                "files; apply them with regipy-process-transaction-logs or collect with reg save"
            )
        problems: list[CertProblem] = []
        try:
            key = hive.get_key(CERTS_KEY)
        except RegipyException:
            problems.append(
                CertProblem(
                    SourceLocation(self.display),
                    ProblemCode.NO_STORE,
                    f"no {CERTS_KEY} key in this hive (hive name {hive.name!r}); the SMS store "
                    "lives in the SOFTWARE hive",
                )
            )
            return CertReadResult(
                self.display,
                self.kind,
                (),
                tuple(problems),
                tuple(limitations),
                StoreState.MISSING,
            )
        certs = self._certs(key, problems)
        return CertReadResult(
            self.display, self.kind, tuple(certs), tuple(problems), tuple(limitations)
        )

    def _certs(self, key: Any, problems: list[CertProblem]) -> list[CertInfo]:
        from regipy.exceptions import RegipyException

        certs: list[CertInfo] = []
        try:
            subkeys = list(key.iter_subkeys() or ())
        except (RegipyException, ValueError, OSError) as exc:
            problems.append(self._problem(CERTS_KEY, f"subkey list unreadable: {exc}", None))
            return certs
        for sub in subkeys:
            path = f"{CERTS_KEY}\\{sub.name}"
            try:
                blob = sub.get_value("Blob", case_sensitive=False)
            except Exception as exc:  # a damaged value cell must not hide the other certificates
                problems.append(self._problem(path, f"Blob value unreadable: {exc}", sub.name))
                continue
            if not isinstance(blob, bytes):
                what = "missing" if blob is None else f"not binary ({type(blob).__name__})"
                problems.append(self._problem(path, f"Blob value {what}", sub.name))
                continue
            cert, found = parse_blob(
                blob,
                location=SourceLocation(f"{self.display}!{path}"),
                kind=self.kind,
                expected_thumbprint=sub.name,
            )
            problems.extend(found)
            if cert is not None:
                certs.append(cert)
        return certs

    def _problem(self, path: str, message: str, thumb: str | None) -> CertProblem:
        return CertProblem(
            SourceLocation(f"{self.display}!{path}"),
            ProblemCode.BAD_VALUE,
            message,
            Level.ERROR,
            thumb.upper() if thumb else None,
        )
