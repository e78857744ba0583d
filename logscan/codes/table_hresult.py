"""General HRESULTs (COM, WMI, BITS) met in ConfigMgr client and task-sequence logs.

Entries are ``(value, name, text)``. A 0x8007xxxx value needs an entry here only when
winerror.h gives it its own name (E_ACCESSDENIED, E_INVALIDARG ...); every other
0x8007xxxx is answered from the Win32 table as HRESULT_FROM_WIN32(ERROR_*). Crypto codes
are in ``table_crypt``.
"""

from __future__ import annotations

HRESULTS: tuple[tuple[int, str, str], ...] = (
    (0x00000000, "S_OK", "The operation completed successfully."),
    (0x00000001, "S_FALSE", "Successful but nonstandard completion of the operation."),
    (0x80004001, "E_NOTIMPL", "Not implemented."),
    (0x80004002, "E_NOINTERFACE", "No such interface supported."),
    (0x80004003, "E_POINTER", "Invalid pointer."),
    (0x80004004, "E_ABORT", "Operation aborted."),
    (0x80004005, "E_FAIL", "Unspecified error"),
    (0x8000FFFF, "E_UNEXPECTED", "Catastrophic failure"),
    (0x80040101, "DRAGDROP_E_ALREADYREGISTERED",
     "This window has already been registered as a drop target."),
    (0x80040154, "REGDB_E_CLASSNOTREG", "Class not registered"),
    (0x80041001, "WBEM_E_FAILED", "Generic failure"),
    (0x80041002, "WBEM_E_NOT_FOUND", "Not found"),
    (0x80041003, "WBEM_E_ACCESS_DENIED", "Access denied"),
    (0x80041010, "WBEM_E_INVALID_CLASS", "Invalid class"),
    (0x80041013, "WBEM_E_PROVIDER_LOAD_FAILURE", "Provider load failure"),
    (0x8004100E, "WBEM_E_INVALID_NAMESPACE", "Invalid namespace"),
    (0x80070005, "E_ACCESSDENIED", "Access is denied."),
    (0x80070006, "E_HANDLE", "The handle is invalid."),
    (0x8007000E, "E_OUTOFMEMORY", "Not enough storage is available to complete this operation."),
    (0x80070057, "E_INVALIDARG", "The parameter is incorrect."),
    (0x80080005, "CO_E_SERVER_EXEC_FAILURE", "Server execution failed"),
    (0x80190194, "BG_E_HTTP_ERROR_404", "The requested URL does not exist on the server."),
)  # fmt: skip
