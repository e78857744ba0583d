"""report.html in headless Chromium: no console error, no request leaves the page, the
counts are those of summary.json, the filter and the sort work, rows link to details."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from .cdp import Browser, chromium_binary
from .conftest import read_rows, run_serial

_VISIBLE = "[...document.querySelectorAll('#hosts tbody tr')].filter(r => !r.hidden)"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Browser, Path]]:
    binary = chromium_binary()
    if binary is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    from .conftest import make_share

    base = tmp_path_factory.mktemp("report")
    share = make_share(base / "share")
    out = base / "out"
    run_serial([share], out)
    browser = Browser(binary, base / "profile")
    try:
        for domain in ("Runtime", "Log", "Network", "Page"):
            browser.call(f"{domain}.enable")
        browser.call("Page.navigate", url=(out / "report.html").as_uri())
        browser.wait_for("Page.loadEventFired")
        yield browser, out
    finally:
        browser.close()


def test_loads_without_console_errors_or_requests(page: tuple[Browser, Path]) -> None:
    browser, _out = page
    browser.evaluate("1")  # drain events sent while loading
    errors = [
        e
        for e in browser.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]
    assert errors == []
    urls = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert urls and all(u.startswith("file://") for u in urls), urls  # only the page itself
    charts = browser.evaluate("document.querySelectorAll('.charts svg').length")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert browser.evaluate("document.getElementById('no-charts') !== null")
    else:
        assert charts >= 3


def test_shows_the_counts_of_the_run(page: tuple[Browser, Path]) -> None:
    browser, out = page
    summary = json.loads((out / "summary.json").read_text())
    for verdict, n in summary["verdicts"].items():
        assert browser.evaluate(f"document.getElementById('count-{verdict}').textContent") == str(n)
    assert browser.evaluate(f"{_VISIBLE}.length") == summary["hosts"]
    assert browser.evaluate("document.getElementById('status-no_logs').textContent") == "1"


def test_typing_in_the_filter_narrows_the_table(page: tuple[Browser, Path]) -> None:
    browser, out = page
    rows = read_rows(out)
    browser.evaluate("document.getElementById('filter').focus()")
    browser.call("Input.insertText", text="xp-0142")
    assert browser.evaluate("document.getElementById('shown').textContent") == "1"
    assert browser.evaluate(f"{_VISIBLE}.map(r => r.cells[1].textContent)") == ["WKS-XP-0142"]
    browser.evaluate(
        "(() => { const f = document.getElementById('filter'); f.value = '';"
        " f.dispatchEvent(new Event('input'));"
        " const v = document.getElementById('verdict-filter'); v.value = 'confirmed';"
        " v.dispatchEvent(new Event('change')); })()"
    )
    confirmed = sorted(label for label, r in rows.items() if r["verdict"] == "confirmed")
    assert sorted(browser.evaluate(f"{_VISIBLE}.map(r => r.cells[1].textContent)")) == confirmed
    browser.evaluate(
        "(() => { const v = document.getElementById('verdict-filter'); v.value = '';"
        " v.dispatchEvent(new Event('change')); })()"
    )
    assert browser.evaluate(f"{_VISIBLE}.length") == len(rows)


def test_headers_sort_and_hosts_link_to_their_details(page: tuple[Browser, Path]) -> None:
    browser, out = page
    rows = read_rows(out)
    browser.evaluate("document.querySelectorAll('#hosts th')[9].click()")  # Evidence
    shown = browser.evaluate(f"{_VISIBLE}.map(r => Number(r.cells[9].textContent || 0))")
    assert shown == sorted(shown) and len(set(shown)) > 2
    browser.evaluate("document.querySelectorAll('#hosts th')[9].click()")
    again = browser.evaluate(f"{_VISIBLE}.map(r => Number(r.cells[9].textContent || 0))")
    assert again == sorted(shown, reverse=True)
    links = browser.evaluate(
        f"{_VISIBLE}.map(r => [r.cells[0].textContent, r.querySelector('a').getAttribute('href')])"
    )
    assert len(links) == len(rows)
    for host, href in links:
        title = browser.evaluate(f"document.querySelector('{href} h3').textContent")
        assert title.startswith(host)
