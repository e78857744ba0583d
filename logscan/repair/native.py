"""Native fallback: rewrite defective friendly names through CertSetCertificateContextProperty.

Only when CCMCertFix.exe is unavailable and the admin chose it. The store is opened
writable (OPEN_EXISTING, never created); each certificate named in the confirmed plan is
checked again at write time and rewritten only if its property 11 still holds an
embedded NUL: the new value is the text before the first NUL plus exactly one
terminator, written with dwFlags 0 so it persists (cert-store.md §2.4). The write seam
takes bytes, never None, so the property cannot be deleted through it. Every value is
read back and compared with what was written.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from logscan.certs import props as P
from logscan.certs.live import (
    CERT_CLOSE_STORE_CHECK_FLAG,
    CERT_STORE_OPEN_EXISTING_FLAG,
    CERT_STORE_PROV_SYSTEM_W,
    CERT_SYSTEM_STORE_LOCAL_MACHINE,
    CRYPT_E_NOT_FOUND,
    E_ACCESSDENIED,
    ERROR_FILE_NOT_FOUND,
    ERROR_MORE_DATA,
    Crypt32,
    SizeRef,
)
from logscan.certs.x509 import thumbprint

WRITABLE_OPEN = CERT_SYSTEM_STORE_LOCAL_MACHINE | CERT_STORE_OPEN_EXISTING_FLAG  # 0x00024000
PERSIST_FLAGS = 0  # never INHIBIT_PERSIST / IGNORE_PERSIST_ERROR
ERROR_ACCESS_DENIED = 5


class WritableCrypt32(Crypt32, Protocol):
    """``Crypt32`` plus the one write the repair needs."""

    def set_property(self, ctx: int, prop_id: int, flags: int, data: bytes) -> bool: ...


@dataclass(frozen=True, slots=True)
class NameWrite:
    """One certificate's rewrite: what was there, what was written, what reads back."""

    thumbprint: str
    before: bytes
    written: bytes
    after: bytes | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.after == self.written


@dataclass(frozen=True, slots=True)
class NativeResult:
    """The whole run: store-level error, writes, targets found clean or missing, call log."""

    error: str | None
    writes: tuple[NameWrite, ...]
    already_clean: tuple[str, ...]
    missing: tuple[str, ...]
    calls: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.error is None and all(w.ok for w in self.writes) and not self.missing


class _CallError(Exception):
    def __init__(self, call: str, code: int) -> None:
        self.code = code & 0xFFFFFFFF
        super().__init__(f"{call} failed with 0x{self.code:08X}")


def _read_name(api: Crypt32, ctx: int) -> bytes | None:
    """Property 11 by the two-call protocol (retrying once if it grew), None if absent."""
    size = SizeRef(0)
    if not api.get_property(ctx, P.FRIENDLY_NAME, None, size):
        code = api.last_error()
        if code == CRYPT_E_NOT_FOUND:
            return None
        raise _CallError("CertGetCertificateContextProperty(11) size query", code)
    for _ in range(2):
        buf = bytearray(size.value)
        if api.get_property(ctx, P.FRIENDLY_NAME, buf if size.value else None, size):
            return bytes(buf[: size.value])
        code = api.last_error()
        if code != ERROR_MORE_DATA:
            raise _CallError("CertGetCertificateContextProperty(11)", code)
    raise _CallError("CertGetCertificateContextProperty(11) kept growing", ERROR_MORE_DATA)


def _open_error(code: int, store_name: str) -> str:
    if code == ERROR_FILE_NOT_FOUND:
        return f"there is no {store_name} certificate store on this machine"
    if code in (ERROR_ACCESS_DENIED, E_ACCESSDENIED):
        return f"access denied opening the {store_name} store for writing: run elevated"
    return f"CertOpenStore (writable) failed with 0x{code:08X}"


def _rewrite_one(api: WritableCrypt32, ctx: int, thumb: str, calls: list[str]) -> NameWrite | None:
    """Rewrite one context's name if it still has the defect; None if it is clean."""
    before = _read_name(api, ctx)
    if before is None:
        return None
    name = P.analyze_friendly_name(before)
    if not name.has_embedded_nul:
        return None
    new = name.clean_value
    calls.append(
        f"CertSetCertificateContextProperty({thumb}, 11, 0x{PERSIST_FLAGS:x}, "
        f"{len(new)} bytes: {name.display!r} + NUL)"
    )
    if not api.set_property(ctx, P.FRIENDLY_NAME, PERSIST_FLAGS, new):
        code = api.last_error()
        return NameWrite(thumb, before, new, before, f"write failed with 0x{code:08X}")
    after = _read_name(api, ctx)
    error = None if after == new else "the value read back differs from the value written"
    return NameWrite(thumb, before, new, after, error)


def rewrite_friendly_names(
    api: WritableCrypt32, targets: Collection[str], store_name: str = "SMS"
) -> NativeResult:
    """Fix the names of ``targets`` (thumbprints) that still carry an embedded NUL."""
    wanted = {t.upper() for t in targets}
    calls = [f"CertOpenStore(10, 0, 0x{WRITABLE_OPEN:08X}, {store_name!r})"]
    store = api.open_store(CERT_STORE_PROV_SYSTEM_W, 0, WRITABLE_OPEN, store_name)
    if not store:
        error = _open_error(api.last_error() & 0xFFFFFFFF, store_name)
        return NativeResult(error, (), (), tuple(sorted(wanted)), tuple(calls))
    writes: list[NameWrite] = []
    clean: list[str] = []
    seen: set[str] = set()
    close_error: str | None = None
    ctx = 0
    try:
        while True:
            ctx = api.enum_certificates(store, ctx)
            if not ctx:
                break
            thumb = thumbprint(api.context_der(ctx))
            if thumb not in wanted or thumb in seen:
                continue
            seen.add(thumb)
            try:
                done = _rewrite_one(api, ctx, thumb, calls)
            except _CallError as exc:
                writes.append(NameWrite(thumb, b"", b"", None, str(exc)))
                continue
            if done is None:
                clean.append(thumb)
            else:
                writes.append(done)
    finally:
        if ctx:
            api.free_context(ctx)
        if not api.close_store(store, CERT_CLOSE_STORE_CHECK_FLAG):
            close_error = f"CertCloseStore reported 0x{api.last_error() & 0xFFFFFFFF:08X}"
        calls.append("CertCloseStore(CHECK)")
    missing = tuple(sorted(wanted - seen))
    return NativeResult(close_error, tuple(writes), tuple(clean), missing, tuple(calls))
