"""The live CryptoAPI reader: the same reading code against the crypt32 twin, and the
ctypes declarations of the Windows adapter (layouts, argtypes, buffers) checked on any OS."""

from __future__ import annotations

import ctypes
import struct
import sys
from typing import Any

import certfactory as F
import pytest
from fake_dll import CRYPT32_READ, fake_dll

from logscan.certs import _win32 as W
from logscan.certs import props as P
from logscan.certs._crypt32_twin import Crypt32Twin, RegistryTwin
from logscan.certs.blob import parse_blob
from logscan.certs.live import (
    CERT_CLOSE_STORE_CHECK_FLAG,
    CRYPT_E_NOT_FOUND,
    E_ACCESSDENIED,
    ERROR_MORE_DATA,
    READ_ONLY_OPEN,
    LiveSource,
    SizeRef,
)
from logscan.certs.model import ProblemCode, StoreState
from logscan.errors import SourceLocation
from logscan.model import Level


def _twin(**kw: Any) -> tuple[Crypt32Twin, dict[str, bytes]]:
    blobs = F.client_pair("PC01", "trailing", "middle")
    return Crypt32Twin({"SMS": list(blobs.values())}, **kw), blobs


def test_live_reader_matches_the_offline_blob_reader_byte_for_byte() -> None:
    twin, blobs = _twin()
    result = LiveSource(twin).read()
    assert result.problems == () and result.store is StoreState.FOUND
    assert READ_ONLY_OPEN == 0x0002C000
    for cert, (name, blob) in zip(result.certs, blobs.items(), strict=True):
        offline, _ = parse_blob(blob, location=SourceLocation("x"))
        assert offline is not None
        assert cert.thumbprint == name == offline.thumbprint
        assert cert.friendly_name_raw == offline.friendly_name_raw
        assert cert.nul_positions == offline.nul_positions
        assert cert.key_provider == offline.key_provider and cert.has_private_key
        assert cert.properties == (P.KEY_PROV_INFO, P.SHA1_HASH, P.FRIENDLY_NAME)
        assert cert.origin.path == f"live:LocalMachine\\SMS\\{name}"
    assert [c.nul_positions for c in result.certs] == [(23,), (3,)]


def test_call_sequence_is_read_only_two_call_and_leak_free() -> None:
    twin, _ = _twin()
    LiveSource(twin).read()
    assert twin.calls[0] == ("CertOpenStore", 10, 0, 0x0002C000, "SMS")
    assert (
        twin.calls[-1][0] == "CertCloseStore" and twin.calls[-1][2] == CERT_CLOSE_STORE_CHECK_FLAG
    )
    props = [c for c in twin.calls if c[0] == "CertGetCertificateContextProperty"]
    for prop_id in (P.SHA1_HASH, P.FRIENDLY_NAME, P.KEY_PROV_INFO):
        per = [c[3] for c in props if c[2] == prop_id]
        assert per == [False, True] * 2  # size query then read, for each certificate
    enums = [c for c in twin.calls if c[0] == "CertEnumCertificatesInStore"]
    assert [c[2] == 0 for c in enums] == [True, False, False]  # NULL first, then the previous
    assert twin.open_contexts == set() and twin.open_stores == {} and twin.created == []


def test_no_sms_store_is_a_clear_state_and_is_never_created() -> None:
    twin = Crypt32Twin({"My": []})
    result = LiveSource(twin).read()
    assert result.store is StoreState.MISSING and result.certs == ()
    [problem] = result.problems
    assert problem.code is ProblemCode.NO_STORE and problem.severity is Level.WARNING
    assert twin.created == []
    # Without OPEN_EXISTING the same call would create the store as a side effect.
    assert twin.open_store(10, 0, 0x00028000, "SMS") != 0 and twin.created == ["SMS"]


def test_property_that_grows_between_calls_is_retried_after_error_more_data() -> None:
    twin, _ = _twin(grow=frozenset({P.FRIENDLY_NAME}))
    result = LiveSource(twin).read()
    assert result.problems == ()
    first = result.certs[0]
    assert first.friendly is not None and len(first.friendly.raw) == 52
    assert first.nul_positions == (23, 24)
    reads = [c for c in twin.calls if c[0] == "CertGetCertificateContextProperty" and c[2] == 11]
    assert [c[3] for c in reads[:3]] == [False, True, True]


