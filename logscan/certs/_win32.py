"""crypt32.dll and the HKLM registry through ctypes/winreg: the only ctypes module of logscan.

Implements ``live.Crypt32`` and ``live.RegistryView`` on Windows. Every DWORD is
``c_uint32`` and every pointer ``c_void_p``/``POINTER``, so the structure layouts are the
same when this module is imported on Linux for tests of its declarations; ``argtypes`` and
``restype`` are set for every call (the default ``c_int`` would truncate 64-bit handles).
``WinDLL``, ``get_last_error`` and ``winreg`` exist only on Windows builds of Python; they
are looked up when an instance is created, so importing this module never fails.
"""

from __future__ import annotations

import ctypes
import importlib
from ctypes import POINTER, Structure, byref, c_int, c_ubyte, c_uint32, c_void_p, c_wchar_p
from typing import Any

from logscan.certs.live import SizeRef
from logscan.certs.model import KeyProvInfo


class CERT_CONTEXT(Structure):
    _fields_ = (
        ("dwCertEncodingType", c_uint32),
        ("pbCertEncoded", POINTER(c_ubyte)),
        ("cbCertEncoded", c_uint32),
        ("pCertInfo", c_void_p),
        ("hCertStore", c_void_p),
    )


class CRYPT_KEY_PROV_INFO(Structure):
    _fields_ = (
        ("pwszContainerName", c_void_p),
        ("pwszProvName", c_void_p),
        ("dwProvType", c_uint32),
        ("dwFlags", c_uint32),
        ("cProvParam", c_uint32),
        ("rgProvParam", c_void_p),
        ("dwKeySpec", c_uint32),
    )


PCCERT_CONTEXT = POINTER(CERT_CONTEXT)


def declare(dll: Any) -> Any:
    """Set argtypes/restype on every crypt32 function the reader calls; returns ``dll``."""
    dll.CertOpenStore.argtypes = [c_void_p, c_uint32, c_void_p, c_uint32, c_wchar_p]
    dll.CertOpenStore.restype = c_void_p
    dll.CertEnumCertificatesInStore.argtypes = [c_void_p, PCCERT_CONTEXT]
    dll.CertEnumCertificatesInStore.restype = PCCERT_CONTEXT
    dll.CertGetCertificateContextProperty.argtypes = [
        PCCERT_CONTEXT,
        c_uint32,
        c_void_p,
        POINTER(c_uint32),
    ]
    dll.CertGetCertificateContextProperty.restype = c_int
    dll.CertFreeCertificateContext.argtypes = [PCCERT_CONTEXT]
    dll.CertFreeCertificateContext.restype = c_int
    dll.CertCloseStore.argtypes = [c_void_p, c_uint32]
    dll.CertCloseStore.restype = c_int
    return dll


def _ctx(address: int) -> Any:
    """A PCCERT_CONTEXT for an address (None = NULL)."""
    return ctypes.cast(c_void_p(address), PCCERT_CONTEXT) if address else None


def _utf16_at(buf: bytearray, base: int, pointer: int | None) -> str | None:
    """The NUL-terminated UTF-16 string a pointer inside ``buf`` points at.

    Read from the buffer's bytes rather than with ``wstring_at``: portable, bounded by the
    buffer, and never reads memory the API did not hand us.
    """
    if not pointer:
        return None
    start = pointer - base
    if not 0 <= start < len(buf):
        return None
    end = start
    while end + 1 < len(buf) and buf[end : end + 2] != b"\0\0":
        end += 2
    return bytes(buf[start:end]).decode("utf-16-le", "replace")


