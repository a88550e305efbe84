"""Output formats of `sopcheck audit`, in one registry (no if-chains in the command)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from checker.conformance.results import CaseResult, Report
from checker.reporters.audit_text import text
from checker.reporters.csv_report import csv_report
from checker.reporters.html import html_report
from checker.reporters.junit import junit_audit
from checker.reporters.markdown import markdown_audit
from checker.reporters.records import (
    ENCODE,
    alignment_record,
    case_json,
    case_record,
    finding_record,
    head_records,
)
from checker.reporters.sarif import sarif_audit
from checker.reporters.xlsx import xlsx_report


def json_chunks(report: Report, lang: str) -> Iterator[str]:
    """The JSON report, written piece by piece without holding every case in memory: the same
    value as report_records(...), keys sorted, and each case and finding on a line of its own
    (compact lines keep a large report greppable and let the C encoder do the work).

    One pass over the cases (a spilled store unpickles every case on each pass), or over their
    lines when the audit rendered them already (JsonLines): the findings, which come after the
    cases, wait in a spool (on disk only when large)."""
    head = head_records(report, lang)
    keys = sorted(["cases", "findings", *head])
    # The findings wait on disk past 1 MiB: held up to 16 MiB (and copied when rolled over to
    # disk) they made a 10M-event audit's peak memory 14% above a 1M one's.
    with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8") as spool:
        yield "{"
        for n, key in enumerate(keys):
            yield ("," if n else "") + "\n " + json.dumps(key) + ": "
            if key == "cases":
                yield from _cases(report, lang, spool)
            elif key == "findings":
                yield from _spooled(spool)
            else:
                yield _nested(head[key], 1)
        yield "\n}\n"


@dataclass(frozen=True)
class JsonLines:
    """A case's lines of the JSON report: its record, then its findings' (runner.Setup.render),
    made in the worker that audited it when the command knows the report will be JSON."""

    lang: str
    traces: bool

    def __call__(self, case: CaseResult) -> tuple[str, tuple[str, ...]]:
        findings = tuple(ENCODE(finding_record(f, self.lang)) for f in case.findings)
        if not self.traces:
            return ENCODE(case_record(case, self.lang, traces=False)), findings
        # "alignment" is the record's first key: its text is the same for every case of a
        # variant (the engine shares the variant's moves), so it is encoded once per variant.
        return case_json(case, _alignment_text(case.moves)), findings


@lru_cache(maxsize=4096)
def _alignment_text(moves: tuple) -> str:
    return ENCODE(alignment_record(moves))




def _cases(report: Report, lang: str, spool) -> Iterator[str]:
    render = JsonLines(lang, report.traces)
    if getattr(report.cases, "rendering", None) == render:
        parts = report.cases.rendered()  # type: ignore[attr-defined]
    else:
        parts = map(render, report.cases)
    first, found = True, False
    for line, findings in parts:
        yield ("[\n  " if first else ",\n  ") + line
        first = False
        for finding in findings:
            spool.write((",\n  " if found else "[\n  ") + finding)
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
