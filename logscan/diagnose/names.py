"""Host names: every name the evidence gives one machine, reconciled into one, disagreements kept.

Sources, strongest first: machine facts (systeminfo, registry, the live machine), the task
sequence's own variables (``_SMSTSMachineName``, "Client machine name"), the certificate
subjects (``CN=<host>, CN=SMS``), ``OSDComputerName`` (the name a *new* OS will get, which
may differ on purpose), then the folder or zip name the evidence came in. Names compare by
their short form, case-insensitively (``wks-xp-0142.corp.example.com`` is ``WKS-XP-0142``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from logscan.certs.model import CertReadResult
from logscan.diagnose.model import HostName
from logscan.facts.model import FactName, MachineFacts, Origin
from logscan.rules.model import Hit

MACHINE_NAME_RULE = "host.smsts.machine_name"
_WEIGHT = {
    "live": 5,
    "registry": 4,
    "systeminfo": 4,
    "task sequence": 3,
    "certificate": 2,
    "OSDComputerName": 1,
    "folder": 1,
    "zip": 1,
    "file": 0,
}


@dataclass(frozen=True, slots=True)
class Identity:
    """The chosen name, every name seen, and a sentence when they disagree (else "")."""

    name: str
    names: tuple[HostName, ...]
    disagreement: str
    conflict: bool = False  # sources inside the evidence (not just its folder) disagree


def _short(name: str) -> str:
    return name.split(".", 1)[0].casefold()


def _fact_source(origin: Origin) -> str:
    if origin is Origin.LIVE:
        return "live"
    return "registry" if origin is Origin.REGISTRY else "systeminfo"


def names_from(
    label: str,
    label_source: str,
    hits: Iterable[Hit],
    certs: Iterable[CertReadResult],
    facts: MachineFacts,
) -> list[HostName]:
    """Every name found for one host, each with where it was read."""
    found: list[HostName] = [HostName(label, label_source, label)]
    for fact in facts[FactName.HOST_NAME].evidence:
        if isinstance(fact.value, str) and fact.value.strip():
            found.append(HostName(fact.value.strip(), _fact_source(fact.origin), fact.source))
    for hit in hits:
        if hit.rule_id != MACHINE_NAME_RULE or not hit.captures.get("name"):
            continue
        variable = hit.captures.get("variable", "")
        source = "OSDComputerName" if variable.casefold() == "osdcomputername" else "task sequence"
        found.append(
            HostName(hit.captures["name"], source, f"{hit.record.source}:{hit.record.line}")
        )
    for result in certs:
        if result.host:
            found.append(HostName(result.host, "certificate", result.source))
        for cert in result.certs:
            for cn in cert.subject_cns:
                if cn.casefold() != "sms":
                    found.append(HostName(cn, "certificate", str(cert.origin)))
    return found


def reconcile(found: list[HostName]) -> Identity:
    """The best-supported name; a disagreement sentence when sources name other machines."""
    scores: dict[str, int] = {}
    spelling: dict[str, str] = {}
    for item in found:
        key = _short(item.name)
        if not key:
            continue
        scores[key] = scores.get(key, 0) + _WEIGHT.get(item.source, 1)
        best = spelling.get(key)
        if best is None or _WEIGHT.get(item.source, 1) > _WEIGHT.get(_source_of(found, best), 1):
            spelling[key] = item.name.split(".", 1)[0]
    if not scores:
        return Identity(found[0].name if found else "?", tuple(found), "")
    chosen = max(scores, key=lambda k: (scores[k], k == _short(found[0].name), k))
    unique = _dedupe(found)
    others = [
        n
        for n in unique
        if _short(n.name) != chosen and n.source not in ("file", "OSDComputerName")
    ]
    text = ""
    conflict = any(n.source not in ("folder", "zip") for n in others)
    if others:
        listed = "; ".join(f"{n.name} ({n.source}, {n.cite})" for n in others)
        text = (
            f"the evidence names this machine {spelling[chosen]}, but also: {listed}; "
            "check that every file belongs to this machine"
        )
    return Identity(spelling[chosen], tuple(unique), text, conflict)


def _source_of(found: list[HostName], name: str) -> str:
    return next((n.source for n in found if n.name.split(".", 1)[0] == name), "file")


def _dedupe(found: list[HostName]) -> list[HostName]:
    """One entry per (name, source): a name repeated on every smsts.log line is one fact."""
    seen: set[tuple[str, str]] = set()
    out: list[HostName] = []
    for item in found:
        key = (_short(item.name), item.source)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
