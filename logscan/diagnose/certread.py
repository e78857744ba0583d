"""Certificate evidence of one host, from folders, zip bundles and files alike.

``logscan.certs.source.sources_for`` reads files on disk; a host may be a zip, so this
module sniffs every candidate file by content (``certs.source.sniff``) and hands its bytes
to the same readers, citing it by the display path the rest of the diagnosis uses
(``HOST1/sms_store.reg``, ``HOST1.zip!sms_store.reg``). Log files are skipped by name:
a certificate export is never a ``.log``. Unreadable files become ``path: reason`` texts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from logscan.certs._text import decode_text
from logscan.certs.model import CertReadResult
from logscan.certs.source import Sniffed, sniff
from logscan.errors import InputError
from logscan.inputs.source import InputProblem
from logscan.inputs.stream import read_at_most
from logscan.inputs.walk import walk_folder
from logscan.inputs.zipbundle import iter_members

_HEAD = 1 << 16
_LIMIT = 64 << 20  # a store export is kilobytes; a hive can be tens of megabytes
_SKIP = (".log", ".lo_", ".zip")

Opener = Callable[[], BinaryIO]


def _wanted(name: str) -> bool:
    return not name.casefold().endswith(_SKIP)


def _read_bytes(kind: Sniffed, display: str, raw: bytes) -> CertReadResult:
    text = decode_text(raw)
    if kind is Sniffed.REG:
        from logscan.certs.regexport import STORE_TAIL, certs_from_regfile
        from logscan.inputs.regfile import read_reg_file

        def in_store(key: str) -> bool:
            folded = key.casefold()
            return folded.endswith(STORE_TAIL) or (STORE_TAIL + "\\") in folded

        return certs_from_regfile(read_reg_file(display, raw, wanted=in_store))
    if kind is Sniffed.SST:
        from logscan.certs.sst import read_sst

        return read_sst(display, raw)
    if kind is Sniffed.COLLECTED:
        from logscan.certs.collected import read_collected

        return read_collected(display, text)
    if kind is Sniffed.PWSH:
        from logscan.certs.pwsh import read_pwsh_json

        return read_pwsh_json(display, text)
    from logscan.certs.certutil import read_certutil

    return read_certutil(display, text)


def read_one(display: str, opener: Opener, disk: str | None) -> CertReadResult | str | None:
    """The store in one file, a ``path: reason`` when unreadable, None when not certs."""
    try:
        with opener() as fh:
            head = fh.read(_HEAD)
        kind = sniff(head)
        if kind is Sniffed.UNKNOWN:
            return None
        if kind is Sniffed.REG and "systemcertificates" not in decode_text(head).casefold():
            return None
        if kind is Sniffed.HIVE:
            if disk is None:
                return f"{display}: a registry hive inside a zip is not read; extract it first"
            from logscan.certs.hive import HiveSource

            return HiveSource(disk, display).read()
        with opener() as fh:
            raw = read_at_most(fh, _LIMIT + 1)
        if len(raw) > _LIMIT:
            return f"{display}: larger than {_LIMIT >> 20} MiB, not read as certificates"
        return _read_bytes(kind, display, raw)
    except InputError as exc:
        return f"{display}: {exc.message}"
    except OSError as exc:
        return f"{display}: {exc.strerror or exc}"


def _files(path: str, prefix: str) -> Iterator[tuple[str, Opener, str | None] | str]:
    if os.path.isdir(path):
        for item in walk_folder(path, _wanted):
            if isinstance(item, InputProblem):
                yield str(item)
            else:
                yield prefix + item.rel, _opener(item.path), item.path
    elif path.casefold().endswith(".zip"):
        for member in iter_members(path, Path(path).name, _wanted):
            if isinstance(member, InputProblem):
                yield str(member)
            else:
                yield member.display, member.opener, None
    elif _wanted(path):
        yield prefix + Path(path).name, _opener(path), path


def _opener(path: str) -> Opener:
    def open_rb() -> BinaryIO:
        return open(path, "rb")

    return open_rb


def read_certs(parts: list[tuple[str, str]]) -> tuple[list[CertReadResult], list[str]]:
    """Every certificate store under ``(path, display prefix)`` parts, and what failed."""
    results: list[CertReadResult] = []
    problems: list[str] = []
    for path, prefix in parts:
        for item in _files(path, prefix):
            if isinstance(item, str):
                problems.append(item)
                continue
            got = read_one(*item)
            if isinstance(got, str):
                problems.append(got)
            elif got is not None:
                results.append(got)
    return results, problems
