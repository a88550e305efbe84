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

from checker.conformance.results import STATUSES, Report
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
    # Write-only (streaming) mode: a cell object and a style lookup per cell make openpyxl's
    # normal mode several times slower on logs of thousands of cases.
    wb = Workbook(write_only=True)
    _summary_sheet(wb.create_sheet(t("rpt.sheet.summary", lang)), rec, lang)
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

    from checker import catalogue

    p, s, r = rec["provenance"], rec["summary"], rec["rows"]
    bold = Font(bold=True)
    rows_detail = t(
        "rpt.rows_detail",
        lang,
        read=r["read"],
        accepted=r["accepted"],
        rejected=r["rejected"],
        duplicates=r["duplicates"],
    )
    lines: list[tuple[str, Any] | None] = [
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
        (t("rpt.rows", lang), rows_detail),
        None,
        (t("rpt.by_status", lang), None),
        *[(status_label(k, lang), v) for k, v in s["by_status"].items()],
        None,
    ]
    for width, letter in zip((34, 90, 14, 10), "ABCD", strict=True):
        ws.column_dimensions[letter].width = width
    ws.append([_cell(ws, t("rpt.title", lang), font=Font(bold=True, size=14))])
    ws.append([])
    for line in lines:
        if line is None:
            ws.append([])
            continue
        label, value = line
        number_format = "0.0%" if label == t("rpt.compliance_rate", lang) else None
        ws.append([_cell(ws, label, font=bold), _cell(ws, value, number_format=number_format)])
    # Findings by code: a small table under the key/value block.
    ws.append([_cell(ws, t("rpt.by_code", lang), font=bold)])
    head = ("rpt.col.code", "rpt.col.summary", "rpt.col.severity", "rpt.col.count")
    ws.append([_header(ws, t(key, lang)) for key in head])
    for code, count in s["by_code"].items():
        entry = catalogue.get(code)
        ws.append(
            [
                cell_value(v)
                for v in (code, entry.summary.get(lang), severity_label(entry.severity, lang), count)
            ]
        )


def _cell(ws, value: Any, font=None, number_format: str | None = None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=cell_value(value))
    if font is not None:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    return cell


def _header(ws, label: str):
    from openpyxl.styles import Alignment, Font, PatternFill

    cell = _cell(ws, label, font=Font(bold=True, color=HEADER_FONT))
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    return cell


def _table(ws, keys: list[str], labels: list[str], rows: list[list[Any]], wrap: tuple[str, ...] = ()) -> None:
    """A sheet holding one table: styled header, frozen under it, filters, column widths."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for i, label in enumerate(labels, 1):
        longest = max([len(str(label)) + 3] + [len(str(r[i - 1])) for r in rows if r[i - 1] is not None])
        ws.column_dimensions[get_column_letter(i)].width = max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(labels))}{max(1, len(rows) + 1)}"
    ws.append([_header(ws, label) for label in labels])
    wrapped = Alignment(vertical="top", wrap_text=True)
    wrap_at = {i for i, key in enumerate(keys) if key in wrap}
    for row in rows:
        values = [cell_value(v) for v in row]
        for i in wrap_at:  # a style per cell costs: only where text wraps
            cell = _cell(ws, row[i])
            cell.alignment = wrapped
            values[i] = cell
        ws.append(values)


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
