"""Output formats of `sopcheck audit`, in one registry (no if-chains in the command)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator

from checker.conformance.results import Report
from checker.reporters.audit_text import text
from checker.reporters.csv_report import csv_report
from checker.reporters.html import html_report
from checker.reporters.junit import junit_audit
from checker.reporters.markdown import markdown_audit
from checker.reporters.records import case_record, finding_record, head_records
from checker.reporters.sarif import sarif_audit
from checker.reporters.xlsx import xlsx_report


def json_chunks(report: Report, lang: str) -> Iterator[str]:
    """The JSON report, written piece by piece without holding every case in memory: the same
    value as report_records(...), keys sorted, and each case and finding on a line of its own
    (compact lines keep a large report greppable and let the C encoder do the work).

    One pass over the cases (a spilled store unpickles every case on each pass): the findings,
    which come after the cases, wait in a spool (on disk only when large)."""
    # indent=None is what selects json's C encoder; indented output is encoded in Python, at
    # about ten times the cost (a third of a large audit's time, profiled).
    # The records' keys are in sorted order already (checker.reporters.records).
    encode = json.JSONEncoder(ensure_ascii=False).encode
    head = head_records(report, lang)
    keys = sorted(["cases", "findings", *head])
    with tempfile.SpooledTemporaryFile(max_size=16 << 20, mode="w+", encoding="utf-8") as spool:
        yield "{"
        for n, key in enumerate(keys):
            yield ("," if n else "") + "\n " + json.dumps(key) + ": "
            if key == "cases":
                yield from _cases(report, lang, encode, spool)
            elif key == "findings":
                yield from _spooled(spool)
            else:
                yield _nested(head[key], 1)
        yield "\n}\n"


def _cases(report: Report, lang: str, encode, spool) -> Iterator[str]:
    first, found = True, False
    for case in report.cases:
        yield ("[\n  " if first else ",\n  ") + encode(case_record(case, lang, traces=report.traces))
        first = False
        for finding in case.findings:
            spool.write((",\n  " if found else "[\n  ") + encode(finding_record(finding, lang)))
            found = True
    yield "[]" if first else "\n ]"
    spool.write("\n ]" if found else "[]")


def _spooled(spool) -> Iterator[str]:
    spool.seek(0)
    while chunk := spool.read(1 << 16):
        yield chunk


def _nested(value: object, depth: int) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    return text.replace("\n", "\n" + " " * depth)


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
