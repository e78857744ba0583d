"""In-memory twin of crypt32.dll (``live.Crypt32``) and of HKLM (``live.RegistryView``).

Backed by registry Blobs, it behaves as the reference documents Windows does, so the live
reader is exercised on Linux exactly as on Windows: CertOpenStore creates a missing store
unless OPEN_EXISTING is given (and then fails with ERROR_FILE_NOT_FOUND); enumeration frees
the previous context and ends with CRYPT_E_NOT_FOUND; property reads follow the two-call
size protocol with ERROR_MORE_DATA for a short buffer and CRYPT_E_NOT_FOUND for an absent
property; SHA-1 (3) and MD5 (4) are computed on demand; CertCloseStore with the check flag
reports leaked contexts with CRYPT_E_PENDING_CLOSE. One deliberate difference: property 2
comes back in its on-disk offset form, decoded by ``decode_key_prov_info`` of this twin.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field

from logscan.certs import props as P
from logscan.certs.blob import walk_elements
from logscan.certs.live import (
    CERT_CLOSE_STORE_CHECK_FLAG,
    CERT_STORE_OPEN_EXISTING_FLAG,
    CERT_STORE_PROV_SYSTEM_W,
    CERT_SYSTEM_STORE_LOCAL_MACHINE,
    CRYPT_E_NOT_FOUND,
    CRYPT_E_PENDING_CLOSE,
    E_INVALIDARG,
    ERROR_FILE_NOT_FOUND,
    ERROR_MORE_DATA,
    STORE_KEY,
    SizeRef,
)
from logscan.certs.model import CertProblem, KeyProvInfo
from logscan.errors import SourceLocation

_LOCATION_MASK = 0x00FF0000


@dataclass
class _Cert:
    der: bytes
    props: dict[int, bytes]


@dataclass
class _Store:
    certs: list[_Cert] = field(default_factory=list)


def _from_blob(blob: bytes) -> _Cert:
    problems: list[CertProblem] = []
    run = walk_elements(blob, location=SourceLocation("twin"), where="Blob", problems=problems)
    if problems:
        raise ValueError(f"twin fixture Blob is corrupt: {problems[0]}")
    der = next(e.data for e in run.elements if e.prop_id == P.CERT_ELEMENT)
    props = {e.prop_id: e.data for e in run.elements if e.prop_id != P.CERT_ELEMENT}
    return _Cert(der, props)


class Crypt32Twin:
    """Certificate stores in memory, keyed by store name (case-insensitive) -> Blobs."""

    def __init__(self, stores: dict[str, list[bytes]], *, grow: frozenset[int] = frozenset()):
        self.stores = {
            name.casefold(): _Store([_from_blob(b) for b in blobs])
            for name, blobs in stores.items()
        }
        self.grow = set(grow)  # property ids that grow by one unit between size query and read
        self.calls: list[tuple[object, ...]] = []
        self.created: list[str] = []
        self.open_contexts: set[int] = set()
        self.open_stores: dict[int, str] = {}
        self._contexts: dict[int, tuple[str, int]] = {}
        self._ids = itertools.count(0x1000, 0x10)
        self._error = 0

    def _fail(self, code: int) -> None:
        self._error = code & 0xFFFFFFFF

    def open_store(self, provider: int, encoding: int, flags: int, name: str) -> int:
        self.calls.append(("CertOpenStore", provider, encoding, flags, name))
        if (
            provider != CERT_STORE_PROV_SYSTEM_W
            or flags & _LOCATION_MASK != CERT_SYSTEM_STORE_LOCAL_MACHINE
        ):
            self._fail(E_INVALIDARG)
            return 0
        key = name.casefold()
        if key not in self.stores:
            if flags & CERT_STORE_OPEN_EXISTING_FLAG:
                self._fail(ERROR_FILE_NOT_FOUND)
                return 0
            # Windows creates the registry key of a missing system store as a side effect.
            self.stores[key] = _Store()
            self.created.append(name)
        handle = next(self._ids)
        self.open_stores[handle] = key
        return handle

    def enum_certificates(self, store: int, prev: int) -> int:
        self.calls.append(("CertEnumCertificatesInStore", store, prev))
        index = 0
        if prev:
            index = self._contexts[prev][1] + 1
            self.open_contexts.discard(prev)  # freed by the call, even on error
        name = self.open_stores.get(store)
        if name is None:
            self._fail(E_INVALIDARG)
            return 0
        if index >= len(self.stores[name].certs):
            self._fail(CRYPT_E_NOT_FOUND)
            return 0
        ctx = next(self._ids)
        self._contexts[ctx] = (name, index)
        self.open_contexts.add(ctx)
        return ctx

    def _cert(self, ctx: int) -> _Cert:
        if ctx not in self.open_contexts:
            raise AssertionError(f"context {ctx:#x} used after it was freed")
        name, index = self._contexts[ctx]
        return self.stores[name].certs[index]

    def get_property(self, ctx: int, prop_id: int, buf: bytearray | None, size: SizeRef) -> bool:
        self.calls.append(("CertGetCertificateContextProperty", ctx, prop_id, buf is not None))
        cert = self._cert(ctx)
        data = cert.props.get(prop_id)
        if data is None and prop_id == P.SHA1_HASH:
            data = cert.props[prop_id] = hashlib.sha1(cert.der).digest()
        if data is None and prop_id == P.MD5_HASH:
            data = cert.props[prop_id] = hashlib.md5(cert.der).digest()
        if data is None:
            self._fail(CRYPT_E_NOT_FOUND)
            return False
        if buf is not None and prop_id in self.grow:
            self.grow.discard(prop_id)
            data = cert.props[prop_id] = data + b"\0\0"
        if buf is None:
            size.value = len(data)
            return True
        if len(buf) < size.value:
            raise AssertionError("caller claimed a buffer larger than it passed")
        if size.value < len(data):
            size.value = len(data)
            self._fail(ERROR_MORE_DATA)
            return False
        buf[: len(data)] = data
        size.value = len(data)
        return True

    def context_der(self, ctx: int) -> bytes:
        return self._cert(ctx).der

    def decode_key_prov_info(self, buf: bytearray) -> KeyProvInfo | None:
        try:
            return P.parse_key_prov_info(bytes(buf))
        except ValueError:
            return None

    def free_context(self, ctx: int) -> bool:
        self.calls.append(("CertFreeCertificateContext", ctx))
        self.open_contexts.discard(ctx)
        return True

    def close_store(self, store: int, flags: int) -> bool:
        self.calls.append(("CertCloseStore", store, flags))
        if self.open_stores.pop(store, None) is None:
            self._fail(E_INVALIDARG)
            return False
        if flags & CERT_CLOSE_STORE_CHECK_FLAG and self.open_contexts:
            self._fail(CRYPT_E_PENDING_CLOSE)
            return False
        return True

    def last_error(self) -> int:
        return self._error


class RegistryTwin:
    """HKLM paths -> {value name: bytes}; built from the same Blobs as the crypt32 twin."""

    def __init__(self, keys: dict[str, dict[str, bytes]]) -> None:
        self.keys = {path.casefold(): (path, values) for path, values in keys.items()}

    @classmethod
    def of_store(cls, blobs: dict[str, bytes], store: str = "SMS") -> RegistryTwin:
        """Keys as the registry provider writes them: name = thumbprint, value ``Blob``."""
        base = STORE_KEY.replace("\\SMS\\", f"\\{store}\\")
        keys: dict[str, dict[str, bytes]] = {base: {}}
        keys.update({f"{base}\\{name}": {"Blob": blob} for name, blob in blobs.items()})
        return cls(keys)

    def subkeys(self, path: str) -> list[str] | None:
        prefix = path.casefold().rstrip("\\") + "\\"
        if path.casefold().rstrip("\\") not in self.keys:
            return None
        return [
            original[len(prefix) :]
            for folded, (original, _) in self.keys.items()
            if folded.startswith(prefix) and "\\" not in folded[len(prefix) :]
        ]

    def binary_value(self, path: str, name: str) -> bytes | None:
        entry = self.keys.get(path.casefold())
        return None if entry is None else entry[1].get(name)


# -- writing (repair's native fallback); additive, the reader twin above is unchanged -------

CERT_STORE_READONLY_FLAG = 0x00008000
CERT_SET_PROPERTY_INHIBIT_PERSIST_FLAG = 0x40000000
ERROR_ACCESS_DENIED = 5
E_ACCESSDENIED = 0x80070005


class WritableCrypt32Twin(Crypt32Twin):
    """The twin plus CertSetCertificateContextProperty, as Windows documents it.

    A store opened READONLY refuses writes with E_ACCESSDENIED; ``deny_write_open``
    makes a writable open fail with ERROR_ACCESS_DENIED, as for a user who is not
    elevated; ``fail_set`` maps a thumbprint to the error its write returns. A change
    made with INHIBIT_PERSIST stays on that context only (it never reaches the store).
    """

    def __init__(
        self,
        stores: dict[str, list[bytes]],
        *,
        grow: frozenset[int] = frozenset(),
        deny_write_open: bool = False,
    ) -> None:
        super().__init__(stores, grow=grow)
        self.deny_write_open = deny_write_open
        self.fail_set: dict[str, int] = {}
        self.writes: list[tuple[str, int, int, bytes]] = []
        self._store_flags: dict[int, int] = {}
        self._ctx_store: dict[int, int] = {}
        self._unpersisted: dict[int, dict[int, bytes]] = {}

    def open_store(self, provider: int, encoding: int, flags: int, name: str) -> int:
        if self.deny_write_open and not flags & CERT_STORE_READONLY_FLAG:
            self.calls.append(("CertOpenStore", provider, encoding, flags, name))
            self._fail(ERROR_ACCESS_DENIED)
            return 0
        handle = super().open_store(provider, encoding, flags, name)
        if handle:
            self._store_flags[handle] = flags
        return handle

    def enum_certificates(self, store: int, prev: int) -> int:
        ctx = super().enum_certificates(store, prev)
        if ctx:
            self._ctx_store[ctx] = store
        return ctx

    def get_property(self, ctx: int, prop_id: int, buf: bytearray | None, size: SizeRef) -> bool:
        pending = self._unpersisted.get(ctx, {})
        if prop_id not in pending:
            return super().get_property(ctx, prop_id, buf, size)
        self.calls.append(("CertGetCertificateContextProperty", ctx, prop_id, buf is not None))
        data = pending[prop_id]
        if buf is None or size.value < len(data):
            size.value = len(data)
            if buf is not None:
                self._fail(ERROR_MORE_DATA)
                return False
            return True
        buf[: len(data)] = data
        size.value = len(data)
        return True

    def set_property(self, ctx: int, prop_id: int, flags: int, data: bytes) -> bool:
        self.calls.append(("CertSetCertificateContextProperty", ctx, prop_id, flags, len(data)))
        cert = self._cert(ctx)
        store = self._ctx_store.get(ctx)
        if store is None or self._store_flags.get(store, 0) & CERT_STORE_READONLY_FLAG:
            self._fail(E_ACCESSDENIED)
            return False
        thumb = hashlib.sha1(cert.der).hexdigest().upper()
        if thumb in self.fail_set:
            self._fail(self.fail_set[thumb])
            return False
        self.writes.append((thumb, prop_id, flags, bytes(data)))
        if flags & CERT_SET_PROPERTY_INHIBIT_PERSIST_FLAG:
            self._unpersisted.setdefault(ctx, {})[prop_id] = bytes(data)
            return True
        cert.props[prop_id] = bytes(data)
        return True

    def blobs(self, store_name: str = "SMS") -> dict[str, bytes]:
        """thumbprint -> the registry Blob the store now holds (properties, then DER)."""
        from logscan.certs.blob import build_blob

        store = self.stores.get(store_name.casefold())
        if store is None:
            return {}
        return {
            hashlib.sha1(c.der).hexdigest().upper(): build_blob(c.der, list(c.props.items()))
            for c in store.certs
        }
