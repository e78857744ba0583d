"""MemoryHost: the in-memory twin of ``live.LiveHost`` for tests and demonstrations.

Registry contents and program outputs are given up front; every call is recorded so a
test can check what would have been run on a real machine (and that nothing else was).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from logscan.facts.live import CommandResult
from logscan.facts.registry import RegData

_NOT_FOUND = CommandResult(None, error="not found on this system")


class MemoryHost:
    """A pretend Windows machine.

    ``registry`` maps key paths relative to ``HKLM\\SOFTWARE`` to their values; parent
    keys exist implicitly. ``commands`` maps argv tuples to results; any other program
    is "not found".
    """

    def __init__(
        self,
        name: str | None = "TESTPC01",
        registry: Mapping[str, Mapping[str, RegData]] | None = None,
        commands: Mapping[tuple[str, ...], CommandResult] | None = None,
    ) -> None:
        self._name = name
        self._keys = {k.casefold(): (k, dict(v)) for k, v in (registry or {}).items()}
        self._commands = dict(commands or {})
        self.calls: list[tuple[str, ...]] = []

    def computer_name(self) -> str | None:
        return self._name

    def reg_value(self, key: str, name: str) -> RegData | None:
        entry = self._keys.get(key.casefold())
        if entry is None:
            return None
        for value_name, data in entry[1].items():
            if value_name.casefold() == name.casefold():
                return data
        return None

    def reg_subkeys(self, key: str) -> list[str] | None:
        prefix = key.casefold() + "\\"
        below = [path for folded, (path, _) in self._keys.items() if folded.startswith(prefix)]
        if not below and key.casefold() not in self._keys:
            return None
        return sorted({path[len(prefix) :].split("\\", 1)[0] for path in below})

    def run(self, argv: Sequence[str]) -> CommandResult:
        self.calls.append(tuple(argv))
        return self._commands.get(tuple(argv), _NOT_FOUND)
