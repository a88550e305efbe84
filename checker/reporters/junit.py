"""JUnit XML for CI dashboards (GitLab, Jenkins, Azure, GitHub test reporters).

`audit`: one test suite for the SOP, one test case per audited case. A case that is not compliant
(a finding of severity error) fails with one <failure>, named after its first error, whose text
lists every root finding with its consequences; a compliant case's warnings are in its
<system-out>. So `failures` counts failed cases, never more than `tests`, and agrees with the
report's compliance. `validate`: one test case per SOP file, one <failure> listing its findings,
an <error> for a file that could not be read. Built from the same records as the JSON reports.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from checker.conformance.results import Report
from checker.messages import t
from checker.reporters.records import report_records
from checker.reporters.safe import xml_text
from checker.reporters.xlsx import severity_label, status_label


def _el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: Any) -> ET.Element:
    clean = {k.rstrip("_"): xml_text(v) for k, v in attrs.items() if v is not None}
    el = ET.Element(tag, clean) if parent is None else ET.SubElement(parent, tag, clean)
    if text is not None:
        el.text = xml_text(text)
    return el


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _finding_text(f: dict[str, Any], lang: str, depth: int = 0) -> list[str]:
    rows = ",".join(str(e["row"]) for e in f["evidence"])
    where = f" ({t('rpt.junit.at_rows', lang, rows=rows)})" if rows else ""
    lines = [f"{'  ' * depth}{'↳ ' if depth else ''}{f['code']} {f['message']}{where}"]
    for e in f["evidence"]:
        actor = f" [{e['actor']}]" if e.get("actor") else ""
        lines.append(f"{'  ' * (depth + 1)}{e['row']}: {e['timestamp']} {e['activity']}{actor}")
    for c in f["consequences"]:
        lines.extend(_finding_text(c, lang, depth + 1))
    return lines


def junit_audit(report: Report, lang: str) -> str:
    rec = report_records(report, lang)
    p = rec["provenance"]
    by_case: dict[str, list[dict[str, Any]]] = {}
    for f in rec["findings"]:
        by_case.setdefault(f["case_id"], []).append(f)
    tests = len(rec["cases"])
    failures = sum(not case["compliant"] for case in rec["cases"])
    root = _el(None, "testsuites", name="sopcheck", tests=tests, failures=failures, errors=0)
    suite = _el(
        root,
        "testsuite",
        name=t("rpt.junit.suite", lang, sop=p["sop_id"]),
        tests=tests,
        failures=failures,
        errors=0,
        skipped=0,
        timestamp=p["as_of"][:19],
    )
    props = _el(suite, "properties")
    for name, value in (
        ("sop_id", p["sop_id"]),
        ("sop_revisions", ", ".join(p["sop_revisions"])),
        ("sop_sha256", ", ".join(p["sop_sha256"])),
        ("log", p["log_path"]),
        ("log_sha256", p["log_sha256"]),
        ("as_of", p["as_of"]),
        ("calendar", p["calendar"]),
        ("tool_version", rec["tool"]["version"]),
        ("cases_with_findings", len(by_case)),
    ):
        _el(props, "property", name=name, value="" if value is None else value)
    for case in rec["cases"]:
        tc = _el(suite, "testcase", classname=p["sop_id"], name=case["case_id"], time="0")
        found = by_case.get(case["case_id"], [])
        listed = [line for f in found for line in _finding_text(f, lang)]
        if not case["compliant"]:
            first = next(f for f in found if f["severity"] == "error")
            _el(tc, "failure", "\n".join(listed), message=_failure_message(first, len(found), lang),
                type=first["code"])
        out = t(
            "rpt.junit.case_out",
            lang,
            status=status_label(case["status"], lang),
            fitness=case["fitness"],
            events=len(case["events"]),
            revision=case["sop_revision"] or "-",
        )
        _el(tc, "system-out", "\n".join([out, *listed]) if case["compliant"] else out)
    return _xml(root)


def _failure_message(first: dict[str, Any], count: int, lang: str) -> str:
    """The failure's one line: its first error, and how many root findings the text lists."""
    message = f"{severity_label(first['severity'], lang)} {first['code']}: {first['message']}"
    return message if count == 1 else f"{message} (+{count - 1})"


def junit_validate(run: Any, lang: str) -> str:
    from checker.reporters.validation import records

    rows = records(run, lang)
    files = [loaded.path for loaded in run.loaded] + [path for path, _ in run.unreadable]
    failures = len({r["path"] for r in rows})
    errors = len(run.unreadable)
    root = _el(None, "testsuites", name="sopcheck", tests=len(files), failures=failures, errors=errors)
    suite = _el(
        root,
        "testsuite",
        name=t("rpt.junit.validate_suite", lang),
        tests=len(files),
        failures=failures,
        errors=errors,
        skipped=0,
    )
    for loaded in run.loaded:
        tc = _el(suite, "testcase", classname="sopcheck.validate", name=loaded.path, time="0")
        mine = [r for r in rows if r["path"] == loaded.path]
        if mine:
            lines = [
                ":".join(str(x) for x in (r["path"], r["line"], r["column"]) if x is not None)
                + f": {severity_label(r['severity'], lang)} {r['code']} {r['message']}"
                for r in mine
            ]
            _el(tc, "failure", "\n".join(lines), message=_failure_message(mine[0], len(mine), lang),
                type=mine[0]["code"])
    for path, error in run.unreadable:
        tc = _el(suite, "testcase", classname="sopcheck.validate", name=path, time="0")
        _el(tc, "error", error, message=error, type=t("rpt.junit.unreadable", lang))
    return _xml(root)
