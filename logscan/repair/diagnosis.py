"""The diagnosis a repair acts on, and the same diagnosis re-run on the repaired store.

Repair works on one host: the live machine, or the evidence of one host (an exported
store alone, or that host's bundle folder). The logs are scanned once; after the repair
the verdict is decided again from the same log hits with the store as read afterwards,
so a logged failure with clean certificates becomes ``resolved`` and a host that was
only ``at_risk`` no longer is. The diagnosis package loads only when this is used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from logscan.certs.checks import check_result
from logscan.certs.model import CertReadResult
from logscan.errors import UsageError

if TYPE_CHECKING:
    from logscan.diagnose.evidence import HostEvidence
    from logscan.diagnose.model import Diagnosis


@dataclass(frozen=True, slots=True)
class HostDiagnosis:
    """One host's diagnosis and the evidence it came from."""

    diagnosis: Diagnosis
    evidence: HostEvidence
    now: datetime

    @property
    def client_release(self) -> str | None:
        return self.diagnosis.facts.client_release

    def rediagnose(self, after: CertReadResult) -> Diagnosis:
        """The verdict again, from the same log hits and facts and the store as now read."""
        from logscan.diagnose.host import diagnose_host

        host = after.host or self.diagnosis.host
        findings = tuple(check_result(after, now=self.now, host=host))
        ev = dataclasses.replace(self.evidence, certs=(after,), cert_findings=findings)
        return diagnose_host(ev)


def diagnose_for_repair(paths: Sequence[str] | None, *, now: datetime) -> HostDiagnosis:
    """Diagnose the live machine (``paths`` None) or the one host found under ``paths``."""
    from logscan.diagnose.gather import gather, gather_live
    from logscan.diagnose.host import diagnose_host
    from logscan.rules.loader import load_rules

    ruleset = load_rules()
    gathered = gather_live(ruleset, now=now) if paths is None else gather(paths, ruleset, now=now)
    if len(gathered.hosts) != 1:
        labels = ", ".join(h.label for h in gathered.hosts) or "none"
        raise UsageError(
            f"repair works on one host; the evidence holds {len(gathered.hosts)} ({labels}): "
            "give one host's folder with --evidence"
        )
    ev = gathered.hosts[0]
    return HostDiagnosis(diagnose_host(ev), ev, now)
