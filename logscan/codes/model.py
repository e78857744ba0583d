"""Types for error codes: what kind of code a mention is, where it was found, what it means.

A log line says *how* a number should be read ("exit win32 code 5", "HRESULT=80040101",
"USMT returned exit code (0x00000026)"); ``CodeKind`` keeps that reading so a small
number such as 38 is never silently taken as a Win32 error when the text said it was a
USMT return code (or did not say at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CodeKind(StrEnum):
    """How the text qualifies a number, and which table answers for it."""

    HRESULT = "hresult"  # a 32-bit HRESULT/NTSTATUS-shaped value (0x80092024, HRESULT=...)
    WIN32 = "win32"  # a Win32 error code (ERROR_*): "exit win32 code 5", "Error 112."
    LAST_ERROR = "last_error"  # USMT's [gle=0x...]: the thread's last error, often stale
    EXIT_CODE = "exit_code"  # a process exit code: its meaning depends on the program
    USMT_RETURN = "usmt_return"  # a ScanState/LoadState/UsmtUtils return code
    UNQUALIFIED = "unqualified"  # a small value the text does not qualify: "(0x00000026)"


class Relevance(StrEnum):
    """How a code relates to the failure logscan exists for (KB977203)."""

    KB977203 = "kb977203"  # the signature itself: 0x80092024 CRYPT_E_NOT_CHAR_STRING
    LOOKALIKE = "lookalike"  # same symptom, different cause (other crypto or USMT errors)
    SUCCESS = "success"  # not a failure (0, 3010, USMT_SUCCESS ...)
    OTHER = "other"  # an ordinary failure with no special relation


class UsmtCategory(StrEnum):
    """The groups of the USMT return-code documentation."""

    SUCCESS_OR_CANCEL = "success_or_cancel"
    INVALID_COMMAND_LINE = "invalid_command_line"
    SETUP_AND_INITIALIZATION = "setup_and_initialization"
    STORE_VERIFICATION = "store_verification"  # reported by UsmtUtils /verify
    NON_FATAL = "non_fatal"
    FATAL = "fatal"


@dataclass(frozen=True, slots=True)
class CodeMention:
    """One error code found in a message.

    ``code`` is the value as unsigned 32 bits, whatever the spelling (0x80092024,
    80092024, 2148081700 and -2146885596 all give 0x80092024). ``text`` is the spelling
    of the number itself and ``start``/``end`` its span in the message, so a viewer can
    highlight exactly it; the words that qualified it ("exit code") are not included.
    """

    code: int
    text: str
    start: int
    end: int
    kind: CodeKind

    @property
    def hex(self) -> str:
        return f"0x{self.code:08X}"


@dataclass(frozen=True, slots=True)
class HResultParts:
    """A 32-bit value split into the HRESULT fields of winerror.h."""

    value: int
    failure: bool  # severity bit 31
    customer: bool  # bit 29: defined by a vendor, not Microsoft
    nt_mapped: bool  # bit 28 (FACILITY_NT_BIT): an NTSTATUS carried in an HRESULT
    facility: int  # bits 16-26
    facility_name: str | None
    code: int  # bits 0-15
    win32: int | None  # the Win32 code inside a FACILITY_WIN32 failure (0x8007xxxx)

    @property
    def signed(self) -> int:
        return self.value - (1 << 32) if self.value & 0x8000_0000 else self.value


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What logscan knows about one value read one way (``kind`` names the table).

    ``text`` is the message Windows prints where it is known, otherwise a short accurate
    description. ``facility``/``facility_name``/``failure`` are decoded from the value for
    HRESULT readings and None/False for Win32 and USMT readings, where those bits do not
    exist. ``win32`` is the wrapped Win32 code of a 0x8007xxxx HRESULT, or the code
    itself for a Win32 reading. ``note`` carries what the system text does not say.
    """

    code: int
    kind: CodeKind
    name: str
    text: str
    relevance: Relevance
    facility: int | None = None
    facility_name: str | None = None
    failure: bool = False
    win32: int | None = None
    note: str | None = None
    usmt_category: UsmtCategory | None = None

    @property
    def hex(self) -> str:
        return f"0x{self.code:08X}"

    @property
    def signed(self) -> int:
        return self.code - (1 << 32) if self.code & 0x8000_0000 else self.code
