"""HRESULT arithmetic: split a 32-bit value into severity, facility and code, name facilities.

Layout (winerror.h): bit 31 severity (1 = failure), bit 29 customer, bit 28 NTSTATUS
mapped, bits 16-26 facility, bits 0-15 code. ``HRESULT_FROM_WIN32(e)`` is
``0x80070000 | e`` for a non-zero Win32 code ``e``, which is why 0x80070005 *is* Win32
error 5 (access denied) and is looked up through the Win32 table.
"""

from __future__ import annotations

from logscan.codes.model import HResultParts

MASK32 = 0xFFFF_FFFF
FAILURE_BIT = 0x8000_0000
FACILITY_WIN32 = 7
FACILITY_CONFIGMGR = 0x7D0  # 0x87D0xxxx: ConfigMgr's own codes, not in winerror.h

# Facility numbers from winerror.h. SSPI and SECURITY share 9; the crypto codes
# (NTE_*, SEC_E_*, CRYPT_E_*) all live there.
FACILITY_NAMES: dict[int, str] = {
    0: "FACILITY_NULL",
    1: "FACILITY_RPC",
    2: "FACILITY_DISPATCH",
    3: "FACILITY_STORAGE",
    4: "FACILITY_ITF",
    7: "FACILITY_WIN32",
    8: "FACILITY_WINDOWS",
    9: "FACILITY_SECURITY (SSPI)",
    10: "FACILITY_CONTROL",
    11: "FACILITY_CERT",
    12: "FACILITY_INTERNET",
    13: "FACILITY_MEDIASERVER",
    14: "FACILITY_MSMQ",
    15: "FACILITY_SETUPAPI",
    16: "FACILITY_SCARD",
    17: "FACILITY_COMPLUS",
    18: "FACILITY_AAF",
    19: "FACILITY_URT",
    20: "FACILITY_ACS",
    21: "FACILITY_DPLAY",
    22: "FACILITY_UMI",
    23: "FACILITY_SXS",
    24: "FACILITY_WINDOWS_CE",
    25: "FACILITY_HTTP",
    26: "FACILITY_USERMODE_COMMONLOG",
    31: "FACILITY_USERMODE_FILTER_MANAGER",
    32: "FACILITY_BACKGROUNDCOPY",
    33: "FACILITY_CONFIGURATION",
    34: "FACILITY_STATE_MANAGEMENT",
    35: "FACILITY_METADIRECTORY",
    36: "FACILITY_WINDOWSUPDATE",
    37: "FACILITY_DIRECTORYSERVICE",
    38: "FACILITY_GRAPHICS",
    39: "FACILITY_SHELL",
    40: "FACILITY_TPM_SERVICES",
    41: "FACILITY_TPM_SOFTWARE",
    48: "FACILITY_PLA",
    49: "FACILITY_FVE",
    50: "FACILITY_FWP",
    51: "FACILITY_WINRM",
    52: "FACILITY_NDIS",
    53: "FACILITY_USERMODE_HYPERVISOR",
    54: "FACILITY_CMI",
    80: "FACILITY_WINDOWS_DEFENDER",
    FACILITY_CONFIGMGR: "ConfigMgr (0x87D0xxxx, not in winerror.h)",
}


def decode(value: int) -> HResultParts:
    """Split ``value`` (signed or unsigned 32-bit) into its HRESULT fields.

    Raises ValueError outside -2**31 .. 2**32-1: callers pass numbers they parsed.
    """
    if not -(1 << 31) <= value <= MASK32:
        raise ValueError(f"{value} does not fit in 32 bits")
    value &= MASK32
    facility = (value >> 16) & 0x7FF
    failure = bool(value & FAILURE_BIT)
    code = value & 0xFFFF
    return HResultParts(
        value=value,
        failure=failure,
        customer=bool(value & 0x2000_0000),
        nt_mapped=bool(value & 0x1000_0000),
        facility=facility,
        facility_name=FACILITY_NAMES.get(facility),
        code=code,
        win32=code if failure and facility == FACILITY_WIN32 else None,
    )


def is_hresult_shaped(value: int) -> bool:
    """True when a value cannot be a plain Win32 code or small exit code.

    Win32 codes fit in 16 bits; anything with a facility or the severity bit set is an
    HRESULT (or NTSTATUS) whatever the words around it say.
    """
    return value > 0xFFFF


def plausible_failure(value: int) -> bool:
    """True for a failure HRESULT from a facility Windows or ConfigMgr actually uses.

    Used to accept unqualified numbers (a bare ``80092024``): a byte count or a random
    hex word almost never lands on a named facility with the severity bit set.
    """
    if not value & FAILURE_BIT:
        return False
    return ((value >> 16) & 0x7FF) in FACILITY_NAMES
