"""Log kind detection: which log a file is, by its name first and by its head otherwise.

The kind says what a file *is* (smsts.log, ccmexec.log, a ScanState log), which is what
rules target; the format (CCM, legacy trace, USMT) is the parser's business. Names are
compared case-insensitively, as Windows does. Rotated generations (``smsts.lo_``,
``smsts-20100101-101010.log``) have the kind of their live log.

Content rules, used when the name says nothing (``HOST1-smsts.log``, ``export.txt``):

- USMT line grammar with a ``SCANSTATE.EXE``/``LOADSTATE.EXE``/``USMTUTILS.EXE``
  banner -> that tool's log; USMT lines without a banner (a later appended run, a cut
  copy) -> OTHER, since nothing tells the tools apart.
- USMT ``/progress:`` grammar -> USMT_PROGRESS.
- CCM records: the components in the head decide. Task-sequence components
  (TSManager, TSMBootstrap, ...) mean smsts.log even when OSDSMPClient is present,
  because in a task sequence OSDSMPClient writes there; ``ccmsetup`` means ccmsetup.log;
  ``CcmExec`` or OSDSMPClient alone mean ccmexec.log (where KB977203 says the failure is
  logged); ``CCMCertFix`` means its log (inferred: no sample exists); any other
  component -> CCM_OTHER.
- Legacy ``$$<`` trace lines -> CCM_OTHER.
"""

from __future__ import annotations

import re

from logscan.inputs.rotation import split_rotation
from logscan.model import LogKind

_BY_BASE: dict[str, LogKind] = {
    "ccmexec": LogKind.CCMEXEC,
    "smsts": LogKind.SMSTS,
    "scanstate": LogKind.SCANSTATE,
    "loadstate": LogKind.LOADSTATE,
    "usmtutils": LogKind.USMTUTILS,
    "ccmsetup": LogKind.CCMSETUP,
    "ccmcertfix": LogKind.CCMCERTFIX,
}

# Extensions of files whose content is worth sniffing when the name is not known.
SNIFF_SUFFIXES = (".log", ".lo_", ".txt")

_CCM = re.compile(r"\]LOG\]!><time=\"")
_COMPONENT = re.compile(r"\]LOG\]!><time=\"[^\"]*\"\s+date=\"[^\"]*\"\s+component=\"([^\"]*)\"")
_LEGACY = re.compile(
    r"""
    \$\$<[^<>\r\n]+>        # $$<COMPONENT>
    \s?<[^<>\r\n]+>         # <stamp>, a space before it in SMS 2.0 logs
    \s?<thread=             # <thread=N (0xHEX)>
    """,
    re.VERBOSE,
)
_USMT_LINE = re.compile(
    r"""
    ^\d{4}-\d\d-\d\d\ \d\d:\d\d:\d\d,   # 2018-04-20 09:26:17,
    \s+(?:Info|Warning|Error)\s+        # level, padded to a column in real files
    \[0x[0-9a-fA-F]{6}\]                # [0x000000]
    """,
    re.VERBOSE | re.MULTILINE,
)
_USMT_BANNER = re.compile(r"\b(SCANSTATE|LOADSTATE|USMTUTILS)\.EXE\b", re.IGNORECASE)
_PROGRESS_LINE = re.compile(
    r"""
    ^\d\d\ [A-Za-z]{3}\ \d{4},\ \d\d:\d\d:\d\d  # 15 Jan 2011, 20:46:21
    (?:\ [+-]\d\d:\d\d)?,                       # optional ISO offset
    \ \d\d:\d\d:\d\d,\ \w+,                     # elapsed, key
    """,
    re.VERBOSE | re.MULTILINE,
)

_TS_COMPONENTS = frozenset(
    {"tsmanager", "tsmbootstrap", "tspxe", "tsbootshell", "osdsetuphook", "smstsmanager"}
)
_BANNER_KIND = {
    "scanstate": LogKind.SCANSTATE,
    "loadstate": LogKind.LOADSTATE,
    "usmtutils": LogKind.USMTUTILS,
}


def kind_from_name(name: str) -> LogKind | None:
    """The kind a file name announces, or None when the name says nothing.

    ``name`` is a bare file name (no folder). Only ``.log`` and ``.lo_`` names count.
    """
    rot = split_rotation(name)
    if rot is None:
        return None
    if rot.base in _BY_BASE:
        return _BY_BASE[rot.base]
    if "progress" in rot.base and not rot.rotated:
        return LogKind.USMT_PROGRESS
    return None


def kind_from_content(head_text: str) -> LogKind | None:
    """The kind a decoded head shows, or None when it is no ConfigMgr/USMT log we know."""
    if _CCM.search(head_text):
        return _ccm_kind(head_text)
    if _USMT_LINE.search(head_text):
        banner = _USMT_BANNER.search(head_text)
        return _BANNER_KIND[banner.group(1).lower()] if banner else LogKind.OTHER
    if _PROGRESS_LINE.search(head_text):
        return LogKind.USMT_PROGRESS
    if _LEGACY.search(head_text):
        return LogKind.CCM_OTHER
    return None


def _ccm_kind(head_text: str) -> LogKind:
    components = {c.lower() for c in set(_COMPONENT.findall(head_text))}
    if components & _TS_COMPONENTS:
        return LogKind.SMSTS
    if "ccmsetup" in components:
        return LogKind.CCMSETUP
    if components & {"ccmexec", "osdsmpclient"}:
        return LogKind.CCMEXEC
    if "ccmcertfix" in components:
        return LogKind.CCMCERTFIX
    return LogKind.CCM_OTHER


def detect_kind(name: str, head_text: str) -> LogKind:
    """Name first, then content; OTHER when neither says anything."""
    return kind_from_name(name) or kind_from_content(head_text) or LogKind.OTHER
