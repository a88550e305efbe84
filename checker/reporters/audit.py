"""Output formats of `sopcheck audit`, in one registry (no if-chains in the command)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from checker.audit.results import Report
from checker.reporters.audit_text import text
from checker.reporters.csv_report import csv_report
from checker.reporters.html import html_report
from checker.reporters.junit import junit_audit
from checker.reporters.markdown import markdown_audit
from checker.reporters.records import head_records, iter_case_records, iter_finding_records
from checker.reporters.sarif import sarif_audit
from checker.reporters.xlsx import xlsx_report


def json_chunks(report: Report, lang: str) -> Iterator[str]:
    """The JSON report, written piece by piece: the same bytes as json.dumps(report_records(...),
    indent=1, sort_keys=True), without holding every case in memory."""
    head = head_records(report, lang)
    parts = {
        "cases": iter_case_records(report, lang),
        "findings": iter_finding_records(report, lang),
        **head,
    }
    yield "{"
    for n, key in enumerate(sorted(parts)):
        yield ("," if n else "") + "\n " + json.dumps(key) + ": "
        value = parts[key]
        if key in ("cases", "findings"):
            yield from _array(value)
        else:
            yield _nested(value, 1)
    yield "\n}\n"


def _nested(value: object, depth: int) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    return text.replace("\n", "\n" + " " * depth)


def _array(items: Iterator[object]) -> Iterator[str]:
    first = True
    for item in items:
        yield ("[\n  " if first else ",\n  ") + _nested(item, 2)
        first = False
    yield "[]" if first else "\n ]"


def json_report(report: Report, lang: str) -> str:
    return "".join(json_chunks(report, lang))


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

# Formats the command writes piece by piece, for logs too large to hold in one string.
STREAMED: dict[str, Callable[[Report, str], Iterator[str]]] = {"json": json_chunks}
