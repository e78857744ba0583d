"""What the system texts do not say: project knowledge attached to codes, and how each code
relates to KB977203 (the signature, a look-alike, a success, or just another failure).

Notes are keyed by the value in the table that owns them. A Win32 note does not carry
over to the code's 0x8007xxxx form by itself (38 from OSDUSMT means something else than
0x80070026); give the HRESULT its own note where it applies.
"""

from __future__ import annotations

from logscan.codes.hresult import FAILURE_BIT
from logscan.codes.model import CodeKind, Relevance

KB977203_CODE = 0x80092024

_USMT_NOT_THIS = (
    "A USMT return code, not KB977203: the certificate failure is reported by OSDSMPClient "
    "as 0x80092024, not by ScanState/LoadState."
)

HRESULT_NOTES: dict[int, str] = {
    KB977203_CODE: (
        "KB977203: logged by OSDSMPClient (ccmexec.log, smsts.log) as 'Failed to import "
        "client certificate store (0x80092024)'. An SMS client certificate in the "
        "LocalMachine SMS store has an embedded NUL in its friendly name, which CryptoAPI "
        "refuses since security update 974571 (MS09-056) and Windows 7 SP1; the system "
        "text does not mention friendly names. Fix: hotfix KB977203 (with its client "
        "patch), then CCMCertFix.exe on every existing client."
    ),
    0x80092002: (
        "Not KB977203: a certificate or message is badly encoded (a corrupt blob), not a "
        "friendly-name problem."
    ),
    0x80092004: (
        "Not KB977203: the certificate or property was not found (for example an SMS "
        "certificate missing from the store)."
    ),
    0x80070005: (
        "Not KB977203: access denied (permissions on the state store or share, or the "
        "account running the step)."
    ),
    0x80004005: "Generic failure: the specific cause is in the records just before it.",
    0x80040101: (
        "ConfigMgr 2007 task-sequence policy code returns this value "
        "(HRESULT=80040101 from tspolicy.cpp, quoted in KB2509330); the system name is an "
        "unrelated COM drag-and-drop code, so read the records around it."
    ),
    0x8004100E: (
        "The WMI namespace does not exist: on a client being set up this is usually the "
        "ConfigMgr client namespace that is not there (yet), or a damaged WMI repository."
    ),
    0x80190194: (
        "BITS got HTTP 404: the requested content or client source is not at that "
        "distribution point or management point URL."
    ),
}

WIN32_NOTES: dict[int, str] = {
    5: (
        "Not KB977203: access denied (permissions on the state store or share, or the "
        "account running the step)."
    ),
    38: (
        "When OSDUSMT (Capture/Restore User State) reports exit code 38 it is the USMT "
        "return code USMT_ERROR_CORRUPTED_NOTENCRYPTED_STORE, not this Win32 error: read "
        "it as a USMT return code (logscan code 38 --usmt)."
    ),
    1641: "Success; the installer started a restart.",
    3010: "Success; a restart is needed to finish.",
}

USMT_NOTES: dict[int, str] = {
    27: (
        "Not KB977203: USMT could not use the store location (state migration point share "
        "or local path). " + _USMT_NOT_THIS
    ),
    38: (
        "OSDUSMT logs it as 'exit code 38' and '(0x00000026)'; as a Win32 code 38 would be "
        "ERROR_HANDLE_EOF, which is not what USMT means. " + _USMT_NOT_THIS
    ),
    71: (
        "Not KB977203: USMT could not start (cancelled, not elevated, or logging failed). "
        + _USMT_NOT_THIS
    ),
}

_WIN32_SUCCESS = frozenset({0, 1641, 3010})
_USMT_SUCCESS = frozenset({0, 1})
# Facilities whose failures look like the certificate problem but are not it.
_CRYPTO_FACILITIES = frozenset({9, 11})


def note_for(kind: CodeKind, value: int) -> str | None:
    """The note for ``value`` read as ``kind`` (HRESULT, WIN32 or USMT_RETURN)."""
    if kind is CodeKind.USMT_RETURN:
        if value in USMT_NOTES:
            return USMT_NOTES[value]
        return None if value in _USMT_SUCCESS else _USMT_NOT_THIS
    if kind is CodeKind.HRESULT:
        return HRESULT_NOTES.get(value)
    return WIN32_NOTES.get(value)


def relevance_for(kind: CodeKind, value: int) -> Relevance:
    """How ``value`` read as ``kind`` relates to KB977203."""
    if kind is CodeKind.USMT_RETURN:
        return Relevance.SUCCESS if value in _USMT_SUCCESS else Relevance.LOOKALIKE
    if kind is CodeKind.HRESULT:
        if value == KB977203_CODE:
            return Relevance.KB977203
        if not value & FAILURE_BIT:
            return Relevance.SUCCESS
        if (value >> 16) & 0x7FF in _CRYPTO_FACILITIES or value == 0x80070005:
            return Relevance.LOOKALIKE
        return Relevance.OTHER
    if value in _WIN32_SUCCESS:
        return Relevance.SUCCESS
    return Relevance.LOOKALIKE if value == 5 else Relevance.OTHER
