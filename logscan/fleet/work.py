"""The worker side of a batch: diagnose one host bundle, in whatever process runs it.

``scan_host`` is the one function executors run (a local process pool or a Dask
cluster): it loads the rule pack once per process, checks it is the pack the run was
started with, diagnoses the bundle with ``diagnose.diagnose_bundle`` and returns a small
``HostResult``. The bundle's identity is taken after the scan and compared with the one
the parent took before it (``HostJob.fingerprint``): a bundle that changed meanwhile is
scanned once more, and reported as ``changed`` if it moves again.
Nothing here raises: a failure on one host is that host's row.
"""

from __future__ import annotations

import json
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logscan.fleet.allocator import keep_freed_memory
from logscan.fleet.identity import BundleIdentity, bundle_identity, rules_version
from logscan.fleet.model import HostBundle, HostJob, HostResult, HostStatus
from logscan.fleet.rows import empty_row, host_row
from logscan.rules.loader import RuleSet

if TYPE_CHECKING:  # the diagnosis stack is imported by the worker, not by the parent
    from logscan.diagnose.report import Report

_RULES: dict[tuple[str, ...], tuple[RuleSet, str]] = {}
_NO_EVIDENCE = ("no evidence to read", "no logs, certificates or machine facts found")
_REASON_LIMIT = 600  # characters of problems kept in a row; the rest are counted


def ruleset_for(rule_dirs: tuple[str, ...]) -> tuple[RuleSet, str]:
    """The rule pack (shipped + ``rule_dirs``) and its version, loaded once per process."""
    if rule_dirs not in _RULES:
        from logscan.rules.loader import load_rules

        ruleset = load_rules([Path(d) for d in rule_dirs])
        _RULES[rule_dirs] = (ruleset, rules_version(ruleset.files))
    return _RULES[rule_dirs]


def _reason(problems: list[str] | tuple[str, ...]) -> str:
    text = "; ".join(problems)
    if len(text) <= _REASON_LIMIT:
        return text
    return text[:_REASON_LIMIT].rsplit("; ", 1)[0] + f"; ... ({len(problems)} problems)"


def _result(
    job: HostJob,
    status: HostStatus,
    reason: str,
    row: dict[str, Any],
    detail: str,
    ident: BundleIdentity,
    version: str,
    start: float,
) -> HostResult:
    return HostResult(
        label=job.bundle.label,
        status=status,
        reason=reason,
        row=json.dumps(row, ensure_ascii=False, sort_keys=True),
        # Compressed here, once, as the cache and the spool keep it: the parent is the
        # busiest process of a run and no longer compresses, and the answer is 4x smaller.
        detail="",
        detail_z=zlib.compress(detail.encode(), 1) if detail else b"",
        fingerprint=ident.fingerprint(version),
        files=len(ident.files),
        bytes=ident.bytes,
        seconds=time.perf_counter() - start,
        rules_version=version,
    )


def scan_host(job: HostJob) -> HostResult:
    """Diagnose one host bundle; never raises."""
    start = time.perf_counter()
    keep_freed_memory()  # once per process, in whatever process runs the job (see there)
    try:
        return _scan(job, start)
    except Exception as exc:  # a bug on one host must not stop the fleet
        ident = BundleIdentity((), (f"{type(exc).__name__}: {exc}",))
        reason = f"internal error while scanning ({type(exc).__name__}: {exc}); please report it"
        row = empty_row(job.bundle, HostStatus.ERROR, reason, 0, 0)
        return _result(job, HostStatus.ERROR, reason, row, "", ident, job.rules_version, start)


def _scan(job: HostJob, start: float) -> HostResult:
    ruleset, version = ruleset_for(job.rule_dirs)
    bundle = job.bundle
    if version != job.rules_version:
        reason = (
            f"this worker loaded rule pack {version}, the run uses {job.rules_version}; "
            "install the same logscan and rules on every worker"
        )
        ident = BundleIdentity((), ())
        row = empty_row(bundle, HostStatus.ERROR, reason, 0, 0)
        return _result(job, HostStatus.ERROR, reason, row, "", ident, version, start)
    # Taken after the scan, compared with the parent's fingerprint: one identity per host
    # instead of two. A move between the parent's look and the scan costs a second scan.
    expected = job.fingerprint or bundle_identity(bundle).fingerprint(version)
    known = {path: (stat, edges) for path, stat, edges in job.known}
    for _attempt in range(2):
        report = _diagnose(bundle, ruleset, job)
        after = bundle_identity(bundle, known)
        status, reason, row, detail = _outcome(report, bundle, after)
        if after.fingerprint(version) == expected:
            return _result(job, status, reason, row, detail, after, version, start)
        expected = after.fingerprint(version)
    reason = (
        "the bundle changed while it was scanned (twice); this result comes from a moving "
        "copy and was not cached; re-run once collection has finished"
    )
    if status.diagnosed:
        status = HostStatus.CHANGED
        row.update(status=status.value, reason=reason)
    return _result(job, status, reason, row, detail, after, version, start)


def _diagnose(bundle: HostBundle, ruleset: RuleSet, job: HostJob) -> Report:
    from logscan.diagnose.report import diagnose_bundle

    return diagnose_bundle(bundle.path, ruleset, label=bundle.name, now=job.now)


def _outcome(
    report: Report, bundle: HostBundle, ident: BundleIdentity
) -> tuple[HostStatus, str, dict[str, Any], str]:
    from logscan.diagnose.serialize import diagnosis_json

    files, size = len(ident.files), ident.bytes
    if not report.diagnoses:
        problems = list(report.problems) + list(ident.problems)
        no_logs = all(p.endswith(_NO_EVIDENCE) for p in problems)
        status = HostStatus.NO_LOGS if no_logs else HostStatus.UNREADABLE
        reason = _reason(problems or ["no logs, certificates or machine facts found"])
        return status, reason, empty_row(bundle, status, reason, files, size), ""
    d = diagnosis_json(report.diagnoses[0])
    unreadable = list(dict.fromkeys([*d["coverage"]["unreadable"], *ident.problems]))
    status = HostStatus.PARTIAL if unreadable else HostStatus.OK
    reason = _reason(unreadable)
    row = host_row(d, bundle, status, reason, files, size)
    return status, reason, row, json.dumps(d, ensure_ascii=False, sort_keys=True)
