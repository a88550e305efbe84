"""The HTML report without a browser: self-contained (nothing fetched, a CSP that allows only its
own inline blocks), every log or SOP string escaped (hostile labels and attributes become text,
never markup), every finding at its step in the trace, provenance present, deterministic."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.api import audit_cases
from checker.conformance.results import Report
from checker.reporters.html import html_report, num, place
from checker.reporters.records import report_records
from checker.sop.load import require_sop
from tests.test_reporters_common import (
    INJECT_ACTIVITY,
    INJECT_ATTRIBUTE,
    INJECT_CASE,
    REPO,
    SOP_PATH,
    WIB,
    injection_report,
    make_case,
)


@dataclass
class Page:
    """What a parse of the page shows: elements, attributes, text, the inline blocks."""

    tags: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str, str | None]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    csp: str = ""
    finding_codes: list[str] = field(default_factory=list)
    case_rows: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[str] = []
        self.in_case_table = False
        self.row_cells = 0
        self.row_text = ""

    def handle_starttag(self, tag, attrs):
        self.page.tags.append(tag)
        a = dict(attrs)
        for name, value in attrs:
            self.page.attributes.append((tag, name, value))
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.page.csp = a.get("content") or ""
        if tag == "div" and "finding" in (a.get("class") or "").split():
            self.page.finding_codes.append(a.get("data-code"))
        if tag == "table" and a.get("id") == "case-table":
            self.in_case_table = True
        if self.in_case_table and tag == "tr" and "data-status" in a:
            self.row_cells, self.row_text = 0, ""
        if self.in_case_table and tag == "td":
            self.row_cells += 1
        if tag not in ("meta", "br", "input", "circle", "rect", "line", "path"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.in_case_table and tag == "td" and self.row_cells == 1:
            self.page.case_rows.append(self.row_text)
        if tag == "table" and self.in_case_table:
            self.in_case_table = False
        while self.stack:
            if self.stack.pop() == tag:
                break

    def handle_data(self, data):
        where = self.stack[-1] if self.stack else ""
        if where == "script":
            self.page.scripts.append(data)
        elif where == "style":
            self.page.styles.append(data)
        else:
            self.page.text.append(data)
            if self.in_case_table and self.row_cells == 1:
                self.row_text += data


def parse(html: str) -> Page:
    page = Page()
    _Parser(page).feed(html)
    return page


def test_self_contained_nothing_is_fetched():
    html = html_report(injection_report(), "en")
    page = parse(html)
    assert "link" not in page.tags and "iframe" not in page.tags and "img" not in page.tags
    assert page.tags.count("script") == 1 and page.tags.count("style") == 1
    for tag, name, value in page.attributes:
        assert name not in ("src", "srcset", "action", "formaction"), (tag, name)
        if name in ("href", "xlink:href"):
            assert value.startswith("#"), (tag, value)
    assert not re.search(r"url\(|@import|https?://|//[a-z]", "".join(page.styles))
    assert not re.search(r"https?://|fetch\(|XMLHttpRequest|import\(", "".join(page.scripts))


def test_csp_allows_exactly_the_inline_blocks():
    page = parse(html_report(injection_report(), "en"))
    policy = dict(part.strip().split(" ", 1) for part in page.csp.split(";"))
    assert policy["default-src"] == "'none'"

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert policy["script-src"] == digest(page.scripts[0])
    assert policy["style-src"] == digest(page.styles[0])


def test_hostile_strings_are_text_not_markup():
    html = html_report(injection_report(), "en")
    page = parse(html)
    assert INJECT_ACTIVITY not in html
    assert INJECT_ATTRIBUTE not in html
    assert INJECT_CASE not in html
    text = "".join(page.text)
    assert INJECT_ACTIVITY in text and INJECT_ATTRIBUTE in text and INJECT_CASE in text
    assert not [a for a in page.attributes if a[1].startswith("on")]


def test_every_finding_sits_at_its_step_in_the_trace():
    report = injection_report()
    rec = report_records(report, "en")
    page = parse(html_report(report, "en"))
    every = [f.code for c in report.cases for f in c.all_findings()]
    assert sorted(page.finding_codes) == sorted(every)
    for case in rec["cases"]:
        found = [(f, None) for f in _walk(rec["findings"]) if f["case_id"] == case["case_id"]]
        at, loose = place(case, found)
        for i, items in at.items():
            move = case["alignment"][i]
            for f, _ in items:
                if f["step"]:
                    assert move["step"] == f["step"], (case["case_id"], f["code"])
                else:
                    rows = {e["row"] for e in f["evidence"]}
                    assert case["events"][move["event"]]["row"] in rows
        assert not [f for f, _ in loose if f["step"] in {m["step"] for m in case["alignment"]}]


def _walk(findings):
    for f in findings:
        yield f
        yield from _walk(f["consequences"])


def test_provenance_and_summary_figures_are_shown():
    report = injection_report()
    rec = report_records(report, "en")
    text = " ".join(parse(html_report(report, "en")).text)
    p, s = rec["provenance"], rec["summary"]
    for value in (p["sop_id"], p["sop_sha256"][0], p["sop_paths"][0], p["as_of"][:10], p["calendar"]):
        assert value in text
    assert f"sopcheck {rec['tool']['version']}" in text
    assert f"{100 * s['compliance_rate']:.0f}%" in text
    assert str(s["root_findings"]) in text


def test_deterministic():
    assert html_report(injection_report(), "en") == html_report(injection_report(), "en")


def test_numbers_in_indonesian_use_a_decimal_comma():
    assert num(0.876, "id", 3) == "0,876"
    assert num(0.876, "en", 3) == "0.876"
    assert num(3.0, "id") == "3"
    assert num(None, "en") == "–"


def test_empty_report_renders():
    full = injection_report()
    empty = Report(full.provenance, full.rows, (), full.perspectives)
    page = parse(html_report(empty, "en"))
    assert "svg" in page.tags or "No cases." in " ".join(page.text)
    assert page.finding_codes == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    label=st.text(min_size=1, max_size=30).filter(lambda s: s.strip() == s and s),
    value=st.text(max_size=30),
)
def test_any_activity_label_or_attribute_stays_text(label, value):
    """Whatever a log holds as an activity label or attribute value, the page has the same elements
    and attributes as with a harmless one, and shows the string as text."""
    sop = require_sop(REPO / SOP_PATH)
    start = datetime(2025, 3, 3, 9, tzinfo=WIB)

    def render(lab: str, val: str) -> Page:
        case = make_case("K", start, [0, 1, 3], steps=3, activity={1: lab}, attributes={"x": val})
        result = audit_cases(sop, [case], as_of="2025-12-31", case_documents=True)["K"]
        base = injection_report()
        return parse(html_report(Report(base.provenance, base.rows, (result,), base.perspectives), "en"))

    hostile = render(label, value)
    plain = render("Zz", "zz")
    assert hostile.tags == plain.tags
    assert [(t, n) for t, n, _ in hostile.attributes] == [(t, n) for t, n, _ in plain.attributes]
    text = "".join(hostile.text)
    assert label in text
    assert value in text
