"""Output formats of `sopcheck audit`, in one registry (no if-chains in the command)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from checker.conformance.results import CaseResult, Report
from checker.conformance.store import CaseStore
from checker.conformance.textruns import Span
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


def json_chunks(report: Report, lang: str) -> Iterator[str | bytes | Span]:
    """The JSON report, written piece by piece without holding every case in memory: the same
    value as report_records(...), keys sorted, and each case and finding on a line of its own
    (compact lines keep a large report greppable and let the C encoder do the work).

    Pieces are text, UTF-8 bytes, or spans of the case store's runs (textruns.Span) that must be
    used before the next piece is asked for (joined() and output.write_output do).

    The cases' and the findings' lines come from a case store that kept each case's rendering
    (JsonLines): the audit's own store when the command had the cases rendered as they were
    audited, or one filled here, in one pass over the cases (a spilled store unpickles every
    case on each pass)."""
    head = head_records(report, lang)
    keys = sorted(["cases", "findings", *head])
    render = JsonLines(lang, report.traces)
    store = report.cases
    if getattr(store, "rendering", None) != render:
        store = CaseStore(rendering=render)
        for case in report.cases:
            store.add(case)
    yield "{"
    for n, key in enumerate(keys):
        yield ("," if n else "") + "\n " + json.dumps(key) + ": "
        if key in ("cases", "findings"):
            # Spans of the store's runs: each is used at once, by joined() or the writer.
            yield from _listed(store.stream(int(key == "findings"), spans=True))  # type: ignore[attr-defined]
        else:
            yield _nested(head[key], 1)
    yield "\n}\n"


SEPARATOR = ",\n  "  # before each item of the cases' and the findings' lists


@dataclass(frozen=True)
class JsonLines:
    """A case's texts in the JSON report: its record's line, then its findings' lines, each
    after SEPARATOR (runner.Setup.render), made in the worker that audited it when the command
    knows the report will be JSON. With the separators in the texts, the report's lists are the
    texts back to back (CaseStore.stream), the first comma made the list's opening bracket."""

    lang: str
    traces: bool

    def __call__(self, case: CaseResult) -> tuple[str, str]:
        findings = "".join(SEPARATOR + ENCODE(finding_record(f, self.lang)) for f in case.findings)
        if not self.traces:
            return SEPARATOR + ENCODE(case_record(case, self.lang, traces=False)), findings
        # "alignment" is the record's first key: its text is the same for every case of a
        # variant (the engine shares the variant's moves), so it is encoded once per variant.
        return SEPARATOR + case_json(case, alignment_text(case.moves)), findings


@lru_cache(maxsize=4096)
def alignment_text(moves: tuple) -> str:
    return ENCODE(alignment_record(moves))


def _listed(pieces: Iterator[str | bytes | Span]) -> Iterator[str | bytes | Span]:
    """A JSON list of the items in `pieces` (each item after SEPARATOR)."""
    first = True
    for piece in pieces:
        if first and piece:
            yield "["
            piece = piece[1:]  # the first item's comma
            first = False
        yield piece
    yield "[]" if first else "\n ]"


def _nested(value: object, depth: int) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    return text.replace("\n", "\n" + " " * depth)


def json_report(report: Report, lang: str) -> str:
    return joined(json_chunks(report, lang))


def joined(pieces: Iterator[str | bytes | Span]) -> str:
    """Text pieces and UTF-8 byte pieces as one text (a byte piece may end inside a character)."""
    return b"".join(_bytes(pieces)).decode("utf-8")


def _bytes(pieces: Iterator[str | bytes | Span]) -> Iterator[bytes]:
    for piece in pieces:
        if piece.__class__ is Span:
            yield from piece.blocks()  # type: ignore[union-attr]
        else:
            yield piece if isinstance(piece, bytes) else piece.encode("utf-8")  # type: ignore[union-attr]


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
STREAMED: dict[str, Callable[[Report, str], Iterator[str | bytes | Span]]] = {"json": json_chunks}
