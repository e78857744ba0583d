"""Rotation families: which files are generations of one log, and their oldest-first order.

ConfigMgr rotates a full log in two ways. The 2007 client renames ``X.log`` to ``X.lo_``
(keeping one old generation); later clients rename it to ``X-YYYYMMDD-HHMMSS.log``
(keeping several). All of them, in one folder, form the family ``<folder>/x``.

Order within a family, oldest first:

1. the undated ``X.lo_``: a dated generation only exists on a client that rotates by
   date, so an undated ``.lo_`` next to dated ones predates them (an older client);
2. dated generations by their stamp (a dated ``.lo_`` before the ``.log`` of the same
   stamp);
3. the live ``X.log``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from logscan.inputs.source import LogSource

_ROTATED_NAME = re.compile(
    r"""
    ^(?P<base>.+?)                       # log name, e.g. smsts
    (?:-(?P<stamp>\d{8}-\d{6}))?         # -YYYYMMDD-HHMMSS of a dated generation
    \.(?P<ext>log|lo_)$                  # live .log or rotated .lo_
    """,
    re.VERBOSE | re.IGNORECASE,
)

GENERATION_OLD = 0  # undated X.lo_
GENERATION_LIVE = (1 << 62) - 1  # the live X.log, after every dated generation


@dataclass(frozen=True, slots=True)
class Rotation:
    """What a log file name says about its rotation."""

    base: str  # lower-case log name without stamp and extension ("smsts")
    stamp: str | None  # "YYYYMMDD-HHMMSS" of a dated generation
    rotated: bool  # a .lo_ file

    @property
    def generation(self) -> int:
        """Sort key within the family: lower is older."""
        if self.stamp is None:
            return GENERATION_OLD if self.rotated else GENERATION_LIVE
        digits = int(self.stamp.replace("-", ""))  # 14 digits, well below 2**62 / 2
        return 1 + digits * 2 + (0 if self.rotated else 1)


def split_rotation(name: str) -> Rotation | None:
    """Rotation facts from a bare file name; None for names that are not ``.log``/``.lo_``."""
    m = _ROTATED_NAME.match(name)
    if m is None:
        return None
    return Rotation(
        base=m.group("base").lower(),
        stamp=m.group("stamp"),
        rotated=m.group("ext").lower() == "lo_",
    )


def family_of(display: str) -> tuple[str, int]:
    """Family key and generation for a source's display path.

    The key is the folder part of ``display`` (including any ``bundle.zip!`` prefix) plus
    the base name, lower-cased because Windows names are case-insensitive. Files that are
    not ``.log``/``.lo_`` form a family of their own.
    """
    path = display.replace("\\", "/")
    # "HOST1/bundle.zip!smsts.log": the folder ends at the last "/" or "!".
    cut = max(path.rfind("/"), path.rfind("!")) + 1
    prefix, name = path[:cut].lower(), path[cut:]
    rot = split_rotation(name)
    if rot is None:
        return prefix + name.lower(), GENERATION_LIVE
    return prefix + rot.base, rot.generation


def order_sources(sources: Iterable[LogSource]) -> list[LogSource]:
    """Sources grouped by rotation family, oldest generation first within each family.

    Families keep the order in which their first member was found; sources given under
    different inputs (``root``) never share a family.
    """
    families: dict[tuple[str, str], list[LogSource]] = {}
    for source in sources:
        families.setdefault((source.root, source.family), []).append(source)
    ordered: list[LogSource] = []
    for members in families.values():
        ordered.extend(sorted(members, key=lambda s: s.generation))
    return ordered
