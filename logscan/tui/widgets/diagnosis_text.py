"""The sections of a diagnosis as Rich text: header, reasoning, certificates, facts,
remediation (rendering only; every value comes from the ``Diagnosis``)."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from rich.text import Text

from logscan.diagnose import Diagnosis, Effect, Performer, Verdict
from logscan.tui.widgets.nul_text import nul_text

VERDICT_STYLE = {
    Verdict.CONFIRMED: "bold red",
    Verdict.LIKELY: "red",
    Verdict.AT_RISK: "yellow",
    Verdict.OTHER_FAILURE: "magenta",
    Verdict.RESOLVED: "green",
    Verdict.NO_EVIDENCE: "dim",
}
_EFFECT_STYLE = {
    Effect.RAISES: "red",
    Effect.LOWERS: "green",
    Effect.SETS: "bold",
    Effect.NOTES: "dim",
}


def header(d: Diagnosis) -> Text:
    text = Text()
    text.append(f" {d.verdict.value.upper()} ", style=f"{VERDICT_STYLE[d.verdict]} reverse")
    text.append(f"  confidence {d.confidence.value}", style="bold")
    if d.error_codes:
        text.append("  codes: " + ", ".join(d.error_codes), style="yellow")
    text.append("\n" + d.summary)
    return text


def reasoning_lines(d: Diagnosis) -> Text:
    text = Text()
    for n, step in enumerate(d.reasoning, start=1):
        if n > 1:
            text.append("\n")
        text.append(f"{n}. {step.effect.value:<6} ", style=_EFFECT_STYLE[step.effect])
        text.append(step.because)
    return text or Text("no reasoning steps", style="dim")


def certificate_lines(d: Diagnosis) -> Text:
    text = Text()
    for n, c in enumerate(d.certificates):
        if n:
            text.append("\n")
        text.append(f"{c.role or '-':<10} {c.thumbprint}  ", style="bold" if c.at_fault else "")
        text.append("friendly name ")
        text.append_text(nul_text(f'"{c.friendly_name}"' if c.friendly_name is not None else "-"))
        if c.at_fault:
            text.append("  KB977203 NUL", style="bold red")
        since = c.not_before.strftime("%Y-%m-%d") if c.not_before else "-"
        text.append(f"\n           {c.subject or '-'}  from {since}  ({c.path})", style="dim")
    return text or Text("no SMS certificates in the evidence", style="dim")


def _value(value: object) -> str:
    if isinstance(value, AbstractSet):
        return f"{len(value)} listed"
    return "unknown" if value is None else str(value)


def fact_lines(d: Diagnosis) -> Text:
    text = Text()
    for n, state in enumerate(d.facts):
        if n:
            text.append("\n")
        text.append(f"{state.name.value:<22}", style="bold")
        style = "dim" if state.value is None else ""
        text.append(_value(state.value), style=style)
        where = state.source or state.reason
        text.append(f"  ({where})", style="dim")
    return text


def remediation_lines(d: Diagnosis) -> Text:
    text = Text()
    for n, step in enumerate(d.remediation, start=1):
        if n > 1:
            text.append("\n")
        who = "logscan repair" if step.performer is Performer.LOGSCAN else "admin"
        text.append(f"{n}. {step.title}", style="bold")
        text.append(f"  [{step.where}; {who}]", style="dim")
        for command in step.commands:
            text.append(f"\n     $ {command}", style="green")
        text.append(f"\n     why: {step.why}", style="dim")
    return text or Text("nothing to do", style="dim")
