"""Look codes up: ``lookup(code, context)`` for one reading, ``readings(code)`` for all of them,
``by_name`` for a symbolic name.

Which table answers depends on the value and on what the log said about it:

* a value above 0xFFFF is an HRESULT whatever the words around it (an "exit code
  -2146885596" is still CRYPT_E_NOT_CHAR_STRING);
* a small value is read as a Win32 code, unless the context says USMT_RETURN (or
  HRESULT, for S_OK/S_FALSE). EXIT_CODE and UNQUALIFIED small values are read as Win32
  as TSManager does ("exit win32 code"); the returned ``kind`` says which reading was
  used, and ``readings`` lists the others (38 is ERROR_HANDLE_EOF *or* a USMT store
  error) so no surface has to guess silently.
"""

from __future__ import annotations

from logscan.codes.hresult import MASK32, decode, is_hresult_shaped
from logscan.codes.model import CodeInfo, CodeKind, Relevance, UsmtCategory
from logscan.codes.notes import note_for, relevance_for
from logscan.codes.table_crypt import CRYPT_E, CRYPTO_OTHER
from logscan.codes.table_hresult import HRESULTS
from logscan.codes.table_usmt import USMT
from logscan.codes.table_win32 import WIN32

_HRESULT: dict[int, tuple[str, str]] = {
    value: (name, text) for value, name, text in (*HRESULTS, *CRYPT_E, *CRYPTO_OTHER)
}
_WIN32: dict[int, tuple[str, str]] = {code: (name, text) for code, name, text in WIN32}
_USMT: dict[int, tuple[str, UsmtCategory, str]] = {
    code: (name, category, text) for code, name, category, text in USMT
}


def _hresult(value: int) -> CodeInfo | None:
    parts = decode(value)
    entry = _HRESULT.get(value)
    if entry is None and parts.win32 is not None and parts.win32 in _WIN32:
        win32_name, text = _WIN32[parts.win32]
        entry = (f"HRESULT_FROM_WIN32({win32_name})", text)
    if entry is None:
        return None
    return CodeInfo(
        code=value,
        kind=CodeKind.HRESULT,
        name=entry[0],
        text=entry[1],
        relevance=relevance_for(CodeKind.HRESULT, value),
        facility=parts.facility,
        facility_name=parts.facility_name,
        failure=parts.failure,
        win32=parts.win32,
        note=note_for(CodeKind.HRESULT, value),
    )


def _win32(value: int) -> CodeInfo | None:
    entry = _WIN32.get(value)
    if entry is None:
        return None
    relevance = relevance_for(CodeKind.WIN32, value)
    return CodeInfo(
        code=value,
        kind=CodeKind.WIN32,
        name=entry[0],
        text=entry[1],
        relevance=relevance,
        failure=relevance is not Relevance.SUCCESS,
        win32=value,
        note=note_for(CodeKind.WIN32, value),
    )


def _usmt(value: int) -> CodeInfo | None:
    entry = _USMT.get(value)
    if entry is None:
        return None
    relevance = relevance_for(CodeKind.USMT_RETURN, value)
    return CodeInfo(
        code=value,
        kind=CodeKind.USMT_RETURN,
        name=entry[0],
        text=entry[2],
        relevance=relevance,
        failure=relevance is not Relevance.SUCCESS,
        note=note_for(CodeKind.USMT_RETURN, value),
        usmt_category=entry[1],
    )


def _unsigned(code: int) -> int | None:
    if not -(1 << 31) <= code <= MASK32:
        return None
    return code & MASK32


def lookup(code: int, context: CodeKind | None = None) -> CodeInfo | None:
    """What ``code`` (signed or unsigned 32-bit) means when read as ``context`` says.

    None when logscan's tables do not know it (``decode`` still splits its fields) or
    when the value does not fit in 32 bits.
    """
    value = _unsigned(code)
    if value is None:
        return None
    if context is CodeKind.USMT_RETURN:
        return _usmt(value)
    if is_hresult_shaped(value) or context is CodeKind.HRESULT:
        return _hresult(value)
    return _win32(value)


def is_known(value: int) -> bool:
    """Cheap ``lookup(value) is not None`` for an unsigned value (the extractor's hot path)."""
    if not is_hresult_shaped(value):
        return value in _WIN32
    if value in _HRESULT:
        return True
    return value & 0xFFFF_0000 == 0x8007_0000 and value & 0xFFFF in _WIN32


def readings(code: int, context: CodeKind | None = None) -> tuple[CodeInfo, ...]:
    """Every known reading of ``code``: the one ``lookup(code, context)`` picks first, then
    the others a small value can have (Win32, USMT return code, S_OK/S_FALSE)."""
    value = _unsigned(code)
    if value is None:
        return ()
    found: list[CodeInfo] = []
    first = lookup(value, context)
    if first is not None:
        found.append(first)
    if not is_hresult_shaped(value):
        for other in (_win32(value), _usmt(value), _hresult(value)):
            if other is not None and all(other.kind is not f.kind for f in found):
                found.append(other)
    return tuple(found)


def _name_index() -> dict[str, tuple[int, CodeKind]]:
    index: dict[str, tuple[int, CodeKind]] = {}
    for value, (name, _text) in _HRESULT.items():
        index[name.upper()] = (value, CodeKind.HRESULT)
    for value, (name, _text) in _WIN32.items():
        index.setdefault(name.upper(), (value, CodeKind.WIN32))
    for value, (name, _category, _text) in _USMT.items():
        index.setdefault(name.upper(), (value, CodeKind.USMT_RETURN))
    return index


_BY_NAME = _name_index()


def by_name(name: str) -> CodeInfo | None:
    """The code a symbolic name stands for (``CRYPT_E_NOT_CHAR_STRING``, ``ERROR_DISK_FULL``,
    ``USMT_INVALID_STORE_LOCATION``), case-insensitive."""
    hit = _BY_NAME.get(name.strip().upper())
    return None if hit is None else lookup(hit[0], hit[1])


def table_entries(kind: CodeKind) -> tuple[tuple[int, str], ...]:
    """``(value, name)`` of every entry in one table (HRESULT, WIN32 or USMT_RETURN),
    for listings and table checks."""
    if kind is CodeKind.USMT_RETURN:
        return tuple((v, e[0]) for v, e in sorted(_USMT.items()))
    table = _WIN32 if kind is CodeKind.WIN32 else _HRESULT
    return tuple((v, e[0]) for v, e in sorted(table.items()))
