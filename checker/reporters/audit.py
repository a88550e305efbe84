"""Output formats of `sopcheck audit`, in one registry (no if-chains in the command)."""

from __future__ import annotations

import json
from collections.abc import Callable

from checker.audit.results import Report
from checker.reporters.audit_text import text
from checker.reporters.csv_report import csv_report
from checker.reporters.html import html_report
from checker.reporters.junit import junit_audit
from checker.reporters.markdown import markdown_audit
from checker.reporters.records import report_records
from checker.reporters.sarif import sarif_audit
from checker.reporters.xlsx import xlsx_report


def json_report(report: Report, lang: str) -> str:
    return json.dumps(report_records(report, lang), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


FORMATS: dict[str, Callable[[Report, str], str | bytes]] = {
    "text": text,
    "json": json_report,
    "html": html_report,
    "xlsx": xlsx_report,
    "junit": junit_audit,
    "sarif": sarif_audit,
    "md": markdown_audit,
    "csv": csv_report,
}
