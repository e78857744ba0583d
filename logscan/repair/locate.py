"""Finding CCMCertFix.exe, and saying every place looked when it is not there.

KB977203 extracts it on the site server to ``<ConfigMgr install dir>\\Logs\\KB977203``
(the same folder as ``<SMS root>\\Logs\\KB977203``; the ``SMS_<site>`` share points at the
install dir). The order: a path the admin gave (a file, or a folder such as the SMS root
share; nothing else is searched then, so a typo is never papered over by another copy),
``%SMS_LOG_PATH%\\KB977203`` on a site server, the install directory from the registry
(``SMS\\Identification`` / ``SMS\\Setup``, both registry views), then the client's own
folders (``Local SMS Path``, ``%windir%\\System32|SysWOW64\\CCM``, ``%windir%\\CCM``,
``ccmsetup``), where admins often copy it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from logscan.facts.live import LiveHost

EXE = "CCMCertFix.exe"
KB_FOLDER = "KB977203"
_INSTALL_KEYS = (
    (r"Microsoft\SMS\Identification", "Installation Directory"),
    (r"Microsoft\SMS\Setup", "Installation Directory"),
    (r"Wow6432Node\Microsoft\SMS\Identification", "Installation Directory"),
    (r"Wow6432Node\Microsoft\SMS\Setup", "Installation Directory"),
)
_CLIENT_KEYS = (
    (r"Microsoft\SMS\Client\Configuration\Client Properties", "Local SMS Path"),
    (r"Wow6432Node\Microsoft\SMS\Client\Configuration\Client Properties", "Local SMS Path"),
)


@dataclass(frozen=True, slots=True)
class Place:
    """A candidate file and why it is a candidate."""

    path: str
    why: str


@dataclass(frozen=True, slots=True)
class Looked:
    """One candidate checked, and what was there."""

    path: str
    why: str
    result: str  # "found", "absent", "not a file"


@dataclass(frozen=True, slots=True)
class Located:
    """Where CCMCertFix.exe is (None when nowhere) and every place looked, in order."""

    found: str | None
    looked: tuple[Looked, ...]
    explicit: bool = False

    def describe(self) -> str:
        """The search as lines for a message."""
        return "\n".join(f"  {item.result:<10} {item.path}  ({item.why})" for item in self.looked)


def places_for_given(given: str, join: Callable[..., str] = os.path.join) -> list[Place]:
    """Candidates for a path the admin named: the file, or inside a folder/SMS root."""
    if os.path.isdir(given):
        return [
            Place(join(given, EXE), "in the folder given"),
            Place(join(given, KB_FOLDER, EXE), "KB977203 folder under the folder given"),
            Place(join(given, "Logs", KB_FOLDER, EXE), "<SMS root>\\Logs\\KB977203 under it"),
        ]
    return [Place(given, "path given with --ccmcertfix")]


def search_places(
    host: LiveHost | None,
    env: Mapping[str, str],
    join: Callable[..., str] = os.path.join,
) -> list[Place]:
    """Every default candidate, most specific first, without duplicates."""
    places: list[Place] = []
    log_path = env.get("SMS_LOG_PATH")
    if log_path:
        places.append(Place(join(log_path, KB_FOLDER, EXE), "%SMS_LOG_PATH% (site server)"))
    if host is not None:
        for key, name in _INSTALL_KEYS:
            value = host.reg_value(key, name)
            if isinstance(value, str) and value.strip():
                places.append(
                    Place(
                        join(value.strip(), "Logs", KB_FOLDER, EXE),
                        f"ConfigMgr install dir from HKLM\\SOFTWARE\\{key}",
                    )
                )
        for key, name in _CLIENT_KEYS:
            value = host.reg_value(key, name)
            if isinstance(value, str) and value.strip():
                places.append(Place(join(value.strip(), EXE), f"client folder ({name})"))
    windir = env.get("SystemRoot") or env.get("windir") or env.get("WINDIR")
    if windir:
        for parts, why in (
            (("System32", "CCM"), "2007 client folder (32-bit Windows)"),
            (("SysWOW64", "CCM"), "2007 client folder (64-bit Windows)"),
            (("CCM",), "client folder of later clients"),
            (("System32", "ccmsetup"), "ccmsetup folder"),
            (("ccmsetup",), "ccmsetup folder"),
        ):
            places.append(Place(join(windir, *parts, EXE), why))
    seen: set[str] = set()
    unique: list[Place] = []
    for place in places:
        key = os.path.normcase(place.path).casefold()
        if key not in seen:
            seen.add(key)
            unique.append(place)
    return unique


def locate(
    places: Sequence[Place],
    *,
    explicit: bool = False,
    is_file: Callable[[str], bool] = os.path.isfile,
    exists: Callable[[str], bool] = os.path.exists,
) -> Located:
    """The first candidate that is a file; every candidate up to it is listed as looked."""
    looked: list[Looked] = []
    for place in places:
        if is_file(place.path):
            looked.append(Looked(place.path, place.why, "found"))
            return Located(place.path, tuple(looked), explicit)
        result = "not a file" if exists(place.path) else "absent"
        looked.append(Looked(place.path, place.why, result))
    return Located(None, tuple(looked), explicit)


def locate_ccmcertfix(given: str | None, host: LiveHost | None, env: Mapping[str, str]) -> Located:
    """The admin's path when given (only there), else the default places."""
    if given:
        return locate(places_for_given(given), explicit=True)
    return locate(search_places(host, env))
