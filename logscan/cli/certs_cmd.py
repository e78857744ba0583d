"""``logscan certs``: show the SMS certificate store and its checks (KB977203 first).

stdout carries the store and findings (a table, or one JSON document); unreadable inputs
and source problems go to stderr. Exit codes: 1 an embedded NUL (KB977203) was found,
0 clean, 3 nothing readable, 4 some inputs unreadable (and no NUL found), 2 usage.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

import click

from logscan.certs.checks import CertFinding, check_result, has_kb977203, role_of
from logscan.certs.model import CertInfo, CertProblem, CertReadResult
from logscan.certs.source import CertSource, live, sources_for
from logscan.cli.exitcodes import ExitCode
from logscan.cli.options import now_option, parse_now
from logscan.errors import InputError, UsageError


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _cert_json(cert: CertInfo) -> dict[str, Any]:
    name = cert.friendly
    role = role_of(cert)
    return {
        "thumbprint": cert.thumbprint,
        "origin": str(cert.origin),
        "subject": cert.subject,
        "issuer": cert.issuer,
        "serial": cert.serial,
        "not_before": _when(cert.not_before),
        "not_after": _when(cert.not_after),
        "ekus": list(cert.ekus),
        "role": role.value if role else None,
        "friendly_name": None
        if name is None
        else {
            "text": name.visible,
            "display": name.display,
            "raw_hex": name.raw.hex(),
            "fidelity": name.fidelity.value,
            "nul_positions": list(name.nul_positions),
            "terminated": name.terminated,
            "odd_length": name.odd_length,
        },
        "has_private_key": cert.has_private_key,
        "key_provider": None
        if cert.key_provider is None
        else {
            "container": cert.key_provider.container,
            "provider": cert.key_provider.provider,
            "prov_type": cert.key_provider.prov_type,
            "flags": cert.key_provider.flags,
            "key_spec": cert.key_provider.key_spec,
        },
        "properties": list(cert.properties),
    }


def _finding_json(f: CertFinding) -> dict[str, Any]:
    return {
        "check": f.check.value,
        "severity": f.severity.name.lower(),
        "thumbprint": f.thumbprint,
        "message": f.message,
        "evidence": f.evidence,
        "origin": None if f.origin is None else str(f.origin),
    }


def _problem_json(p: CertProblem) -> dict[str, Any]:
    return {
        "code": p.code.value,
        "severity": p.severity.name.lower(),
        "location": str(p.location),
        "where": p.where,
        "thumbprint": p.thumbprint,
        "message": p.message,
    }


def _table(result: CertReadResult, findings: list[CertFinding]) -> None:
    click.echo(
        f"== {result.source} ({result.source_kind.value}); store {result.store.value}; "
        f"{len(result.certs)} certificate(s)"
    )
    for cert in result.certs:
        role = role_of(cert)
        name = cert.friendly_name_text if cert.friendly_name_text is not None else "-"
        expiry = f"{cert.not_after:%Y-%m-%d}" if cert.not_after else "?"
        click.echo(
            f"  {cert.thumbprint}  {name!s:<30}  {(role.value if role else '-'):<10}  "
            f"until {expiry}  {cert.subject or '?'}"
        )
    for note in result.limitations:
        click.echo(f"  note: {note}")
    for f in findings:
        who = f" {f.thumbprint}" if f.thumbprint else ""
        click.echo(f"  {f.severity.name:<7} {f.check.value}{who}: {f.message}")
        if f.evidence:
            click.echo(f"          {f.evidence}")


def _read_all(sources: list[CertSource], errors: list[str]) -> list[CertReadResult]:
    results: list[CertReadResult] = []
    for source in sources:
        try:
            results.append(source.read())
        except InputError as exc:
            errors.append(str(exc))
    return results


@click.command("certs")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--live", "use_live", is_flag=True, help="Read this machine's store (Windows).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format on stdout.",
)
@click.option("--host", help="Machine name the certificates should carry (cloned-image check).")
@now_option
def certs(
    paths: tuple[str, ...], use_live: bool, fmt: str, host: str | None, now_text: str | None
) -> None:
    """Show the SMS certificate store from PATHs (reg export, .sst, SOFTWARE hive,
    certificate JSON, certutil output) or --live, and check it for KB977203."""
    if use_live == bool(paths):
        click.echo("give either --live or one or more PATHs", err=True)
        sys.exit(ExitCode.USAGE)
    now = parse_now(now_text)
    errors: list[str] = []
    sources: list[CertSource] = []
    if use_live:
        try:
            sources.append(live())
        except UsageError as exc:
            click.echo(str(exc), err=True)
            sys.exit(ExitCode.USAGE)
        if host is None:
            import socket

            host = socket.gethostname()
    for path in paths:
        try:
            sources.extend(sources_for(path))
        except InputError as exc:
            errors.append(str(exc))
    results = _read_all(sources, errors)
    for message in errors:
        click.echo(f"unreadable: {message}", err=True)
    everything: list[CertFinding] = []
    documents: list[dict[str, Any]] = []
    for result in results:
        findings = check_result(result, now=now, host=host or result.host)
        everything += findings
        for problem in result.problems:
            click.echo(f"problem: {problem}", err=True)
        if fmt == "table":
            _table(result, findings)
        else:
            documents.append(
                {
                    "source": result.source,
                    "kind": result.source_kind.value,
                    "store": result.store.value,
                    "host": result.host,
                    "certificates": [_cert_json(c) for c in result.certs],
                    "findings": [_finding_json(f) for f in findings],
                    "problems": [_problem_json(p) for p in result.problems],
                    "limitations": list(result.limitations),
                }
            )
    found = has_kb977203(everything)
    if fmt == "json":
        doc = {"kb977203": found, "sources": documents, "unreadable": errors}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    if not results:
        sys.exit(ExitCode.NO_INPUT)
    if found:
        sys.exit(ExitCode.FINDING)
    sys.exit(ExitCode.PARTIAL if errors else ExitCode.OK)
