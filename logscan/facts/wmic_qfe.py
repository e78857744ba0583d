"""Facts from captured ``wmic qfe`` output: the installed-hotfix list and KB974571.

Reads the three shapes wmic prints: the list form (``wmic qfe list full`` and
``/format:list``: ``HotFixID=KB974571`` blocks), the column table (``wmic qfe get
HotFixID,InstalledOn`` and ``wmic qfe list``) and ``/format:csv``. Redirected by cmd.exe
the file is UTF-16LE with a BOM and ``CR CR LF`` line ends; all of that is handled by
``_text.decode_lines``. Windows Installer patches such as the KB977203 client MSP are not
QFEs and never appear here (cert-store.md §9.2).
"""

from __future__ import annotations

import re

from logscan.facts._text import TextLine, decode_lines
from logscan.facts.model import Fact, FactName, FactsResult, FactValue, Origin
from logscan.model import ParseWarning, WarningCode

_KB = re.compile(r"^(?:KB|Q)(?P<num>\d{5,8})(?!\d)", re.IGNORECASE)  # KB893803-v2, KB893803v2
_PAIR = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_]*)=(?P<value>.*)$")
_NONE = re.compile(r"^No Instance\(s\) Available\.?$", re.IGNORECASE)


def looks_like_wmic_qfe(text: str) -> bool:
    """Whether decoded text is wmic qfe output in any of its shapes."""
    head = text[:8192]
    if "HotFixID" not in head:  # both shapes name the column; skips the regexes for logs
        return False
    if re.search(r"^HotFixID=", head, re.MULTILINE):
        return True
    return re.search(r"^(?:Node,)?.*\bHotFixID\b", head, re.MULTILINE) is not None


def read_wmic_qfe(source: str, raw: bytes) -> FactsResult:
    """Facts from one wmic qfe capture; content problems become located warnings."""
    decoded = decode_lines(source, raw)
    reader = _Reader(source)
    reader.warnings.extend(decoded.warnings)
    lines = [ln for ln in decoded.lines if ln.text.strip()]
    if not lines:
        return FactsResult((), tuple(reader.warnings))
    if len(lines) == 1 and _NONE.match(lines[0].text.strip()):
        reader.finish(lines[0], "wmic: no hotfix instances")
    elif any(_PAIR.match(ln.text.strip()) for ln in lines[:20]):
        reader.read_list(lines)
    elif "," in lines[0].text and "HotFixID" in lines[0].text.split(","):
        reader.read_csv(lines)
    elif "HotFixID" in lines[0].text.split():
        reader.read_table(lines)
    else:
        reader.warn(lines[0], WarningCode.BAD_VALUE, f"not wmic qfe output: {lines[0].text[:60]!r}")
    return FactsResult(tuple(reader.facts), tuple(reader.warnings))


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.facts: list[Fact] = []
        self.warnings: list[ParseWarning] = []
        self.ids: set[str] = set()
        self.complete = True

    def warn(self, line: TextLine, code: WarningCode, message: str) -> None:
        self.warnings.append(ParseWarning(self.source, line.number, line.offset, code, message))

    def _fact(self, name: FactName, value: FactValue, line: TextLine, detail: str) -> None:
        cite = f"{self.source}:{line.number}"
        self.facts.append(Fact(name, value, cite, detail, Origin.TOOL_OUTPUT))

    def _hotfix(self, value: str, line: TextLine) -> None:
        m = _KB.match(value.strip())
        if m is None:
            return  # XP lists "File 1" and service-pack rows without an id
        kb = f"KB{m.group('num')}"
        self.ids.add(kb)
        if kb == "KB974571":
            self._fact(FactName.KB974571, True, line, "listed by wmic qfe")

    def _host(self, value: str, line: TextLine) -> None:
        if value.strip() and not any(f.name is FactName.HOST_NAME for f in self.facts):
            self._fact(FactName.HOST_NAME, value.strip(), line, "wmic qfe CSName")

    def finish(self, line: TextLine, detail: str) -> None:
        if self.complete:
            self._fact(FactName.HOTFIXES, frozenset(self.ids), line, detail)

    def read_list(self, lines: list[TextLine]) -> None:
        captions = ids = 0
        for line in lines:
            m = _PAIR.match(line.text.strip())
            if m is None:
                self.warn(
                    line, WarningCode.STRAY_TEXT, f"not a Name=Value line: {line.text[:60]!r}"
                )
                continue
            key, value = m.group("key").casefold(), m.group("value")
            if key == "caption":  # first property of every instance in the full listing
                captions += 1
            elif key == "hotfixid":
                ids += 1
                self._hotfix(value, line)
            elif key == "csname":
                self._host(value, line)
        if ids == 0:
            self.warn(lines[0], WarningCode.BAD_VALUE, "no HotFixID values in wmic list output")
            self.complete = False
        elif captions > ids:
            self.warn(
                lines[-1],
                WarningCode.TORN_RECORD,
                f"{captions} instances but {ids} HotFixID values: output cut short",
            )
            self.complete = False
        self.finish(lines[0], f"wmic qfe list, complete ({ids} instances)")

    def read_table(self, lines: list[TextLine]) -> None:
        header = lines[0].text
        starts = [m.start() for m in re.finditer(r"\S+", header)]
        names = header.split()
        col = names.index("HotFixID")
        start = starts[col]
        end = starts[col + 1] if col + 1 < len(starts) else None
        host_col = names.index("CSName") if "CSName" in names else None
        for line in lines[1:]:
            if len(line.text.rstrip()) <= start:
                self.warn(line, WarningCode.TORN_RECORD, "row ends before the HotFixID column")
                self.complete = False
                continue
            self._hotfix(line.text[start:end], line)
            if host_col is not None:
                h_end = starts[host_col + 1] if host_col + 1 < len(starts) else None
                self._host(line.text[starts[host_col] : h_end], line)
        self.finish(lines[0], f"wmic qfe table ({len(lines) - 1} rows)")

    def read_csv(self, lines: list[TextLine]) -> None:
        names = lines[0].text.split(",")
        col = names.index("HotFixID")
        host_col = names.index("Node") if "Node" in names else None
        for line in lines[1:]:
            cells = line.text.split(",")
            if len(cells) != len(names):
                self.warn(
                    line, WarningCode.TORN_RECORD, f"row has {len(cells)} of {len(names)} columns"
                )
                self.complete = False
                continue
            self._hotfix(cells[col], line)
            if host_col is not None:
                self._host(cells[host_col], line)
        self.finish(lines[0], f"wmic qfe csv ({len(lines) - 1} rows)")
