"""Identity of the sample machines and the bits every bundle shares.

All machines sit in one fictional site (CHQ, domain corp.example.com, US Eastern time);
identities are derived from the host name so they stay stable between builds.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from ccm import eastern_bias, local_of
from migration import Profile

XP_LOGS = "WINDOWS/system32/CCM/Logs"
W7_LOGS = "Windows/System32/CCM/Logs"
W7_LOGS_X64 = "Windows/SysWOW64/CCM/Logs"
VISTA_LOGS = "Windows/System32/CCM/Logs"

REFRESH = ("CHQ00061", "Refresh XP to Windows 7 SP1 x86", "CHQ2001A")
REPLACE_CAPTURE = ("CHQ00058", "Replace - Capture User State", "CHQ20015")
REPLACE_DEPLOY = ("CHQ00062", "Replace - Deploy Windows 7 SP1 x64", "CHQ2001C")
WIN7_X86_IMAGE = ("CHQ00042", "win7sp1x86.wim")
WIN7_X64_IMAGE = ("CHQ00043", "win7sp1x64.wim")
KB977203_MSP = (
    r"C:\_SMSTaskSequence\OSD\CHQ00004\i386\hotfix\KB977203\SCCM2007AC-SP2-KB977203-x86.msp"
)


def _digest(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest().upper()


def client_guid(host: str) -> str:
    d = _digest("guid", host)
    return f"GUID:{d[:8]}-{d[8:12]}-{d[12:16]}-{d[16:20]}-{d[20:32]}"


def store_id(host: str) -> str:
    """The state store folder name the SMP hands out for this computer."""
    return _digest("store", host)[:32]


def profiles(host: str, user: str, xp: bool = True) -> list[Profile]:
    root = r"C:\Documents and Settings" if xp else r"C:\Users"
    return [
        Profile(f"CORP\\{user}", f"{root}\\{user}", True),
        Profile("CORP\\helpdesk", f"{root}\\helpdesk", True),
        Profile(f"{host}\\Administrator", f"{root}\\Administrator", False),
    ]


def _clock_text(local: datetime) -> str:
    hour = local.hour % 12 or 12
    noon = "AM" if local.hour < 12 else "PM"
    return f"{local.month}/{local.day}/{local.year}, {hour}:{local:%M:%S} {noon}"


def boot_time(boot_utc: datetime) -> str:
    """``System Boot Time`` as Vista/7 systeminfo prints it (local time)."""
    return _clock_text(local_of(boot_utc, eastern_bias(boot_utc)))


def install_date(utc: datetime) -> str:
    return _clock_text(local_of(utc, eastern_bias(utc)))


def up_time(boot_utc: datetime, now_utc: datetime) -> str:
    """``System Up Time`` as XP systeminfo prints it."""
    span = now_utc - boot_utc
    hours, rest = divmod(span.seconds, 3600)
    return f"{span.days} Days, {hours} Hours, {rest // 60} Minutes, {rest % 60} Seconds"


def after(utc: datetime, **kw: float) -> datetime:
    return utc + timedelta(**kw)
