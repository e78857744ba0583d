"""Machine facts: ConfigMgr client version and release, KB977203/KB977384, OS build and
service pack, KB974571, a running task sequence -- each citing where it came from.

Sources, one module each: ``systeminfo``, ``wmic_qfe``, ``registry`` (reg exports;
``hive`` for offline SOFTWARE hives through the optional regipy), ``loglines`` (log
records from any parser), ``manifest`` (the collector's), ``live`` (the running Windows
machine, behind a seam). ``merge`` folds observations into ``MachineFacts``; ``bundle``
recognises a folder's files by content and does all of it in one call.
"""

from __future__ import annotations

from logscan.facts.bundle import Bundle, EvidenceFile, EvidenceKind, identify, scan_bundle
from logscan.facts.merge import merge_facts
from logscan.facts.model import (
    Fact,
    FactName,
    FactsResult,
    FactState,
    FactValue,
    MachineFacts,
    Origin,
)
from logscan.facts.release import ClientRelease, ClientVersion, ReleaseInfo, classify

__all__ = [
    "Bundle",
    "ClientRelease",
    "ClientVersion",
    "EvidenceFile",
    "EvidenceKind",
    "Fact",
    "FactName",
    "FactState",
    "FactValue",
    "FactsResult",
    "MachineFacts",
    "Origin",
    "ReleaseInfo",
    "classify",
    "identify",
    "merge_facts",
    "scan_bundle",
]
