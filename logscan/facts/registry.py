"""Facts from the registry: client version, Windows version, and the client's MSI patches.

Any registry source -- a ``reg export`` file, an offline SOFTWARE hive, the live machine --
is read through the small ``RegistryView`` protocol, with key paths relative to
``HKLM\\SOFTWARE``. What is read (cert-store.md §9):

- ``[Wow6432Node\\]Microsoft\\SMS\\Mobile Client`` ``ProductVersion`` (the 2007 client is
  32-bit, so on x64 it sits under Wow6432Node; both views are read);
- ``Microsoft\\Windows NT\\CurrentVersion``: ``ProductName``, ``CurrentVersion`` (or the
  ``CurrentMajor/MinorVersionNumber`` DWORDs of Windows 10+), ``CurrentBuildNumber``,
  ``CSDVersion``;
- the Windows Installer patch list of the client product (``…\\Installer\\UserData\\
  S-1-5-18\\Products\\1FDE90624C4330B46B43553F3BCB9413\\Patches``), whose ``DisplayName``
  is matched on 977203 / 977384 rather than on patch codes (§9.2, unverified on a client).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from logscan.facts.model import Fact, FactName, FactsResult, FactValue, Origin
from logscan.facts.release import ClientVersion
from logscan.inputs.regfile import RegFile, RegKey, RegType, read_reg_stream
from logscan.model import ParseWarning, WarningCode

MOBILE_CLIENT = r"Microsoft\SMS\Mobile Client"
MOBILE_CLIENT_WOW = r"Wow6432Node\Microsoft\SMS\Mobile Client"
CURRENT_VERSION = r"Microsoft\Windows NT\CurrentVersion"
CLIENT_PRODUCT = (
    r"Microsoft\Windows\CurrentVersion\Installer\UserData\S-1-5-18\Products"
    r"\1FDE90624C4330B46B43553F3BCB9413"
)
CLIENT_PATCHES = CLIENT_PRODUCT + r"\Patches"
_SOFTWARE_ROOTS = ("HKEY_LOCAL_MACHINE\\SOFTWARE", "HKLM\\SOFTWARE")
_SP = re.compile(r"Service\s+Pack\s+(\d+)", re.IGNORECASE)
_DIGITS = re.compile(r"^\s*(\d+)")

RegData = str | int | bytes


@dataclass(frozen=True, slots=True)
class RegHit:
    """A value found in a registry view, with where to cite it."""

    data: RegData
    cite: str  # "mobile_client.reg:7", "SOFTWARE hive \\Microsoft\\…", "live: registry HKLM\\…"
    source: str  # the file (or "live") warnings name
    line: int = 0  # line in a .reg file; 0 for hives and the live registry


class RegistryView(Protocol):
    """Read-only access to (part of) ``HKLM\\SOFTWARE``; paths are relative to it."""

    origin: Origin

    def value(self, key: str, name: str) -> RegHit | None:
        """The value, or None when the key or the value is absent."""
        ...

    def subkeys(self, key: str) -> list[str] | None:
        """Names of the subkeys, or None when the key is absent from this view."""
        ...

    def key_cite(self, key: str) -> str:
        """How to cite the key itself (its line in a .reg file, its path elsewhere)."""
        ...


def software_relative(path: str) -> str | None:
    """``HKEY_LOCAL_MACHINE\\SOFTWARE\\X`` -> ``X`` (case-insensitive); None for other roots."""
    for root in _SOFTWARE_ROOTS:
        if path.casefold() == root.casefold():
            return ""
        if path.casefold().startswith(root.casefold() + "\\"):
            return path[len(root) + 1 :]
    return None


class RegFileView:
    """A ``reg export`` file as a ``RegistryView`` (keys outside HKLM\\SOFTWARE are ignored)."""

    origin = Origin.REGISTRY

    def __init__(self, regfile: RegFile) -> None:
        self.regfile = regfile
        self._paths: dict[str, str] = {}  # folded relative path -> full path as written
        for key in regfile.keys:
            rel = software_relative(key.path)
            if rel is not None and not key.deleted:
                self._paths.setdefault(rel.casefold(), key.path)

    def keys(self) -> list[str]:
        """Relative paths of every HKLM\\SOFTWARE key in the export."""
        return [software_relative(p) or "" for p in self._paths.values()]

    def _key(self, key: str) -> RegKey | None:
        full = self._paths.get(key.casefold())
        return None if full is None else self.regfile.key(full)

    def value(self, key: str, name: str) -> RegHit | None:
        found = self._key(key)
        val = None if found is None else found.value(name)
        if val is None:
            return None
        data: RegData
        if val.type in (RegType.SZ, RegType.EXPAND_SZ):
            data = val.as_str()
        elif val.type in (RegType.DWORD, RegType.QWORD, RegType.DWORD_BIG_ENDIAN):
            try:
                data = val.as_int()
            except ValueError:
                data = val.raw
        else:
            data = val.raw
        src = self.regfile.source
        return RegHit(data, f"{src}:{val.line}", src, val.line)

    def key_cite(self, key: str) -> str:
        found = self._key(key)
        line = f":{found.line}" if found is not None else ""
        return f"{self.regfile.source}{line}"

    def subkeys(self, key: str) -> list[str] | None:
        prefix = key.casefold() + "\\"
        if key.casefold() not in self._paths:
            return None
        names = {p[len(prefix) :].split("\\", 1)[0] for p in self._paths if p.startswith(prefix)}
        return sorted(names)


def read_registry_view(view: RegistryView) -> FactsResult:
    """Every fact the view holds; values of the wrong shape become warnings."""
    out = _Collector(view.origin)
    for key, label in ((MOBILE_CLIENT, "native view"), (MOBILE_CLIENT_WOW, "32-bit view")):
        hit = view.value(key, "ProductVersion")
        if hit is not None:
            out.client_version(hit, key, label)
    _windows_version(view, out)
    _client_patches(view, out)
    return FactsResult(tuple(out.facts), tuple(out.warnings))


class _Collector:
    def __init__(self, origin: Origin) -> None:
        self.origin = origin
        self.facts: list[Fact] = []
        self.warnings: list[ParseWarning] = []

    def add(self, name: FactName, value: FactValue, hit: RegHit, detail: str) -> None:
        self.facts.append(Fact(name, value, hit.cite, detail, self.origin))

    def warn(self, hit: RegHit, message: str) -> None:
        self.warnings.append(ParseWarning(hit.source, hit.line, 0, WarningCode.BAD_VALUE, message))

    def client_version(self, hit: RegHit, key: str, label: str) -> None:
        version = ClientVersion.parse(hit.data) if isinstance(hit.data, str) else None
        if version is None:
            self.warn(hit, f"ProductVersion {hit.data!r} under {key} is not a version (ignored)")
            return
        self.add(FactName.CLIENT_VERSION, str(version), hit, f"{key} ProductVersion ({label})")


def _text(hit: RegHit | None) -> str | None:
    return hit.data.strip() if hit is not None and isinstance(hit.data, str) else None


def _windows_version(view: RegistryView, out: _Collector) -> None:
    name = view.value(CURRENT_VERSION, "ProductName")
    if (text := _text(name)) and name is not None:
        out.add(FactName.OS_NAME, text, name, "CurrentVersion ProductName")
    major = view.value(CURRENT_VERSION, "CurrentMajorVersionNumber")
    minor = view.value(CURRENT_VERSION, "CurrentMinorVersionNumber")
    legacy = view.value(CURRENT_VERSION, "CurrentVersion")
    if (
        major is not None
        and minor is not None
        and isinstance(major.data, int)
        and isinstance(minor.data, int)
    ):
        # Windows 10+ keeps "6.3" in CurrentVersion for old programs; the DWORDs are true.
        out.add(FactName.OS_VERSION, f"{major.data}.{minor.data}", major, "CurrentMajor/Minor")
    elif (text := _text(legacy)) and legacy is not None:
        if re.fullmatch(r"\d+\.\d+", text):
            out.add(FactName.OS_VERSION, text, legacy, "CurrentVersion")
        else:
            out.warn(legacy, f"CurrentVersion {text!r} is not 'major.minor'")
    build = view.value(CURRENT_VERSION, "CurrentBuildNumber") or view.value(
        CURRENT_VERSION, "CurrentBuild"
    )
    if build is not None:
        m = _DIGITS.match(str(build.data)) if isinstance(build.data, str | int) else None
        if m:
            out.add(FactName.OS_BUILD, int(m.group(1)), build, "CurrentBuildNumber")
        else:
            out.warn(build, f"build number {build.data!r} is not a number")
    sp = view.value(CURRENT_VERSION, "CSDVersion")
    if (text := _text(sp)) is not None and sp is not None:
        m = _SP.search(text)
        if m:
            out.add(FactName.OS_SERVICE_PACK, int(m.group(1)), sp, f"CSDVersion {text!r}")
        else:
            out.warn(sp, f"CSDVersion {text!r} names no service pack number")
    elif sp is None and (legacy or build) is not None:
        # The key is there without CSDVersion: Windows writes it only once an SP is installed.
        anchor = legacy or build
        assert anchor is not None
        out.add(FactName.OS_SERVICE_PACK, 0, anchor, "CurrentVersion has no CSDVersion: no SP")


def _client_patches(view: RegistryView, out: _Collector) -> None:
    patches = view.subkeys(CLIENT_PATCHES)
    if patches is None:
        return
    names: list[tuple[str, RegHit]] = []
    for code in patches:
        hit = view.value(f"{CLIENT_PATCHES}\\{code}", "DisplayName")
        if (text := _text(hit)) and hit is not None:
            names.append((text, hit))
    for kb, fact in (("977203", FactName.KB977203), ("977384", FactName.KB977384)):
        match = next(((t, h) for t, h in names if kb in t), None)
        if match is not None:
            out.add(fact, True, match[1], f"client MSI patch {match[0]!r}")
            continue
        listing = ", ".join(t for t, _ in names) or "none"
        detail = f"not among the client's {len(patches)} MSI patches ({listing})"
        out.facts.append(Fact(fact, False, view.key_cite(CLIENT_PATCHES), detail, out.origin))


def _wanted(path: str) -> bool:
    rel = software_relative(path)
    if rel is None:
        return False
    folded = rel.casefold()
    exact = {MOBILE_CLIENT.casefold(), MOBILE_CLIENT_WOW.casefold(), CURRENT_VERSION.casefold()}
    return folded in exact or folded.startswith(CLIENT_PATCHES.casefold())


def read_reg_export(source: str, data: bytes | BinaryIO) -> FactsResult:
    """Facts from a ``reg export`` file, given as bytes or an open binary file (streamed;
    values of unrelated keys are skipped unparsed).

    Raises ``InputError`` when the content is not a registry export at all.
    """
    fh = io.BytesIO(data) if isinstance(data, bytes) else data
    regfile = read_reg_stream(source, fh, wanted=_wanted)
    facts = read_registry_view(RegFileView(regfile))
    return FactsResult(facts.facts, regfile.warnings + facts.warnings)
