"""The Excel report re-read with openpyxl, cell by cell: the same findings and cases as the JSON,
frozen headers, filters and widths, every formula-looking text neutralised, deterministic bytes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.messages import t
from checker.reporters.audit import json_report
from checker.reporters.safe import FORMULA_START, is_formula_like, neutralise
from checker.reporters.xlsx import CASE_COLUMNS, FINDING_COLUMNS, cell_value, xlsx_report
from tests.test_reporters_common import (
    FORMULA_ACTOR,
    FORMULAS,
    INJECT_ATTRIBUTE,
    INJECT_CASE,
    injection_report,
)

SEVERITY = {"error": "rpt.sev.error", "warning": "rpt.sev.warning", "info": "rpt.sev.info"}


def flat(findings: list[dict[str, Any]], parent: str | None = None, depth: int = 0):
    for f in findings:
        yield f, parent, depth
        yield from flat(f["consequences"], f["code"], depth + 1)


def expected(value: Any) -> Any:
    """What a JSON value looks like once in a cell and read back."""
    if value is None or value == "":
        return None
    return neutralise(value) if isinstance(value, str) else value


def assert_findings_sheet_matches(source: Path | bytes, records: dict[str, Any], lang: str) -> None:
    """The Findings sheet holds, row by row, every finding of the JSON records (roots then their
    consequences), each cell equal to the JSON value (labels translated, text neutralised)."""
    wb = openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)
    ws = wb[t("rpt.sheet.findings", lang)]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [t(label, lang) for _, label in FINDING_COLUMNS]
    cases = {c["case_id"]: c for c in records["cases"]}
    keys = [k for k, _ in FINDING_COLUMNS]
    every = list(flat(records["findings"]))
    assert len(rows) - 1 == len(every)
    for row, (f, parent, depth) in zip(rows[1:], every, strict=True):
        cell = dict(zip(keys, row, strict=True))
        first = f["evidence"][0] if f["evidence"] else {}
        want = {
            "case_id": f["case_id"],
            "status": t(f"rpt.status.{cases[f['case_id']]['status']}", lang),
            "code": f["code"],
            "name": f["name"],
            "severity": t(SEVERITY[f["severity"]], lang),
            "step_number": f["step_number"],
            "step_name": f["step_name"],
            "clause": f["clause"],
            "message": f["message"],
            "rows": ";".join(str(e["row"]) for e in f["evidence"]),
            "activity": first.get("activity"),
            "timestamp": first.get("timestamp"),
            "actor": first.get("actor"),
            "caused_by": parent,
            "depth": depth,
            "step": f["step"],
        }
        for key in keys:
            assert cell[key] == expected(want[key]), (key, cell[key], want[key])


def workbook(lang: str = "en") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx_report(injection_report(lang), lang)))


def records(lang: str = "en") -> dict[str, Any]:
    return json.loads(json_report(injection_report(lang), lang))


def test_findings_sheet_has_the_json_findings_cell_by_cell():
    for lang in ("en", "id"):
        assert_findings_sheet_matches(xlsx_report(injection_report(lang), lang), records(lang), lang)


def test_cases_sheet_has_the_json_cases():
    rec = records()
    ws = workbook()[t("rpt.sheet.cases", "en")]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert list(header[: len(CASE_COLUMNS)]) == [t(label, "en") for _, label in CASE_COLUMNS]
    attributes = sorted({k for c in rec["cases"] for k in c["attributes"]})
    assert list(header[len(CASE_COLUMNS) :]) == [expected(a) for a in attributes]
    assert len(rows) - 1 == len(rec["cases"])
    for row, case in zip(rows[1:], rec["cases"], strict=True):
        cell = dict(zip([k for k, _ in CASE_COLUMNS], row, strict=False))
        assert cell["case_id"] == case["case_id"]
        assert cell["status"] == t(f"rpt.status.{case['status']}", "en")
        assert cell["compliant"] == t("rpt.yes" if case["compliant"] else "rpt.no", "en")
        assert cell["root_findings"] == case["root_findings"]
        assert cell["findings"] == case["findings"]
        assert cell["fitness"] == case["fitness"]
        assert cell["events"] == len(case["events"])
        for name, value in zip(attributes, row[len(CASE_COLUMNS) :], strict=True):
            assert value == expected(case["attributes"].get(name)), name


def test_summary_sheet_has_provenance_and_totals():
    rec = records()
    ws = workbook()[t("rpt.sheet.summary", "en")]
    pairs = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    p, s = rec["provenance"], rec["summary"]
    assert pairs[t("rpt.sop", "en")] == p["sop_id"]
    assert pairs[t("rpt.as_of", "en")] == p["as_of"]
    assert pairs[t("rpt.cases", "en")] == s["cases"]
    assert pairs[t("rpt.compliant", "en")] == s["compliant"]
    assert pairs[t("rpt.compliance_rate", "en")] == s["compliance_rate"]
    assert pairs[t("rpt.findings_root", "en")] == s["root_findings"]
    assert p["sop_sha256"][0] in pairs[t("rpt.sop_file", "en")]
    for code, count in s["by_code"].items():
        assert any(r[0] == code and r[3] == count for r in ws.iter_rows(values_only=True)), code


def test_tables_have_frozen_header_filters_and_widths():
    wb = workbook()
    for name in (t("rpt.sheet.cases", "en"), t("rpt.sheet.findings", "en")):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        last = openpyxl.utils.get_column_letter(ws.max_column)
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}", name
        for col in range(1, ws.max_column + 1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width
            assert 8 <= width <= 72, (name, col, width)
        assert all(cell.font.bold for cell in ws[1])


def test_no_cell_is_a_formula_and_formula_text_is_neutralised():
    wb = workbook()
    seen = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                assert not is_formula_like(cell.value), (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    seen.append(cell.value)
    assert "'" + FORMULA_ACTOR in seen
    for value in FORMULAS.values():
        assert "'" + value in seen
    assert INJECT_ATTRIBUTE in seen  # not formula-like: kept as it is
    assert INJECT_CASE in seen


def test_bytes_are_deterministic():
    assert xlsx_report(injection_report(), "en") == xlsx_report(injection_report(), "en")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_any_text_survives_a_cell_safely(texts):
    """Whatever a log holds, the workbook saves, re-reads, and no text is a formula."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for text in texts:
        ws.append([cell_value(text)])
    buffer = io.BytesIO()
    wb.save(buffer)
    back = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    values = [row[0] for row in back.iter_rows(values_only=True)]
    for text, value in zip(texts, values, strict=True):
        assert not is_formula_like(value)
        if text and "\r" not in text and not any(ord(c) < 32 and c not in "\t\n" for c in text):
            assert value == (("'" + text) if text.startswith(FORMULA_START) else text)
