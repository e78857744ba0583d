"""Machine facts: ConfigMgr client version and release, KB977203/KB977384, OS build and
service pack, KB974571, a running task sequence -- each citing where it came from.

Sources, one module each: ``systeminfo``, ``wmic_qfe``, ``registry`` (reg exports;
``hive`` for offline SOFTWARE hives through the optional regipy), ``loglines`` (log
records from any parser), ``manifest`` (the collector's), ``live`` (the running Windows
machine, behind a seam). ``merge`` folds observations into ``MachineFacts``; ``bundle``
recognises a folder's files by content and does all of it in one call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logscan._lazy import lazy_names

if TYPE_CHECKING:
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

# Imported on first use: the fleet's parent needs ``facts.model`` (through the diagnosis
# model) but not the file readers ``bundle`` brings in.
_HOME = {
    "Bundle": "logscan.facts.bundle",
    "ClientRelease": "logscan.facts.release",
    "ClientVersion": "logscan.facts.release",
    "EvidenceFile": "logscan.facts.bundle",
    "EvidenceKind": "logscan.facts.bundle",
    "Fact": "logscan.facts.model",
    "FactName": "logscan.facts.model",
    "FactState": "logscan.facts.model",
    "FactValue": "logscan.facts.model",
    "FactsResult": "logscan.facts.model",
    "MachineFacts": "logscan.facts.model",
    "Origin": "logscan.facts.model",
    "ReleaseInfo": "logscan.facts.release",
    "classify": "logscan.facts.release",
    "identify": "logscan.facts.bundle",
    "merge_facts": "logscan.facts.merge",
    "scan_bundle": "logscan.facts.bundle",
}

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

__getattr__ = lazy_names(__name__, _HOME)
