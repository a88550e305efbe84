"""Excel workbook (.xlsx) for inspectors: sheets Summary, Cases and Findings, each table with a
frozen header, filters and column widths. Built from `report_records` only; the Findings sheet
holds the same rows as the CSV report (roots and consequences, flat).

Every text cell is made safe: a text that a spreadsheet would read as a formula (=, +, -, @) gets a
leading apostrophe, and characters XML cannot carry are replaced. The bytes are deterministic
(fixed document dates and zip timestamps), like every other format.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from checker.audit.results import STATUSES, Report
from checker.messages import t
from checker.reporters.csv_report import flat_findings
from checker.reporters.records import report_records
from checker.reporters.safe import neutralise, xml_text

HEADER_FILL = "1F3A5F"
HEADER_FONT = "FFFFFF"
MIN_WIDTH, MAX_WIDTH = 8, 70

# (record key, label key) of the Findings sheet; same rows as the CSV report.
FINDING_COLUMNS = (
    ("case_id", "rpt.col.case"),
    ("status", "rpt.col.status"),
    ("code", "rpt.col.code"),
    ("name", "rpt.col.name"),
    ("severity", "rpt.col.severity"),
    ("step_number", "rpt.col.step_no"),
    ("step_name", "rpt.col.step_name"),
    ("clause", "rpt.col.clause"),
    ("message", "rpt.col.message"),
    ("rows", "rpt.col.rows"),
    ("activity", "rpt.col.activity"),
    ("timestamp", "rpt.col.timestamp"),
    ("actor", "rpt.col.actor"),
    ("caused_by", "rpt.col.caused_by"),
    ("depth", "rpt.col.depth"),
    ("step", "rpt.col.step"),
)

CASE_COLUMNS = (
    ("case_id", "rpt.col.case"),
    ("status", "rpt.col.status"),
    ("compliant", "rpt.col.compliant"),
    ("root_findings", "rpt.col.root_findings"),
    ("findings", "rpt.col.findings"),
    ("codes", "rpt.col.codes"),
    ("fitness", "rpt.col.fitness"),
    ("cost", "rpt.col.cost"),
    ("events", "rpt.col.events"),
    ("started", "rpt.col.started"),
    ("ended", "rpt.col.ended"),
    ("sop_revision", "rpt.col.revision"),
)


def cell_value(value: Any) -> Any:
    """What goes into a cell: numbers as numbers, text made safe, None empty."""
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    return neutralise(xml_text(value))


def status_label(status: str | None, lang: str) -> str | None:
    return t(f"rpt.status.{status}", lang) if status in STATUSES else status


def severity_label(severity: str | None, lang: str) -> str | None:
    return t(f"rpt.sev.{severity}", lang) if severity in ("error", "warning", "info") else severity


def xlsx_report(report: Report, lang: str) -> bytes:
    from openpyxl import Workbook

    rec = report_records(report, lang)
    wb = Workbook()
    summary = wb.active
    summary.title = t("rpt.sheet.summary", lang)
    _summary_sheet(summary, rec, lang)
    _table(wb.create_sheet(t("rpt.sheet.cases", lang)), *_cases_table(rec, lang))
    _table(wb.create_sheet(t("rpt.sheet.findings", lang)), *_findings_table(rec, lang), wrap=("message",))
    return _deterministic_bytes(wb, rec["provenance"]["as_of"])


def _findings_table(rec: dict[str, Any], lang: str) -> tuple[list[str], list[str], list[list[Any]]]:
    rows = []
    for f in flat_findings(rec):
        f = dict(f, status=status_label(f["status"], lang), severity=severity_label(f["severity"], lang))
        rows.append([f[key] for key, _ in FINDING_COLUMNS])
    return [k for k, _ in FINDING_COLUMNS], [t(label, lang) for _, label in FINDING_COLUMNS], rows


def _cases_table(rec: dict[str, Any], lang: str) -> tuple[list[str], list[str], list[list[Any]]]:
    roots: dict[str, list[str]] = {}
    for f in rec["findings"]:
        roots.setdefault(f["case_id"], []).append(f["code"])
    attributes = sorted({k for c in rec["cases"] for k in c["attributes"]})
    keys = [k for k, _ in CASE_COLUMNS] + [f"attr:{a}" for a in attributes]
    labels = [t(label, lang) for _, label in CASE_COLUMNS] + attributes
    rows = []
    for c in rec["cases"]:
        row = {
            **c,
            "status": status_label(c["status"], lang),
            "compliant": t("rpt.yes" if c["compliant"] else "rpt.no", lang),
            "codes": ", ".join(roots.get(c["case_id"], [])),
            "events": len(c["events"]),
        }
        values = [row[k] for k, _ in CASE_COLUMNS]
        for a in attributes:
            v = c["attributes"].get(a)
            values.append(", ".join(map(str, v)) if isinstance(v, list) else v)
        rows.append(values)
    return keys, labels, rows


def _summary_sheet(ws, rec: dict[str, Any], lang: str) -> None:
    from openpyxl.styles import Font

    p, s, r = rec["provenance"], rec["summary"], rec["rows"]
    bold = Font(bold=True)
    lines: list[tuple[str, Any] | None] = [
        (t("rpt.title", lang), None),
        None,
        (t("rpt.sop", lang), p["sop_id"]),
        (t("rpt.revision", lang), ", ".join(p["sop_revisions"])),
        *[
            (t("rpt.sop_file", lang), f"{path}  sha256 {sha}")
            for path, sha in zip(p["sop_paths"], p["sop_sha256"], strict=False)
        ],
        (t("rpt.log", lang), p["log_path"] or t("rpt.log_none", lang)),
        (t("rpt.sha256", lang), p["log_sha256"]),
        (t("rpt.tool", lang), f"{rec['tool']['name']} {rec['tool']['version']}"),
        (t("rpt.as_of", lang), p["as_of"]),
        (t("rpt.calendar", lang), p["calendar"]),
        (t("rpt.language", lang), t("rpt.lang_name", lang)),
        None,
        (t("rpt.cases", lang), s["cases"]),
        (t("rpt.compliant", lang), s["compliant"]),
        (t("rpt.compliance_rate", lang), s["compliance_rate"]),
        (t("rpt.findings_root", lang), s["root_findings"]),
        (t("rpt.findings_all", lang), s["findings"]),
        (t("rpt.mean_fitness", lang), s["mean_fitness"]),
        (
            t("rpt.rows", lang),
            t(
                "rpt.rows_detail",
                lang,
                read=r["read"],
                accepted=r["accepted"],
                rejected=r["rejected"],
                duplicates=r["duplicates"],
            ),
        ),
        None,
        (t("rpt.by_status", lang), None),
        *[(status_label(k, lang), v) for k, v in s["by_status"].items()],
        None,
    ]
    for line in lines:
        ws.append([] if line is None else [cell_value(line[0]), cell_value(line[1])])
    ws["A1"].font = Font(bold=True, size=14)
    for row in ws.iter_rows(min_row=3, max_col=1):
        row[0].font = bold
    rate_row = next(
        i for i, line in enumerate(lines, 1) if line and line[0] == t("rpt.compliance_rate", lang)
    )
    ws.cell(rate_row, 2).number_format = "0.0%"
    # Findings by code: a small table under the key/value block.
    start = ws.max_row + 1
    ws.cell(start, 1, t("rpt.by_code", lang)).font = bold
    head = [
        t("rpt.col.code", lang),
        t("rpt.col.summary", lang),
        t("rpt.col.severity", lang),
        t("rpt.col.count", lang),
    ]
    from checker import catalogue

    for col, label in enumerate(head, 1):
        _header(ws.cell(start + 1, col, label))
    for i, (code, count) in enumerate(s["by_code"].items(), start + 2):
        entry = catalogue.get(code)
        for col, value in enumerate(
            (code, entry.summary.get(lang), severity_label(entry.severity, lang), count), 1
        ):
            ws.cell(i, col, cell_value(value))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 10


def _header(cell) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.font = Font(bold=True, color=HEADER_FONT)
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = Alignment(vertical="center", wrap_text=True)


def _table(ws, keys: list[str], labels: list[str], rows: list[list[Any]], wrap: tuple[str, ...] = ()) -> None:
    """A sheet holding one table: styled header, frozen under it, filters, column widths."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    ws.append([cell_value(label) for label in labels])
    for cell in ws[1]:
        _header(cell)
    for row in rows:
        ws.append([cell_value(v) for v in row])
    ws.freeze_panes = "A2"
    last = get_column_letter(len(labels))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    top = Alignment(vertical="top", wrap_text=False)
    wrapped = Alignment(vertical="top", wrap_text=True)
    for i, key in enumerate(keys, 1):
        letter = get_column_letter(i)
        longest = max(
            [len(str(labels[i - 1])) + 3] + [len(str(r[i - 1])) for r in rows if r[i - 1] is not None]
        )
        ws.column_dimensions[letter].width = max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))
        for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            cell.alignment = wrapped if key in wrap else top


def _deterministic_bytes(wb, as_of: str) -> bytes:
    """The workbook's bytes, the same for the same report: document dates from the audit date,
    zip entries with a fixed timestamp (openpyxl stamps both with the clock)."""
    from openpyxl.writer.excel import ExcelWriter

    when = datetime.fromisoformat(as_of).replace(tzinfo=None, microsecond=0)
    wb.properties.creator = "sopcheck"
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
