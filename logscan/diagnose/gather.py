"""Gathering: the I/O half of diagnosis. Runs the scan, reads certificates and machine facts
per host, and hands each host's ``HostEvidence`` to the pure verdict.

The scan is a seam (``scan=``, default ``logscan.engine.scan``) so tests can feed events.
Every path in the result is relative to the input the user gave; a host whose evidence
could not be read at all is not diagnosed, its problems are reported instead.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from logscan.certs.checks import CertFinding, check_result
from logscan.certs.model import CertReadResult
from logscan.diagnose.certread import read_certs
from logscan.diagnose.evidence import HostEvidence, split_cite
from logscan.diagnose.hosts import HostLayout, Unit, plan_hosts
from logscan.engine.events import (
    RuleDisabled,
    ScanEvent,
    ScanFinding,
    ScanHit,
    ScanProblem,
    SourceScanned,
)
from logscan.facts.bundle import EvidenceFile, EvidenceKind, scan_bundle
from logscan.facts.model import Fact, FactName, FactState, MachineFacts
from logscan.inputs.source import LogSource
from logscan.inputs.zipbundle import archives_kept_open
from logscan.rules.loader import RuleSet
from logscan.rules.model import Finding, Hit

ScanFn = Callable[..., Iterator[ScanEvent]]


@dataclass(slots=True)
class _Acc:
    hits: list[Hit] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sources: list[SourceScanned] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Gathered:
    """Evidence per host plus what concerns the whole run."""

    hosts: tuple[HostEvidence, ...]
    problems: tuple[str, ...]  # inputs that belong to no diagnosed host
    disabled: tuple[str, ...]  # rules stopped during the scan (regex timeout)


def _default_scan() -> ScanFn:
    from logscan.engine import scan

    return scan


def collect_events(
    events: Iterable[ScanEvent], label_of_path: Callable[[str], str]
) -> tuple[dict[str, _Acc], list[str]]:
    """Events grouped by host label; rules disabled during the scan, as text."""
    accs: dict[str, _Acc] = {}
    disabled: list[str] = []
    for event in events:
        if isinstance(event, RuleDisabled):
            disabled.append(str(event.problem))
            continue
        if isinstance(event, ScanProblem):
            acc = accs.setdefault(label_of_path(event.problem.path), _Acc())
            acc.unreadable.append(str(event.problem))
            continue
        acc = accs.setdefault(event.host, _Acc())
        if isinstance(event, ScanHit):
            acc.hits.append(event.hit)
        elif isinstance(event, ScanFinding):
            acc.findings.append(event.finding)
        elif isinstance(event, SourceScanned):
            acc.sources.append(event)
    return accs, disabled


def _cite_fixer(unit: Unit) -> Callable[[str], str]:
    """Makes fact citations relative to the given input, like the logs' (``HOST1/...``)."""
    folders = [(p, prefix) for p, prefix in unit.parts if prefix and os.path.isdir(p)]

    def fix(cite: str) -> str:
        path, _line = split_cite(cite)
        for folder, prefix in folders:
            if os.path.exists(os.path.join(folder, path)):
                return prefix + cite
        return cite

    return fix


def _refile(facts: MachineFacts, fix: Callable[[str], str]) -> MachineFacts:
    def one(f: Fact) -> Fact:
        return dataclasses.replace(f, source=fix(f.source))

    def state(s: FactState) -> FactState:
        return dataclasses.replace(
            s,
            source=None if s.source is None else fix(s.source),
            evidence=tuple(one(f) for f in s.evidence),
            conflicts=tuple(one(f) for f in s.conflicts),
        )

    return MachineFacts(tuple(state(s) for s in facts.states), facts.warnings)


def _fact_file(f: EvidenceFile) -> bool:
    """A file machine facts come from (the SMS store export holds none)."""
    if f.kind in (EvidenceKind.LOG, EvidenceKind.OTHER):
        return False
    return not (f.kind is EvidenceKind.REG_EXPORT and f.detail.startswith("SMS certificate"))


def _label_source(unit: Unit) -> str:
    if unit.loose and not unit.parts:
        return "file"
    path = unit.parts[0][0] if unit.parts else ""
    return "zip" if path.casefold().endswith(".zip") else "folder"


