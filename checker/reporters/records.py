"""The one record shape of an audit report. Every format (text, json, html, xlsx, junit, sarif,
md, csv) is built from `report_records`; none re-derives findings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import Any

from checker import catalogue
from checker.conformance.results import STATUSES, CaseResult, Finding, Report
from checker.conformance.tally import tally_of
from checker.findings import render_args

# Records are built with their keys in sorted order (the JSON report's order), so that the
# report's encoder need not sort every dict of every case (tests/test_runner.py checks it).


def finding_record(f: Finding, lang: str) -> dict[str, Any]:
    args = render_args(f.args, lang)
    entry = catalogue.get(f.code)
    return {
        "case_id": f.case_id,
        "clause": entry.clause,
        "code": f.code,
        "consequences": [finding_record(c, lang) for c in f.consequences],
        "evidence": [
            {"activity": activity, "actor": actor, "row": row, "timestamp": timestamp}
            for row, activity, timestamp, actor in f.evidence
        ],
        "family": entry.family,
        "message": f.message(lang),
        "name": entry.name,
        "severity": f.severity,
        "step": f.step,
        "step_name": args.get("step") if f.step else None,
        "step_number": f.step_number,
    }


def case_record(c: CaseResult, lang: str, *, traces: bool = True) -> dict[str, Any]:
    record: dict[str, Any] = {}
    if traces:
        record["alignment"] = alignment_record(c.moves)
    record["attributes"] = {k: _plain(v) for k, v in sorted(c.attributes.items())}
    record["case_id"] = c.case_id
    record["compliant"] = c.compliant
    record["cost"] = c.cost
    record["ended"] = c.ended
    if traces:
        record["events"] = [
            {"activity": activity, "actor": actor, "row": row, "timestamp": timestamp}
            for row, activity, timestamp, actor in c.events
        ]
    record["findings"] = len(c.all_findings())
    record["fitness"] = c.fitness
    record["root_findings"] = len(c.findings)
    record["sop_revision"] = c.sop_revision
    record["started"] = c.started
    record["status"] = c.status
    if traces:
        record["times"] = [
            {"allowed": allowed, "elapsed": elapsed, "row": row, "step": step, "unit": unit}
            for step, row, elapsed, allowed, unit in c.times
        ]
    return record


# The JSON report's case lines, made without a dict per event: the C encoder takes about as long
# for the dicts of a case's events and times as building them with strings (half of the time of
# rendering a case). Same text as encoding case_record (tests/test_runner.py, tests/test_records_json.py).
# indent=None is what selects json's C encoder (indented output is encoded in Python, at about
# ten times the cost); the records' keys are in sorted order already.
ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_TEXT = encode_basestring
_FLOAT_TEXT = float.__repr__


def json_value(value: Any) -> str:
    """One scalar as the JSON encoder writes it (anything but plain text and numbers goes
    through the encoder)."""
    kind = value.__class__
    if kind is str:
        return _TEXT(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is float and value - value == 0.0:  # finite (nan and inf have names in JSON)
        return _FLOAT_TEXT(value)
    return ENCODE(value)


def case_json(c: CaseResult, alignment_text: str) -> str:
    """case_record(c, lang) encoded (the same in every language), with the alignment's text
    given (it is the same for every case of a variant)."""
    # Each value's usual type is written inline (a call per value was half of the cost); any
    # other goes through json_value.
    v, t, n = json_value, _TEXT, _FLOAT_TEXT
    events = ", ".join([
        f'{{"activity": {t(activity) if activity.__class__ is str else v(activity)}, '
        f'"actor": {t(actor) if actor.__class__ is str else v(actor)}, '
        f'"row": {row if row.__class__ is int else v(row)}, '
        f'"timestamp": {t(timestamp) if timestamp.__class__ is str else v(timestamp)}}}'
        for row, activity, timestamp, actor in c.events
    ])
    times = ", ".join([
        f'{{"allowed": {n(limit) if limit.__class__ is float and limit - limit == 0.0 else v(limit)}, '
        f'"elapsed": {n(spent) if spent.__class__ is float and spent - spent == 0.0 else v(spent)}, '
        f'"row": {row if row.__class__ is int else v(row)}, '
        f'"step": {t(step) if step.__class__ is str else v(step)}, '
        f'"unit": {t(unit) if unit.__class__ is str else v(unit)}}}'
        for step, row, spent, limit, unit in c.times
    ])
    # The rest is case_record's own record without the traces, encoded: "events" goes before its
    # key "findings" (the last one in the text: the keys after it hold plain values), and "times"
    # at the end, where the sorted keys put them.
    rest = ENCODE(case_record(c, "en", traces=False))
    cut = rest.rfind(', "findings": ')
    return (
        f'{{"alignment": {alignment_text}, {rest[1:cut]}, "events": [{events}]{rest[cut:-1]}, '
        f'"times": [{times}]}}'
    )


def alignment_record(moves: tuple) -> list[dict[str, Any]]:
    return [{"event": event, "move": kind, "step": step} for kind, step, event in moves]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def summary_record(report: Report, lang: str) -> dict[str, Any]:
    """Totals: kept by the case store as results came in, or counted in one pass."""
    t = tally_of(report.cases)
    cases = t.cases
    return {
        "cases": cases,
        "compliant": t.compliant,
        "compliance_rate": round(t.compliant / cases, 4) if cases else None,
        "by_status": {s: t.statuses.get(s, 0) for s in STATUSES},
        "findings": t.findings,
        "root_findings": t.roots,
        "by_code": dict(sorted(t.by_code.items())),
        "by_code_all": dict(sorted(t.by_code_all.items())),
        "by_step": dict(sorted(t.by_step.items())),
        "by_severity": dict(sorted(t.by_severity.items())),
        "mean_fitness": round(t.fitness_millionths / 1_000_000 / t.judged, 6) if t.judged else None,
    }


def head_records(report: Report, lang: str) -> dict[str, Any]:
    """Everything but the cases and the findings: small whatever the log."""
    p = report.provenance
    return {
        "tool": {"name": "sopcheck", "version": p.tool_version},
        "provenance": {
            "sop_id": p.sop_id,
            "sop_revisions": list(p.sop_revisions),
            "sop_paths": list(p.sop_paths),
            "sop_sha256": list(p.sop_sha256),
            "log_path": p.log_path,
            "log_sha256": p.log_sha256,
            "as_of": p.as_of,
            "calendar": p.calendar,
            "lang": lang,
        },
        "perspectives": dict(sorted(report.perspectives.items())),
        "rows": {
            "read": report.rows.read,
            "accepted": report.rows.accepted,
            "rejected": report.rows.rejected,
            "events_read": report.rows.events_read,
            "duplicates": report.rows.duplicates,
            "rejected_rows": [dict(r) for r in report.rows.rejected_rows],
        },
        "summary": summary_record(report, lang),
    }


def iter_case_records(report: Report, lang: str) -> Iterator[dict[str, Any]]:
    return (case_record(c, lang, traces=report.traces) for c in report.cases)


def iter_finding_records(report: Report, lang: str) -> Iterator[dict[str, Any]]:
    return (finding_record(f, lang) for c in report.cases for f in c.findings)


def report_records(report: Report, lang: str) -> dict[str, Any]:
    """The whole report as one record (small and medium logs; large ones stream, see
    checker.reporters.audit.json_chunks)."""
    return {
        **head_records(report, lang),
        "cases": list(iter_case_records(report, lang)),
        "findings": list(iter_finding_records(report, lang)),
    }
