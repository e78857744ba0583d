"""Error codes: find them in log messages (every spelling), normalise them, look them up.

    >>> from logscan.codes import extract, lookup, normalize
    >>> [m.code == 0x80092024 for m in extract("(Error: 80092024; Source: Windows)")]
    [True]
    >>> lookup(normalize("-2146885596")).name
    'CRYPT_E_NOT_CHAR_STRING'

The tables cover every CRYPT_E_* code, the crypto and Win32/HRESULT codes met in OSD
and ConfigMgr client logs, and every USMT return code, each with how it relates to
KB977203 (``Relevance``). Imports nothing heavy: the CLI's ``code`` command and the
matching engine both use it on hot paths.
"""

from __future__ import annotations

from logscan.codes.extraction import extract
from logscan.codes.hresult import decode
from logscan.codes.lookup import by_name, lookup, readings
from logscan.codes.model import (
    CodeInfo,
    CodeKind,
    CodeMention,
    HResultParts,
    Relevance,
    UsmtCategory,
)
from logscan.codes.notes import KB977203_CODE
from logscan.codes.spelling import normalize

__all__ = [
    "KB977203_CODE",
    "CodeInfo",
    "CodeKind",
    "CodeMention",
    "HResultParts",
    "Relevance",
    "UsmtCategory",
    "by_name",
    "decode",
    "extract",
    "lookup",
    "normalize",
    "readings",
]
