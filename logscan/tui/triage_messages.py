"""Messages the triage workers (``triage_jobs``) post: scan progress, stores, repair.

Like ``messages`` for the viewer: workers never touch widgets, they post one of these and
the screen that started them updates the display on the UI thread.
"""

from __future__ import annotations

from textual.message import Message

from logscan.certs.checks import CertFinding
from logscan.certs.model import CertReadResult
from logscan.diagnose import Report
from logscan.diagnose.stepwise import HostBundle
from logscan.repair.audit import AuditEntry
from logscan.repair.diagnosis import HostDiagnosis
from logscan.repair.outcome import RepairOutcome
from logscan.repair.plan import RepairPlan


class ScanProgressed(Message):
    """``done`` of ``total`` hosts diagnosed; ``host`` is the one being read now.
    ``scan`` names the scan (its cancel flag), so a superseded scan's news is ignored."""

    def __init__(self, done: int, total: int, host: str, scan: object = None) -> None:
        super().__init__()
        self.done, self.total, self.host = done, total, host
        self.scan = scan


class ScanFinished(Message):
    """The scan ended: a report and the hosts it split the paths into, or None with
    ``error`` (cancelled or impossible)."""

    def __init__(
        self,
        report: Report | None,
        bundles: tuple[HostBundle, ...],
        error: str = "",
        scan: object = None,
    ) -> None:
        super().__init__()
        self.report = report
        self.bundles = bundles
        self.scan = scan
        self.error = error


class StoreRead(Message):
    """The SMS store of one host was read again (``problems``: sources that failed)."""

    def __init__(
        self,
        results: list[CertReadResult],
        findings: list[CertFinding],
        problems: list[str],
    ) -> None:
        super().__init__()
        self.results, self.findings, self.problems = results, findings, problems


class RepairPrepared(Message):
    """A plan was made (``plan`` None: no plan could be made, ``reason`` says why)."""

    def __init__(
        self, plan: RepairPlan | None, found: HostDiagnosis | None, reason: str = ""
    ) -> None:
        super().__init__()
        self.plan, self.found, self.reason = plan, found, reason


class RepairProgressed(Message):
    """The repair moved on: a line for the progress panel."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class RepairFinished(Message):
    """The repair ended; ``audit`` holds the audit log's records of this run."""

    def __init__(self, outcome: RepairOutcome, audit: list[AuditEntry]) -> None:
        super().__init__()
        self.outcome, self.audit = outcome, audit
