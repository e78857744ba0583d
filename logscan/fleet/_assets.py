"""The report page's stylesheet and script, inlined into every report (no external files).

The script makes the host table sortable (click a header; again to reverse) and
filterable (free text over every cell, plus verdict and status lists); ``#filter=TEXT``
in the address pre-fills the text filter, so a filtered view can be shared as a link.
"""

from __future__ import annotations

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;
padding:0 16px 40px;color:#222}
h1{font-size:22px;margin:18px 0 4px}
h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
h3{font-size:16px;margin:0 0 6px}.meta{color:#555;font-size:12px}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.card{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;padding:6px 12px;
min-width:96px}
.card .n{display:block;font-size:22px;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:12px}
.charts figure{margin:0;border:1px solid #eee;padding:6px}.charts svg{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #eee;padding:3px 6px;text-align:left;vertical-align:top}
th{cursor:pointer;background:#f6f6f6;position:sticky;top:0;user-select:none}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
.controls{display:flex;gap:8px;align-items:center;margin:8px 0}
.controls input{flex:1;padding:4px 6px}
.v{font-weight:600}.v-confirmed{color:#c0392b}.v-likely{color:#d35400}.v-at_risk{color:#9a7d0a}
.v-resolved{color:#1e8449}.v-other_failure{color:#7d3c98}.v-no_evidence{color:#7f8c8d}
section.host{border:1px solid #e3e3e3;border-radius:4px;padding:10px 14px;margin:12px 0}
section.host:target{outline:3px solid #2c6fad}
pre{background:#f6f6f6;padding:6px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
.cite{font-family:ui-monospace,Consolas,monospace;font-size:12px;color:#444}
ul.problems li{font-family:ui-monospace,Consolas,monospace;font-size:12px}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}
dl.kv dt{color:#555}dl.kv dd{margin:0}
"""

JS = """
(function () {
  "use strict";
  var table = document.getElementById("hosts");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter");
  var verdict = document.getElementById("verdict-filter");
  var status = document.getElementById("status-filter");
  var shown = document.getElementById("shown");

  function cellKey(row, index) {
    var cell = row.cells[index];
    var key = cell.getAttribute("data-sort");
    return key === null ? cell.textContent.trim().toLowerCase() : key;
  }

  function sortBy(index, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var numeric = th.getAttribute("data-type") === "number";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = cellKey(a, index), y = cellKey(b, index);
      if (numeric) { x = parseFloat(x) || 0; y = parseFloat(y) || 0; }
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function applyFilter() {
    var needle = text.value.trim().toLowerCase();
    var wantVerdict = verdict.value;
    var wantStatus = status.value;
    var count = 0;
    rows.forEach(function (row) {
      var ok = (!needle || row.textContent.toLowerCase().indexOf(needle) >= 0) &&
        (!wantVerdict || row.getAttribute("data-verdict") === wantVerdict) &&
        (!wantStatus || row.getAttribute("data-status") === wantStatus);
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = String(count);
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    th.addEventListener("click", function () { sortBy(index, th); });
  });
  text.addEventListener("input", applyFilter);
  verdict.addEventListener("change", applyFilter);
  status.addEventListener("change", applyFilter);
  var hash = window.location.hash;
  if (hash.indexOf("#filter=") === 0) {
    text.value = decodeURIComponent(hash.slice(8));
  }
  applyFilter();
})();
"""
