"""RepairScreen: the plan, the CCMCertFix verification, confirmation, progress, the
verified result and the audit entry.

The plan is made in a worker (``triage_jobs.prepare_repair``) through the app's repair
seams. Applying is disabled, with the reason shown, unless the diagnosis calls for a
repair and every interlock passes; ``d`` shows the dry run at any time. ``a`` asks in a
modal (stating exactly what will change) and then runs the repair in a worker.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from logscan.cli.repair_render import confirm_lines, outcome_lines, plan_lines
from logscan.diagnose import Diagnosis
from logscan.repair.diagnosis import HostDiagnosis
from logscan.repair.outcome import RepairOutcome
from logscan.repair.plan import RepairPlan
from logscan.repair.verify import OutcomeStatus
from logscan.tui.screens.confirm_repair import ConfirmRepair
from logscan.tui.session import TriageSession
from logscan.tui.triage_jobs import prepare_repair, run_repair
from logscan.tui.triage_messages import RepairFinished, RepairPrepared, RepairProgressed
from logscan.tui.widgets.nul_text import nul_text

_AUDIT_FIELDS = ("event", "run_id", "when", "who", "host", "target")
_STATUS_STYLE = {
    OutcomeStatus.REPAIRED: "bold green",
    OutcomeStatus.UNCHANGED: "bold yellow",
    OutcomeStatus.FAILED: "bold red",
    OutcomeStatus.DRY_RUN: "cyan",
    OutcomeStatus.DECLINED: "yellow",
    OutcomeStatus.REFUSED: "bold red",
}


class RepairScreen(Screen[None]):
    """The guided repair of one host's SMS store."""

    CSS_PATH = Path(__file__).with_name("triage.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "apply", "Apply…"),
        Binding("d", "dry_run", "Dry run"),
        Binding("escape", "back", "Back"),
    ]
    PALETTE: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("Apply repair", "Confirm, then back up, run and verify (a)", "apply"),
        ("Dry run", "Show what would happen, change nothing (d)", "dry_run"),
    )

    def __init__(self, session: TriageSession, diagnosis: Diagnosis) -> None:
        super().__init__()
        self.session = session
        self.diagnosis = diagnosis
        self.plan: RepairPlan | None = None
        self.found: HostDiagnosis | None = None
        self.reason = "making the plan…"
        self.running = False
        self.outcome: RepairOutcome | None = None
        self.steps: list[str] = []  # progress lines of the run on screen

    def compose(self) -> ComposeResult:
        yield Static(f"Repair: {self.diagnosis.host}", classes="screen-title")
        yield Static(self.reason, id="repair-state")
        with VerticalScroll(id="repair-body"):
            yield Static("Plan", classes="section-title")
            yield Static("", id="repair-plan", classes="section")
            yield Static("Progress", classes="section-title")
            yield Static("", id="repair-progress", classes="section")
            yield Static("Result", classes="section-title")
            yield Static("", id="repair-result", classes="section")
            yield Static("Audit entry", classes="section-title")
            yield Static("", id="repair-audit", classes="section")
        yield Footer()

    def on_mount(self) -> None:
        bundle = self.session.bundle_of(self.diagnosis)
        job = partial(prepare_repair, self.session.config, bundle, self.post_message)
        self.run_worker(job, thread=True, group="repair", exclusive=True)

    @property
    def enabled(self) -> bool:
        ran = self.outcome is not None and self.outcome.status is not OutcomeStatus.DRY_RUN
        return self.plan is not None and self.plan.ready and not self.running and not ran

    def _state(self, text: str, ready: bool) -> None:
        box = self.query_one("#repair-state", Static)
        box.set_class(ready, "ready")
        box.set_class(not ready, "disabled")
        box.update(text)

    def on_repair_prepared(self, message: RepairPrepared) -> None:
        self.plan, self.found = message.plan, message.found
        if message.plan is None:
            self.reason = f"Repair unavailable: {message.reason}"
            self._state(self.reason, False)
            return
        plan = message.plan
        self.query_one("#repair-plan", Static).update(nul_text("\n".join(plan_lines(plan))))
        if plan.ready:
            self.reason = "Ready: a applies the plan (after confirmation); d shows the dry run"
        elif plan.refusals:
            self.reason = "Repair disabled: " + "; ".join(r.message for r in plan.refusals)
        else:
            self.reason = "Repair disabled: nothing to change in this store"
        self._state(self.reason, plan.ready)
        self.action_dry_run()

    def action_dry_run(self) -> None:
        if self.outcome is not None and self.outcome.status is not OutcomeStatus.DRY_RUN:
            self.notify("the repair has run: its result stays on screen")
            return
        self._run(apply=False)

    def action_apply(self) -> None:
        if not self.enabled or self.plan is None:
            ran = self.outcome is not None and self.outcome.status is not OutcomeStatus.DRY_RUN
            why = "the repair has run; go back and open the host again for a new plan"
            self.notify(why if ran else self.reason, severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(apply=True)
            else:
                self.query_one("#repair-progress", Static).update("not confirmed: nothing changed")

        self.app.push_screen(ConfirmRepair(confirm_lines(self.plan)), answered)

    def _run(self, *, apply: bool) -> None:
        seams = self.session.config.seams
        if self.plan is None or self.found is None or seams is None or self.running:
            return
        self.running = apply
        self.steps = []
        job = partial(run_repair, seams, self.found, self.plan, self.post_message, apply=apply)
        self.run_worker(job, thread=True, group="repair-run", exclusive=True)

    def on_repair_progressed(self, message: RepairProgressed) -> None:
        self.steps.append(message.text)
        lines = "\n".join(f"• {step}" for step in self.steps)
        self.query_one("#repair-progress", Static).update(Text(lines, style="yellow"))

    def on_repair_finished(self, message: RepairFinished) -> None:
        outcome = message.outcome
        self.running = False
        self.outcome = outcome
        style = _STATUS_STYLE[outcome.status]
        dry = outcome.status is OutcomeStatus.DRY_RUN
        done = ["dry run: nothing was changed"] if dry else [*self.steps, "done"]
        progress = "\n".join(f"• {step}" for step in done)
        self.query_one("#repair-progress", Static).update(Text(progress, style=style))
        lines = [ln for ln in outcome_lines(outcome) if not ln.startswith("DRY RUN:")]
        if dry and outcome.plan.ready:
            lines.append("DRY RUN: nothing was changed. Press a to carry out this plan.")
        result = nul_text("\n".join(lines))
        result.stylize(style, 0, len(lines[0]))
        self.query_one("#repair-result", Static).update(result)
        if message.audit:
            last = message.audit[-1]
            shown = {k: last.record.get(k) for k in _AUDIT_FIELDS}
            finished = last.record.get("outcome")
            if isinstance(finished, dict):
                shown |= {k: finished.get(k) for k in ("status", "verdict_after")}
            body = json.dumps(shown, ensure_ascii=False)
            where = self.plan.audit_path if self.plan is not None else ""
            audit = f"{where}:{last.line}  ({len(message.audit)} record(s) for this run)\n{body}"
            self.query_one("#repair-audit", Static).update(audit)
        if not dry:
            self.query_one("#repair-body", VerticalScroll).scroll_end(animate=False)
            self._state(
                f"{outcome.status.value}: {outcome.message}",
                outcome.status is OutcomeStatus.REPAIRED,
            )

    def action_back(self) -> None:
        self.app.pop_screen()