class _DeniedTwin(Crypt32Twin):
    """Refuses property 11 of the first certificate, as a locked-down system might."""

    def get_property(self, ctx: int, prop_id: int, buf: bytearray | None, size: SizeRef) -> bool:
        if prop_id == P.FRIENDLY_NAME and self._contexts[ctx][1] == 0:
            self._fail(E_ACCESSDENIED)
            return False
        return super().get_property(ctx, prop_id, buf, size)


def test_api_error_on_one_certificate_keeps_the_others() -> None:
    blobs = F.client_pair("PC01", "clean", "trailing")
    twin = _DeniedTwin({"SMS": list(blobs.values())})
    result = LiveSource(twin).read()
    [problem] = result.problems
    assert problem.code is ProblemCode.API_ERROR and "0x80070005" in problem.message
    assert problem.thumbprint == next(iter(blobs))
    assert [c.nul_positions for c in result.certs] == [(26,)]
    assert twin.open_contexts == set()


class _CrashTwin(Crypt32Twin):
    def context_der(self, ctx: int) -> bytes:
        if self._contexts[ctx][1] == 1:
            raise RuntimeError("bug in a caller")
        return super().context_der(ctx)


def test_context_and_store_are_released_even_when_reading_breaks() -> None:
    twin = _CrashTwin({"SMS": list(F.client_pair().values())})
    with pytest.raises(RuntimeError):
        LiveSource(twin).read()
    assert twin.open_contexts == set() and twin.open_stores == {}


def test_leaked_context_is_reported_by_the_close_check() -> None:
    twin, _ = _twin()
    store = twin.open_store(10, 0, READ_ONLY_OPEN, "SMS")
    twin.enum_certificates(store, 0)
    assert not twin.close_store(store, CERT_CLOSE_STORE_CHECK_FLAG)
    assert twin.last_error() == 0x8009200F


def test_absent_property_and_short_buffer_follow_the_api_contract() -> None:
    twin, _ = _twin()
    store = twin.open_store(10, 0, READ_ONLY_OPEN, "SMS")
    ctx = twin.enum_certificates(store, 0)
    size = SizeRef(0)
    assert not twin.get_property(ctx, 13, None, size) and twin.last_error() == CRYPT_E_NOT_FOUND
    assert twin.get_property(ctx, P.FRIENDLY_NAME, None, size) and size.value == 50
    small = SizeRef(10)
    assert not twin.get_property(ctx, P.FRIENDLY_NAME, bytearray(10), small)
    assert twin.last_error() == ERROR_MORE_DATA and small.value == 50
    assert twin.get_property(ctx, P.MD5_HASH, None, size) and size.value == 16


# -- registry cross-check -----------------------------------------------------------------


def test_registry_cross_check_agrees_with_the_api() -> None:
    twin, blobs = _twin()
    result = LiveSource(twin, RegistryTwin.of_store(blobs)).read()
    assert result.problems == ()


def test_registry_cross_check_reports_disagreements() -> None:
    twin, blobs = _twin()
    sign, enc = blobs
    reg = dict(blobs)
    del reg[enc]
    der = F.make_der("PC01", "signing", serial=1)
    reg[sign] = F.sms_blob(der, F.friendly(F.SIGNING, "clean"))  # repaired only in the registry
    stray = F.sms_blob(F.make_der("PC09", "signing", serial=9), F.friendly(F.SIGNING, "trailing"))
    reg["0" * 40] = stray
    result = LiveSource(twin, RegistryTwin.of_store(reg)).read()
    found = sorted((p.code.value, p.thumbprint or "") for p in result.problems)
    assert found == sorted(
        [
            ("not_in_store", sign),  # friendly bytes differ
            ("not_in_store", enc),  # API has it, registry does not
            ("not_in_store", "0" * 40),  # registry has it, API ignores it
            ("thumbprint_mismatch", "0" * 40),
        ]
    )
    assert all(p.severity is not Level.INFO for p in result.problems)


# -- the ctypes adapter, checked without Windows ----------------------------------------------


