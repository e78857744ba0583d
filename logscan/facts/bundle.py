"""Machine facts from an evidence bundle: files recognised by content, not by name.

A bundle is whatever holds one machine's evidence: the collector's output folder, a
folder an admin filled by hand, a zip of either, or a list of files. Every file is
identified from its first bytes (``identify``): systeminfo output, wmic qfe output, a
``reg export`` (and of which key), a registry hive, a collector manifest, a log. So
``systeminfo.txt`` renamed ``PC01-info.txt`` still counts, and a log called ``.txt`` is
not taken for systeminfo. Facts come from every recognised file (ccmsetup logs through
the parsers and ``loglines``), merged by ``merge.merge_facts``. Nothing here raises for
bad input: unreadable files are ``InputProblem``s, bad content ``ParseWarning``s.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from logscan.errors import InputError
from logscan.facts.hive import HIVE_SIGNATURE, read_software_hive
from logscan.facts.manifest import Manifest, looks_like_manifest, read_manifest
from logscan.facts.merge import merge_facts
from logscan.facts.model import FactsResult, MachineFacts
from logscan.facts.registry import read_reg_export
from logscan.facts.systeminfo import looks_like_systeminfo, read_systeminfo
from logscan.facts.wmic_qfe import looks_like_wmic_qfe, read_wmic_qfe
from logscan.inputs.discover import FileOpener
from logscan.inputs.kinds import detect_kind
from logscan.inputs.sniff import decode_head, looks_binary
from logscan.inputs.source import InputProblem
from logscan.inputs.stream import read_at_most
from logscan.inputs.walk import FoundFile, reason_of, walk_folder
from logscan.inputs.zipbundle import iter_members
from logscan.model import LogKind, ParseWarning, WarningCode

# Enough to recognise any of these files (tool output, reg exports and logs all say what
# they are in their first lines); more only made every log of a bundle cost a 64 KiB decode.
_HEAD = 8 << 10
_TEXT_LIMIT = 32 << 20  # tool output and manifests are kilobytes; more is not one of them
_REG_HEADERS = ("Windows Registry Editor Version 5.00", "REGEDIT4")
_KEY_LINE = re.compile(r"^\[(?P<path>HKEY_[^\]\r\n]+)\]", re.MULTILINE)
_LOG_SUFFIXES = (".log", ".lo_")
_CCM_OPENER = "<![LOG["
# What a reg export is of, by a path fragment of its first key.
_REG_TOPICS = (
    ("\\systemcertificates\\sms", "SMS certificate store"),
    ("\\microsoft\\sms\\mobile client", "ConfigMgr client key (client version)"),
    ("\\windows nt\\currentversion", "Windows version key"),
    ("1fde90624c4330b46b43553f3bcb9413", "ConfigMgr client MSI product (patches)"),
)


class EvidenceKind(StrEnum):
    """What a file in a bundle is, judged from its content."""

    SYSTEMINFO = "systeminfo"
    WMIC_QFE = "wmic_qfe"
    REG_EXPORT = "reg_export"
    HIVE = "hive"
    MANIFEST = "manifest"
    LOG = "log"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """One file of a bundle and what it was recognised as (``detail`` says more: the
    exported key, the log kind)."""

    display: str
    kind: EvidenceKind
    detail: str = ""
    log_kind: LogKind | None = None


@dataclass(frozen=True, slots=True)
class Bundle:
    """Everything found for one machine, and the facts drawn from it."""

    roots: tuple[str, ...]
    files: tuple[EvidenceFile, ...]
    manifests: tuple[Manifest, ...]
    facts: MachineFacts
    problems: tuple[InputProblem, ...]

    def of_kind(self, kind: EvidenceKind) -> tuple[EvidenceFile, ...]:
        return tuple(f for f in self.files if f.kind is kind)


def _reg_topic(head_text: str) -> str:
    m = _KEY_LINE.search(head_text)
    if m is None:
        return "registry export without keys"
    path = m.group("path")
    folded = path.casefold()
    topic = next((t for frag, t in _REG_TOPICS if frag in folded), "other key")
    return f"{topic}: {path}"


def identify(name: str, head: bytes) -> tuple[EvidenceKind, str, LogKind | None]:
    """(kind, detail, log kind) of a file from its name and first bytes; content decides."""
    if head.startswith(HIVE_SIGNATURE):
        return EvidenceKind.HIVE, "registry hive", None
    text = decode_head(head)
    stripped = text.lstrip("\ufeff \r\n\t")
    if stripped.startswith(_REG_HEADERS):
        return EvidenceKind.REG_EXPORT, _reg_topic(text), None
    if not text.strip() or looks_binary(text):
        return EvidenceKind.OTHER, "empty" if not text.strip() else "binary", None
    # A file that opens with a CCM record is a log whatever its records quote. Most files
    # of a bundle are, and the tool-output tests cost them more than everything else here.
    if not stripped.startswith(_CCM_OPENER):
        tool = _tool_output(stripped)
        if tool is not None:
            return tool
    kind = detect_kind(name, text)
    if kind is not LogKind.OTHER or name.lower().endswith(_LOG_SUFFIXES):
        return EvidenceKind.LOG, kind.value, kind
    return EvidenceKind.OTHER, "unrecognised text", None


def _tool_output(stripped: str) -> tuple[EvidenceKind, str, None] | None:
    if looks_like_manifest(stripped):
        return EvidenceKind.MANIFEST, "collector manifest", None
    if looks_like_systeminfo(stripped):
        return EvidenceKind.SYSTEMINFO, "systeminfo output", None
    if looks_like_wmic_qfe(stripped):
        return EvidenceKind.WMIC_QFE, "wmic qfe output", None
    return None


class _Scan:
    def __init__(self) -> None:
        self.files: list[EvidenceFile] = []
        self.manifests: list[Manifest] = []
        self.results: list[FactsResult] = []
        self.problems: list[InputProblem] = []

    def add(
        self, display: str, name: str, size: int, opener: Callable[[], BinaryIO], disk: str | None
    ) -> None:
        try:
            with opener() as fh:
                head = fh.read(_HEAD)
            kind, detail, log_kind = identify(name, head)
            self.files.append(EvidenceFile(display, kind, detail, log_kind))
            if log_kind is LogKind.CCMSETUP:
                self._log_facts(display, size, opener)
            else:
                self._read(display, kind, opener, disk)
        except OSError as exc:
            self.problems.append(InputProblem(disk or display, reason_of(exc)))

    def _read(
        self,
        display: str,
        kind: EvidenceKind,
        opener: Callable[[], BinaryIO],
        disk: str | None,
    ) -> None:
        if kind is EvidenceKind.HIVE:
            if disk is None:
                self._warn(display, "a hive inside a zip is not read: extract it first")
            else:
                self.results.append(read_software_hive(disk, display))
            return
        if kind in (EvidenceKind.LOG, EvidenceKind.OTHER):
            return
        if kind is EvidenceKind.REG_EXPORT:
            try:
                with opener() as fh:
                    self.results.append(read_reg_export(display, fh))
            except InputError as exc:
                self._warn(display, exc.message)
            return
        with opener() as fh:
            raw = read_at_most(fh, _TEXT_LIMIT + 1)
        if len(raw) > _TEXT_LIMIT:
            self._warn(display, f"{kind.value} file larger than {_TEXT_LIMIT >> 20} MiB: not read")
        elif kind is EvidenceKind.SYSTEMINFO:
            self.results.append(read_systeminfo(display, raw))
        elif kind is EvidenceKind.WMIC_QFE:
            self.results.append(read_wmic_qfe(display, raw))
        else:
            manifest, result = read_manifest(display, raw)
            self.manifests.append(manifest)
            self.results.append(result)

    def _warn(self, display: str, message: str) -> None:
        warning = ParseWarning(display, 0, 0, WarningCode.UNREADABLE, message)
        self.results.append(FactsResult((), (warning,)))

    def _log_facts(self, display: str, size: int, opener: Callable[[], BinaryIO]) -> None:
        # Imported here: the parser stack is only needed when a ccmsetup log is present.
        from logscan.facts.setuplog import setup_log_facts
        from logscan.inputs.rotation import family_of
        from logscan.inputs.source import LogSource

        family, generation = family_of(display)
        source = LogSource(display, display, LogKind.CCMSETUP, size, family, generation, opener)
        # Only the records around the fact wordings are parsed: the same facts, in order.
        self.results.append(FactsResult(setup_log_facts(source)))


def _walk(scan: _Scan, given: str) -> None:
    if os.path.isdir(given):
        before = len(scan.files)
        for item in walk_folder(given, lambda _name: True):
            if isinstance(item, InputProblem):
                scan.problems.append(item)
            else:
                _file(scan, item, given)
        if len(scan.files) == before:
            scan.problems.append(InputProblem(given, "folder holds no files: no evidence to read"))
        return
    if not os.path.exists(given):
        scan.problems.append(InputProblem(given, "no such file or folder; check the path"))
        return
    name = os.path.basename(os.path.normpath(given))
    _file(scan, FoundFile(given, name, name, 0, (0, 0)), None)


def _file(scan: _Scan, found: FoundFile, folder: str | None) -> None:
    if found.name.lower().endswith(".zip"):
        display = found.rel if folder is not None else found.name
        for member in iter_members(found.path, display, lambda _name: True):
            if isinstance(member, InputProblem):
                scan.problems.append(member)
            else:
                scan.add(member.display, member.name, member.size, member.opener, None)
        return
    try:
        size = found.size or os.path.getsize(found.path)
    except OSError as exc:
        scan.problems.append(InputProblem(found.path, reason_of(exc)))
        return
    scan.add(found.rel, found.name, size, FileOpener(found.path), found.path)


def scan_bundle(paths: str | Path | Iterable[str | Path]) -> Bundle:
    """Recognise every file under ``paths`` (folders, zips, files) and merge their facts."""
    given = [os.fspath(paths)] if isinstance(paths, str | Path) else [os.fspath(p) for p in paths]
    scan = _Scan()
    for path in given:
        _walk(scan, path)
    recognised = [f for f in scan.files if f.kind not in (EvidenceKind.OTHER, EvidenceKind.LOG)]
    if scan.files and not recognised:
        scan.problems.append(
            InputProblem(
                ", ".join(given),
                "no machine-fact files found (looked for systeminfo and wmic qfe output, "
                "reg exports, hives, collector manifests)",
                fatal_for_path=False,
            )
        )
    facts = [f for r in scan.results for f in r.facts]
    warnings = [w for r in scan.results for w in r.warnings]
    return Bundle(
        tuple(given),
        tuple(scan.files),
        tuple(scan.manifests),
        merge_facts(facts, warnings),
        tuple(scan.problems),
    )
