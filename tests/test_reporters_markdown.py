"""Markdown for a pull-request comment: compact, the same counts as the JSON, hostile strings
inert (no raw HTML tag, no broken table row)."""

from __future__ import annotations

import re

from checker.reporters import markdown
from checker.reporters.markdown import markdown_audit, markdown_validate
from checker.reporters.records import report_records
from checker.reporters.validation import ValidationRun
from checker.sop.load import load_sop
from tests.conftest import REPO_ROOT
from tests.test_reporters_common import injection_report


def cells(line: str) -> int:
    """Number of cells of a table row: pipes not escaped by a backslash."""
    return len(re.findall(r"(?<!\\)\|", line)) - 1


def test_tables_keep_their_shape_and_no_raw_tag_appears():
    text = markdown_audit(injection_report(), "en")
    # Outside code spans (shown literally) no tag can open; the one tag is the footer's <sub>.
    outside = re.sub(r"(`+).*?\1", "", text).replace("<sub>", "").replace("</sub>", "")
    assert "<" not in outside and ">" not in outside
    assert "&lt;script&gt;" in text
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|"):
            width = cells(lines[i])
            while i < len(lines) and lines[i].startswith("|"):
                assert cells(lines[i]) == width, lines[i]
                i += 1
        i += 1


def test_counts_match_the_records():
    report = injection_report()
    rec = report_records(report, "en")
    text = markdown_audit(report, "en")
    s = rec["summary"]
    assert f"**{s['compliant']} of {s['cases']} cases compliant" in text
    status_row = next(line for line in text.splitlines() if line.startswith("| Cases audited"))
    assert status_row == "| Cases audited | " + " | ".join(str(v) for v in s["by_status"].values()) + " |"
    listed = [line for line in text.splitlines() if re.match(r"\| `[^`]+` \| `[A-Z]+\d+` \|", line)]
    assert len(listed) == min(len(rec["findings"]), markdown.FIRST)


def test_long_reports_are_cut_with_a_count(monkeypatch):
    monkeypatch.setattr(markdown, "FIRST", 1)
    report = injection_report()
    text = markdown_audit(report, "en")
    assert f"… and {len(report.findings) - 1} more findings" in text


def test_validate_lists_each_finding_with_its_line():
    paths = sorted((REPO_ROOT / "fixtures" / "invalid-sops").glob("sop10*.yaml"))
    run = ValidationRun(tuple(load_sop(p) for p in paths), ())
    text = markdown_validate(run, "id")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    every = [f for item in run.loaded for f in item.findings]
    assert len(rows) == len(every)
    for row, f in zip(rows, every, strict=True):
        assert f"| {f.location.line} | `{f.code}` |" in row
    ok = markdown_validate(
        ValidationRun((load_sop(REPO_ROOT / "rules/magetan/penawaran-kerja-sama.yaml"),), ()), "en"
    )
    assert "Every SOP file is valid." in ok
