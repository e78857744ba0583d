"""The triage journey driven by Pilot on sample_logs: sources, hosts, diagnosis, viewer
at an evidence line, filter, certificates, and the repair on a store twin."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static
from triage_support import CONFIRMED, RESOLVED, hosts_screen, rig, sample_digest, triage_app
from tui_support import SAMPLES, run, settle

from logscan.diagnose import EvidenceKind, Verdict, diagnose
from logscan.inputs.discover import discover
from logscan.inputs.reader import read_source
from logscan.model import LogRecord
from logscan.repair.audit import read_audit
from logscan.repair.interlocks import defective
from logscan.repair.verify import OutcomeStatus
from logscan.rules import load_rules
from logscan.tui.screens.certificates import CertificatesScreen
from logscan.tui.screens.confirm_repair import ConfirmRepair
from logscan.tui.screens.diagnosis import DiagnosisScreen
from logscan.tui.screens.filter_dialog import FilterDialog
from logscan.tui.screens.repair import RepairScreen
from logscan.tui.screens.sources import SourcesScreen
from logscan.tui.screens.viewer import ViewerScreen


def _record_at(path: Path, line: int) -> LogRecord:
    (source,) = list(discover([path]))
    records = [r for r in read_source(source) if isinstance(r, LogRecord)]  # type: ignore[arg-type]
    return next(r for r in records if r.line == line)


def _text(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


@run
async def test_sources_scan_lists_every_host_then_opens_the_hosts() -> None:
    expected = diagnose([SAMPLES], load_rules())
    async with triage_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        hosts = hosts_screen(pilot)
        assert sorted(r.host for r in hosts.rows) == sorted(d.host for d in expected.diagnoses)
        by_host = {r.host: r.verdict for r in hosts.rows}
        assert by_host == {d.host: d.verdict for d in expected.diagnoses}
        assert hosts.rows[0].verdict is Verdict.CONFIRMED  # most urgent first
        await pilot.press("escape")
        sources = pilot.app.screen
        assert isinstance(sources, SourcesScreen)
        coverage = sources.query_one("#coverage", DataTable)
        assert coverage.row_count == len(expected.diagnoses)
        assert f"{expected.rules_loaded} loaded" in _text(sources, "#sources-rules")


@run
async def test_hosts_sort_and_filter() -> None:
    async with triage_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        hosts = hosts_screen(pilot)
        every = len(hosts.rows)
        await pilot.press("s")  # verdict -> confidence
        await pilot.press("s", "s", "s")  # -> first failure, last failure, host
        assert [r.host for r in hosts.rows] == sorted(r.host for r in hosts.rows)
        await pilot.press("S")
        assert [r.host for r in hosts.rows] == sorted((r.host for r in hosts.rows), reverse=True)
        await pilot.press("slash", *"resolved")
        assert hosts.query_one("#hosts-filter", Input).has_focus
        assert [r.host for r in hosts.rows] == [RESOLVED]
        await pilot.press("escape")  # leaves the filter, not the screen
        assert pilot.app.screen is hosts and hosts.table.has_focus
        hosts.query_one("#hosts-filter", Input).value = ""
        await pilot.pause()
        assert len(hosts.rows) == every


@run
async def test_journey_evidence_to_viewer_filter_certificates_and_repair(tmp_path: Path) -> None:
    before = sample_digest(CONFIRMED)
    r = rig(tmp_path)
    async with triage_app(r.config).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        hosts = hosts_screen(pilot)
        assert hosts.select(CONFIRMED)
        await pilot.press("enter")
        await settle(pilot)
        diag = pilot.app.screen
        assert isinstance(diag, DiagnosisScreen)
        assert diag.diagnosis.host == CONFIRMED and diag.diagnosis.verdict is Verdict.CONFIRMED
        # The first log evidence line, opened in the viewer at that file and line.
        first = next(e for e in diag.diagnosis.evidence if e.kind is EvidenceKind.LOG)
        assert first.line is not None
        assert diag.select_evidence(first.path, first.line)
        await pilot.press("enter")
        await settle(pilot)
        viewer = pilot.app.screen
        assert isinstance(viewer, ViewerScreen)
        shown = viewer.table.record(viewer.table.cursor)
        expected = _record_at(SAMPLES / CONFIRMED / first.path, first.line)
        assert shown is not None and shown.source == first.path
        assert (shown.line, shown.message) == (expected.line, expected.message)
        # Filter: only the lines with the code remain.
        await pilot.press("f")
        assert isinstance(pilot.app.screen, FilterDialog)
        await pilot.press(*"0x80092024", "enter")
        await settle(pilot)
        kept = viewer.view.records(0, len(viewer.view))
        assert kept and all("0x80092024" in rec.message for rec in kept)
        await pilot.press("escape")
        assert pilot.app.screen is diag
        # Certificates: both client certificates, NULs visible.
        await pilot.press("c")
        await settle(pilot)
        certs = pilot.app.screen
        assert isinstance(certs, CertificatesScreen) and certs.reads == 1
        table = certs.query_one("#certs-table", DataTable)
        names = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        assert table.row_count == len(defective(r.twin.store().read())) == 2
        assert all("␀" in name for name in names)
        assert "embedded_nul" in _text(certs, "#certs-checks")
        await pilot.press("r")
        await settle(pilot)
        assert certs.reads == 2
        await pilot.press("escape", "r")
        await settle(pilot)
        repair = pilot.app.screen
        assert isinstance(repair, RepairScreen)
        assert repair.plan is not None and repair.plan.ready, repair.reason
        assert "CCMCertFix.exe: verified" in _text(repair, "#repair-plan")
        assert "dry run" in _text(repair, "#repair-progress")
        assert not r.runner.calls  # the dry run ran nothing
        await pilot.press("a")
        modal = pilot.app.screen
        assert isinstance(modal, ConfirmRepair)
        question = _text(modal, "#confirm-text")
        for change in repair.plan.changes:
            assert change.thumbprint in question and change.before_text in question
        await pilot.press("y")
        await settle(pilot)
        assert pilot.app.screen is repair
        outcome = repair.outcome
        assert outcome is not None and outcome.status is OutcomeStatus.REPAIRED, outcome
        assert outcome.verdict_after == "resolved"
        assert all(n.fixed for n in outcome.names) and len(outcome.names) == 2
        assert not defective(r.twin.store().read())
        assert "REPAIRED" in _text(repair, "#repair-result")
        progress = _text(repair, "#repair-progress")
        assert (
            "backup written" in progress
            and "ran ccmcertfix.exe: exit code 0" in progress.casefold()
        )
        events = [e.record["event"] for e in read_audit(r.audit).entries]
        assert events[0] == "started" and events[-1] == "finished"
        audit = _text(repair, "#repair-audit")
        assert outcome.run_id in audit and '"status": "repaired"' in audit
        await pilot.press("a")  # a second run would need a new plan
        assert pilot.app.screen is repair
    assert sample_digest(CONFIRMED) == before


async def _repair_screen(pilot: object, host: str) -> RepairScreen:
    await settle(pilot)  # type: ignore[arg-type]
    hosts = hosts_screen(pilot)  # type: ignore[arg-type]
    assert hosts.select(host)
    await pilot.press("enter", "r")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = pilot.app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, RepairScreen)
    return screen


@run
async def test_repair_refused_without_elevation(tmp_path: Path) -> None:
    r = rig(tmp_path, elevated=False)
    async with triage_app(r.config).run_test(size=(120, 40)) as pilot:
        repair = await _repair_screen(pilot, CONFIRMED)
        assert repair.plan is not None and not repair.plan.ready
        state = _text(repair, "#repair-state")
        assert "disabled" in state and "not elevated" in state
        await pilot.press("a")
        assert pilot.app.screen is repair  # no confirmation offered
        await settle(pilot)
    assert not r.runner.calls and not r.audit.exists()
    assert defective(r.twin.store().read())


@run
async def test_repair_refused_for_a_resolved_host(tmp_path: Path) -> None:
    r = rig(tmp_path, RESOLVED)
    async with triage_app(r.config).run_test(size=(120, 40)) as pilot:
        repair = await _repair_screen(pilot, RESOLVED)
        state = _text(repair, "#repair-state")
        assert "disabled" in state and "fixed afterwards" in state
        await pilot.press("a")
        assert pilot.app.screen is repair
    assert not r.runner.calls and not r.audit.exists()


@run
async def test_repair_without_seams_says_where_it_works() -> None:
    async with triage_app().run_test(size=(120, 40)) as pilot:
        repair = await _repair_screen(pilot, CONFIRMED)
        assert repair.plan is None
        assert "--live" in _text(repair, "#repair-state")


@run
async def test_palette_offers_the_screen_actions_and_help_lists_their_keys() -> None:
    from logscan.tui.screens.help import HelpScreen

    async with triage_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        hosts = hosts_screen(pilot)
        commands = {c.title: c for c in pilot.app.get_system_commands(hosts)}
        assert {"Filter hosts", "Sort by next column", "Open diagnosis"} <= set(commands)
        before = hosts.sort_key
        await commands["Sort by next column"].callback()  # type: ignore[misc]
        assert hosts.sort_key is before.following()
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        groups = dict(pilot.app.key_groups())  # type: ignore[attr-defined]
        assert {"Sources", "Hosts"} <= set(groups)


@run
async def test_a_certificate_evidence_line_opens_the_certificates() -> None:
    async with triage_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert hosts_screen(pilot).select(CONFIRMED)
        await pilot.press("enter")
        diag = pilot.app.screen
        assert isinstance(diag, DiagnosisScreen)
        cert = next(e for e in diag.diagnosis.evidence if e.kind is EvidenceKind.CERT)
        assert cert.line is not None and diag.select_evidence(cert.path, cert.line)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CertificatesScreen)


@run
async def test_a_timeline_entry_opens_the_viewer_at_its_line() -> None:
    async with triage_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert hosts_screen(pilot).select(CONFIRMED)
        await pilot.press("enter")
        diag = pilot.app.screen
        assert isinstance(diag, DiagnosisScreen)
        entries = diag.diagnosis.timeline
        pick = len(entries) // 2
        timeline = diag.query_one("#timeline-table", DataTable)
        assert timeline.row_count == len(entries)
        timeline.focus()
        timeline.move_cursor(row=pick)
        await pilot.press("enter")
        await settle(pilot)
        viewer = pilot.app.screen
        assert isinstance(viewer, ViewerScreen)
        shown = viewer.table.record(viewer.table.cursor)
        assert shown is not None
        assert (shown.source, shown.line) == (entries[pick].path, entries[pick].line)


@run
async def test_live_flow_on_twins_certificates_show_the_repaired_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This machine is played by the sample host: its logs for the diagnosis, the twin
    # (a copy of its store) for the certificates and the repair.
    from logscan.diagnose import diagnose_bundle
    from logscan.repair import diagnosis as repair_diagnosis

    host_dir = SAMPLES / CONFIRMED
    real = repair_diagnosis.diagnose_for_repair

    def live_report(ruleset: object, *, now: object = None, **_kw: object) -> object:
        return diagnose_bundle(host_dir, ruleset, now=now)  # type: ignore[arg-type]

    def for_repair(paths: object, *, now: object) -> object:
        assert paths is None  # asked for this machine
        return real([str(host_dir)], now=now)  # type: ignore[arg-type]

    monkeypatch.setattr("logscan.diagnose.diagnose_live", live_report)
    monkeypatch.setattr(repair_diagnosis, "diagnose_for_repair", for_repair)
    r = rig(tmp_path)
    config = dataclasses.replace(r.config, paths=(), live=True)
    async with triage_app(config).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert [row.host for row in hosts_screen(pilot).rows] == [CONFIRMED]
        await pilot.press("enter", "c")
        await settle(pilot)
        certs = pilot.app.screen
        assert isinstance(certs, CertificatesScreen)
        table = certs.query_one("#certs-table", DataTable)
        assert all("␀" in str(table.get_row_at(n)[0]) for n in range(table.row_count))
        await pilot.press("escape", "r")
        await settle(pilot)
        await pilot.press("a", "y")
        await settle(pilot)
        repair = pilot.app.screen
        assert isinstance(repair, RepairScreen) and repair.outcome is not None
        assert repair.outcome.status is OutcomeStatus.REPAIRED
        await pilot.press("escape", "c")
        await settle(pilot)
        certs = pilot.app.screen
        assert isinstance(certs, CertificatesScreen)
        table = certs.query_one("#certs-table", DataTable)
        names = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        assert len(names) == 2 and not any("␀" in name for name in names)
    assert r.store_copy.read_bytes() == (SAMPLES / CONFIRMED / "sms_store.reg").read_bytes()
