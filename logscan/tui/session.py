"""TriageSession: what the triage screens share (config, paths, hosts, the latest report).

Passed to each screen when it is made, never reached through a global; only the UI thread
changes it (from the handlers of worker messages).
"""

from __future__ import annotations

from logscan.diagnose import Diagnosis, Report
from logscan.diagnose.stepwise import HostBundle
from logscan.tui.config import TuiConfig


class TriageSession:
    """The paths being looked at, the hosts found under them and their diagnoses."""

    def __init__(self, config: TuiConfig) -> None:
        self.config = config
        self.paths: list[str] = list(config.paths)
        self.bundles: tuple[HostBundle, ...] = ()
        self.report: Report | None = None
        self.scans = 0  # finished scans, so the first one can open the hosts

    def add_path(self, path: str) -> bool:
        """Add a path to look at; False when it is already there."""
        if path in self.paths:
            return False
        self.paths.append(path)
        return True

    def finished(self, report: Report, bundles: tuple[HostBundle, ...]) -> None:
        self.report = report
        self.bundles = bundles
        self.scans += 1

    @property
    def diagnoses(self) -> tuple[Diagnosis, ...]:
        return self.report.diagnoses if self.report is not None else ()

    def bundle_of(self, diagnosis: Diagnosis) -> HostBundle | None:
        """The folders or zips a host's evidence came from (None: this machine)."""
        for bundle in self.bundles:
            if bundle.label in (diagnosis.label, diagnosis.host):
                return bundle
        return None

    def log_roots(self, diagnosis: Diagnosis) -> tuple[str, ...]:
        """Where the host's cited logs are found again (this machine's log folders live)."""
        bundle = self.bundle_of(diagnosis)
        if bundle is not None:
            return bundle.roots
        if self.config.live:
            from logscan.diagnose.gather import live_log_folders

            return tuple(live_log_folders())
        return ()

    def diagnosis_of(self, host: str) -> Diagnosis | None:
        return next((d for d in self.diagnoses if d.host == host), None)
