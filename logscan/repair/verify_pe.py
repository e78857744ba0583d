"""Verifying CCMCertFix.exe before it runs: PE x86, a known build for the client's SP, hashes.

With ``pefile`` (imported only here, only when a file is checked): the image must parse
as PE, be x86 (machine 0x14C), carry a VS_VERSIONINFO whose numeric FileVersion is a
known CCMCertFix build (4.0.6221.1193 for SP1, 4.0.6487.2111 for SP2) and that build
must match the client's service pack. Size, SHA-256, the string FileVersion and
OriginalFilename, and whether an Authenticode blob is present (security directory
non-empty; logscan does not validate the signature) are reported either way. Anything
that fails is refused unless the admin names this file's exact SHA-256
(``accept_sha256``), which then also pins the file: a different hash is always refused.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from logscan.facts.release import ClientRelease

I386 = 0x014C
DOCUMENTED_SIZE = 17_768  # KB977203 text; not independently verified
KNOWN_BUILDS: dict[tuple[int, int, int, int], ClientRelease] = {
    (4, 0, 6221, 1193): ClientRelease.CM2007_SP1,
    (4, 0, 6487, 2111): ClientRelease.CM2007_SP2,
}
_SP_NAME = {ClientRelease.CM2007_SP1: "SP1", ClientRelease.CM2007_SP2: "SP2"}
_MAX_SIZE = 16 << 20  # the real file is 17 KB; anything this big is not it
_FIXED_SIGNATURE = 0xFEEF04BD


class BinaryProblem(StrEnum):
    """Why a file is not accepted as CCMCertFix.exe."""

    UNREADABLE = "unreadable"
    TOO_LARGE = "too_large"
    NOT_PE = "not_pe"
    NOT_X86 = "not_x86"
    NO_VERSION = "no_version"
    UNKNOWN_BUILD = "unknown_build"
    WRONG_SERVICE_PACK = "wrong_service_pack"
    CLIENT_UNKNOWN = "client_unknown"
    HASH_NOT_ACCEPTED = "hash_not_accepted"  # --accept-sha256 names another file
    PEFILE_MISSING = "pefile_missing"


# Problems an accepted hash cannot wave through: the file cannot be an executable at all.
_NOT_OVERRIDABLE = frozenset(
    {BinaryProblem.UNREADABLE, BinaryProblem.NOT_PE, BinaryProblem.HASH_NOT_ACCEPTED}
)


@dataclass(frozen=True, slots=True)
class Finding:
    code: BinaryProblem
    message: str


@dataclass(frozen=True, slots=True)
class BinaryReport:
    """Everything learnt about one candidate file."""

    path: str
    size: int | None = None
    sha256: str | None = None
    machine: int | None = None
    file_version: str | None = None  # from VS_FIXEDFILEINFO, e.g. "4.0.6487.2111"
    string_version: str | None = None  # StringFileInfo FileVersion as written
    original_filename: str | None = None
    build_for: ClientRelease | None = None
    signature_present: bool | None = None
    problems: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    accepted_sha256: str | None = None  # the override the admin gave, if any

    @property
    def verified(self) -> bool:
        """Passed every check on its own."""
        return not self.problems

    @property
    def overridable(self) -> bool:
        """Whether naming this file's SHA-256 could accept it (it is at least a PE image)."""
        return all(p.code not in _NOT_OVERRIDABLE for p in self.problems)

    @property
    def overridden(self) -> bool:
        """Failed a check but the admin accepted exactly this file."""
        return bool(self.problems) and self.accepted_sha256 is not None and self.overridable

    @property
    def usable(self) -> bool:
        return self.verified or self.overridden

    def summary(self) -> str:
        signed = {True: "present", False: "absent", None: "unknown"}[self.signature_present]
        return (
            f"{self.path}: {self.size if self.size is not None else '?'} bytes, "
            f"SHA-256 {self.sha256 or '?'}, FileVersion {self.file_version or '?'}, "
            f"machine {hex(self.machine) if self.machine is not None else '?'}, "
            f"Authenticode blob {signed}"
        )