class WinCrypt32:
    """``live.Crypt32`` over the real crypt32.dll."""

    def __init__(self, dll: Any | None = None) -> None:
        if dll is None:
            win_dll = getattr(ctypes, "WinDLL")  # noqa: B009 - exists on Windows only
            dll = win_dll("crypt32", use_last_error=True)
        self._dll = declare(dll)
        # None off Windows, where only the declarations are exercised (with a fake dll).
        self._get_last_error: Any = getattr(ctypes, "get_last_error", None)

    def open_store(self, provider: int, encoding: int, flags: int, name: str) -> int:
        handle = self._dll.CertOpenStore(provider, encoding, None, flags, name)
        return int(handle or 0)

    def enum_certificates(self, store: int, prev: int) -> int:
        result = self._dll.CertEnumCertificatesInStore(c_void_p(store), _ctx(prev))
        if not result:
            return 0
        return int(ctypes.cast(result, c_void_p).value or 0)

    def get_property(self, ctx: int, prop_id: int, buf: bytearray | None, size: SizeRef) -> bool:
        cb = c_uint32(size.value)
        data = (c_ubyte * len(buf)).from_buffer(buf) if buf else None
        ok = self._dll.CertGetCertificateContextProperty(_ctx(ctx), prop_id, data, byref(cb))
        size.value = cb.value
        return bool(ok)

    def context_der(self, ctx: int) -> bytes:
        context = _ctx(ctx).contents
        return ctypes.string_at(context.pbCertEncoded, context.cbCertEncoded)

    def decode_key_prov_info(self, buf: bytearray) -> KeyProvInfo | None:
        if len(buf) < ctypes.sizeof(CRYPT_KEY_PROV_INFO):
            return None
        cbuf = (c_ubyte * len(buf)).from_buffer(buf)
        base = ctypes.addressof(cbuf)
        info = CRYPT_KEY_PROV_INFO.from_buffer(buf)
        return KeyProvInfo(
            container=_utf16_at(buf, base, info.pwszContainerName),
            provider=_utf16_at(buf, base, info.pwszProvName),
            prov_type=info.dwProvType,
            flags=info.dwFlags,
            key_spec=info.dwKeySpec,
            param_count=info.cProvParam,
        )

    def free_context(self, ctx: int) -> bool:
        return bool(self._dll.CertFreeCertificateContext(_ctx(ctx)))

    def close_store(self, store: int, flags: int) -> bool:
        return bool(self._dll.CertCloseStore(c_void_p(store), flags))

    def last_error(self) -> int:
        if self._get_last_error is None:
            raise OSError("ctypes.get_last_error exists only on Windows")
        return int(self._get_last_error()) & 0xFFFFFFFF


class WinRegistry:
    """``live.RegistryView`` over winreg, HKEY_LOCAL_MACHINE, read-only."""

    def __init__(self) -> None:
        self._winreg: Any = importlib.import_module("winreg")

    def subkeys(self, path: str) -> list[str] | None:
        reg = self._winreg
        try:
            key = reg.OpenKey(reg.HKEY_LOCAL_MACHINE, path, 0, reg.KEY_READ)
        except FileNotFoundError:
            return None
        names: list[str] = []
        with key:
            index = 0
            while True:
                try:
                    names.append(str(reg.EnumKey(key, index)))
                except OSError:
                    return names
                index += 1

    def binary_value(self, path: str, name: str) -> bytes | None:
        reg = self._winreg
        try:
            with reg.OpenKey(reg.HKEY_LOCAL_MACHINE, path, 0, reg.KEY_READ) as key:
                value, _kind = reg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return value if isinstance(value, bytes) else None


# -- writing (repair's native fallback); additive, the reader above never writes ------------


class CRYPT_DATA_BLOB(Structure):
    _fields_ = (
        ("cbData", c_uint32),
        ("pbData", POINTER(c_ubyte)),
    )


def declare_write(dll: Any) -> Any:
    """Set argtypes/restype on CertSetCertificateContextProperty; returns ``dll``.

    Separate from ``declare`` so the read-only reader never needs the write export.
    """
    dll.CertSetCertificateContextProperty.argtypes = [PCCERT_CONTEXT, c_uint32, c_uint32, c_void_p]
    dll.CertSetCertificateContextProperty.restype = c_int
    return dll


class WinCrypt32Writer(WinCrypt32):
    """``WinCrypt32`` that can also set a property (``repair.native.WritableCrypt32``)."""

    def __init__(self, dll: Any | None = None) -> None:
        super().__init__(dll)
        declare_write(self._dll)

    def set_property(self, ctx: int, prop_id: int, flags: int, data: bytes) -> bool:
        # pvData is a CRYPT_DATA_BLOB for the friendly name; it is never NULL here, because
        # NULL would delete the property.
        buf = ctypes.create_string_buffer(data, len(data))
        blob = CRYPT_DATA_BLOB(len(data), ctypes.cast(buf, POINTER(c_ubyte)))
        ok = self._dll.CertSetCertificateContextProperty(_ctx(ctx), prop_id, flags, byref(blob))
        return bool(ok)
