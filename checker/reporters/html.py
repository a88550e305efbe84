"""HTML: one self-contained file for an inspector (opens from a USB stick, no network at all).

Inline CSS and JavaScript (checker.reporters.html_assets) allowed by hash in a strict
Content-Security-Policy; charts are inline SVG drawn here. On the first screen: provenance (SOP id,
revision and sha256, log and sha256, tool version, as-of date, calendar, language), then the
summary; then charts (findings per step, time taken per step against the time allowed), a table of
cases to sort and filter, and each case's trace laid against the SOP path with each finding at its
step and its evidence. Printable on A4.

Built from `report_records` only. Every string from a log or an SOP goes through `h()` (escaped
for text and attribute values alike).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from checker import catalogue
from checker.conformance.results import STATUSES, Report
from checker.messages import MESSAGES, t
from checker.reporters.html_assets import CSS, JS, content_security_policy
from checker.reporters.records import report_records
from checker.reporters.safe import h

FAMILIES = ("flow", "actor", "document", "time", "case")
FAMILY_COLOURS = {
    "flow": "#2d6cb5",
    "actor": "#7d4fb8",
    "document": "#c77c0e",
    "time": "#c0392b",
    "case": "#5b6675",
}
STATUS_COLOURS = {
    "complete": "#1e8a4c",
    "in_progress": "#2d6cb5",
    "overdue": "#c0392b",
    "ended_early": "#c77c0e",
    "not_judged": "#7b8794",
}


# --- the SOP's steps, for labels --------------------------------------------------------------


@dataclass
class Outline:
    """What the report shows of the SOP: its title and each step's number and name."""

    title: str | None = None
    steps: dict[str, tuple[int | None, str]] = field(default_factory=dict)

    def number(self, step: str | None) -> int | None:
        return self.steps.get(step, (None, ""))[0] if step else None

    def name(self, step: str | None) -> str:
        return self.steps.get(step, (None, step or ""))[1] if step else ""

    def label(self, step: str | None) -> str:
        number = self.number(step)
        return f"{number}. {self.name(step)}" if number is not None else self.name(step)


def outline(rec: dict[str, Any], lang: str) -> Outline:
    """Step names from the SOP files named in the provenance, when they are still the files that
    were audited (same sha256); else from the findings; else the step ids."""
    out = Outline()
    for f in _walk(rec["findings"]):
        if f["step"] and f["step_name"]:
            out.steps.setdefault(f["step"], (f["step_number"], f["step_name"]))
    p = rec["provenance"]
    for path, sha in reversed(list(zip(p["sop_paths"], p["sop_sha256"], strict=False))):
        sop = _load(path, sha)
        if sop is None:
            continue
        out.title = sop.identity.title.get(lang)
        for step in sop.steps:
            out.steps[step.id] = (step.number, step.name.get(lang))
    return out


def _load(path: str, sha: str):
    if not path or path == "-":
        return None
    try:
        from checker.sop.load import load_sop

        loaded = load_sop(path)
    except Exception:  # noqa: BLE001 - a file gone or changed since the audit: fall back to ids
        return None
    sop = loaded.sop
    if sop is None or (sha and sha != "-" and getattr(sop, "sha256", None) not in (None, sha)):
        return None
    return sop


def _walk(findings: list[dict[str, Any]]):
    for f in findings:
        yield f
        yield from _walk(f["consequences"])


# --- small formatting helpers -----------------------------------------------------------------


def num(value: float | None, lang: str, digits: int = 1) -> str:
    """A number for people: whole numbers bare, others to `digits` places; a decimal comma in
    Indonesian."""
    if value is None:
        return "–"
    v = float(value)
    text = str(int(v)) if v.is_integer() else f"{v:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def pct(value: float | None, lang: str) -> str:
    return "–" if value is None else f"{num(100 * value, lang, 1)}%"


def _status(status: str, lang: str) -> str:
    label = t(f"rpt.status.{status}", lang) if status in STATUSES else status
    return f'<span class="badge st-{h(status)}">{h(label)}</span>'


def _severity(sev: str, lang: str) -> str:
    label = t(f"rpt.sev.{sev}", lang) if sev in catalogue.SEVERITIES else sev
    return f'<span class="badge sev-{h(sev)}">{h(label)}</span>'


