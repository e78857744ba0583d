"""One machine's folder: its files, the verdict it should get and the lines that prove it.

Evidence is named by text, not by line number; the line is found in the finished bytes,
so EXPECTED.json cannot drift from the files it describes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

VERDICTS = ("confirmed", "likely", "at_risk", "resolved", "other_failure", "no_evidence")
_BREAK = re.compile(r"\r\n|\r|\n")


def decode(data: bytes) -> str:
    """Text of a sample file by its BOM: UTF-16LE, UTF-8 with BOM, else ASCII/UTF-8."""
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    return data.decode("utf-8")


def physical_lines(data: bytes) -> list[str]:
    """Lines as a log viewer counts them: CRLF, bare LF and bare CR each end one."""
    return _BREAK.split(decode(data))


@dataclass(frozen=True, slots=True)
class Cite:
    path: str
    contains: str
    nth: int = 1
    code: str = ""  # for an expected anomaly: the WarningCode value


@dataclass
class Bundle:
    host: str
    verdict: str
    error_codes: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    evidence: list[Cite] = field(default_factory=list)
    anomalies: list[Cite] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.host}: unknown verdict {self.verdict!r}")

    def put(self, path: str, data: bytes) -> None:
        if path in self.files:
            raise ValueError(f"{self.host}: {path} written twice")
        self.files[path] = data

    def cite(self, path: str, contains: str, nth: int = 1) -> None:
        self.evidence.append(Cite(path, contains, nth))

    def expect_warning(self, path: str, contains: str, code: str) -> None:
        self.anomalies.append(Cite(path, contains, 1, code))

    def _line(self, cite: Cite) -> int:
        seen = 0
        for number, line in enumerate(physical_lines(self.files[cite.path]), 1):
            if cite.contains in line:
                seen += 1
                if seen == cite.nth:
                    return number
        raise ValueError(f"{self.host}/{cite.path}: no line #{cite.nth} with {cite.contains!r}")

    def expected(self) -> dict[str, object]:
        doc: dict[str, object] = {
            "host": self.host,
            "verdict": self.verdict,
            "error_codes": self.error_codes,
            "key_evidence": [
                {"path": c.path, "line": self._line(c), "contains": c.contains}
                for c in self.evidence
            ],
        }
        if self.anomalies:
            doc["expected_warnings"] = [
                {"path": c.path, "line": self._line(c), "code": c.code, "contains": c.contains}
                for c in self.anomalies
            ]
        return doc

    def write(self, root: Path) -> None:
        folder = root / self.host
        for rel, data in sorted(self.files.items()):
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        text = json.dumps(self.expected(), indent=2) + "\n"
        (folder / "EXPECTED.json").write_bytes(text.encode("utf-8"))
