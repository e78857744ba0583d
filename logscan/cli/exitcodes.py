"""Process exit codes, documented in the README and shared by every command."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # ran; nothing actionable
    FINDING = 1  # something actionable was found (a KB977203 condition, a failing rule test)
    USAGE = 2  # bad command line or option (click uses 2 as well)
    NO_INPUT = 3  # no readable input at all
    PARTIAL = 4  # ran, but some inputs could not be read (listed on stderr)
    OUTPUT = 5  # results could not be written (output folder not writable, disk full)
    # repair: each interlock has its own code, so scripts can tell why nothing changed
    NOT_ELEVATED = 10  # repair refused: not elevated (or cannot tell)
    TASK_SEQUENCE_RUNNING = 11  # repair refused: a task sequence runs (or cannot tell)
    REPAIR_NOT_NEEDED = 12  # repair refused: the verdict or the store calls for no repair
    NO_SMS_STORE = 13  # repair refused: no SMS certificate store (or unreadable)
    TOOL_NOT_FOUND = 14  # repair refused: CCMCertFix.exe not found
    TOOL_REFUSED = 15  # repair refused: CCMCertFix.exe failed verification
    STORE_CHANGED = 16  # repair refused: the store changed between plan and execution
    NOT_CONFIRMED = 17  # repair declined, or no terminal to ask and no --yes
    REPAIR_UNCHANGED = 18  # repair ran; the store is unchanged
    REPAIR_FAILED = 19  # repair ran or started and did not verify (see the backup)
