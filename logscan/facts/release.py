"""ConfigMgr client versions: parsing, and what a version says about release and hotfixes.

The version map is reference/cert-store.md §9.1 (community version tables, consistent with
the CCMCertFix file versions). Only exact revisions in that table imply a hotfix: client
hotfix patches are not known to be cumulative, and whether the KB977203 patch bumps
``ProductVersion`` at all is unverified, so an unlisted revision implies nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_VERSION = re.compile(r"^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,5})\.(\d{1,5})\s*$")


class ClientRelease(StrEnum):
    """Which ConfigMgr client release a version belongs to."""

    CM2007_RTM = "cm2007_rtm"  # 4.00.5931
    CM2007_SP1 = "cm2007_sp1"  # 4.00.6221 (R2 is a feature add-on, same client version)
    CM2007_SP2 = "cm2007_sp2"  # 4.00.6487 (R2/R3 add-ons on SP2; R3 shows as a revision)
    CM2007_OTHER = "cm2007_other"  # a 4.00 build not in the table (pre-release, odd build)
    NOT_2007 = "not_2007"  # 5.x (2012 / Current Branch) or 2.50 (SMS 2003)


@dataclass(frozen=True, slots=True, order=True)
class ClientVersion:
    """A four-part client version, compared numerically (4.0.6487.2000 == 4.00.6487.2000)."""

    major: int
    minor: int
    build: int
    revision: int

    @classmethod
    def parse(cls, text: str) -> ClientVersion | None:
        m = _VERSION.match(text)
        if m is None:
            return None
        a, b, c, d = (int(g) for g in m.groups())
        return cls(a, b, c, d)

    def __str__(self) -> str:
        # The registry spelling: two-digit minor, four-digit revision (4.00.6487.2000).
        return f"{self.major}.{self.minor:02d}.{self.build}.{self.revision:04d}"


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """What the version table says about one client version."""

    release: ClientRelease
    hotfix_level: str
    implies_kb977203: bool = False
    implies_kb977384: bool = False


_SP_BUILDS = {
    5931: ClientRelease.CM2007_RTM,
    6221: ClientRelease.CM2007_SP1,
    6487: ClientRelease.CM2007_SP2,
}
_SP_NAMES = {5931: "RTM", 6221: "SP1", 6487: "SP2"}

# (build, revision) -> (hotfix level, implies KB977203, implies KB977384); cert-store.md §9.1.
_REVISIONS: dict[tuple[int, int], tuple[str, bool, bool]] = {
    (5931, 0): ("RTM", False, False),
    (6221, 1000): ("SP1", False, False),
    (6221, 1193): ("SP1 + KB977203", True, False),
    (6487, 2000): ("SP2", False, False),
    (6487, 2111): ("SP2 + KB977203", True, False),
    (6487, 2157): ("SP2 R3 / R3 prerequisite KB977384 (contains KB977203)", False, True),
    (6487, 2187): ("SP2 R3 (R3 prerequisite KB977384, contains KB977203)", False, True),
    (6487, 2207): ("SP2 + KB2750782", False, False),
}


def classify(version: ClientVersion) -> ReleaseInfo:
    """Release and hotfix level of a client version."""
    if version.major != 4:
        era = "SMS 2003" if version.major == 2 else "ConfigMgr 2012 or later"
        return ReleaseInfo(ClientRelease.NOT_2007, f"{era} client, not ConfigMgr 2007")
    release = _SP_BUILDS.get(version.build)
    if release is None:
        return ReleaseInfo(
            ClientRelease.CM2007_OTHER,
            f"ConfigMgr 2007 build {version.build} is not RTM/SP1/SP2 (not in the version table)",
        )
    known = _REVISIONS.get((version.build, version.revision))
    if known is not None:
        level, kb203, kb384 = known
        return ReleaseInfo(release, level, kb203, kb384)
    return ReleaseInfo(
        release,
        f"{_SP_NAMES[version.build]}, revision {version.revision} "
        "(not in the version table: hotfixes unknown)",
    )
