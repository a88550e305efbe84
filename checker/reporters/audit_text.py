"""The text summary of an audit for a terminal: counts, findings by code and step, findings."""

from __future__ import annotations

from typing import Any

from checker import catalogue
from checker.conformance.results import Report
from checker.messages import t
from checker.output import printable_lines
from checker.reporters.records import report_records


def text(report: Report, lang: str) -> str:
    rec = report_records(report, lang)
    p, s, rows = rec["provenance"], rec["summary"], rec["rows"]
    out = [
        t(
            "report.title",
            lang,
            sop=p["sop_id"],
            revisions=", ".join(p["sop_revisions"]),
            log=p["log_path"] or "-",
            as_of=p["as_of"][:10],
        ),
        t("report.rows", lang, read=rows["read"], accepted=rows["accepted"], rejected=rows["rejected"]),
        t(
            "report.cases",
            lang,
            cases=s["cases"],
            compliant=s["compliant"],
            rate=f"{100 * (s['compliance_rate'] or 0):.1f}",
            **s["by_status"],
        ),
    ]
    if s["by_code"]:
        out.append(t("report.by_code", lang))
        for code, count in s["by_code"].items():
            out.append(f"  {code}  {count:>5}  {catalogue.get(code).summary.get(lang)}")
    if s["by_step"]:
        out.append(t("report.by_step", lang))
        names = {f["step"]: (f["step_number"], f["step_name"]) for f in _walk(rec["findings"])}
        for step, count in sorted(s["by_step"].items(), key=lambda kv: names[kv[0]][0] or 0):
            number, name = names[step]
            out.append(f"  {number:>3} {_cut(name, 60):<60} {count:>5}")
    if rec["findings"]:
        out.append(t("report.findings", lang))
        for f in rec["findings"]:
            out.extend(_finding_lines(f, lang, 1))
    return printable_lines("\n".join(out)) + "\n"


def _finding_lines(f: dict[str, Any], lang: str, depth: int) -> list[str]:
    rows = ",".join(str(e["row"]) for e in f["evidence"])
    where = t("report.rows_ref", lang, rows=rows) if rows else ""
    indent = "  " * depth
    head = f"{f['case_id']}: " if depth == 1 else "↳ "
    severity = t(f"rpt.sev.{f['severity']}", lang)
    lines = [f"{indent}{head}{severity} {f['code']} {f['message']}{where}"]
    for c in f["consequences"]:
        lines.extend(_finding_lines(c, lang, depth + 2))
    return lines


def _walk(findings: list[dict[str, Any]]):
    for f in findings:
        yield f
        yield from _walk(f["consequences"])


def _cut(text: str | None, width: int) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"