def normalize_sha256(text: str) -> str | None:
    """An admin-typed SHA-256 as 64 lower-case hex digits (spaces/colons allowed), else None."""
    cleaned = "".join(ch for ch in text.strip().lower() if ch not in " :-")
    if len(cleaned) != 64 or any(ch not in "0123456789abcdef" for ch in cleaned):
        return None
    return cleaned


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _version_strings(pe: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for group in getattr(pe, "FileInfo", None) or []:
        for entry in group:
            if getattr(entry, "Key", b"") != b"StringFileInfo":
                continue
            for table in getattr(entry, "StringTable", []):
                for key, value in table.entries.items():
                    found.setdefault(
                        key.decode("ascii", "replace"), value.decode("utf-8", "replace")
                    )
    return found


def _inspect(data: bytes, fields: dict[str, Any], problems: list[Finding]) -> None:
    """Fill ``fields`` from the PE headers and version resource of ``data``."""
    try:
        import pefile
    except ImportError:
        problems.append(
            Finding(BinaryProblem.PEFILE_MISSING, "pefile is not installed: pip install pefile")
        )
        return
    try:
        pe = pefile.PE(data=data, fast_load=True)
        pe.parse_data_directories(
            directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_RESOURCE"]]
        )
    except pefile.PEFormatError as exc:
        problems.append(Finding(BinaryProblem.NOT_PE, f"not a PE image: {exc}"))
        return
    fields["machine"] = machine = int(pe.FILE_HEADER.Machine)
    if machine != I386:
        problems.append(
            Finding(BinaryProblem.NOT_X86, f"machine {machine:#06x}, CCMCertFix is x86 (0x014c)")
        )
    security = pe.OPTIONAL_HEADER.DATA_DIRECTORY[
        pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_SECURITY"]
    ]
    fields["signature_present"] = int(security.Size) > 0
    strings = _version_strings(pe)
    fields["string_version"] = strings.get("FileVersion")
    fields["original_filename"] = strings.get("OriginalFilename")
    fixed = getattr(pe, "VS_FIXEDFILEINFO", None)
    if not fixed or int(fixed[0].Signature) != _FIXED_SIGNATURE:
        problems.append(Finding(BinaryProblem.NO_VERSION, "no version resource (VS_VERSIONINFO)"))
        return
    ms, ls = int(fixed[0].FileVersionMS), int(fixed[0].FileVersionLS)
    version = (ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF)
    fields["file_version"] = ".".join(str(part) for part in version)
    fields["build_for"] = KNOWN_BUILDS.get(version)
    if fields["build_for"] is None:
        known = ", ".join(".".join(map(str, v)) for v in KNOWN_BUILDS)
        problems.append(
            Finding(
                BinaryProblem.UNKNOWN_BUILD,
                f"FileVersion {fields['file_version']} is not a known CCMCertFix build ({known})",
            )
        )


def verify_ccmcertfix(
    path: str,
    *,
    client_release: ClientRelease | str | None,
    accept_sha256: str | None = None,
) -> BinaryReport:
    """Check ``path`` as CCMCertFix.exe for a client of ``client_release``."""
    problems: list[Finding] = []
    notes: list[str] = []
    fields: dict[str, Any] = {}
    try:
        size = os.path.getsize(path)
        fields["size"] = size
        fields["sha256"] = sha256_file(path)
        data = b""
        if size > _MAX_SIZE:
            problems.append(
                Finding(BinaryProblem.TOO_LARGE, f"{size} bytes; CCMCertFix.exe is about 17 KB")
            )
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        problems.append(Finding(BinaryProblem.UNREADABLE, f"cannot read: {exc.strerror or exc}"))
        return BinaryReport(path, problems=tuple(problems))
    if data:
        _inspect(data, fields, problems)
    build_for = fields.get("build_for")
    release = ClientRelease(client_release) if client_release is not None else None
    if build_for is not None:
        if release is None:
            problems.append(
                Finding(
                    BinaryProblem.CLIENT_UNKNOWN,
                    "the client's service pack is unknown, so the build cannot be matched "
                    f"(this file is the {_SP_NAME[build_for]} build)",
                )
            )
        elif release is not build_for:
            wanted = _SP_NAME.get(release, release.value)
            problems.append(
                Finding(
                    BinaryProblem.WRONG_SERVICE_PACK,
                    f"this is the {_SP_NAME[build_for]} build; the client is {wanted}",
                )
            )
    if fields.get("size") not in (None, DOCUMENTED_SIZE):
        notes.append(f"size {fields['size']} differs from the documented {DOCUMENTED_SIZE} bytes")
    if fields.get("signature_present") is False:
        notes.append("no Authenticode signature blob; check the file's origin")
    elif fields.get("signature_present"):
        notes.append("Authenticode blob present (not validated by logscan: signtool verify /pa)")
    name = fields.get("original_filename")
    if name is not None and name.casefold() != "ccmcertfix.exe":
        notes.append(f"OriginalFilename is {name!r}")
    accepted = None
    if accept_sha256 is not None:
        accepted = normalize_sha256(accept_sha256) or accept_sha256
        if accepted != fields.get("sha256"):
            problems.append(
                Finding(
                    BinaryProblem.HASH_NOT_ACCEPTED,
                    f"--accept-sha256 names {accepted}, this file is {fields.get('sha256')}",
                )
            )
    return BinaryReport(
        path,
        problems=tuple(problems),
        notes=tuple(notes),
        accepted_sha256=accepted,
        **fields,
    )