@pytest.mark.skipif(ctypes.sizeof(ctypes.c_void_p) != 8, reason="x64 layout")
def test_structure_layouts_match_the_windows_sdk_on_x64() -> None:
    assert ctypes.sizeof(W.CERT_CONTEXT) == 40
    assert [getattr(W.CERT_CONTEXT, f[0]).offset for f in W.CERT_CONTEXT._fields_] == [
        0,
        8,
        16,
        24,
        32,
    ]
    assert ctypes.sizeof(W.CRYPT_KEY_PROV_INFO) == 48
    offsets = [getattr(W.CRYPT_KEY_PROV_INFO, f[0]).offset for f in W.CRYPT_KEY_PROV_INFO._fields_]
    assert offsets == [0, 8, 16, 20, 24, 32, 40]


def _fake_dll(**bodies: Any) -> Any:
    return fake_dll(CRYPT32_READ, **bodies)


def test_every_call_gets_argtypes_and_a_pointer_wide_restype() -> None:
    dll = W.declare(_fake_dll())
    for fn in vars(dll).values():
        assert fn.argtypes is not None and fn.restype is not None
    assert dll.CertOpenStore.restype is ctypes.c_void_p
    assert dll.CertOpenStore.argtypes[0] is ctypes.c_void_p  # provider 10 passed as an integer
    assert dll.CertEnumCertificatesInStore.restype is W.PCCERT_CONTEXT
    assert all(t is not ctypes.c_ulong for fn in vars(dll).values() for t in fn.argtypes)


def test_adapter_fills_the_callers_buffer_and_size() -> None:
    name = F.friendly(F.SIGNING, "trailing")

    def get_prop(ctx: Any, prop: int, data: Any, pcb: Any) -> int:
        cb = pcb._obj
        if data is None:
            cb.value = len(name)
            return 1
        ctypes.memmove(data, name, len(name))
        cb.value = len(name)
        return 1

    api = W.WinCrypt32(_fake_dll(CertGetCertificateContextProperty=get_prop))
    size = SizeRef()
    assert api.get_property(0x1000, 11, None, size) and size.value == 50
    buf = bytearray(size.value)
    assert api.get_property(0x1000, 11, buf, size) and bytes(buf) == name


def test_adapter_decodes_the_in_memory_key_prov_info_by_its_pointers() -> None:
    container = "{C0FFEE}".encode("utf-16-le") + b"\0\0"
    provider = "Microsoft Strong Cryptographic Provider".encode("utf-16-le") + b"\0\0"
    head = ctypes.sizeof(W.CRYPT_KEY_PROV_INFO)
    buf = bytearray(head + len(container) + len(provider))
    buf[head:] = container + provider
    base = ctypes.addressof((ctypes.c_ubyte * len(buf)).from_buffer(buf))
    info = W.CRYPT_KEY_PROV_INFO.from_buffer(buf)
    info.pwszContainerName = base + head
    info.pwszProvName = base + head + len(container)
    info.dwProvType, info.dwFlags, info.dwKeySpec = 1, 0x20, 2
    decoded = W.WinCrypt32(_fake_dll()).decode_key_prov_info(buf)
    assert decoded is not None
    assert (decoded.container, decoded.provider) == (
        "{C0FFEE}",
        "Microsoft Strong Cryptographic Provider",
    )
    assert (decoded.prov_type, decoded.flags, decoded.key_spec) == (1, 0x20, 2)
    assert W.WinCrypt32(_fake_dll()).decode_key_prov_info(bytearray(8)) is None
    assert struct.calcsize("P") in (4, 8)


def test_live_factory_refuses_off_windows() -> None:
    from logscan.certs.source import live
    from logscan.errors import UsageError

    if sys.platform == "win32":
        pytest.skip("on Windows the factory returns the real reader")
    with pytest.raises(UsageError, match="needs Windows"):
        live()


@pytest.mark.windows
def test_real_store_reads_without_api_errors() -> None:
    from logscan.certs.source import live

    result = live().read()
    assert result.store in (StoreState.FOUND, StoreState.MISSING)
    assert not [p for p in result.problems if p.code is ProblemCode.API_ERROR]
    for cert in result.certs:
        assert len(cert.thumbprint) == 40 and cert.der
