"""SOP revisions with effective dates: each case is judged by the revision in force on the day it
started (the SOP's start attribute, else its first event); a case before every effective date is
`not_judged` with CS002, never silently judged by the first revision; reports say which revision
judged each case."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.api import audit, audit_cases, load_revisions
from checker.commands.diff import timeless
from checker.errors import InputError
from checker.events import Case, Event
from checker.sop.load import require_sop

REPO = Path(__file__).resolve().parent.parent
FOLDER = REPO / "rules" / "magetan"
REV1 = FOLDER / "penawaran-kerja-sama.yaml"
REV2 = FOLDER / "penawaran-kerja-sama.rev2.yaml"
DEMO_LOG = REPO / "fixtures" / "logs" / "revisions-demo.csv"
WIB = ZoneInfo("Asia/Jakarta")

# A KSDD case burdening the budget, done the revision-1 way: no DPRD approval, and a TKKSD meeting
# of 6 working days (revision 1 allows 7, revision 2 allows 5). Dates shift with `start`.
STEPS = (
    ("terima_penawaran", 1, "bupati"),
    ("disposisi", 1, "bupati"),
    ("rapat_naskah", 6, "bagian_tapem"),
    ("legal_naskah", 1, "bagian_tapem"),
    ("ttd_naskah", 1, "bupati"),
    ("susun_pks", 4, "bagian_tapem"),
    ("legal_pks", 1, "bagian_tapem"),
    ("ttd_pks", 1, "bupati"),
    ("arsip", 1, "sekretariat_tkksd"),
)


def judge(revisions, cases):
    """audit_cases on cases whose events record no documents (like a log without that column)."""
    return audit_cases(list(revisions), cases, track_documents=False)


@pytest.fixture(scope="module")
def revisions():
    return require_sop(REV1), require_sop(REV2)


def old_way_case(
    case_id: str, received: date, *, with_attribute: bool = True, first: date | None = None
) -> Case:
    from checker.workcal import WorkCalendar

    cal = WorkCalendar.default()
    day = first or received
    events = []
    for i, (step, days, actor) in enumerate(STEPS):
        day = day if (i == 0 and first) else cal.nth_working_day_after(day, days)
        events.append(
            Event(
                case_id,
                step,
                datetime(day.year, day.month, day.day, tzinfo=WIB),
                actor,
                date_only=True,
                row=i + 2,
            )
        )
    attributes = {"jenis_kerja_sama": "KSDD", "membebani_apbd": "true"}
    if with_attribute:
        attributes["tanggal_surat_masuk"] = received.isoformat()
    return Case(case_id, tuple(events), attributes)


def test_the_revision_in_force_when_the_case_started_judges_it(revisions):
    cases = [
        old_way_case("before", date(2025, 12, 1)),
        old_way_case("day-before", date(2026, 1, 2)),
        old_way_case("on-the-day", date(2026, 1, 5)),
        old_way_case("after", date(2026, 2, 2)),
    ]
    results = judge(list(revisions), cases)
    assert {k: r.sop_revision for k, r in results.items()} == {
        "before": "1",
        "day-before": "1",
        "on-the-day": "2",
        "after": "2",
    }
    # Judged by revision 1, the old way is compliant; by revision 2 it is not.
    for name in ("before", "day-before"):
        assert results[name].findings == () and results[name].status == "complete"
    for name in ("on-the-day", "after"):
        codes = {(f.code, f.step) for f in results[name].all_findings()}
        assert ("FL001", "persetujuan_dprd") in codes and ("TM001", "rapat_naskah") in codes


def test_a_case_started_before_the_new_revision_is_judged_by_the_old_one(revisions):
    """The issue's acceptance test: the same events, judged by revision 2 alone (dates ignored),
    would be findings; with both revisions the case that started before 5 January 2026 is judged
    by revision 1."""
    case = old_way_case("KS-lama", date(2025, 12, 1))
    both = judge(list(revisions), [case])["KS-lama"]
    assert both.sop_revision == "1" and both.findings == ()
    alone = judge([timeless(revisions[1])], [case])["KS-lama"]
    assert alone.sop_revision == "2"
    assert {(f.code, f.step) for f in alone.all_findings()} >= {
        ("FL001", "persetujuan_dprd"),
        ("TM001", "rapat_naskah"),
    }


def test_without_the_start_attribute_the_first_event_decides(revisions):
    # The letter's date is unknown; the first event is on 5 January 2026, the effective date.
    case = old_way_case("no-date", date(2026, 1, 2), with_attribute=False, first=date(2026, 1, 5))
    assert case.events[0].timestamp.date() == date(2026, 1, 5)
    assert judge(list(revisions), [case])["no-date"].sop_revision == "2"
    # With the attribute, the letter's day (2 January) decides.
    dated = old_way_case("dated", date(2026, 1, 2), first=date(2026, 1, 5))
    assert judge(list(revisions), [dated])["dated"].sop_revision == "1"


def test_a_case_before_every_effective_date_is_not_judged(revisions):
    case = old_way_case("too-early", date(2025, 12, 1))
    result = judge([revisions[1]], [case])["too-early"]
    assert result.status == "not_judged" and result.sop_revision is None
    assert [(f.code, f.step) for f in result.findings] == [("CS002", None)]
    assert result.findings[0].args["started"] == "2025-12-01"
    assert result.findings[0].args["effective"] == "2026-01-05"
    assert result.findings[0].severity == "warning"


def test_a_case_not_judged_does_not_count_in_the_mean_fitness(revisions):
    # Never aligned, a case not judged has no fitness to average: the mean is of the judged ones.
    from checker.conformance.results import Report
    from checker.reporters.records import summary_record

    def mean(*cases):
        results = list(judge([revisions[1]], list(cases)).values())
        blank = {f.name: None for f in dataclasses.fields(Report)}
        return results, summary_record(Report(**{**blank, "cases": results}), "en")["mean_fitness"]

    early, judged = old_way_case("too-early", date(2025, 12, 1)), old_way_case("judged", date(2026, 2, 2))
    results, both = mean(early, judged)
    assert sorted(r.status for r in results) == ["complete", "not_judged"]
    assert both == next(r.fitness for r in results if r.status != "not_judged") > 0
    assert mean(old_way_case("too-early", date(2025, 12, 1)))[1] is None


def test_a_folder_of_revisions_through_the_api_and_the_cli(run_cli):
    revisions = load_revisions(str(FOLDER))
    assert sorted(s.revision for s in revisions) == ["1", "2"]
    report = audit(str(FOLDER), str(DEMO_LOG))
    assert report.provenance.sop_revisions == ("1", "2")
    judged = {c.case_id: c.sop_revision for c in report.cases}
    assert judged == {"RV-01": "2", "RV-02": "2", "RV-03": "2", "RV-04": "2", "RV-05": "2", "RV-06": "1"}
    code, out, err = run_cli(["audit", str(FOLDER), str(DEMO_LOG), "--format", "json", "--fail-on", "none"])
    assert code == 0, err
    doc = json.loads(out)
    assert {c["case_id"]: c["sop_revision"] for c in doc["cases"]} == judged


def test_revisions_of_different_sops_are_refused():
    other = next((p for p in sorted((REPO / "rules").rglob("*.yaml")) if "magetan" not in p.parts), None)
    if other is None or other.name.endswith(".cases.yaml"):
        pytest.skip("no second SOP in rules/")
    with pytest.raises(InputError) as err:
        load_revisions([str(REV1), str(other)])
    assert err.value.key == "audit.mixed_sops"


# -- property: the latest effective date on or before the start day wins --------------------------
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


@settings(max_examples=60, deadline=None)
@given(
    effective=st.lists(st.one_of(st.none(), days), min_size=1, max_size=4, unique=True),
    start=days,
)
def test_the_latest_revision_in_force_on_the_start_day_judges(effective, start):
    base = require_sop(REV1)
    revisions = [
        dataclasses.replace(
            base,
            revision=str(i + 1),
            identity=dataclasses.replace(base.identity, effective=d.isoformat() if d else None),
        )
        for i, d in enumerate(effective)
    ]
    case = Case(
        "c",
        (
            Event(
                "c", "terima_penawaran", datetime(start.year, start.month, start.day, 9, tzinfo=WIB), "bupati"
            ),
        ),
        {"jenis_kerja_sama": "KSDD", "tanggal_surat_masuk": start.isoformat()},
    )
    result = judge(revisions, [case])["c"]
    dated = [(d, str(i + 1)) for i, d in enumerate(effective) if d is not None]
    undated = [str(i + 1) for i, d in enumerate(effective) if d is None]
    in_force = [(d, r) for d, r in dated if d <= start]
    if not dated:
        expected = max(undated)  # no dates at all: the latest revision label judges
    elif in_force:
        expected = max(in_force)[1]
    elif undated:
        expected = max(undated)  # an undated revision is in force from the beginning
    else:
        expected = None
    assert result.sop_revision == expected
    assert (result.status == "not_judged") == (expected is None)


def test_revision_labels_sort_as_numbers_not_text(revisions):
    """Revisions sharing an effective date are ordered by label, read naturally: "10" is later
    than "9" (as text it would come first), and the later one judges the case."""
    from dataclasses import replace

    first = replace(revisions[0], revision="9")
    later = replace(revisions[0], revision="10")
    assert sorted([later, first], key=lambda s: s.order) == [first, later]
    assert replace(first, revision="2a").order < replace(first, revision="2b").order < later.order
    results = judge([later, first], [old_way_case("KS-label", date(2025, 3, 3))])
    assert results["KS-label"].sop_revision == "10"
