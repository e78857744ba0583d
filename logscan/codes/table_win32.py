"""Win32 error codes (ERROR_*) met in OSD, ConfigMgr client and USMT logs.

Entries are ``(code, name, text)`` with the text FormatMessage prints on Windows 7 (some
later releases reword a few, e.g. "storage" became "memory resources" for 8 and 14).
An HRESULT 0x8007xxxx wraps one of these (HRESULT_FROM_WIN32), so each entry also
answers for its 0x8007xxxx form. The 12xxx codes are WinHTTP/WinINet errors, whose text
comes from winhttp.dll / wininet.dll rather than the system table.
"""

from __future__ import annotations

WIN32: tuple[tuple[int, str, str], ...] = (
    (0, "ERROR_SUCCESS", "The operation completed successfully."),
    (1, "ERROR_INVALID_FUNCTION", "Incorrect function."),
    (2, "ERROR_FILE_NOT_FOUND", "The system cannot find the file specified."),
    (3, "ERROR_PATH_NOT_FOUND", "The system cannot find the path specified."),
    (4, "ERROR_TOO_MANY_OPEN_FILES", "The system cannot open the file."),
    (5, "ERROR_ACCESS_DENIED", "Access is denied."),
    (6, "ERROR_INVALID_HANDLE", "The handle is invalid."),
    (8, "ERROR_NOT_ENOUGH_MEMORY", "Not enough storage is available to process this command."),
    (13, "ERROR_INVALID_DATA", "The data is invalid."),
    (14, "ERROR_OUTOFMEMORY", "Not enough storage is available to complete this operation."),
    (15, "ERROR_INVALID_DRIVE", "The system cannot find the drive specified."),
    (19, "ERROR_WRITE_PROTECT", "The media is write protected."),
    (21, "ERROR_NOT_READY", "The device is not ready."),
    (23, "ERROR_CRC", "Data error (cyclic redundancy check)."),
    (31, "ERROR_GEN_FAILURE", "A device attached to the system is not functioning."),
    (32, "ERROR_SHARING_VIOLATION",
     "The process cannot access the file because it is being used by another process."),
    (33, "ERROR_LOCK_VIOLATION",
     "The process cannot access the file because another process has locked a portion of "
     "the file."),
    (38, "ERROR_HANDLE_EOF", "Reached the end of the file."),
    (39, "ERROR_HANDLE_DISK_FULL", "The disk is full."),
    (50, "ERROR_NOT_SUPPORTED", "The request is not supported."),
    (53, "ERROR_BAD_NETPATH", "The network path was not found."),
    (59, "ERROR_UNEXP_NET_ERR", "An unexpected network error occurred."),
    (64, "ERROR_NETNAME_DELETED", "The specified network name is no longer available."),
    (65, "ERROR_NETWORK_ACCESS_DENIED", "Network access is denied."),
    (67, "ERROR_BAD_NET_NAME", "The network name cannot be found."),
    (80, "ERROR_FILE_EXISTS", "The file exists."),
    (87, "ERROR_INVALID_PARAMETER", "The parameter is incorrect."),
    (110, "ERROR_OPEN_FAILED", "The system cannot open the device or file specified."),
    (112, "ERROR_DISK_FULL", "There is not enough space on the disk."),
    (122, "ERROR_INSUFFICIENT_BUFFER", "The data area passed to a system call is too small."),
    (123, "ERROR_INVALID_NAME",
     "The filename, directory name, or volume label syntax is incorrect."),
    (145, "ERROR_DIR_NOT_EMPTY", "The directory is not empty."),
    (183, "ERROR_ALREADY_EXISTS", "Cannot create a file when that file already exists."),
    (206, "ERROR_FILENAME_EXCED_RANGE", "The filename or extension is too long."),
    (234, "ERROR_MORE_DATA", "More data is available."),
    (259, "ERROR_NO_MORE_ITEMS", "No more data is available."),
    (267, "ERROR_DIRECTORY", "The directory name is invalid."),
    (1053, "ERROR_SERVICE_REQUEST_TIMEOUT",
     "The service did not respond to the start or control request in a timely fashion."),
    (1060, "ERROR_SERVICE_DOES_NOT_EXIST",
     "The specified service does not exist as an installed service."),
    (1168, "ERROR_NOT_FOUND", "Element not found."),
    (1223, "ERROR_CANCELLED", "The operation was canceled by the user."),
    (1231, "ERROR_NETWORK_UNREACHABLE",
     "The network location cannot be reached. For information about network "
     "troubleshooting, see Windows Help."),
    (1326, "ERROR_LOGON_FAILURE", "Logon failure: unknown user name or bad password."),
    (1392, "ERROR_FILE_CORRUPT", "The file or directory is corrupted and unreadable."),
    (1460, "ERROR_TIMEOUT", "This operation returned because the timeout period expired."),
    (1603, "ERROR_INSTALL_FAILURE", "Fatal error during installation."),
    (1618, "ERROR_INSTALL_ALREADY_RUNNING",
     "Another installation is already in progress. Complete that installation before "
     "proceeding with this install."),
    (1641, "ERROR_SUCCESS_REBOOT_INITIATED",
     "The requested operation completed successfully. The system will be restarted so the "
     "changes can take effect."),
    (1722, "RPC_S_SERVER_UNAVAILABLE", "The RPC server is unavailable."),
    (3010, "ERROR_SUCCESS_REBOOT_REQUIRED",
     "The requested operation is successful. Changes will not be effective until the "
     "system is rebooted."),
    (12002, "ERROR_WINHTTP_TIMEOUT", "The operation timed out"),
    (12007, "ERROR_WINHTTP_NAME_NOT_RESOLVED",
     "The server name or address could not be resolved"),
    (12029, "ERROR_WINHTTP_CANNOT_CONNECT",
     "A connection with the server could not be established"),
    (12175, "ERROR_WINHTTP_SECURE_FAILURE", "A security error occurred"),
)  # fmt: skip
