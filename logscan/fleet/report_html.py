"""report.html: one self-contained page for a batch run.

Verdict counts, charts (``charts``, matplotlib SVG inline), the run's problems, a sortable
and filterable host table (``_assets``) and one detail section per host, linked by
anchors. No external request of any kind: styles and script are inline and a
Content-Security-Policy forbids the browser from fetching anything, so the page works
offline and leaks nothing when opened. Host details are streamed from the spool one at a
time, so a large fleet does not need its diagnoses in memory at once.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import IO, Any

from logscan.fleet import charts
from logscan.fleet._assets import CSS, JS
from logscan.fleet.atomic import atomic_open
from logscan.fleet.model import HostStatus
from logscan.fleet.spool import Spool

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
_EVIDENCE_SHOWN = 20  # evidence items per host in the page (all are in findings.jsonl)
_COLUMNS = (  # (header, row key, numeric)
    ("Host", "host", False),
    ("Bundle", "label", False),
    ("Verdict", "verdict", False),
    ("Confidence", "confidence", False),
    ("Status", "status", False),
    ("First failure (UTC)", "first_failure_utc", False),
    ("Client", "client_version", False),
    ("OS", "os", False),
    ("Codes", "error_codes", False),
    ("Evidence", "evidence", True),
)


def _e(value: object) -> str:
    return "" if value is None else escape(str(value))


def os_label(row: dict[str, Any]) -> str:
    name = row.get("os_name")
    if not name:
        return "unknown"
    sp = row.get("os_service_pack")
    return f"{name} SP{sp}" if sp not in (None, 0, "0") else str(name)


def write_report(
    path: Path, rows: list[dict[str, Any]], spool: Spool, summary: dict[str, Any]
) -> None:
    with atomic_open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(_head(summary))
        fh.write(_cards(summary))
        fh.write(_charts(rows, summary))
        fh.write(_problems(summary))
        _table(fh, rows)
        fh.write("<h2>Hosts in detail</h2>\n")
        for index, (row, detail) in enumerate(spool.details(rows)):
            fh.write(_host(index, row, detail))
        fh.write(f"<script>{JS}</script>\n</body>\n</html>\n")


def _head(summary: dict[str, Any]) -> str:
    roots = ", ".join(summary["roots"])
    state = "complete" if summary["complete"] else "INTERRUPTED: only finished hosts are shown"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>logscan batch: {summary['hosts']} hosts</title>\n<style>{CSS}</style>\n"
        "</head>\n<body>\n<h1>KB977203 batch report</h1>\n"
        f'<p class="meta">{_e(roots)} &middot; {summary["hosts"]} hosts &middot; '
        f"rule pack {_e(summary['rules']['version'])} ({summary['rules']['loaded']} rules) "
        f"&middot; logscan {_e(summary['logscan'])} &middot; {_e(summary['generated_utc'])} "
        f'&middot; <span id="run-state">{_e(state)}</span></p>\n'
    )


def _cards(summary: dict[str, Any]) -> str:
    parts = ['<div class="cards" id="verdict-counts">']
    for verdict, n in summary["verdicts"].items():
        colour = charts.VERDICT_COLOURS[verdict]
        parts.append(
            f'<div class="card" style="border-left-color:{colour}">'
            f'<span class="n" id="count-{verdict}">{n}</span>{verdict}</div>'
        )
    for status, n in summary["statuses"].items():
        if status != HostStatus.OK.value and n:
            parts.append(
                f'<div class="card"><span class="n" id="status-{status}">{n}</span>'
                f"{status.replace('_', ' ')}</div>"
            )
    parts.append("</div>\n")
    return "".join(parts)


def _charts(rows: list[dict[str, Any]], summary: dict[str, Any]) -> str:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return (
            '<h2>Overview</h2>\n<p id="no-charts">Charts need matplotlib: '
            "pip install 'logscan-configmgr[report]'.</p>\n"
        )
    firsts = [
        (date.fromisoformat(str(r["first_failure_utc"])[:10]), str(r["verdict"]))
        for r in rows
        if r.get("first_failure_utc") and r.get("verdict")
    ]
    diagnosed = [r for r in rows if r.get("verdict")]
    failures = charts.failures_chart(firsts)
    figures = [
        charts.verdict_chart(summary["verdicts"]),
        failures or "<p>No failure with a known time was logged.</p>",
        charts.breakdown_chart(
            (str(r.get("client_version") or "unknown") for r in diagnosed),
            "ConfigMgr client versions",
            "versions",
        ),
        charts.breakdown_chart((os_label(r) for r in diagnosed), "Operating systems", "os"),
    ]
    inner = "".join(f"<figure>{f}</figure>" for f in figures)
    return f'<h2>Overview</h2>\n<div class="charts">{inner}</div>\n'


def _problems(summary: dict[str, Any]) -> str:
    items = [
        f"duplicate {_e(d['name'])}: {_e(', '.join(d['labels']))}" for d in summary["duplicates"]
    ]
    items += [_e(p) for p in summary["problems"]]
    items += [_e(n) for n in summary["cache"]["notes"]]
    if not items:
        return ""
    lis = "".join(f"<li>{i}</li>" for i in items)
    return f'<h2>Run notes</h2>\n<ul class="problems" id="run-notes">{lis}</ul>\n'


def _table(fh: IO[str], rows: list[dict[str, Any]]) -> None:
    verdicts = sorted({str(r["verdict"]) for r in rows if r.get("verdict")})
    statuses = sorted({str(r["status"]) for r in rows})
    fh.write('<h2>Hosts</h2>\n<div class="controls">')
    fh.write(
        '<input id="filter" type="search" placeholder="filter hosts (any column)" '
        'aria-label="filter hosts">'
    )
    fh.write(_select("verdict-filter", "every verdict", verdicts))
    fh.write(_select("status-filter", "every status", statuses))
    fh.write(f'<span><span id="shown">{len(rows)}</span> of {len(rows)} shown</span></div>\n')
    head = "".join(
        f'<th data-type="{"number" if num else "text"}">{_e(title)}</th>'
        for title, _key, num in _COLUMNS
    )
    fh.write(f'<table id="hosts"><thead><tr>{head}</tr></thead><tbody>\n')
    for index, row in enumerate(rows):
        values = {**row, "os": os_label(row) if row.get("verdict") else ""}
        cells = []
        for _title, key, _num in _COLUMNS:
            value = _e(values.get(key))
            if key == "host":
                value = f'<a href="#host-{index}">{value}</a>'
            elif key == "first_failure_utc" and value:  # minutes suffice to read; sort on all
                cells.append(f'<td data-sort="{value}">{value[:16].replace("T", " ")}</td>')
                continue
            elif key == "verdict" and value:
                value = f'<span class="v v-{value}">{value}</span>'
            cells.append(f"<td>{value}</td>")
        fh.write(
            f'<tr data-verdict="{_e(row.get("verdict"))}" data-status="{_e(row["status"])}">'
            + "".join(cells)
            + "</tr>\n"
        )
    fh.write("</tbody></table>\n")


def _select(ident: str, everything: str, values: list[str]) -> str:
    options = "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in values)
    return f'<select id="{ident}"><option value="">{everything}</option>{options}</select>'


def _host(index: int, row: dict[str, Any], d: dict[str, Any] | None) -> str:
    verdict = row.get("verdict")
    title = _e(row["host"]) + (
        f' &middot; <span class="v v-{_e(verdict)}">{_e(verdict)}</span>' if verdict else ""
    )
    parts = [f'<section class="host" id="host-{index}"><h3>{title}</h3>']
    facts = [
        ("bundle", row["bundle"]),
        ("status", row["status"]),
        ("confidence", row.get("confidence")),
        ("error codes", row.get("error_codes")),
        ("client", row.get("client_version")),
        ("OS", os_label(row) if verdict else None),
        ("certificates", row.get("kb977203_condition")),
        (
            "first / last failure",
            f"{row.get('first_failure_utc')} / {row.get('last_failure_utc')}"
            if row.get("first_failure_utc")
            else None,
        ),
        ("missing", row.get("coverage_missing")),
        ("problems", row.get("reason")),
    ]
    parts.append('<dl class="kv">')
    parts += [f"<dt>{k}</dt><dd>{_e(v)}</dd>" for k, v in facts if v not in (None, "")]
    parts.append("</dl>")
    if d is not None:
        parts.append(f"<p>{_e(d['summary'])}</p>")
        parts.append(_evidence(d["evidence"]))
        parts.append(_remediation(d["remediation"]))
    parts.append('<p><a href="#hosts">back to the table</a></p></section>\n')
    return "".join(parts)


def _evidence(evidence: list[dict[str, Any]]) -> str:
    if not evidence:
        return ""
    items = []
    for e in evidence[:_EVIDENCE_SHOWN]:
        cite = e["path"] if e["line"] is None else f"{e['path']}:{e['line']}"
        items.append(f'<li><span class="cite">{_e(cite)}</span> {_e(e["text"])}</li>')
    more = len(evidence) - _EVIDENCE_SHOWN
    if more > 0:
        items.append(f"<li>... {more} more in findings.jsonl</li>")
    return "<h4>Evidence</h4><ul>" + "".join(items) + "</ul>"


def _remediation(steps: list[dict[str, Any]]) -> str:
    if not steps:
        return ""
    items = []
    for s in steps:
        commands = "".join(f"<pre>{_e(c)}</pre>" for c in s["commands"])
        items.append(f"<li><strong>{_e(s['title'])}</strong> ({_e(s['where'])}){commands}</li>")
    return "<h4>What to do</h4><ol>" + "".join(items) + "</ol>"
