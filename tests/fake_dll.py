"""A stand-in for a ctypes DLL: functions that record argtypes/restype and run Python bodies.

Lets the Windows-only ctypes adapters be declared and driven on any platform."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

CRYPT32_READ = (
    "CertOpenStore",
    "CertEnumCertificatesInStore",
    "CertGetCertificateContextProperty",
    "CertFreeCertificateContext",
    "CertCloseStore",
)
CRYPT32_WRITE = (*CRYPT32_READ, "CertSetCertificateContextProperty")


class FakeFunction:
    """A foreign function stand-in: records argtypes/restype, runs a Python body."""

    def __init__(self, body: Any = None) -> None:
        self.argtypes: Any = None
        self.restype: Any = None
        self.body = body

    def __call__(self, *args: Any) -> Any:
        return self.body(*args)


def fake_dll(names: tuple[str, ...], **bodies: Any) -> Any:
    return SimpleNamespace(**{n: FakeFunction(bodies.get(n)) for n in names})
