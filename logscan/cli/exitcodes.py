"""Process exit codes, documented in the README and shared by every command."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # ran; nothing actionable
    FINDING = 1  # something actionable was found (a KB977203 condition, a failing rule test)
    USAGE = 2  # bad command line or option (click uses 2 as well)
    NO_INPUT = 3  # no readable input at all
    PARTIAL = 4  # ran, but some inputs could not be read (listed on stderr)
    INTERNAL = 70  # a bug in logscan: please report it with the message shown
