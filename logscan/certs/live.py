"""Live reading of the LocalMachine ``SMS`` store through CryptoAPI, behind small Protocols.

The reading code here is the same on Windows (``_win32.WinCrypt32`` over crypt32.dll) and
in tests (``_crypt32_twin.Crypt32Twin``): open read-only with OPEN_EXISTING (never create
the store), enumerate contexts, fetch properties with the two-call size protocol (retrying
on ERROR_MORE_DATA), take the friendly name as raw bytes of the exact returned length, free
what is left, close with the leak check. Optionally every certificate is cross-checked
against the registry ``Blob`` through a ``RegistryView``. No ctypes here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from logscan.certs import props as P
from logscan.certs.assemble import make_cert
from logscan.certs.blob import parse_blob
from logscan.certs.model import (
    CertInfo,
    CertProblem,
    CertReadResult,
    CertSourceKind,
    KeyProvInfo,
    ProblemCode,
    StoreState,
)
from logscan.certs.x509 import thumbprint
from logscan.errors import SourceLocation
from logscan.model import Level

CERT_STORE_PROV_SYSTEM_W = 10
CERT_SYSTEM_STORE_LOCAL_MACHINE = 0x00020000
CERT_STORE_READONLY_FLAG = 0x00008000
CERT_STORE_OPEN_EXISTING_FLAG = 0x00004000
READ_ONLY_OPEN = (
    CERT_SYSTEM_STORE_LOCAL_MACHINE | CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG
)
CERT_CLOSE_STORE_CHECK_FLAG = 0x2
ERROR_FILE_NOT_FOUND = 2
ERROR_NO_MORE_FILES = 18
ERROR_MORE_DATA = 234
CRYPT_E_NOT_FOUND = 0x80092004
CRYPT_E_PENDING_CLOSE = 0x8009200F
E_INVALIDARG = 0x80070057
E_ACCESSDENIED = 0x80070005
STORE_KEY = r"SOFTWARE\Microsoft\SystemCertificates\SMS\Certificates"
_RETRIES = 3


@dataclass(slots=True)
class SizeRef:
    """A DWORD passed by reference (``DWORD *pcbData``): the callee may update it."""

    value: int = 0


class Crypt32(Protocol):
    """The crypt32.dll calls the reader needs; handles and contexts are addresses (0 = NULL)."""

    def open_store(self, provider: int, encoding: int, flags: int, name: str) -> int: ...

    def enum_certificates(self, store: int, prev: int) -> int: ...

    def get_property(
        self, ctx: int, prop_id: int, buf: bytearray | None, size: SizeRef
    ) -> bool: ...

    def context_der(self, ctx: int) -> bytes: ...

    def decode_key_prov_info(self, buf: bytearray) -> KeyProvInfo | None:
        """Property 2 as returned by the API (in-memory structure inside ``buf``)."""
        ...

    def free_context(self, ctx: int) -> bool: ...

    def close_store(self, store: int, flags: int) -> bool: ...

    def last_error(self) -> int:
        """The error code of the last failed call, as an unsigned 32-bit value."""
        ...


class RegistryView(Protocol):
    """Read access to HKLM for the cross-check; None means the key or value is absent."""

    def subkeys(self, path: str) -> list[str] | None: ...

    def binary_value(self, path: str, name: str) -> bytes | None: ...


class _ApiError(Exception):
    def __init__(self, call: str, code: int) -> None:
        self.call = call
        self.code = code & 0xFFFFFFFF
        super().__init__(f"{call} failed with 0x{self.code:08X}")


def get_property_buffer(api: Crypt32, ctx: int, prop_id: int) -> tuple[bytearray, int] | None:
    """Property via the two-call protocol: (the buffer the API filled, the length it wrote).

    None when the property is absent. The buffer is returned uncut because in-memory
    structures (property 2) point into it.
    """
    size = SizeRef(0)
    if not api.get_property(ctx, prop_id, None, size):
        code = api.last_error()
        if code == CRYPT_E_NOT_FOUND:
            return None
        raise _ApiError(f"CertGetCertificateContextProperty({prop_id}) size query", code)
    for _ in range(_RETRIES):
        buf = bytearray(size.value)
        if api.get_property(ctx, prop_id, buf if size.value else None, size):
            # The second call stores the length it wrote; never trust the buffer's length.
            return buf, size.value
        code = api.last_error()
        if code != ERROR_MORE_DATA:
            raise _ApiError(f"CertGetCertificateContextProperty({prop_id})", code)
    raise _ApiError(f"CertGetCertificateContextProperty({prop_id}) kept growing", ERROR_MORE_DATA)


class LiveSource:
    """The LocalMachine SMS store of this machine (or of a twin in tests)."""

    kind = CertSourceKind.LIVE

    def __init__(
        self,
        api: Crypt32,
        registry: RegistryView | None = None,
        store_name: str = "SMS",
    ) -> None:
        self.api = api
        self.registry = registry
        self.store_name = store_name
        self.display = f"live:LocalMachine\\{store_name}"

    def _problem(
        self,
        code: ProblemCode,
        message: str,
        *,
        thumb: str | None = None,
        severity: Level = Level.ERROR,
    ) -> CertProblem:
        path = self.display + (f"\\{thumb}" if thumb else "")
        return CertProblem(SourceLocation(path), code, message, severity, thumb)

    def read(self) -> CertReadResult:
        api = self.api
        problems: list[CertProblem] = []
        store = api.open_store(CERT_STORE_PROV_SYSTEM_W, 0, READ_ONLY_OPEN, self.store_name)
        if not store:
            code = api.last_error() & 0xFFFFFFFF
            if code == ERROR_FILE_NOT_FOUND:
                problems.append(
                    self._problem(
                        ProblemCode.NO_STORE,
                        f"this machine has no {self.store_name} certificate store "
                        "(no ConfigMgr client)",
                        severity=Level.WARNING,
                    )
                )
                state = StoreState.MISSING
            else:
                problems.append(
                    self._problem(ProblemCode.API_ERROR, f"CertOpenStore failed with 0x{code:08X}")
                )
                state = StoreState.UNREADABLE
            return CertReadResult(self.display, self.kind, (), tuple(problems), (), state)
        certs: list[CertInfo] = []
        ctx = 0
        try:
            while True:
                ctx = api.enum_certificates(store, ctx)
                if not ctx:
                    code = api.last_error() & 0xFFFFFFFF
                    if code not in (CRYPT_E_NOT_FOUND, ERROR_NO_MORE_FILES):
                        problems.append(
                            self._problem(
                                ProblemCode.API_ERROR,
                                f"CertEnumCertificatesInStore stopped with 0x{code:08X}",
                            )
                        )
                    break
                cert = self._read_context(ctx, problems)
                if cert is not None:
                    certs.append(cert)
        finally:
            if ctx:
                api.free_context(ctx)
            if not api.close_store(store, CERT_CLOSE_STORE_CHECK_FLAG):
                code = api.last_error() & 0xFFFFFFFF
                problems.append(
                    self._problem(
                        ProblemCode.API_ERROR,
                        f"CertCloseStore reported 0x{code:08X}"
                        + (" (contexts left open)" if code == CRYPT_E_PENDING_CLOSE else ""),
                        severity=Level.WARNING,
                    )
                )
        if self.registry is not None:
            self._cross_check(certs, problems)
        return CertReadResult(self.display, self.kind, tuple(certs), tuple(problems))

    def _read_context(self, ctx: int, problems: list[CertProblem]) -> CertInfo | None:
        api = self.api
        der = api.context_der(ctx)
        thumb = thumbprint(der)
        try:
            props: list[tuple[int, bytes]] = []
            for prop_id in (P.SHA1_HASH, P.FRIENDLY_NAME):
                got = get_property_buffer(api, ctx, prop_id)
                if got is not None:
                    props.append((prop_id, bytes(got[0][: got[1]])))
            prov = get_property_buffer(api, ctx, P.KEY_PROV_INFO)
            provider = api.decode_key_prov_info(prov[0]) if prov is not None else None
        except _ApiError as exc:
            problems.append(self._problem(ProblemCode.API_ERROR, str(exc), thumb=thumb))
            return None
        cert = make_cert(
            der,
            props,
            origin=SourceLocation(f"{self.display}\\{thumb}"),
            kind=self.kind,
            problems=problems,
            key_provider=provider,
            has_private_key=prov is not None,
        )
        if prov is None:
            return cert
        return replace(cert, properties=(P.KEY_PROV_INFO, *cert.properties))

    def _cross_check(self, certs: list[CertInfo], problems: list[CertProblem]) -> None:
        """Compare what CryptoAPI returned with the registry Blobs of the same store."""
        assert self.registry is not None
        key = STORE_KEY.replace("\\SMS\\", f"\\{self.store_name}\\")
        try:
            names = self.registry.subkeys(key)
        except OSError as exc:
            problems.append(
                self._problem(
                    ProblemCode.API_ERROR,
                    f"registry cross-check failed: {exc}",
                    severity=Level.WARNING,
                )
            )
            return
        in_registry = {n.upper(): n for n in names or ()}
        for cert in certs:
            if cert.thumbprint not in in_registry:
                problems.append(
                    self._problem(
                        ProblemCode.NOT_IN_STORE,
                        f"CryptoAPI returned {cert.thumbprint} but HKLM\\{key} has no such key "
                        "(group policy or enterprise physical store?)",
                        thumb=cert.thumbprint,
                        severity=Level.WARNING,
                    )
                )
                continue
            self._compare_blob(key, in_registry.pop(cert.thumbprint), cert, problems)
        for name in in_registry.values():
            self._compare_blob(key, name, None, problems)

    def _compare_blob(
        self, key: str, name: str, cert: CertInfo | None, problems: list[CertProblem]
    ) -> None:
        assert self.registry is not None
        path = f"{key}\\{name}"
        try:
            blob = self.registry.binary_value(path, "Blob")
        except OSError as exc:
            blob, why = None, str(exc)
        else:
            why = "no binary Blob value"
        if blob is None:
            problems.append(
                self._problem(
                    ProblemCode.BAD_VALUE,
                    f"HKLM\\{path}: {why}",
                    thumb=name.upper(),
                    severity=Level.WARNING,
                )
            )
            return
        reg_cert, found = parse_blob(
            blob, location=SourceLocation(f"registry:HKLM\\{path}"), expected_thumbprint=name
        )
        problems.extend(found)
        if cert is None:
            problems.append(
                self._problem(
                    ProblemCode.NOT_IN_STORE,
                    f"HKLM\\{path} holds a certificate CryptoAPI did not return "
                    "(ignored by Windows)",
                    thumb=name.upper(),
                    severity=Level.WARNING,
                )
            )
        elif reg_cert is not None and reg_cert.friendly_name_raw != cert.friendly_name_raw:
            problems.append(
                self._problem(
                    ProblemCode.NOT_IN_STORE,
                    "friendly name from CryptoAPI differs from the registry Blob "
                    f"({cert.friendly_name_raw!r} vs {reg_cert.friendly_name_raw!r})",
                    thumb=cert.thumbprint,
                    severity=Level.WARNING,
                )
            )
