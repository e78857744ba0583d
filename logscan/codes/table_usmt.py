"""USMT 4/5/10 return codes (ScanState, LoadState, UsmtUtils) with their documented category.

Entries are ``(code, name, category, text)``. Microsoft's table lists several possible
messages per code; the text here is a short summary of them, not a quote. OSDUSMT
(OSDMigrateUserState.exe) reports these both in decimal and in hex: 38 = 0x00000026.
None of them is the KB977203 failure: that one is reported by OSDSMPClient as
0x80092024 before or after USMT runs.
"""

from __future__ import annotations

from logscan.codes.model import UsmtCategory

_S = UsmtCategory.SUCCESS_OR_CANCEL
_CMD = UsmtCategory.INVALID_COMMAND_LINE
_INIT = UsmtCategory.SETUP_AND_INITIALIZATION

USMT: tuple[tuple[int, str, UsmtCategory, str], ...] = (
    (0, "USMT_SUCCESS", _S, "Successful run."),
    (1, "USMT_DISPLAY_HELP", _S, "Command-line help was requested."),
    (2, "USMT_STATUS_CANCELED", _S,
     "The run was cancelled: the user pressed Ctrl+C, or gathering stopped at an EFS file."),
    (3, "USMT_WOULD_HAVE_FAILED", _S,
     "At least one error was skipped because /c (continue on error) was given."),
    (11, "USMT_INVALID_PARAMETERS", _CMD, "Invalid or conflicting command-line parameters."),
    (12, "USMT_ERROR_OPTION_PARAM_TOO_LARGE", _CMD,
     "A command-line argument exceeds 256 characters."),
    (13, "USMT_INIT_LOGFILE_FAILED", _CMD, "The log path given with /l is invalid."),
    (14, "USMT_ERROR_USE_LAC", _CMD,
     "A local account would have to be created but /lac was not specified."),
    (26, "USMT_INIT_ERROR", _INIT,
     "Initialization failed (several Windows installations found, an unknown exception, "
     "or the current user name could not be read)."),
    (27, "USMT_INVALID_STORE_LOCATION", _INIT,
     "The store path is missing, incomplete, cannot be overwritten, or could not be "
     "created."),
    (28, "USMT_UNABLE_GET_SCRIPTFILES", _INIT,
     "A migration XML file given with /i is missing or invalid."),
    (29, "USMT_FAILED_MIGSTARTUP", _INIT,
     "The migration could not start (for example less than 250 MB free for temporary "
     "files, or another USMT instance is running)."),
    (31, "USMT_UNABLE_FINDMIGUNITS", _INIT, "An error occurred during the discovery phase."),
    (32, "USMT_FAILED_SETMIGRATIONTYPE", _INIT,
     "An error occurred while processing the migration system."),
    (33, "USMT_UNABLE_READKEY", _INIT,
     "The encryption key (/key or /keyfile) could not be read or is empty."),
    (34, "USMT_ERROR_INSUFFICIENT_RIGHTS", _INIT,
     "Not enough rights: run elevated, as an administrator."),
    (35, "USMT_UNABLE_DELETE_STORE", _INIT,
     "The existing store could not be removed or overwritten (a restart may be needed)."),
    (36, "USMT_ERROR_UNSUPPORTED_PLATFORM", _INIT,
     "Unsupported platform, or the wrong (32/64-bit) USMT build for this system."),
    (37, "USMT_ERROR_NO_INVALID_KEY", _INIT,
     "The store is encrypted and the correct decryption key was not given."),
    (38, "USMT_ERROR_CORRUPTED_NOTENCRYPTED_STORE", _INIT,
     "An error occurred while accessing the store."),
    (39, "USMT_UNABLE_TO_READ_CONFIG_FILE", _INIT,
     "The configuration file given with /config could not be read."),
    (40, "USMT_ERROR_UNABLE_CREATE_PROGRESS_LOG", _INIT,
     "The progress log path given with /progress is invalid."),
    (41, "USMT_PREFLIGHT_FILE_CREATION_FAILED", _INIT,
     "A file needed for the run (for example the space estimate) could not be created."),
    (42, "USMT_ERROR_CORRUPTED_STORE", UsmtCategory.STORE_VERIFICATION,
     "The store contains one or more corrupted files."),
    (61, "USMT_MIGRATION_STOPPED_NONFATAL", UsmtCategory.NON_FATAL,
     "Processing stopped because of an I/O error."),
    (71, "USMT_INIT_OPERATING_ENVIRONMENT_FAILED", UsmtCategory.FATAL,
     "USMT could not initialize its operating environment (a Win32 API error, logging "
     "could not start, or it was not run elevated)."),
    (72, "USMT_UNABLE_DOMIGRATION", UsmtCategory.FATAL,
     "The migration itself failed (while gathering, applying or closing the store)."),
)  # fmt: skip
