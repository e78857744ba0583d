"""Facts from captured ``systeminfo`` output: host, OS name/version/build/SP, hotfixes.

Reads the default list form (``/FO LIST``) and ``/FO CSV``. Labels are English; on other
UI languages the first three list fields are taken by position (host name, OS name, OS
version -- systeminfo's fixed order) only when their values have the right shape, and the
hotfix list is found by its ``[01]: KB…`` items, which are the same in every language.
The table form (``/FO TABLE``) yields only the hotfix ids. Reference: cert-store.md §9.3.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

from logscan.facts._text import TextLine, decode_lines
from logscan.facts.model import Fact, FactName, FactsResult, FactValue, Origin
from logscan.model import ParseWarning, WarningCode

_FIELD = re.compile(r"^(?P<label>[^\s:][^:]*?):\s*(?P<value>.*?)\s*$")
_ITEM = re.compile(r"^\s+\[(?P<index>\d+)\]:\s*(?P<item>.*?)\s*$")
_CSV_ITEM = re.compile(r"^\[(?P<index>\d+)\]:\s*(?P<item>.*?)\s*$")
# XP lists ids such as "KB893803v2" and "KB2079403 - Update": digits end the number.
_KB = re.compile(r"\b(?:KB|Q)(?P<num>\d{5,8})(?!\d)", re.IGNORECASE)
_COUNT = re.compile(r"^\s*(?P<count>\d+)\b")
_OS_VERSION = re.compile(
    r"""
    ^(?P<major>\d{1,2})\.(?P<minor>\d{1,2})\.(?P<build>\d{3,5})  # 6.1.7601
    (?:\s+(?P<rest>.*))?$                                     # Service Pack 1 Build 7601
    """,
    re.VERBOSE,
)
_SERVICE_PACK = re.compile(r"Service\s+Pack\s+(?P<sp>\d+)", re.IGNORECASE)
_BUILD_WORD = re.compile(r"\bBuild\s+(?P<build>\d+)\b", re.IGNORECASE)
_HOST = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")

_LABELS = {
    "host name": FactName.HOST_NAME,
    "os name": FactName.OS_NAME,
    "os version": FactName.OS_VERSION,
    "system type": FactName.OS_ARCHITECTURE,
    "hotfix(s)": FactName.HOTFIXES,
}
# systeminfo prints Host Name, OS Name, OS Version first in every language.
_POSITIONS = (FactName.HOST_NAME, FactName.OS_NAME, FactName.OS_VERSION)


@dataclass
class _Field:
    label: str
    value: str
    line: TextLine
    items: list[tuple[str, TextLine]] = field(default_factory=list)


def _first_lines(text: str, n: int) -> list[str]:
    """``text.splitlines()[:n]`` without splitting the rest (a log head is 8 KiB of lines)."""
    cut = -1
    for _ in range(n):
        cut = text.find("\n", cut + 1)
        if cut < 0:
            return text.splitlines()[:n]
    # Cut just after a line break: the lines before it split exactly as in the whole text.
    return text[: cut + 1].splitlines()[:n]


def looks_like_systeminfo(text: str) -> bool:
    """Whether decoded text is systeminfo output (any form, any language)."""
    head = text[:8192]
    # The substring test spares logs (most files of a bundle) the line-anchored search.
    english = "Host Name:" in head or "OS Name:" in head or "OS Version:" in head
    if english and re.search(r"^(Host Name|OS Name|OS Version):\s", head, re.MULTILINE):
        return True
    if head.lstrip().startswith('"Host Name","OS Name"'):
        return True
    lines = _first_lines(head.lstrip(), 2)
    if len(lines) >= 2 and lines[0].startswith('"') and '","' in lines[0]:
        # CSV in another language: the third cell of the data row is the OS version.
        cells = next(csv.reader([lines[1]]), [])
        return len(cells) >= 3 and _OS_VERSION.match(cells[2]) is not None
    # Other languages: three label lines whose third value is a Windows version string.
    fields = [m for m in map(_FIELD.match, _first_lines(head, 8)) if m]
    return len(fields) >= 3 and _OS_VERSION.match(fields[2].group("value")) is not None


def read_systeminfo(source: str, raw: bytes) -> FactsResult:
    """Facts from one systeminfo capture; content problems become located warnings."""
    decoded = decode_lines(source, raw)
    reader = _Reader(source)
    reader.warnings.extend(decoded.warnings)
    lines = [ln for ln in decoded.lines if ln.text.strip()]
    if not lines:
        return FactsResult((), tuple(reader.warnings))
    first = lines[0].text.lstrip()
    if first.startswith('"'):
        reader.read_csv(lines)
    elif len(lines) > 1 and re.fullmatch(r"[=\s]+", lines[1].text):
        reader.read_table(lines)
    else:
        reader.read_list(lines)
    return FactsResult(tuple(reader.facts), tuple(reader.warnings))


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.facts: list[Fact] = []
        self.warnings: list[ParseWarning] = []

    def _warn(self, line: TextLine, code: WarningCode, message: str) -> None:
        self.warnings.append(ParseWarning(self.source, line.number, line.offset, code, message))

    def _fact(self, name: FactName, value: FactValue, line: TextLine, detail: str = "") -> None:
        cite = f"{self.source}:{line.number}"
        self.facts.append(Fact(name, value, cite, detail or "systeminfo", Origin.TOOL_OUTPUT))

    def read_list(self, lines: list[TextLine]) -> None:
        fields: list[_Field] = []
        for line in lines:
            item = _ITEM.match(line.text)
            if item and fields:
                fields[-1].items.append((item.group("item"), line))
                continue
            if line.text[:1].isspace():
                continue  # sub-lines of network cards and the like
            m = _FIELD.match(line.text)
            if m is None:
                self._warn(
                    line, WarningCode.STRAY_TEXT, f"not a systeminfo line: {line.text[:60]!r}"
                )
                continue
            fields.append(_Field(m.group("label"), m.group("value"), line, []))
        self._use_fields(fields)

    def read_csv(self, lines: list[TextLine]) -> None:
        rows = list(csv.reader([ln.text for ln in lines]))
        if len(rows) < 2:
            self._warn(lines[0], WarningCode.TORN_RECORD, "CSV header without a data row")
            return
        if len(rows) > 2:
            self._warn(
                lines[2], WarningCode.MIXED_FORMATS, "several machines; only the first is used"
            )
        header, values, line = rows[0], rows[1], lines[1]
        if len(values) < len(header):
            self._warn(
                line, WarningCode.TORN_RECORD, f"row has {len(values)} of {len(header)} columns"
            )
        fields = []
        for label, value in zip(header, values, strict=False):
            # A list cell holds "3 Hotfix(s) Installed.,[01]: KB…,[02]: KB…".
            parts = [p.strip() for p in value.split(",")]
            items = [(m.group("item"), line) for p in parts if (m := _CSV_ITEM.match(p))]
            fields.append(_Field(label, parts[0] if items else value.strip(), line, items))
        self._use_fields(fields)

    def read_table(self, lines: list[TextLine]) -> None:
        self._warn(
            lines[0],
            WarningCode.MIXED_FORMATS,
            "systeminfo /FO TABLE is read for hotfix ids only; capture /FO LIST or CSV",
        )
        for line in lines[2:]:
            if any(m.group("num") == "974571" for m in _KB.finditer(line.text)):
                self._fact(FactName.KB974571, True, line, "listed by systeminfo")

    def _use_fields(self, fields: list[_Field]) -> None:
        named: dict[FactName, _Field] = {}
        for f in fields:
            known = _LABELS.get(f.label.strip().casefold())
            if known is not None:
                named.setdefault(known, f)
        english = FactName.OS_VERSION in named
        if not english and len(fields) >= 3 and _OS_VERSION.match(fields[2].value):
            named.update(zip(_POSITIONS, fields, strict=False))
        if (host := named.get(FactName.HOST_NAME)) is not None:
            if _HOST.match(host.value):
                self._fact(FactName.HOST_NAME, host.value, host.line)
            else:
                self._warn(
                    host.line,
                    WarningCode.BAD_VALUE,
                    f"host name {host.value[:40]!r} is not a computer name",
                )
        if (name := named.get(FactName.OS_NAME)) is not None and name.value:
            self._fact(FactName.OS_NAME, name.value, name.line)
        if (version := named.get(FactName.OS_VERSION)) is not None:
            self._os_version(version, english)
        if (arch := named.get(FactName.OS_ARCHITECTURE)) is not None:
            self._architecture(arch)
        hotfixes = named.get(FactName.HOTFIXES) or next(
            (f for f in fields if any(_KB.search(i) for i, _ in f.items)), None
        )
        if hotfixes is not None:
            self._hotfixes(hotfixes)

    def _os_version(self, fld: _Field, english: bool) -> None:
        m = _OS_VERSION.match(fld.value)
        if m is None:
            self._warn(
                fld.line,
                WarningCode.BAD_VALUE,
                f"OS version {fld.value[:60]!r} is not 'major.minor.build ...'",
            )
            return
        build, rest = int(m.group("build")), m.group("rest") or ""
        how = "systeminfo OS Version" if english else "systeminfo 3rd field (labels not English)"
        self._fact(FactName.OS_VERSION, f"{m.group('major')}.{m.group('minor')}", fld.line, how)
        self._fact(FactName.OS_BUILD, build, fld.line, how)
        said = _BUILD_WORD.search(rest)
        if said and int(said.group("build")) != build:
            self._warn(
                fld.line,
                WarningCode.BAD_VALUE,
                f"OS version says build {build} and 'Build {said.group('build')}'",
            )
        sp = _SERVICE_PACK.search(rest)
        if sp:
            self._fact(FactName.OS_SERVICE_PACK, int(sp.group("sp")), fld.line, how)
        elif english and re.match(r"N/A\b", rest):
            self._fact(FactName.OS_SERVICE_PACK, 0, fld.line, f"{how}: no service pack (N/A)")

    def _architecture(self, fld: _Field) -> None:
        text = fld.value.casefold()
        arch = "x64" if "x64" in text or "amd64" in text else "x86" if "x86" in text else None
        if arch is None:
            self._warn(fld.line, WarningCode.BAD_VALUE, f"unknown system type {fld.value[:40]!r}")
            return
        self._fact(FactName.OS_ARCHITECTURE, arch, fld.line)

    def _hotfixes(self, fld: _Field) -> None:
        ids: set[str] = set()
        for item, line in fld.items:
            for m in _KB.finditer(item):
                kb = f"KB{m.group('num')}"
                ids.add(kb)
                if kb == "KB974571":
                    self._fact(FactName.KB974571, True, line, "listed by systeminfo")
        count = _COUNT.match(fld.value)
        listed = len(fld.items)
        if count is None and listed == 0:
            if fld.value.strip() == "N/A":
                self._fact(FactName.HOTFIXES, frozenset(), fld.line, "systeminfo: no hotfixes")
            return  # a localized "none" cannot be told from a damaged line: no claim
        expected = int(count.group("count")) if count else listed
        if listed < expected:
            last = fld.items[-1][1] if fld.items else fld.line
            self._warn(
                last,
                WarningCode.TORN_RECORD,
                f"hotfix list stops after {listed} of {expected} entries (output cut short)",
            )
            return
        self._fact(
            FactName.HOTFIXES,
            frozenset(ids),
            fld.line,
            f"systeminfo hotfix list, complete ({expected} entries)",
        )
