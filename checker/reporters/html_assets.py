"""The inline CSS and JavaScript of the HTML report (no file, font or script is ever fetched).

The page's Content-Security-Policy allows exactly these two blocks (by their SHA-256) and nothing
from any network, so even a string that escaped escaping could not run or load anything.
"""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root{--ink:#1b2430;--muted:#5b6675;--line:#dde3ea;--bg:#f3f5f8;--card:#fff;--navy:#1f3a5f;
--accent:#2d6cb5;--ok:#1e8a4c;--bad:#c0392b;--warn:#c77c0e;--info:#2d6cb5;--grey:#7b8794;
--flow:#2d6cb5;--actor:#7d4fb8;--document:#c77c0e;--time:#c0392b;--case:#5b6675}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 "Segoe UI",system-ui,-apple-system,
"Helvetica Neue",Arial,"Noto Sans",sans-serif}
code,.mono{font-family:"Cascadia Mono",Consolas,"DejaVu Sans Mono","Liberation Mono",monospace;
font-size:.92em}
.top{background:var(--navy);color:#fff;padding:18px 32px 16px}
.top .brand{font-size:12px;letter-spacing:.12em;text-transform:uppercase;opacity:.75}
.top h1{margin:2px 0 2px;font-size:24px;font-weight:600}
.top .sub{margin:0;opacity:.85}
main{max-width:1320px;margin:0 auto;padding:18px 32px 8px}
h2{font-size:18px;margin:26px 0 10px;color:var(--navy)}
h3{font-size:15px;margin:0 0 10px;color:var(--navy)}
.note{color:var(--muted);font-size:12.5px;margin:-4px 0 10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;
box-shadow:0 1px 2px rgba(20,30,50,.05)}
.prov{margin-top:0}
.prov dl{display:grid;grid-template-columns:max-content minmax(0,1fr) max-content minmax(0,1fr);
gap:4px 14px;margin:0}
.prov dt{color:var(--muted);font-size:12.5px;padding-top:1px}
.prov dd{margin:0;overflow-wrap:anywhere}
.hash{color:var(--muted);font-size:11.5px}
.kpis{display:grid;grid-template-columns:1.5fr repeat(5,1fr);gap:12px;margin-top:14px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.kpi .v{font-size:26px;font-weight:650;line-height:1.1}
.kpi .l{color:var(--muted);font-size:12.5px;margin-top:2px}
.kpi .n{color:var(--muted);font-size:12px;margin-top:4px}
.kpi-main{display:flex;gap:14px;align-items:center}
.kpi-main svg{flex:none}
.v.good{color:var(--ok)}.v.bad{color:var(--bad)}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:14px;margin-top:14px}
.grid2>.card{min-width:0}
.stack{display:flex;flex-direction:column;gap:14px;min-width:0}
.charts{display:grid;grid-template-columns:1fr;gap:14px;margin-top:14px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;background:#f7f9fb}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:8px 0 0;padding:0;list-style:none;font-size:12.5px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.sw-complete{background:var(--ok)}.sw-in_progress{background:var(--accent)}.sw-overdue{background:var(--bad)}
.sw-ended_early{background:var(--warn)}.sw-not_judged{background:var(--grey)}
.sw-flow{background:var(--flow)}.sw-actor{background:var(--actor)}.sw-document{background:var(--document)}
.sw-time{background:var(--time)}.sw-case{background:var(--case)}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:11.5px;font-weight:600;
white-space:nowrap;border:1px solid transparent}
.st-complete{background:#e3f4ea;color:#17683a}.st-in_progress{background:#e4eefa;color:#1f4f87}
.st-overdue{background:#fbe6e3;color:#9b2c1f}.st-ended_early{background:#fcefdc;color:#8a5408}
.st-not_judged{background:#eceff2;color:#4b5563}
.sev-error{background:#fbe6e3;color:#9b2c1f}.sev-warning{background:#fcefdc;color:#8a5408}
.sev-info{background:#e4eefa;color:#1f4f87}
.yes{color:var(--ok);font-weight:600}.no{color:var(--bad);font-weight:600}
.controls{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:0 0 10px}
.controls input[type=search]{flex:1 1 280px;padding:6px 10px;border:1px solid #c5ced8;border-radius:6px;
font:inherit}
.controls select{padding:5px 8px;border:1px solid #c5ced8;border-radius:6px;font:inherit;background:#fff}
.controls label{font-size:13px;color:var(--muted)}
.count{margin-left:auto;color:var(--muted);font-size:13px}
#case-table th{cursor:pointer;user-select:none;white-space:nowrap}
#case-table th::after{content:"";display:inline-block;width:1em;color:var(--accent)}
#case-table th[aria-sort=ascending]::after{content:" \\25B2"}
#case-table th[aria-sort=descending]::after{content:" \\25BC"}
#case-table tbody tr:hover{background:#f5f8fc}
.table-wrap{max-height:560px;overflow:auto;border:1px solid var(--line);border-radius:6px}
.table-wrap thead th{position:sticky;top:0;z-index:1}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
details.case{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:8px 0}
details.case>summary{cursor:pointer;padding:9px 14px;display:flex;flex-wrap:wrap;gap:8px;align-items:center;
list-style:none}
details.case>summary::-webkit-details-marker{display:none}
details.case>summary::before{content:"\\25B8";color:var(--muted);width:10px}
details.case[open]>summary::before{content:"\\25BE"}
details.case[open]>summary{border-bottom:1px solid var(--line)}
.cid{font-weight:650}
.meta{color:var(--muted);font-size:12.5px}
.case-body{padding:10px 14px 14px}
.attrs{display:flex;flex-wrap:wrap;gap:4px 18px;margin:0 0 10px;font-size:12.5px}
.attrs span{color:var(--muted)}
table.trace td{font-size:13px}
table.trace tr.mv-model td{background:#fff6f5}
table.trace tr.mv-log td{background:#fffaf0}
.mv{white-space:nowrap;font-size:12px;font-weight:600}
.mv-sync .mv{color:var(--ok)}.mv-model .mv{color:var(--bad)}.mv-log .mv{color:var(--warn)}
td.fcell{padding:2px 8px 8px 34px;background:#fff}
.finding{border-left:3px solid var(--bad);padding:4px 10px;margin:4px 0;background:#fdf7f6;
border-radius:0 6px 6px 0}
.finding.f-warning{border-color:var(--warn);background:#fffaf2}
.finding.f-info{border-color:var(--info);background:#f4f8fd}
.finding .code{font-weight:700;margin-right:6px}
.finding .ev{color:var(--muted);font-size:12px;margin-top:2px}
.finding .cause{color:var(--muted);font-size:12px;font-style:italic}
.over{color:var(--bad);font-weight:600}
.nowrap{white-space:nowrap}
svg text{font-family:inherit}
.chart{width:100%;height:auto;display:block}
.empty{color:var(--muted);font-style:italic}
footer{max-width:1320px;margin:0 auto;padding:8px 32px 30px;color:var(--muted);font-size:12px}
@media (max-width:900px){.kpis{grid-template-columns:1fr 1fr}.grid2{grid-template-columns:1fr}
.prov dl{grid-template-columns:max-content minmax(0,1fr)}main,.top{padding-left:14px;padding-right:14px}}
@page{size:A4;margin:13mm 11mm 14mm}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{background:#fff;font-size:10pt}
.top{padding:10px 0;background:#fff;color:var(--navy);border-bottom:2px solid var(--navy)}
main,footer{max-width:none;padding:0}
.controls,.no-print{display:none!important}
.card,.kpi,details.case{box-shadow:none;break-inside:avoid}
.kpis{grid-template-columns:repeat(3,1fr)}
.grid2{grid-template-columns:1fr;gap:8px}
.table-wrap{max-height:none;overflow:visible;border:0}
.table-wrap thead th{position:static}
th,td{padding:3px 5px}
#case-table,table.trace{font-size:8.5pt}
#case-table td:first-child{white-space:nowrap}
#case-table th{white-space:normal}
.badge{font-size:7.5pt;padding:0 4px}
.kpi .v{font-size:20px}
thead{display:table-header-group}
tr{break-inside:avoid}
h2{break-after:avoid}
#traces{break-before:page}
a{color:inherit}
}
""".strip()

JS = """
(function () {
  "use strict";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var table = document.getElementById("case-table");
  if (table) {
    var body = table.tBodies[0], heads = table.tHead.rows[0].cells;
    var rows = Array.prototype.slice.call(body.rows);
    var q = document.getElementById("case-filter"), st = document.getElementById("status-filter");
    var bad = document.getElementById("bad-filter"), shown = document.getElementById("shown-count");
    var key = function (row, i, num) {
      var c = row.cells[i], v = c.getAttribute("data-sort");
      if (v === null) { v = c.textContent; }
      return num ? (parseFloat(v) || 0) : v;
    };
    each(heads, function (th, i) {
      var sort = function () {
        var num = th.getAttribute("data-type") === "num";
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        each(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = key(a, i, num), y = key(b, i, num);
          var c = num ? x - y : String(x).localeCompare(String(y), undefined, {numeric: true});
          return c * dir;
        });
        each(rows, function (r) { body.appendChild(r); });
      };
      th.tabIndex = 0;
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
    var filter = function () {
      var text = q.value.trim().toLowerCase(), status = st.value, onlyBad = bad.checked, n = 0;
      each(rows, function (r) {
        var ok = (!text || r.textContent.toLowerCase().indexOf(text) >= 0) &&
          (!status || r.getAttribute("data-status") === status) &&
          (!onlyBad || r.getAttribute("data-compliant") === "0");
        r.hidden = !ok;
        if (ok) { n += 1; }
      });
      shown.textContent = String(n);
    };
    q.addEventListener("input", filter);
    st.addEventListener("change", filter);
    bad.addEventListener("change", filter);
    filter();
  }
  var openTarget = function () {
    var el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView(); }
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();
  // Printing: the traces of cases with findings are printed open, the others as one line.
  window.addEventListener("beforeprint", function () {
    each(document.querySelectorAll("details.case"), function (d) {
      d.setAttribute("data-was-open", d.open ? "1" : "0");
      if (d.hasAttribute("data-findings")) { d.open = true; }
    });
  });
  window.addEventListener("afterprint", function () {
    each(document.querySelectorAll("details.case[data-was-open]"), function (d) {
      d.open = d.getAttribute("data-was-open") === "1";
      d.removeAttribute("data-was-open");
    });
  });
  document.documentElement.setAttribute("data-ready", "1");
})();
""".strip()


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline block."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy() -> str:
    return (
        "default-src 'none'; "
        f"style-src {csp_hash(CSS)}; "
        f"script-src {csp_hash(JS)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
