"""Text and Markdown renderings of a diagnosis report, written for a person.

Per host: the verdict first, the summary, the three most telling evidence lines with
file:line, the certificate(s) at fault with the NUL shown as ␀, what to do next, and what
evidence was missing. ``verbose`` adds the reasoning steps and the timeline. Several hosts
start with a one-line-per-host table.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from logscan.diagnose.model import Diagnosis, Performer, Verdict
from logscan.diagnose.report import Report

_LABEL = {
    Verdict.CONFIRMED: "CONFIRMED: KB977203",
    Verdict.LIKELY: "LIKELY: KB977203",
    Verdict.AT_RISK: "AT RISK of KB977203",
    Verdict.RESOLVED: "RESOLVED",
    Verdict.OTHER_FAILURE: "OTHER FAILURE (not KB977203)",
    Verdict.NO_EVIDENCE: "NO EVIDENCE",
}
_WHO = {Performer.LOGSCAN: "logscan repair", Performer.ADMIN: "admin"}


def _clip(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrap(text: str, indent: str, width: int = 100) -> Iterator[str]:
    yield from textwrap.wrap(
        " ".join(text.split()),
        width,
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _table(report: Report) -> Iterator[str]:
    width = max(len(d.host) for d in report.diagnoses)
    for d in report.diagnoses:
        codes = ", ".join(d.error_codes) or "-"
        missing = ", ".join(d.coverage.missing) or "-"
        yield (
            f"{d.host:<{width}}  {d.verdict.value:<13}  {d.confidence.value:<6}  "
            f"codes: {codes:<24}  missing: {missing}"
        )
    yield ""


def render_host(d: Diagnosis, *, verbose: bool = False) -> Iterator[str]:
    where = f" [{d.label}]" if d.label and d.label.casefold() != d.host.casefold() else ""
    yield f"{d.host}{where}: {_LABEL[d.verdict]} ({d.confidence.value} confidence)"
    yield from _wrap(d.summary, "  ")
    if d.telling:
        yield "  Evidence:"
        for e in d.telling:
            yield f"    {e.cite}"
            yield f"        {_clip(e.text)}"
    faulty = [c for c in d.certificates if c.at_fault]
    if faulty:
        yield "  Certificate(s) at fault:"
        for c in faulty:
            where_cert = c.path if c.line is None else f"{c.path}:{c.line}"
            nul = ", ".join(str(p) for p in c.nul_positions)
            name = f'"{c.friendly_name}"'
            yield f"    {c.thumbprint}  {name}  NUL at UTF-16 unit {nul}  ({where_cert})"
    if d.remediation:
        yield "  What to do next:"
        for i, step in enumerate(d.remediation, 1):
            yield f"    {i}. [{_WHO[step.performer]}] {step.title} ({step.where})"
            for command in step.commands:
                yield f"         {command}"
            yield from _wrap(step.details, "       ")
    if d.coverage.missing:
        yield f"  Not collected: {', '.join(d.coverage.missing)}"
    for item in d.coverage.unreadable[:5]:
        yield f"  Unreadable: {item}"
    if verbose:
        yield from _verbose(d)
    yield ""


def _verbose(d: Diagnosis) -> Iterator[str]:
    yield "  Reasoning:"
    for s in d.reasoning:
        verdict = s.verdict.value if s.verdict else "-"
        yield f"    {s.step} ({s.effect.value}; now {verdict}, {s.confidence.value}): {s.because}"
    if d.timeline:
        yield "  Timeline (UTC):"
        for t in d.timeline:
            when = f"{t.utc:%Y-%m-%d %H:%M:%S}" if t.utc else "(no time)       "
            mark = "~" if t.placement.value == "host_bias" else " "
            yield f"    {when}{mark} {t.kind.value:<16} {_clip(t.text, 80)}  {t.path}:{t.line}"


def render_text(report: Report, *, verbose: bool = False) -> Iterator[str]:
    if len(report.diagnoses) > 1:
        yield from _table(report)
    for d in report.diagnoses:
        yield from render_host(d, verbose=verbose)
    yield f"rules: loaded {report.rules_loaded}, {report.rules_failed} failed to load"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(report: Report) -> Iterator[str]:
    yield "# logscan diagnosis"
    yield ""
    yield "| host | verdict | confidence | codes | missing |"
    yield "|---|---|---|---|---|"
    for d in report.diagnoses:
        codes = ", ".join(d.error_codes) or "–"
        missing = ", ".join(d.coverage.missing) or "–"
        yield f"| {d.host} | `{d.verdict.value}` | {d.confidence.value} | {codes} | {missing} |"
    for d in report.diagnoses:
        yield ""
        yield f"## {d.host}: `{d.verdict.value}` ({d.confidence.value} confidence)"
        yield ""
        yield _md(d.summary)
        if d.evidence:
            yield ""
            yield "| evidence | rule | text |"
            yield "|---|---|---|"
            for e in d.evidence[:10]:
                yield f"| `{_md(e.cite)}` | `{e.rule}` | {_md(_clip(e.text, 140))} |"
        faulty = [c for c in d.certificates if c.at_fault]
        if faulty:
            yield ""
            for c in faulty:
                yield f'- certificate `{c.thumbprint}`: friendly name `"{c.friendly_name}"`'
        if d.remediation:
            yield ""
            for i, step in enumerate(d.remediation, 1):
                yield f"{i}. **{_md(step.title)}** ({_WHO[step.performer]}; {_md(step.where)})"
                for command in step.commands:
                    yield f"   - `{command}`"
        yield ""
        yield "Reasoning:"
        yield ""
        for s in d.reasoning:
            yield f"- *{s.step}* ({s.effect.value}): {_md(s.because)}"
    yield ""
    yield f"Rules: loaded {report.rules_loaded}, {report.rules_failed} failed to load."
