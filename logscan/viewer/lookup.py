"""Error-code lookup on a record: every code its message mentions, with what it means.

CMTrace's Error Lookup makes the user copy the number into a dialog; here the codes are
found in the selected record (every spelling ``logscan.codes`` knows: 0x80092024,
80092024, 2148081700, -2146885596, "exit code 38"), plus the USMT fields the parser
split off (``[gle=…]`` and a stated return code), each read as its context says.
"""

from __future__ import annotations

from dataclasses import dataclass

from logscan.codes import CodeInfo, CodeKind, decode, extract, readings
from logscan.codes.hresult import is_hresult_shaped
from logscan.model import LogRecord


@dataclass(frozen=True, slots=True)
class CodeNote:
    """One code mentioned by a record and its known readings (the first is the best)."""

    code: int
    spelling: str  # as written in the record
    kind: CodeKind  # how the text qualified it
    span: tuple[int, int] | None  # where in the message, None for a split-off field
    readings: tuple[CodeInfo, ...]

    @property
    def hex(self) -> str:
        return f"0x{self.code:08X}"

    @property
    def known(self) -> bool:
        return bool(self.readings)

    def summary(self) -> str:
        """One line: value, name and text of the best reading."""
        signed = decode(self.code).signed if is_hresult_shaped(self.code) else self.code
        head = self.hex if signed == self.code else f"{self.hex} ({signed})"
        if not self.readings:
            return f"{head}: not in logscan's tables"
        best = self.readings[0]
        return f"{head} {best.name}: {best.text}"


def codes_in(record: LogRecord) -> list[CodeNote]:
    """The codes ``record`` mentions, in message order, then its split-off fields."""
    notes = [
        CodeNote(m.code, m.text, m.kind, (m.start, m.end), readings(m.code, m.kind))
        for m in extract(record.message)
    ]
    for field, kind in (("gle", CodeKind.LAST_ERROR), ("return_code", CodeKind.USMT_RETURN)):
        value = record.extras.get(field)
        if value is None:
            continue
        try:
            code = int(value, 0) & 0xFFFF_FFFF
        except ValueError:
            continue
        if any(n.code == code for n in notes):
            continue
        notes.append(CodeNote(code, value, kind, None, readings(code, kind)))
    return notes