def host_evidence(unit: Unit, acc: _Acc, *, now: datetime) -> HostEvidence:
    """Certificates and facts of one host read, joined with its scan events."""
    fix = _cite_fixer(unit)
    paths = [p for p, _ in unit.parts] + unit.loose
    bundle = scan_bundle(paths)
    facts = _refile(bundle.facts, fix)
    fact_files = tuple(fix(f.display) for f in bundle.files if _fact_file(f))
    unreadable = list(acc.unreadable)
    unreadable += [str(p) for p in bundle.problems if p.fatal_for_path]
    certs, cert_problems = read_certs([*unit.parts, *((p, "") for p in unit.loose)])
    unreadable += cert_problems
    host = facts[FactName.HOST_NAME].value
    findings: list[CertFinding] = []
    for result in certs:
        findings += check_result(result, now=now, host=host if isinstance(host, str) else None)
    return HostEvidence(
        label=unit.label,
        label_source=_label_source(unit),
        hits=tuple(acc.hits),
        findings=tuple(acc.findings),
        sources=tuple(acc.sources),
        unreadable=tuple(dict.fromkeys(unreadable)),
        certs=tuple(certs),
        cert_findings=tuple(findings),
        facts=facts,
        fact_files=fact_files,
    )


def _has_anything(ev: HostEvidence) -> bool:
    return bool(ev.sources or ev.certs or ev.fact_files or ev.hits)


def gather(
    paths: Iterable[str | Path],
    ruleset: RuleSet,
    *,
    now: datetime,
    scan: ScanFn | None = None,
    layout: HostLayout | None = None,
) -> Gathered:
    """Scan ``paths`` and read every host's certificates and facts; ``layout`` overrides
    how they split into hosts (default ``plan_hosts``)."""
    given = [os.fspath(p) for p in paths]
    layout = layout or plan_hosts(given)
    run = scan or _default_scan()
    hosts: list[HostEvidence] = []
    problems: list[str] = []
    # Every member of a zipped bundle is opened several times below (listing, sniffing,
    # scanning, facts, certificates): the archives stay open until all is read.
    with archives_kept_open():
        accs, disabled = collect_events(
            run(given, ruleset, host_of=layout.host_of), layout.label_of_path
        )
        for label in [*layout.units, *(k for k in accs if k not in layout.units)]:
            unit = layout.units.get(label) or Unit(label)
            ev = host_evidence(unit, accs.get(label, _Acc()), now=now)
            if _has_anything(ev):
                hosts.append(ev)
            else:
                missing = f"{label}: no logs, certificates or machine facts found"
                problems += ev.unreadable or [missing]
    return Gathered(tuple(hosts), tuple(problems), tuple(disabled))


def host_of_live(name: str) -> Callable[[LogSource], str]:
    def host_of(_source: LogSource) -> str:
        return name

    return host_of


def live_log_folders() -> list[str]:
    """Where a client's logs live on this machine (2007 x86/x64, later clients, TS)."""
    windir = os.environ.get("WINDIR", "C:\\Windows")
    drive = os.environ.get("SYSTEMDRIVE", "C:")
    candidates = [
        os.path.join(windir, "System32", "CCM", "Logs"),
        os.path.join(windir, "SysWOW64", "CCM", "Logs"),
        os.path.join(windir, "CCM", "Logs"),
        os.path.join(drive + os.sep, "_SMSTaskSequence", "Logs"),
    ]
    return [c for c in candidates if os.path.isdir(c)]


def gather_live(ruleset: RuleSet, *, now: datetime, scan: ScanFn | None = None) -> Gathered:
    """This machine: its log folders, its SMS store through CryptoAPI, its live facts.

    Raises ``UsageError`` off Windows (the live readers need it)."""
    import socket

    from logscan.certs.source import live
    from logscan.errors import InputError
    from logscan.facts.live import default_host, read_live
    from logscan.facts.merge import merge_facts

    source = live()
    facts_result = read_live(default_host())
    name = socket.gethostname()
    folders = live_log_folders()
    run = scan or _default_scan()
    accs, disabled = collect_events(
        run(folders, ruleset, host_of=host_of_live(name)), lambda _p: name
    )
    acc = accs.get(name, _Acc())
    certs: list[CertReadResult] = []
    unreadable = list(acc.unreadable)
    try:
        certs.append(source.read())
    except InputError as exc:
        unreadable.append(str(exc))
    facts = merge_facts(facts_result.facts, facts_result.warnings)
    findings = [f for r in certs for f in check_result(r, now=now, host=name)]
    ev = HostEvidence(
        label=name,
        label_source="live",
        hits=tuple(acc.hits),
        findings=tuple(acc.findings),
        sources=tuple(acc.sources),
        unreadable=tuple(unreadable),
        certs=tuple(certs),
        cert_findings=tuple(findings),
        facts=facts,
        fact_files=("live",),
    )
    return Gathered((ev,), (), tuple(disabled))
