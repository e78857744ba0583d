"""Facts from an offline SOFTWARE hive (``reg save HKLM\\SOFTWARE`` or config\\SOFTWARE).

Uses regipy, an optional extra (``pip install 'logscan-configmgr[hive]'``), imported only
here and only when a hive is read. The hive root is ``HKLM\\SOFTWARE``, so the same
``registry.read_registry_view`` applies (cert-store.md §7: paths must start with ``\\``;
values are read with ``get_value``, which never truncates).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from logscan.errors import InputError, SourceLocation
from logscan.facts.model import FactsResult, Origin
from logscan.facts.registry import RegHit, read_registry_view
from logscan.model import ParseWarning, WarningCode

HIVE_SIGNATURE = b"regf"
INSTALL_HINT = "reading offline hives needs regipy: pip install 'logscan-configmgr[hive]'"


class HiveView:
    """A regipy ``RegistryHive`` of SOFTWARE as a ``RegistryView``."""

    origin = Origin.REGISTRY

    def __init__(self, hive: Any, display: str) -> None:
        self._hive = hive
        self.display = display
        self.problems: list[str] = []

    def _nk(self, key: str) -> Any:
        missing: Any = importlib.import_module("regipy.exceptions").RegistryKeyNotFoundException
        try:
            return self._hive.get_key("\\" + key)
        except missing:
            return None
        except Exception as exc:  # regipy raises construct errors on damaged cells
            self.problems.append(f"key \\{key}: {exc}")
            return None

    def value(self, key: str, name: str) -> RegHit | None:
        nk = self._nk(key)
        if nk is None:
            return None
        try:
            data = nk.get_value(name, case_sensitive=False)
        except Exception as exc:  # damaged value cell
            self.problems.append(f"value \\{key}\\{name}: {exc}")
            return None
        if data is None or not isinstance(data, str | int | bytes):
            return None
        return RegHit(data, f"{self.display}: \\{key}\\{name}", self.display)

    def subkeys(self, key: str) -> list[str] | None:
        nk = self._nk(key)
        if nk is None:
            return None
        if not nk.subkey_count:
            return []
        try:
            return [str(sub.name) for sub in nk.iter_subkeys()]
        except Exception as exc:  # damaged subkey list
            self.problems.append(f"subkeys of \\{key}: {exc}")
            return None

    def key_cite(self, key: str) -> str:
        return f"{self.display}: \\{key}"


def _warning(display: str, code: WarningCode, message: str) -> FactsResult:
    return FactsResult((), (ParseWarning(display, 0, 0, code, message),))


def read_software_hive(path: str | Path, display: str | None = None) -> FactsResult:
    """Facts from a SOFTWARE hive file; damage and a missing regipy become warnings.

    Raises ``InputError`` only when the file cannot be opened at all.
    """
    name = display or str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise InputError(f"cannot read hive: {exc.strerror or exc}", SourceLocation(name)) from exc
    if head != HIVE_SIGNATURE:
        return _warning(
            name,
            WarningCode.BINARY_CONTENT,
            f"not a registry hive: starts with {head!r}, not 'regf' "
            "(save one with: reg save HKLM\\SOFTWARE software.hiv)",
        )
    try:
        # Imported by name so the optional extra stays Any-typed whether or not it is installed.
        regipy: Any = importlib.import_module("regipy.registry")
    except ImportError:
        return _warning(name, WarningCode.UNREADABLE, INSTALL_HINT)
    try:
        hive = regipy.RegistryHive(str(path))
    except Exception as exc:  # regipy/construct raise many types on a damaged base block
        return _warning(
            name, WarningCode.UNREADABLE, f"damaged registry hive, not read ({exc!s:.120})"
        )
    view = HiveView(hive, name)
    result = read_registry_view(view)
    warnings = [ParseWarning(name, 0, 0, WarningCode.BAD_VALUE, p) for p in view.problems]
    if not result.facts and not view.problems:
        warnings.append(
            ParseWarning(
                name,
                0,
                0,
                WarningCode.BAD_KEY,
                "hive holds none of the keys read for machine facts (is it the SOFTWARE hive?)",
            )
        )
    return FactsResult(result.facts, result.warnings + tuple(warnings))
