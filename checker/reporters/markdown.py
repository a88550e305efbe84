"""Markdown: a compact summary for a pull-request comment (an SOP author reviewing a revision).

Every string from a log or an SOP is escaped (checker.reporters.safe.md): it cannot open a table
cell, a link, a code span or an HTML tag in the rendered comment.
"""

from __future__ import annotations

from typing import Any

from checker import catalogue
from checker.conformance.results import Report
from checker.messages import t
from checker.reporters.records import report_records
from checker.reporters.safe import md, md_code
from checker.reporters.xlsx import severity_label, status_label

FIRST = 20  # findings listed in full; the rest are counted


def _num(value: float, lang: str, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def _table(head: list[str], rows: list[list[str]], align: str) -> list[str]:
    out = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(":---:" if a == "c" else "---:" if a == "r" else "---" for a in align) + "|",
    ]
    out.extend("| " + " | ".join(r) + " |" for r in rows)
    return out


def markdown_audit(report: Report, lang: str) -> str:
    rec = report_records(report, lang)
    p, s = rec["provenance"], rec["summary"]
    rate = f"{_num(100 * s['compliance_rate'], lang)}%" if s["compliance_rate"] is not None else "–"
    icon = "✅" if s["compliant"] == s["cases"] else "❌"
    out = [
        f"### {icon} "
        + t(
            "rpt.md.title",
            lang,
            sop=md_code(p["sop_id"], table=False),
            revisions=md(", ".join(p["sop_revisions"])),
        ),
        "",
        t(
            "rpt.md.line",
            lang,
            log=md_code(p["log_path"], table=False) if p["log_path"] else t("rpt.log_none", lang),
            as_of=p["as_of"][:10],
            compliant=s["compliant"],
            cases=s["cases"],
            rate=rate,
            findings=s["root_findings"],
        ),
        "",
    ]
    out += _table(
        [t("rpt.col.status", lang), *(md(status_label(k, lang)) for k in s["by_status"])],
        [[t("rpt.cases", lang), *(str(v) for v in s["by_status"].values())]],
        "l" + "r" * len(s["by_status"]),
    )
    if s["by_code"]:
        out += ["", f"**{t('rpt.by_code', lang)}**", ""]
        rows = []
        for code, count in s["by_code"].items():
            entry = catalogue.get(code)
            rows.append(
                [f"`{code}`", md(entry.summary.get(lang)), severity_label(entry.severity, lang), str(count)]
            )
        out += _table(
            [
                t("rpt.col.code", lang),
                t("rpt.col.summary", lang),
                t("rpt.col.severity", lang),
                t("rpt.col.count", lang),
            ],
            rows,
            "lllr",
        )
        out += ["", f"**{t('rpt.md.first_findings', lang)}**", ""]
        rows = [_finding_row(f) for f in rec["findings"][:FIRST]]
        out += _table(
            [
                t("rpt.col.case", lang),
                t("rpt.col.code", lang),
                t("rpt.col.step_no", lang),
                t("rpt.col.message", lang),
                t("rpt.col.rows", lang),
            ],
            rows,
            "llrlr",
        )
        more = len(rec["findings"]) - FIRST
        if more > 0:
            out += ["", t("rpt.md.more", lang, n=more)]
    else:
        out += ["", t("rpt.no_findings", lang)]
    sha = ", ".join(f"`{x[:12]}`" for x in p["sop_sha256"])
    log_sha = f"`{p['log_sha256'][:12]}`" if p["log_sha256"] else "–"
    out += [
        "",
        f"<sub>sopcheck {md(rec['tool']['version'])} · {t('rpt.sop', lang)} sha256 {sha} · "
        f"{t('rpt.log', lang)} sha256 {log_sha} · {t('rpt.calendar', lang)}: {md(p['calendar'])}</sub>",
    ]
    return "\n".join(out) + "\n"


def _finding_row(f: dict[str, Any]) -> list[str]:
    rows = ", ".join(str(e["row"]) for e in f["evidence"])
    return [md_code(f["case_id"]), f"`{f['code']}`", str(f["step_number"] or ""), md(f["message"]), rows]


def markdown_validate(run: Any, lang: str) -> str:
    from checker.reporters.validation import records

    rows = records(run, lang)
    bad = sum(1 for loaded in run.loaded if loaded.findings)
    files = len(run.loaded) + len(run.unreadable)
    icon = "✅" if not rows and not run.unreadable else "❌"
    out = [
        f"### {icon} {t('rpt.md.validate_title', lang)}",
        "",
        t(
            "rpt.md.validate_line",
            lang,
            files=files,
            valid=len(run.loaded) - bad,
            bad=bad,
            unreadable=len(run.unreadable),
            findings=len(rows),
        ),
    ]
    if rows or run.unreadable:
        table = [
            [
                md_code(r["path"]),
                str(r["line"] or ""),
                f"`{r['code']}`",
                severity_label(r["severity"], lang),
                md(r["message"]),
            ]
            for r in rows
        ]
        table += [
            [md_code(path), "", "", severity_label("error", lang), md(error)]
            for path, error in run.unreadable
        ]
        out += [""] + _table(
            [
                t("rpt.col.file", lang),
                t("rpt.col.line", lang),
                t("rpt.col.code", lang),
                t("rpt.col.severity", lang),
                t("rpt.col.message", lang),
            ],
            table,
            "lrlll",
        )
    else:
        out += ["", t("rpt.md.all_valid", lang)]
    return "\n".join(out) + "\n"
