"""Host-by-host diagnosis (progress, cancel), the hosts/logs decision and evidence files."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

from logscan.diagnose.stepwise import (
    diagnose_bundles,
    evidence_file,
    holds_hosts,
    host_bundles,
)
from logscan.rules import RuleSet

from .conftest import NOW, SAMPLES, run


def test_host_by_host_equals_the_one_call_verdicts_with_progress(ruleset: RuleSet) -> None:
    whole = run([SAMPLES], ruleset)
    bundles = host_bundles([SAMPLES])
    seen: list[tuple[int, int, str]] = []
    stepped = diagnose_bundles(
        bundles, ruleset, now=NOW, progress=lambda d, t, h: seen.append((d, t, h))
    )
    assert stepped is not None
    assert [(d.host, d.verdict, d.confidence) for d in stepped.diagnoses] == [
        (d.host, d.verdict, d.confidence) for d in whole.diagnoses
    ]
    assert [s[0] for s in seen] == list(range(len(bundles) + 1))
    assert {s[2] for s in seen[:-1]} == {b.label for b in bundles}
    assert stepped.rules_loaded == whole.rules_loaded


def test_cancel_stops_between_hosts(ruleset: RuleSet) -> None:
    cancel = threading.Event()
    done: list[str] = []

    def progress(d: int, t: int, host: str) -> None:
        done.append(host)
        if d == 1:
            cancel.set()

    bundles = host_bundles([SAMPLES])
    assert diagnose_bundles(bundles, ruleset, now=NOW, progress=progress, cancel=cancel) is None
    assert len(done) == 2 < len(bundles)


def test_every_log_citation_is_found_again_under_its_host(ruleset: RuleSet) -> None:
    bundles = {b.label: b for b in host_bundles([SAMPLES])}
    report = diagnose_bundles(list(bundles.values()), ruleset, now=NOW)
    assert report is not None
    cited = [(d, e) for d in report.diagnoses for e in d.evidence if e.line is not None]
    assert cited
    for d, e in cited:
        found = evidence_file(bundles[d.label].roots, e.path)
        assert found is not None, e.cite
        assert (Path(found[0]) / found[1]).is_file()


def test_evidence_file_inside_a_zip(tmp_path: Path) -> None:
    bundle = tmp_path / "PC1.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("Logs/smsts.log", "x\n")
    assert evidence_file([str(bundle)], "PC1.zip!Logs/smsts.log") == (
        str(bundle),
        "PC1.zip!Logs/smsts.log",
    )
    assert evidence_file([str(bundle)], "Other.zip!Logs/smsts.log") is None


def test_hosts_or_only_logs() -> None:
    host = SAMPLES / "WKS-XP-0142"
    logs = host / "WINDOWS" / "system32" / "CCM" / "Logs"
    assert holds_hosts([SAMPLES])  # a share of machines
    assert holds_hosts([host])  # one machine: store export and systeminfo
    assert not holds_hosts([logs])  # logs only: the viewer
    assert not holds_hosts([logs / "smsts.log"])
