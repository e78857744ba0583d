"""The collector's ``manifest.txt``: its entries, and the machine facts it records.

The collector (``logscan/collector/collect_logscan.cmd``) writes ``key=value`` lines after
a ``# logscan collector manifest`` header; keys may repeat (``found=``, ``missing=``,
``reg_export=``). ``status=complete`` is the last line of a run that finished. Facts:
computer name, OS version and build from ``ver`` and from ``reg query`` of CurrentVersion,
architecture, and whether TSManager.exe was running at collection time. In WinPE those
OS values describe WinPE itself, not the installed Windows, so they are not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from logscan.facts._text import TextLine, decode_lines
from logscan.facts.model import Fact, FactName, FactsResult, FactValue, Origin
from logscan.model import ParseWarning, WarningCode

HEADER = "# logscan collector manifest"
_COLLECTOR = "collector=logscan-collector"
_PAIR = re.compile(r"^(?P<key>[a-z][a-z0-9_]*)=(?P<value>.*)$")
# "Microsoft Windows [Version 6.1.7601]", localized: "[Versión 6.1.7601]", "[版本 6.1.7601]".
_VER = re.compile(r"\[[^\]\d]*(?P<major>\d+)\.(?P<minor>\d+)\.(?P<build>\d+)")
_SP = re.compile(r"Service\s+Pack\s+(?P<sp>\d+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    key: str
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class Manifest:
    """A parsed manifest; ``complete`` when the collector reached its last line."""

    source: str
    entries: tuple[ManifestEntry, ...]

    def get(self, key: str) -> ManifestEntry | None:
        """The last entry for ``key``."""
        found = [e for e in self.entries if e.key == key]
        return found[-1] if found else None

    def values(self, key: str) -> tuple[str, ...]:
        """Every value of a repeated key (``found``, ``missing``, ``reg_export``...)."""
        return tuple(e.value for e in self.entries if e.key == key)

    @property
    def complete(self) -> bool:
        status = self.get("status")
        return status is not None and status.value.strip() == "complete"

    @property
    def computer_name(self) -> str | None:
        entry = self.get("computer_name")
        return entry.value.strip() or None if entry else None


def looks_like_manifest(text: str) -> bool:
    """Whether decoded text is a collector manifest."""
    head = text.lstrip("\ufeff")[:4096]
    if head.startswith(HEADER):
        return True
    # The substring test spares logs (most files of a bundle) the line-anchored search.
    return _COLLECTOR in head and re.search(rf"^{_COLLECTOR}", head, re.M) is not None


def read_manifest(source: str, raw: bytes) -> tuple[Manifest, FactsResult]:
    """The manifest and its facts; lines that are not ``key=value`` become warnings."""
    decoded = decode_lines(source, raw)
    warnings = list(decoded.warnings)
    entries: list[ManifestEntry] = []
    for line in decoded.lines:
        text = line.text.strip()
        if not text or text.startswith("#"):
            continue
        m = _PAIR.match(text)
        if m is None:
            warnings.append(
                _warn(source, line, WarningCode.STRAY_TEXT, f"not a key=value line: {text[:60]!r}")
            )
            continue
        entries.append(ManifestEntry(m.group("key"), m.group("value").strip(), line.number))
    manifest = Manifest(source, tuple(entries))
    last = decoded.lines[-1] if decoded.lines else TextLine(1, 0, "")
    if entries and not manifest.complete:
        warnings.append(
            _warn(
                source,
                last,
                WarningCode.TORN_RECORD,
                "manifest has no status=complete: the collector did not finish, "
                "so the bundle may be partial",
            )
        )
    errors = manifest.get("errors")
    if errors is not None and errors.value not in ("", "0"):
        warnings.append(
            ParseWarning(
                source,
                errors.line,
                0,
                WarningCode.UNREADABLE,
                f"the collector met {errors.value} copy error(s); "
                "see copy_error lines and collector.log",
            )
        )
    return manifest, FactsResult(_facts(manifest), tuple(warnings))


def _warn(source: str, line: TextLine, code: WarningCode, message: str) -> ParseWarning:
    return ParseWarning(source, line.number, line.offset, code, message)


def _facts(manifest: Manifest) -> tuple[Fact, ...]:
    out: list[Fact] = []

    def add(name: FactName, value: FactValue, entry: ManifestEntry, detail: str) -> None:
        cite = f"{manifest.source}:{entry.line}"
        out.append(Fact(name, value, cite, f"collector manifest {detail}", Origin.MANIFEST))

    if (host := manifest.get("computer_name")) and host.value and host.value != "UNKNOWN-HOST":
        add(FactName.HOST_NAME, host.value, host, "computer_name")
    if (ts := manifest.get("ts_running")) and ts.value in ("yes", "no"):
        add(FactName.TASK_SEQUENCE_RUNNING, ts.value == "yes", ts, "ts_running (at collection)")
    # A 32-bit cmd.exe on 64-bit Windows sees x86 here and the truth in ARCHITEW6432.
    arch = next(
        (
            e
            for k in ("processor_architew6432", "processor_architecture")
            if (e := manifest.get(k)) is not None and e.value
        ),
        None,
    )
    if arch is not None:
        bits = "x64" if arch.value.upper() in ("AMD64", "IA64", "ARM64") else "x86"
        add(FactName.OS_ARCHITECTURE, bits, arch, f"{arch.key}={arch.value}")
    if (pe := manifest.get("winpe")) and pe.value == "yes":
        return tuple(out)  # OS values below would describe WinPE, not the installed OS
    if (ver := manifest.get("os_ver")) and (m := _VER.search(ver.value)):
        add(FactName.OS_VERSION, f"{m.group('major')}.{m.group('minor')}", ver, "os_ver (ver)")
        add(FactName.OS_BUILD, int(m.group("build")), ver, "os_ver (ver)")
    if (name := manifest.get("os_product_name")) and name.value:
        add(FactName.OS_NAME, name.value, name, "os_product_name")
    if (cur := manifest.get("os_current_version")) and re.fullmatch(r"\d+\.\d+", cur.value):
        add(FactName.OS_VERSION, cur.value, cur, "os_current_version")
    if (build := manifest.get("os_build")) and build.value.isdigit():
        add(FactName.OS_BUILD, int(build.value), build, "os_build")
    if (csd := manifest.get("os_csd")) and (sp := _SP.search(csd.value)):
        add(FactName.OS_SERVICE_PACK, int(sp.group("sp")), csd, "os_csd")
    elif manifest.get("os_build") is not None and csd is None and manifest.complete:
        # The collector writes os_csd only when CSDVersion exists: none means no SP.
        anchor = manifest.get("os_build")
        assert anchor is not None
        add(FactName.OS_SERVICE_PACK, 0, anchor, "has no os_csd: no service pack")
    return tuple(out)
