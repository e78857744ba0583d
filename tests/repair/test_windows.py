"""The Windows side: the ctypes write adapter (checked anywhere) and real-machine smoke tests."""

from __future__ import annotations

import ctypes
import sys
from typing import Any

import pytest
from fake_dll import CRYPT32_WRITE, fake_dll

from logscan.certs import _win32 as W


def _dll(**bodies: Any) -> Any:
    return fake_dll(CRYPT32_WRITE, **bodies)


def test_the_write_call_is_declared_with_pointer_wide_types() -> None:
    dll = W.declare_write(_dll())
    fn = dll.CertSetCertificateContextProperty
    assert fn.argtypes == [W.PCCERT_CONTEXT, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_void_p]
    assert fn.restype is ctypes.c_int
    assert ctypes.sizeof(W.CRYPT_DATA_BLOB) == (16 if ctypes.sizeof(ctypes.c_void_p) == 8 else 8)


def test_the_adapter_passes_a_data_blob_never_null() -> None:
    seen: list[tuple[int, int, bytes]] = []

    def set_prop(ctx: Any, prop: int, flags: int, pv: Any) -> int:
        assert pv is not None  # NULL would delete the property
        blob = ctypes.cast(pv, ctypes.POINTER(W.CRYPT_DATA_BLOB)).contents
        seen.append((prop, flags, ctypes.string_at(blob.pbData, blob.cbData)))
        return 1

    api = W.WinCrypt32Writer(_dll(CertSetCertificateContextProperty=set_prop))
    value = "SMS Signing Certificate".encode("utf-16-le") + b"\0\0"
    assert api.set_property(0x1000, 11, 0, value)
    assert seen == [(11, 0, value)]


@pytest.mark.windows
def test_real_machine_state_and_store_read() -> None:
    from logscan.repair.host import default_repair_host
    from logscan.repair.stores import default_live_store

    state = default_repair_host().state()
    assert state.elevated in (True, False, None) and state.task_sequence in (True, False, None)
    result = default_live_store().read()
    assert result.store.value in ("found", "missing")


@pytest.mark.windows
def test_real_subprocess_runner_on_windows() -> None:
    from logscan.repair.runner import default_runner

    result = default_runner().run(["cmd.exe", "/c", "echo hi & exit 3"], timeout=30)
    assert result.returncode == 3 and "hi" in result.stdout
    assert sys.platform == "win32"
