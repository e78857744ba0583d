"""Flat rows from a diagnosis: one ``hosts.csv`` row per host, one ``findings.jsonl`` row
per evidence item. Pure functions of the diagnosis JSON (``docs/diagnose-json.md``), so a
cached result renders exactly like a fresh one."""

from __future__ import annotations

from typing import Any

from logscan.fleet.model import BundleKind, HostBundle, HostStatus

# hosts.csv columns, in order (docs/batch.md describes each).
COLUMNS: tuple[str, ...] = (
    "label",
    "host",
    "bundle",
    "status",
    "reason",
    "verdict",
    "confidence",
    "error_codes",
    "evidence",
    "log_evidence",
    "certificates",
    "certificates_at_fault",
    "kb977203_condition",
    "failures",
    "first_failure_utc",
    "last_failure_utc",
    "client_version",
    "client_release",
    "kb977203",
    "kb977384",
    "kb974571",
    "os_name",
    "os_version",
    "os_build",
    "os_service_pack",
    "os_architecture",
    "coverage_present",
    "coverage_missing",
    "unreadable",
    "files",
    "bytes",
    "summary",
)
INT_COLUMNS = (
    "evidence",
    "log_evidence",
    "certificates",
    "certificates_at_fault",
    "failures",
    "os_build",
    "os_service_pack",
    "unreadable",
    "files",
    "bytes",
)
BOOL_COLUMNS = ("kb977203", "kb977384", "kb974571")
_FAILURE_KINDS = ("failure", "other_failure")
_FACTS = (
    "client_version",
    "client_release",
    "kb977203",
    "kb977384",
    "kb974571",
    "os_name",
    "os_version",
    "os_build",
    "os_service_pack",
    "os_architecture",
)


def _condition(certs: list[dict[str, Any]]) -> str:
    """The KB977203 condition of the store: an embedded NUL, clean, or not seen."""
    if not certs:
        return "unknown"
    return "nul_in_friendly_name" if any(c["at_fault"] for c in certs) else "clean"


def empty_row(
    bundle: HostBundle, status: HostStatus, reason: str, files: int, size: int
) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(host=bundle.name, bundle=bundle.rel, status=status.value, reason=reason)
    row.update(files=files, bytes=size)
    return row


def host_row(
    d: dict[str, Any], bundle: HostBundle, status: HostStatus, reason: str, files: int, size: int
) -> dict[str, Any]:
    """The flat row of one diagnosed host (``d`` is ``serialize.diagnosis_json``)."""
    row = empty_row(bundle, status, reason, files, size)
    failures = sorted(
        t["utc"] for t in d["timeline"] if t["kind"] in _FAILURE_KINDS and t["utc"] is not None
    )
    certs = d["certificates"]
    row.update(
        host=d["host"],
        verdict=d["verdict"],
        confidence=d["confidence"],
        error_codes=" ".join(d["error_codes"]),
        evidence=len(d["evidence"]),
        log_evidence=sum(1 for e in d["evidence"] if e["kind"] == "log"),
        certificates=len(certs),
        certificates_at_fault=sum(1 for c in certs if c["at_fault"]),
        kb977203_condition=_condition(certs),
        failures=len(failures),
        first_failure_utc=failures[0] if failures else None,
        last_failure_utc=failures[-1] if failures else None,
        coverage_present=" ".join(d["coverage"]["present"]),
        coverage_missing=" ".join(d["coverage"]["missing"]),
        unreadable=len(d["coverage"]["unreadable"]),
        summary=d["summary"],
    )
    for name in _FACTS:
        fact = d["facts"].get(name)
        row[name] = None if fact is None else fact["value"]
    return row


def cite_prefix(bundle: HostBundle) -> str:
    """What makes a path cited inside a bundle relative to the root the user gave."""
    if bundle.kind is BundleKind.ZIP:  # zip citations already start with "NAME.zip!"
        parent = bundle.rel.rpartition("/")[0]
        return f"{parent}/" if parent else ""
    return f"{bundle.rel}/"


def finding_rows(
    label: str, bundle_rel: str, prefix: str, d: dict[str, Any]
) -> list[dict[str, Any]]:
    """One row per evidence item of a host, citing ``path:line`` from the root."""
    rows = []
    for e in d["evidence"]:
        path = prefix + e["path"] if e["path"] != "live" else e["path"]
        rows.append(
            {
                "label": label,
                "host": d["host"],
                "verdict": d["verdict"],
                "kind": e["kind"],
                "rule": e["rule"],
                "path": path,
                "line": e["line"],
                "cite": path if e["line"] is None else f"{path}:{e['line']}",
                "text": e["text"],
                "bundle": bundle_rel,
            }
        )
    return rows
