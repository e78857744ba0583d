"""Facts from log lines, taking ``LogRecord``s from any parser (or bare messages).

Only wordings seen in real logs or quoted by the reference are matched:

- ``CcmSetup version: 5.0.8458.1007`` -- the version of ccmsetup.exe that ran. It is
  kept apart from the installed client version (ccmsetup may be newer than the client
  it upgrades, or fail to install), but tells which client generation was deployed.
- ``Client OS Version 6.2 Service Pack 0.0`` -- OS version and service pack.
- ``SiteVersion:      5.00.8692.1000`` and ``Retrived site version '…'`` (sic).
- ``PATCH="…KB977203….msp"`` in ccmsetup command lines and MSI properties: the client patch
  was passed to setup (DOMAIN.md fix step 3); the line does not prove it installed.

Real ccmsetup wording from jimbocalvo/Reddit ccmsetup.log (shared/real_logs). No public
sample states the *installed* client version in a log line, nor any CCMCertFix.log, so
neither is guessed at; the registry is the source for those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from logscan.facts.model import Fact, FactName, Origin
from logscan.facts.release import ClientVersion
from logscan.model import LogRecord

_VERSION = r"\d{1,3}\.\d{1,3}\.\d{1,5}\.\d{1,5}"
_CCMSETUP = re.compile(rf"^CcmSetup version:\s*(?P<v>{_VERSION})\s*$", re.IGNORECASE)
_CLIENT_OS = re.compile(
    r"""
    ^Client\ OS\ Version\s+
    (?P<major>\d+)\.(?P<minor>\d+)          # 6.2
    \s+Service\ Pack\s+
    (?P<sp>\d+)\.(?P<sp_minor>\d+)\s*$      # 0.0 (major.minor of the service pack)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_SITE = re.compile(
    rf"""
    ^(?:SiteVersion:\s*(?P<a>{_VERSION})\s*$          # SiteVersion:      5.00.8692.1000
    |Retri(?:e)?ved\ site\ version\ '(?P<b>{_VERSION})')  # Retrived site version '5.00…'
    """,
    re.VERBOSE | re.IGNORECASE,
)
_PATCH = re.compile(
    r"""
    \bPATCH=
    (?:"(?P<quoted>[^"]*)"    # PATCH="C:\_SMSTaskSequence\OSD\…\…-KB977203-x86.msp"
    |(?P<bare>[^\s"]+))       # PATCH=\\server\share\…kb977203…msp
    """,
    re.VERBOSE | re.IGNORECASE,
)
_KBS = (("977203", FactName.KB977203), ("977384", FactName.KB977384))
# Text every message that states a fact above holds (lower case, matched without case):
# a reader may parse only the records around them (``facts.setuplog``).
ANCHORS = (b"ccmsetup version", b"client os version", b"siteversion", b"site version", b"patch=")


def facts_from_message(
    message: str, source: str, line: int, observed: datetime | None = None
) -> tuple[Fact, ...]:
    """Facts stated by one log message; ``source``/``line`` are what the facts cite."""
    cite = f"{source}:{line}"
    text = message.strip()
    out: list[Fact] = []

    def add(name: FactName, value: str | int | bool, detail: str) -> None:
        out.append(Fact(name, value, cite, detail, Origin.LOG, observed))

    if (m := _CCMSETUP.match(text)) and (v := ClientVersion.parse(m.group("v"))):
        add(FactName.CCMSETUP_VERSION, str(v), "ccmsetup.log 'CcmSetup version'")
    elif m := _CLIENT_OS.match(text):
        how = "ccmsetup.log 'Client OS Version'"
        add(FactName.OS_VERSION, f"{m.group('major')}.{m.group('minor')}", how)
        add(FactName.OS_SERVICE_PACK, int(m.group("sp")), how)
    elif (m := _SITE.match(text)) and (v := ClientVersion.parse(m.group("a") or m.group("b"))):
        add(FactName.SITE_VERSION, str(v), "site version reported by the management point")
    for p in _PATCH.finditer(text):
        target = p.group("quoted") or p.group("bare") or ""
        for kb, name in _KBS:
            if kb in target:
                add(
                    name,
                    True,
                    f"client patch passed to setup as PATCH={target} (install not confirmed)",
                )
    return tuple(out)


def facts_from_records(records: Iterable[object]) -> tuple[Fact, ...]:
    """Facts from every ``LogRecord`` in ``records`` (parse warnings are skipped)."""
    out: list[Fact] = []
    for record in records:
        if isinstance(record, LogRecord):
            when = record.utc or record.local_time
            out.extend(facts_from_message(record.message, record.source, record.line, when))
    return tuple(out)
