"""Find error codes in a log message, in every spelling ConfigMgr, OSD and USMT use.

One compiled regex finds candidates; a little Python then decides the value, the kind
and whether an unqualified number is believable. Spellings handled (log-formats.md 3.3):

    Error 0x80004005            (Error: 80070057; Source: Windows)     0x(80070057)
    HRESULT=80040101 (...)      USMT returned exit code (0x00000026)   (0x80092024)
    exit win32 code 0           Process completed with exit code 38    [gle=0x000000b7]
    ErrorCode="-2145844844"     bare 80092024 / -2146885596 / 2148081700

A number is taken when words qualify it ("error", "exit code", "HRESULT", "gle") or
when its spelling can only be a code (``0x`` plus 8 digits, an 8-digit hex word starting
with 8/C/D, a 10-digit decimal). Unqualified numbers must also *decode* as a failure from
a real facility, or be in logscan's table when they are all digits or a C/D word with a
facility (ConfigMgr package ids on a hex-looking site code look like that), so timestamps,
GUIDs, thumbprints, hex dumps, byte counts, thread ids, package ids and versions stay out.
"""

from __future__ import annotations

import re

from logscan.codes.hresult import MASK32, is_hresult_shaped, plausible_failure
from logscan.codes.lookup import is_known
from logscan.codes.model import CodeKind, CodeMention

_CODE_RE = re.compile(
    r"""
    (?=[ewgrhfuslcd_\d-])            # every match starts with one of these: skip the rest fast
    (?:
      # ---- 1. a number qualified by the words in front of it ----
        \b(?=[ewgrhfusl_])           # a word start that can begin a qualifier
        # a USMT tool named earlier in the same clause makes an exit code a USMT code
        (?P<usmt>\b(?:usmt|usmtutils|scanstate|loadstate)(?:\.exe)?\b[^.;\n]{0,40}?)?
        (?:
            (?P<w_win32>\bexit\s+win32\s+code|\bwin32\s+(?:error|code))  # TSManager steps
          | (?P<w_gle>\bgle)                                    # USMT [gle=0x000000b7]
          | (?P<w_exit>\b(?:exit|return)\s+code|\bexit\s+status     # child exits
                |\b_?smsts\w{0,30}?retcode)                      # _SMSTSLastActionRetCode=
          | (?P<w_hr>\bhr(?:esult)?)                            # HRESULT=80040101, hr=0x...
          | (?P<w_fail>\bfailed(?:\s+with(?:\s+error)?(?:\s+code)?)?)  # failed with 0x..
          | (?P<w_err>\berror(?:\s*code)?)                     # Error 0x.., ErrorCode="..."
        )
        (?=[\s:=#"'(])[\s:=#]{0,4}["'(]?\s*                     # ": ", "=", " (", '="'
        (?P<qval>
            0x\([0-9a-f]{8}\)                                   # TSManager 0x(80070057)
          | 0x[0-9a-f]{1,8}                                     # 0x80004005, 0x0
          | [0-9a-f]{8}                                         # 8 digits are always hex
          | -?\d{1,10}                                          # decimal, signed or not
        )
        (?![0-9a-z_]|[.:/\\-][0-9a-z])                          # whole token; "112." is fine
      # ---- 2. spellings that are codes without any qualifying word (gates first) ----
      | (?=0x)(?<![\w$])
        (?P<b0x>0x(?:\([0-9a-f]{8}\)|[0-9a-f]{8}))             # 0x80092024, 0x(80070057)
        (?![0-9a-z_]|[.:/\\-][0-9a-z])
      | (?=[8cd])(?<![\w.:{}\-/\\$#@%&+])                      # not inside GUIDs, paths
        (?<![0-9a-f]{8}\s)                                      # not a hex-dump column
        (?P<bhex>[8cd][0-9a-f]{7})                              # 80092024, C0000005
        (?![\w}/\\+]|[.:\-][0-9a-z]|\s[0-9a-f]{8}\b|\s*(?:bytes?|[kmg]b)\b)
      | (?=[-\d])(?<![\w.:/\\-])
        (?P<bdec>-?\d{10})                                      # 2148081700, -2146885596
        (?![\w]|[.:/\\-]\d)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _value(token: str) -> int | None:
    """The unsigned 32-bit value of one number token, or None when it does not fit."""
    if token[:2].lower() == "0x":
        return int(token[2:].strip("()"), 16)
    if len(token) == 8 and not token.startswith("-"):
        return int(token, 16)
    number = int(token)
    if not -(1 << 31) <= number <= MASK32:
        return None
    return number & MASK32


def _qualified_kind(match: re.Match[str], value: int) -> CodeKind:
    if is_hresult_shaped(value) or match["w_hr"] or match["qval"].startswith("0x("):
        return CodeKind.HRESULT
    if match["w_gle"]:
        return CodeKind.LAST_ERROR
    if match["w_exit"]:
        return CodeKind.USMT_RETURN if match["usmt"] else CodeKind.EXIT_CODE
    if match["w_fail"]:
        return CodeKind.UNQUALIFIED  # "MigDoMigration Failed= 0x4": whose code is it?
    return CodeKind.WIN32  # "exit win32 code 5", "Error 112."


def _bare(match: re.Match[str], message: str) -> tuple[str, int, CodeKind] | None:
    """Accept or refuse an unqualified number; (group, value, kind) when accepted."""
    for group in ("b0x", "bhex", "bdec"):
        token = match[group]
        if token is not None:
            break
    else:  # pragma: no cover - the regex has no other alternative
        return None
    value = _value(token)
    if value is None:
        return None
    known = is_known(value)
    if group == "b0x" and not value & 0x8000_0000:
        # 0x00000026 alone is a flag or an address; in parentheses it is OSD's "(0x%08X)"
        if token.startswith("0x("):
            return group, value, CodeKind.HRESULT
        start, end = match.span(group)
        if message[start - 1 : start] != "(" or message[end : end + 1] != ")":
            return None
        shaped = is_hresult_shaped(value)
        return group, value, CodeKind.HRESULT if shaped else CodeKind.UNQUALIFIED
    if group == "bdec" and not token.startswith("-"):
        # an unsigned 10-digit number is far more often a size than an HRESULT
        return (group, value, CodeKind.HRESULT) if known and value & 0x8000_0000 else None
    if group == "bhex" and token.isdigit() and not known:
        return None  # all digits, not a code we know: a count or an id
    if group == "bhex" and token[0] in "cdCD" and not known and (value >> 16) & 0x7FF:
        # C/D words with a facility are rarely NTSTATUS codes but often ConfigMgr package
        # ids on a hex-looking site code ("C0100023")
        return None
    if known or plausible_failure(value):
        return group, value, CodeKind.HRESULT
    return None


def extract(message: str) -> list[CodeMention]:
    """Every error code mentioned in ``message``, in order of appearance."""
    found: list[CodeMention] = []
    for match in _CODE_RE.finditer(message):
        if match["qval"] is not None:
            value = _value(match["qval"])
            if value is None:
                continue
            group, kind = "qval", _qualified_kind(match, value)
        else:
            accepted = _bare(match, message)
            if accepted is None:
                continue
            group, value, kind = accepted
        start, end = match.span(group)
        found.append(CodeMention(value, match[group], start, end, kind))
    return found
