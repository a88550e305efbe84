"""CSV: one row per finding (roots and their consequences), flat, for spreadsheets and scripts.

The header holds stable keys (not translated: scripts read them); the cells hold the report's
language. Built from `report_records` only. Any cell that a spreadsheet would read as a formula is
neutralised (see checker.reporters.safe).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from checker.conformance.results import Report
from checker.reporters.records import report_records
from checker.reporters.safe import neutralise

COLUMNS = (
    "case_id",
    "status",
    "compliant",
    "code",
    "name",
    "family",
    "severity",
    "step",
    "step_number",
    "step_name",
    "clause",
    "message",
    "rows",
    "activity",
    "timestamp",
    "actor",
    "caused_by",
    "depth",
)


def flat_findings(rec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every finding of the records, roots in report order each followed by its consequences
    (depth-first), as flat rows keyed by COLUMNS. `caused_by` is the code of the finding it
    follows from (empty for a root)."""
    cases = {c["case_id"]: c for c in rec["cases"]}

    def walk(f: dict[str, Any], parent: str | None, depth: int) -> Iterator[dict[str, Any]]:
        case = cases.get(f["case_id"], {})
        first = f["evidence"][0] if f["evidence"] else {}
        yield {
            "case_id": f["case_id"],
            "status": case.get("status"),
            "compliant": case.get("compliant"),
            "code": f["code"],
            "name": f["name"],
            "family": f["family"],
            "severity": f["severity"],
            "step": f["step"],
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
        }
        for c in f["consequences"]:
            yield from walk(c, f["code"], depth + 1)

    for f in rec["findings"]:
        yield from walk(f, None, 0)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)


def csv_report(report: Report, lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(COLUMNS)
    for row in flat_findings(report_records(report, lang)):
        writer.writerow([_cell(row[k]) for k in COLUMNS])
    return out.getvalue()