def _unit(unit: str | None, lang: str) -> str:
    return t(f"rpt.unit.{unit}", lang) if unit else ""


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- the page ---------------------------------------------------------------------------------


def html_report(report: Report, lang: str) -> str:
    rec = report_records(report, lang)
    sop = outline(rec, lang)
    p = rec["provenance"]
    title = t("rpt.title", lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{h(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{h(content_security_policy())}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="sopcheck {h(rec["tool"]["version"])}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{h(title)}: {h(p['sop_id'])}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        '<header class="top">',
        f'<div class="brand">sopcheck · {h(t("rpt.subtitle", lang))}</div>',
        f"<h1>{h(title)}</h1>",
        f'<p class="sub">{h(sop.title or p["sop_id"])}</p>',
        "</header>",
        "<main>",
        _provenance(rec, lang),
        _summary(rec, lang),
        _charts(rec, sop, lang),
        _cases_table(rec, lang),
        _traces(rec, sop, lang),
        _rejected(rec, lang),
        "</main>",
        f"<footer>{h(t('rpt.generated_by', lang, version=rec['tool']['version']))}</footer>",
        f"<script>{JS}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(x for x in parts if x) + "\n"


def _provenance(rec: dict[str, Any], lang: str) -> str:
    p = rec["provenance"]
    items: list[tuple[str, str]] = [
        (t("rpt.sop", lang), f"<code>{h(p['sop_id'])}</code>"),
        (t("rpt.revision", lang), h(", ".join(p["sop_revisions"]))),
    ]
    for path, sha, revision in zip(p["sop_paths"], p["sop_sha256"], p["sop_revisions"], strict=False):
        label = t("rpt.sop_file", lang) + (f" ({revision})" if len(p["sop_paths"]) > 1 else "")
        items.append((label, f'<code>{h(path)}</code><br><span class="hash mono">sha256 {h(sha)}</span>'))
    log = f"<code>{h(p['log_path'])}</code>" if p["log_path"] else h(t("rpt.log_none", lang))
    if p["log_sha256"]:
        log += f'<br><span class="hash mono">sha256 {h(p["log_sha256"])}</span>'
    items += [
        (t("rpt.log", lang), log),
        (t("rpt.tool", lang), f"{h(rec['tool']['name'])} {h(rec['tool']['version'])}"),
        (t("rpt.as_of", lang), h(p["as_of"][:10])),
        (t("rpt.calendar", lang), h(p["calendar"])),
        (t("rpt.language", lang), h(t("rpt.lang_name", lang))),
        (
            t("rpt.perspectives", lang),
            h(
                ", ".join(
                    t(f"rpt.perspective.{k}", lang) + (" ✓" if v else " ✗")
                    for k, v in rec["perspectives"].items()
                    if f"rpt.perspective.{k}" in _PERSPECTIVES
                )
            ),
        ),
    ]
    body = "".join(f"<dt>{h(k)}</dt><dd>{v}</dd>" for k, v in items)
    heading = h(t("rpt.provenance", lang))
    return f'<section id="provenance" class="card prov"><h3>{heading}</h3><dl>{body}</dl></section>'


_PERSPECTIVES = {f"rpt.perspective.{k}" for k in ("flow", "actors", "documents", "time")}


def _donut(rate: float | None) -> str:
    r, c = 26, 2 * 3.14159265 * 26
    filled = 0 if rate is None else rate * c
    colour = "#1e8a4c" if (rate or 0) >= 0.8 else "#c77c0e" if (rate or 0) >= 0.5 else "#c0392b"
    return (
        '<svg width="64" height="64" viewBox="0 0 64 64" aria-hidden="true">'
        f'<circle cx="32" cy="32" r="{r}" fill="none" stroke="#e6eaef" stroke-width="9"/>'
        f'<circle cx="32" cy="32" r="{r}" fill="none" stroke="{colour}" stroke-width="9" '
        f'stroke-dasharray="{filled:.2f} {c:.2f}" transform="rotate(-90 32 32)"/></svg>'
    )


def _summary(rec: dict[str, Any], lang: str) -> str:
    s, rows = rec["summary"], rec["rows"]
    rate = s["compliance_rate"]
    good = "good" if rate is not None and rate >= 0.8 else "bad"
    noncompliant = s["cases"] - s["compliant"]
    detail = t("rpt.compliance_detail", lang, compliant=s["compliant"], cases=s["cases"])
    kpis = [
        (
            '<div class="kpi kpi-main" id="kpi-rate">'
            f'{_donut(rate)}<div><div class="v {good}">{h(pct(rate, lang))}</div>'
            f'<div class="l">{h(t("rpt.compliance_rate", lang))}</div>'
            f'<div class="n">{h(detail)}</div>'
            "</div></div>"
        ),
        _kpi(str(s["cases"]), t("rpt.cases", lang)),
        _kpi(str(noncompliant), t("rpt.noncompliant", lang), "bad" if noncompliant else "good"),
        _kpi(
            str(s["root_findings"]),
            t("rpt.findings_root", lang),
            note=f"{t('rpt.findings_all', lang)}: {s['findings']}",
        ),
        _kpi(num(s["mean_fitness"], lang, 3), t("rpt.mean_fitness", lang)),
        _kpi(
            str(rows["read"]),
            t("rpt.rows", lang),
            note=t(
                "rpt.rows_detail",
                lang,
                read=rows["read"],
                accepted=rows["accepted"],
                rejected=rows["rejected"],
                duplicates=rows["duplicates"],
            ),
        ),
    ]
    return (
        f'<section id="summary"><h2>{h(t("rpt.summary", lang))}</h2><div class="kpis">{"".join(kpis)}</div>'
        f'<div class="grid2"><div class="stack"><div class="card">{_status_block(s, lang)}</div>'
        f'<div class="card">{_family_block(rec, lang)}</div></div>'
        f'<div class="card">{_code_block(s, lang)}</div></div></section>'
    )


def _family_block(rec: dict[str, Any], lang: str) -> str:
    counts = Counter(f["family"] for f in rec["findings"])
    head = f"<h3>{h(t('rpt.by_family', lang))}</h3>"
    if not counts:
        return head + f'<p class="empty">{h(t("rpt.no_findings", lang))}</p>'
    top = max(counts.values())
    rows = []
    for fam in sorted(counts, key=lambda k: (FAMILIES.index(k) if k in FAMILIES else 99, k)):
        bar = (
            f'<svg width="220" height="12" viewBox="0 0 220 12" aria-hidden="true">'
            f'<rect width="{220 * counts[fam] / top:.1f}" height="12" rx="2" '
            f'fill="{FAMILY_COLOURS.get(fam, "#888")}"/>'
            "</svg>"
        )
        rows.append(
            f'<tr><td>{h(_family_label(fam, lang))}</td><td class="num">{counts[fam]}</td><td>{bar}</td></tr>'
        )
    return head + f'<table id="by-family"><tbody>{"".join(rows)}</tbody></table>'


def _kpi(value: str, label: str, tone: str = "", note: str = "") -> str:
    n = f'<div class="n">{h(note)}</div>' if note else ""
    return f'<div class="kpi"><div class="v {tone}">{h(value)}</div><div class="l">{h(label)}</div>{n}</div>'


def _status_block(s: dict[str, Any], lang: str) -> str:
    total = sum(s["by_status"].values())
    width, x, bars = 600.0, 0.0, []
    for status, count in s["by_status"].items():
        if not count:
            continue
        w = width * count / total
        label = f"{t(f'rpt.status.{status}', lang)}: {count}"
        bars.append(
            f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="26" '
            f'fill="{STATUS_COLOURS.get(status, "#888")}">'
            f"<title>{h(label)}</title></rect>"
        )
        if w > 28:
            bars.append(
                f'<text x="{x + w / 2:.2f}" y="17.5" text-anchor="middle" fill="#fff" font-size="12" '
                f'font-weight="600">{count}</text>'
            )
        x += w
    svg = (
        f'<svg class="chart" id="chart-status" viewBox="0 0 {width:.0f} 26" role="img" '
        f'aria-label="{h(t("rpt.by_status", lang))}">{"".join(bars)}</svg>'
        if total
        else f'<p class="empty">{h(t("rpt.no_cases", lang))}</p>'
    )
    legend = "".join(
        f'<li><i class="sw-{h(k)}"></i>{h(t(f"rpt.status.{k}", lang))}: <b>{v}</b></li>'
        for k, v in s["by_status"].items()
    )
    return f'<h3>{h(t("rpt.by_status", lang))}</h3>{svg}<ul class="legend">{legend}</ul>'


def _code_block(s: dict[str, Any], lang: str) -> str:
    head = f"<h3>{h(t('rpt.by_code', lang))}</h3>"
    if not s["by_code"]:
        return head + f'<p class="empty">{h(t("rpt.no_findings", lang))}</p>'
    top = max(s["by_code"].values())
    rows = []
    for code, count in sorted(s["by_code"].items(), key=lambda kv: (-kv[1], kv[0])):
        entry = catalogue.get(code)
        bar = (
            '<svg width="90" height="10" viewBox="0 0 90 10" aria-hidden="true">'
            f'<rect width="{90 * count / top:.1f}" '
            f'height="10" rx="2" fill="{FAMILY_COLOURS.get(entry.family, "#888")}"/></svg>'
        )
        rows.append(
            f"<tr><td><code>{h(code)}</code></td><td>{h(entry.summary.get(lang))}</td>"
            f'<td>{_severity(entry.severity, lang)}</td><td class="num">{count}</td><td>{bar}</td></tr>'
        )
    return (
        head + f'<table id="by-code"><thead><tr><th>{h(t("rpt.col.code", lang))}</th>'
        f"<th>{h(t('rpt.col.summary', lang))}</th><th>{h(t('rpt.col.severity', lang))}</th>"
        f'<th class="num">{h(t("rpt.col.count", lang))}</th><th></th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# --- charts -----------------------------------------------------------------------------------


def _charts(rec: dict[str, Any], sop: Outline, lang: str) -> str:
    return (
        '<section id="charts" class="charts">'
        f'<div class="card"><h3>{h(t("rpt.chart.findings_per_step", lang))}</h3>'
        f'<p class="note">{h(t("rpt.chart.findings_per_step_note", lang))}</p>'
        f"{_findings_per_step(rec, sop, lang)}</div>"
        f'<div class="card"><h3>{h(t("rpt.chart.time_per_step", lang))}</h3>'
        f'<p class="note">{h(t("rpt.chart.time_note", lang))}</p>{_time_per_step(rec, sop, lang)}</div>'
        "</section>"
    )


def _step_order(sop: Outline, steps: set[str], every: bool) -> list[str]:
    """Steps in SOP order (by number): all the SOP's steps when `every`, else those in `steps`;
    steps the outline does not know go last, by id."""
    chosen = (set(sop.steps) if every else set()) | steps
    return sorted(chosen, key=lambda s: (sop.number(s) is None, sop.number(s) or 0, s))


def _findings_per_step(rec: dict[str, Any], sop: Outline, lang: str) -> str:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for f in rec["findings"]:
        if f["step"]:
            counts[f["step"]][f["family"]] += 1
    steps = _step_order(sop, set(counts), every=True)
    if not steps:
        return f'<p class="empty">{h(t("rpt.no_findings", lang))}</p>'
    label_w, bar_w, row_h = 440, 500, 24
    top = max([sum(c.values()) for c in counts.values()] + [1])
    height = row_h * len(steps) + 6
    out = [
        f'<svg class="chart" id="chart-findings-per-step" viewBox="0 0 {label_w + bar_w + 40} {height}" '
        f'role="img" aria-label="{h(t("rpt.chart.findings_per_step", lang))}">'
    ]
    for i, step in enumerate(steps):
        y = i * row_h + 3
        name = sop.label(step)
        out.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="12" fill="#1b2430">'
            f"<title>{h(name)}</title>{h(_cut(name, 56))}</text>"
        )
        out.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar_w}" height="{row_h - 8}" fill="#f1f4f7"/>')
        x = float(label_w)
        total = sum(counts[step].values())
        for family in FAMILIES:
            n = counts[step].get(family, 0)
            if not n:
                continue
            w = bar_w * n / top
            out.append(
                f'<rect class="bar" x="{x:.2f}" y="{y + 2}" width="{w:.2f}" height="{row_h - 8}" '
                f'fill="{FAMILY_COLOURS[family]}"><title>{h(name)}: {h(family)} {n}</title></rect>'
            )
            x += w
        out.append(
            f'<text x="{x + 5:.2f}" y="{y + 15}" font-size="12" font-weight="600" '
            f'fill="#1b2430">{total}</text>'
        )
    out.append("</svg>")
    used = sorted({fam for c in counts.values() for fam in c}, key=FAMILIES.index)
    legend = "".join(f'<li><i class="sw-{fam}"></i>{h(_family_label(fam, lang))}</li>' for fam in used)
    return "".join(out) + f'<ul class="legend">{legend}</ul>'


def _family_label(family: str, lang: str) -> str:
    key = f"rpt.family.{family}"
    return t(key, lang) if key in MESSAGES else family


def _time_per_step(rec: dict[str, Any], sop: Outline, lang: str) -> str:
    samples: dict[str, list[tuple[float, float, str | None]]] = defaultdict(list)
    for case in rec["cases"]:
        for st in case["times"]:
            if st["elapsed"] is not None and st["allowed"]:
                samples[st["step"]].append((float(st["elapsed"]), float(st["allowed"]), st["unit"]))
    if not samples:
        return f'<p class="empty">{h(t("rpt.chart.no_time", lang))}</p>'
    steps = _step_order(sop, set(samples), every=False)
    label_w, bar_w, row_h = 440, 500, 40
    stats = {}
    for step in steps:
        ratios = [e / a for e, a, _ in samples[step]]
        stats[step] = (statistics.median(ratios), max(ratios))
    scale_max = max(1.5, min(4.0, max(m for _, m in stats.values()) * 1.05))
    x_of = lambda ratio: label_w + bar_w * min(ratio, scale_max) / scale_max  # noqa: E731
    height = row_h * len(steps) + 26
    out = [
        f'<svg class="chart" id="chart-time-per-step" viewBox="0 0 {label_w + bar_w + 40} {height}" '
        f'role="img" aria-label="{h(t("rpt.chart.time_per_step", lang))}">'
    ]
    for tick in (0, 0.5, 1, 1.5, 2, 3, 4):
        if tick > scale_max:
            continue
        x = x_of(tick)
        style = (
            'stroke="#1b2430" stroke-width="1.5"' if tick == 1 else 'stroke="#e3e8ee" stroke-dasharray="3 3"'
        )
        out.append(f'<line x1="{x:.2f}" y1="0" x2="{x:.2f}" y2="{height - 20}" {style}/>')
        out.append(
            f'<text x="{x:.2f}" y="{height - 6}" text-anchor="middle" font-size="11" '
            f'fill="#5b6675">{int(tick * 100)}%</text>'
        )
    out.append(
        f'<text x="{label_w - 24}" y="{height - 6}" text-anchor="end" font-size="11" fill="#5b6675">'
        f"{h(t('rpt.chart.percent_allowed', lang))}</text>"
    )
    for i, step in enumerate(steps):
        y = i * row_h + 4
        median, longest = stats[step]
        values = samples[step]
        allowed = values[0][1]
        unit = values[0][2]
        elapsed = [e for e, _, _ in values]
        late = sum(1 for e, a, _ in values if e > a)
        name = sop.label(step)
        colour = "#c0392b" if median > 1 else "#1e8a4c"
        detail = t(
            "rpt.chart.time_label",
            lang,
            median=num(statistics.median(elapsed), lang, 1),
            longest=num(max(elapsed), lang, 1),
            allowed=num(allowed, lang, 1),
            unit=_unit(unit, lang),
            n=len(values),
            over=late,
        )
        out.append(
            f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end" font-size="12" fill="#1b2430">'
            f"<title>{h(name)}</title>{h(_cut(name, 56))}</text>"
        )
        out.append(
            f'<text x="{label_w - 8}" y="{y + 28}" text-anchor="end" font-size="10.5" fill="#5b6675">'
            f"<title>{h(detail)}</title>{h(_cut(detail, 72))}</text>"
        )
        # Whisker from the median to the longest: green within the time allowed, red beyond it.
        ok_end = min(longest, 1.0)
        if ok_end > median:
            out.append(_hline(x_of(median), x_of(ok_end), y + 11, "#1e8a4c"))
        if longest > 1.0:
            out.append(_hline(x_of(max(median, 1.0)), x_of(longest), y + 11, "#c0392b"))
        end_colour = "#c0392b" if longest > 1.0 else "#1e8a4c"
        out.append(_vline(x_of(longest), y + 6, y + 16, end_colour))
        out.append(
            f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{x_of(median) - label_w:.2f}" '
            'height="14" rx="2" '
            f'fill="{colour}" fill-opacity="0.85"><title>{h(name)}: {h(detail)}</title></rect>'
        )
    out.append("</svg>")
    return "".join(out)


def _hline(x1: float, x2: float, y: float, colour: str) -> str:
    return f'<line x1="{x1:.2f}" y1="{y}" x2="{x2:.2f}" y2="{y}" stroke="{colour}" stroke-width="1.5"/>'


def _vline(x: float, y1: float, y2: float, colour: str) -> str:
    return f'<line x1="{x:.2f}" y1="{y1}" x2="{x:.2f}" y2="{y2}" stroke="{colour}" stroke-width="1.5"/>'


# --- cases table ------------------------------------------------------------------------------


def _cases_table(rec: dict[str, Any], lang: str) -> str:
    roots: dict[str, list[str]] = defaultdict(list)
    for f in rec["findings"]:
        roots[f["case_id"]].append(f["code"])
    cols = [
        ("rpt.col.case", ""),
        ("rpt.col.status", ""),
        ("rpt.col.compliant", ""),
        ("rpt.col.root_findings", "num"),
        ("rpt.col.codes", ""),
        ("rpt.col.fitness", "num"),
        ("rpt.col.events", "num"),
        ("rpt.col.started", ""),
        ("rpt.col.ended", ""),
        ("rpt.col.revision", ""),
    ]
    numeric = ' class="num" data-type="num"'
    head = "".join(f'<th{numeric if kind else ""} scope="col">{h(t(key, lang))}</th>' for key, kind in cols)
    body = []
    for n, c in enumerate(rec["cases"]):
        codes = ", ".join(sorted(set(roots.get(c["case_id"], []))))
        yes = t("rpt.yes" if c["compliant"] else "rpt.no", lang)
        rank = STATUSES.index(c["status"]) if c["status"] in STATUSES else len(STATUSES)
        body.append(
            f'<tr data-status="{h(c["status"])}" data-compliant="{1 if c["compliant"] else 0}">'
            f'<td data-sort="{h(c["case_id"])}"><a href="#case-{n}">{h(c["case_id"])}</a></td>'
            f'<td data-sort="{rank}">{_status(c["status"], lang)}</td>'
            f'<td class="{"yes" if c["compliant"] else "no"}">{h(yes)}</td>'
            f'<td class="num">{c["root_findings"]}</td>'
            f"<td><code>{h(codes)}</code></td>"
            f'<td class="num" data-sort="{c["fitness"]}">{h(num(c["fitness"], lang, 3))}</td>'
            f'<td class="num">{len(c["events"])}</td>'
            f'<td class="mono nowrap">{h((c["started"] or "")[:10])}</td>'
            f'<td class="mono nowrap">{h((c["ended"] or "")[:10])}</td>'
            f"<td>{h(c['sop_revision'] or '')}</td></tr>"
        )
    options = "".join(f'<option value="{h(s)}">{h(t(f"rpt.status.{s}", lang))}</option>' for s in STATUSES)
    controls = (
        '<div class="controls">'
        f'<input type="search" id="case-filter" placeholder="{h(t("rpt.filter_placeholder", lang))}" '
        f'aria-label="{h(t("rpt.filter", lang))}">'
        f'<select id="status-filter" aria-label="{h(t("rpt.col.status", lang))}"><option value="">'
        f"{h(t('rpt.all_statuses', lang))}</option>{options}</select>"
        f'<label><input type="checkbox" id="bad-filter"> {h(t("rpt.only_noncompliant", lang))}</label>'
        f'<span class="count"><b id="shown-count">{len(rec["cases"])}</b> / {len(rec["cases"])} '
        f"{h(t('rpt.shown', lang))} · {h(t('rpt.sort_hint', lang))}</span></div>"
    )
    return (
        f'<section id="cases"><h2>{h(t("rpt.cases_table", lang))}</h2>{controls}'
        f'<div class="table-wrap"><table id="case-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></section>"
    )


# --- traces -----------------------------------------------------------------------------------


def _traces(rec: dict[str, Any], sop: Outline, lang: str) -> str:
    by_case: dict[str, list[tuple[dict[str, Any], dict[str, Any] | None]]] = defaultdict(list)

    def collect(f: dict[str, Any], parent: dict[str, Any] | None) -> None:
        by_case[f["case_id"]].append((f, parent))
        for c in f["consequences"]:
            collect(c, f)

    for f in rec["findings"]:
        collect(f, None)
    body = [_trace(n, c, by_case.get(c["case_id"], []), sop, lang) for n, c in enumerate(rec["cases"])]
    return (
        f'<section id="traces"><h2>{h(t("rpt.case_details", lang))}</h2>'
        f'<p class="note">{h(t("rpt.case_details_note", lang))}</p>{"".join(body)}</section>'
    )


def place(case: dict[str, Any], findings: list[tuple[dict[str, Any], Any]]) -> tuple[dict[int, list], list]:
    """Which move of the alignment each finding belongs to: the move of its step (the one whose
    event is in its evidence when the step occurs more than once), else the move whose event is
    in its evidence (an activity the SOP does not know); the rest are case-level."""
    moves = case["alignment"]
    rows = [e["row"] for e in case["events"]]
    at: dict[int, list] = defaultdict(list)
    loose = []
    for item in findings:
        f = item[0]
        evidence = {e["row"] for e in f["evidence"]}
        same_step = [i for i, m in enumerate(moves) if f["step"] and m["step"] == f["step"]]
        by_row = [i for i, m in enumerate(moves) if m["event"] is not None and rows[m["event"]] in evidence]
        choice = (
            [i for i in same_step if i in by_row]
            or same_step
            or [i for i in by_row if moves[i]["move"] == "log"]
            or by_row
        )
        if choice:
            at[choice[0]].append(item)
        else:
            loose.append(item)
    return at, loose


def _trace(n: int, case: dict[str, Any], findings: list, sop: Outline, lang: str) -> str:
    at, loose = place(case, findings)
    events = case["events"]
    times = {(st["step"], st["row"]): st for st in case["times"]}
    rows = []
    for i, m in enumerate(case["alignment"]):
        e = events[m["event"]] if m["event"] is not None else None
        kind = m["move"]
        mv = {"sync": "✓ ", "model": "✗ ", "log": "+ "}.get(kind, "") + t(f"rpt.move.{kind}", lang)
        st = times.get((m["step"], e["row"])) if e and m["step"] else None
        time_cell = ""
        if st and st["elapsed"] is not None and st["allowed"]:
            over = st["elapsed"] > st["allowed"]
            time_cell = (
                f'<span class="{"over" if over else ""}">'
                f"{h(num(st['elapsed'], lang))} / {h(num(st['allowed'], lang))}"
                f" {h(_unit(st['unit'], lang))}</span>"
            )
        number = sop.number(m["step"])
        rows.append(
            f'<tr class="mv-{h(kind)}"><td class="num">{"" if number is None else number}</td>'
            f'<td>{h(sop.name(m["step"]))}</td><td><span class="mv">{h(mv)}</span></td>'
            f'<td class="num">{e["row"] if e else ""}</td><td>{h(e["activity"]) if e else ""}</td>'
            f'<td class="mono nowrap"{_iso_title(e)}>{h(_when(e["timestamp"])) if e else ""}</td>'
            f"<td>{h(e['actor']) if e and e['actor'] else ''}</td>"
            f"<td>{time_cell}</td></tr>"
        )
        if at.get(i):
            rows.append(
                '<tr class="frow"><td></td><td colspan="7" class="fcell">'
                + "".join(_finding(f, p, lang) for f, p in at[i])
                + "</td></tr>"
            )
    head = "".join(
        f"<th>{h(t(k, lang))}</th>"
        for k in (
            "rpt.col.step_no",
            "rpt.col.step",
            "rpt.col.move",
            "rpt.col.row",
            "rpt.col.activity",
            "rpt.col.timestamp",
            "rpt.col.actor",
            "rpt.col.time",
        )
    )
    attrs = "".join(f"<div><span>{h(k)}:</span> {h(_attr(v))}</div>" for k, v in case["attributes"].items())
    attrs_block = (
        f'<div class="attrs"><div><b>{h(t("rpt.attributes", lang))}</b></div>{attrs}</div>' if attrs else ""
    )
    loose_block = (
        f"<h3>{h(t('rpt.case_findings', lang))}</h3>{''.join(_finding(f, p, lang) for f, p in loose)}"
        if loose
        else ""
    )
    count = len(findings)
    findings_label = h(t("rpt.n_findings", lang, n=count))
    if count and not case["compliant"]:
        flag = f'<span class="badge sev-error">✗ {findings_label}</span>'
    elif count:  # warnings or notes only: compliant, still worth a look
        flag = f'<span class="badge sev-warning">! {findings_label}</span>'
    else:
        flag = f'<span class="badge st-complete">✓ {h(t("rpt.is_compliant", lang))}</span>'
    span = " → ".join(x[:10] for x in (case["started"], case["ended"]) if x)
    meta = " · ".join(
        x
        for x in (
            t("rpt.fitness_value", lang, value=num(case["fitness"], lang, 3)),
            f"{len(events)} {t('rpt.col.events', lang).lower()}",
            span,
        )
        if x
    )
    return (
        f'<details class="case" id="case-{n}" data-status="{h(case["status"])}"'
        f"{' data-findings' if count else ''}>"
        f'<summary><span class="cid">{h(case["case_id"])}</span>{_status(case["status"], lang)}{flag}'
        f'<span class="meta">{h(meta)}</span></summary><div class="case-body">{attrs_block}'
        f'<table class="trace"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f"{loose_block}</div></details>"
    )


def _when(timestamp: str | None) -> str:
    """An ISO timestamp for reading: date and minutes, the zone left to the title."""
    if not timestamp:
        return ""
    return timestamp[:16].replace("T", " ") if "T" in timestamp else timestamp


def _iso_title(e: dict[str, Any] | None) -> str:
    return f' title="{h(e["timestamp"])}"' if e and e.get("timestamp") else ""


def _attr(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _finding(f: dict[str, Any], parent: dict[str, Any] | None, lang: str) -> str:
    evidence = "; ".join(
        f"{t('rpt.col.row', lang).lower()} {e['row']}: {e['activity']} ({e['timestamp']}"
        + (f", {e['actor']})" if e.get("actor") else ")")
        for e in f["evidence"]
    )
    cause = (
        f'<div class="cause">↳ {h(t("rpt.caused", lang))}: {h(parent["code"])}'
        + (
            f" ({h(t('rpt.col.step', lang).lower())} {parent['step_number']})"
            if parent.get("step_number")
            else ""
        )
        + "</div>"
        if parent
        else ""
    )
    ev = f'<div class="ev">{h(t("rpt.evidence", lang))}: {h(evidence)}</div>' if evidence else ""
    return (
        f'<div class="finding f-{h(f["severity"])}" data-code="{h(f["code"])}">'
        f'<span class="code">{h(f["code"])}</span>'
        f"{_severity(f['severity'], lang)} {h(f['message'])}{cause}{ev}</div>"
    )


def _rejected(rec: dict[str, Any], lang: str) -> str:
    rejected = rec["rows"]["rejected_rows"]
    if not rejected:
        return ""
    shown = rejected[:500]
    rows = "".join(
        f'<tr><td class="num">{h(r.get("row"))}</td><td>{h(r.get("message") or r.get("reason"))}</td></tr>'
        for r in shown
    )
    more = (
        f'<p class="note">{h(t("rpt.more_rejected", lang, n=len(rejected) - len(shown)))}</p>'
        if len(rejected) > len(shown)
        else ""
    )
    return (
        f'<section id="rejected"><h2>{h(t("rpt.rejected_rows", lang))}</h2>'
        f'<div class="card"><table><thead><tr><th class="num">{h(t("rpt.col.row", lang))}</th>'
        f"<th>{h(t('rpt.col.reason', lang))}</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{more}</div></section>"
    )
