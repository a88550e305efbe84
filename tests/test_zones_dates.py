"""A log read in one time zone and judged by a calendar in another: a date the log wrote is that
date to the calendar (date-only events and start dates), and a case attribute's time without an
offset is read in the log's zone, as its events are (docs/time.md, "Time zones")."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.api import audit
from checker.readers import ReadOptions

SOP = """\
sopcheck: 1
id: t/zones
revision: "1"
identity: {title: Zones}
actors: [{id: a, name: A}]
attributes: [{id: masuk, type: date}]
case: {start_attribute: masuk%s}
steps:
  - {id: s1, number: 1, name: S1, actor: a, time: {amount: 1, unit: working_days}, next: s2}
  - {id: s2, number: 2, name: S2, actor: a, time: {amount: 3, unit: working_days}, next: s3}
  - {id: s3, number: 3, name: S3, actor: a, time: {amount: 1, unit: working_days}, next: end}
"""


def _files(tmp_path: Path, rows: list[str], sop_zone: str | None = None) -> tuple[Path, Path]:
    sop = tmp_path / "zones.yaml"
    sop.write_text(SOP % (f", timezone: {sop_zone}" if sop_zone else ""), encoding="utf-8")
    log = tmp_path / "zones.csv"
    log.write_text("case_id,activity,timestamp,actor,case:masuk\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return sop, log


def _judged(report) -> list:
    return [
        (c.case_id, c.status, [(t.step, t.elapsed) for t in c.times], [(f.code, f.step) for f in c.findings])
        for c in report.cases
    ]


# Idul Fitri 2026: 18 to 24 March are days off (docs/time.md); 25 March is a working day.
DATED = ["C1,S1,2026-03-25,A,2026-03-24", "C1,S2,2026-03-30,A,2026-03-24", "C1,S3,2026-03-31,A,2026-03-24"]


@pytest.mark.parametrize("zone", ["WITA", "WIT", "+09:00", "UTC", "-05:00"])
def test_dates_are_the_same_dates_whatever_zone_the_log_is_read_in(tmp_path, zone):
    sop, log = _files(tmp_path, DATED)
    read = audit(sop, log, read_options=ReadOptions(timezone=zone), as_of="2026-04-01")
    assert _judged(read) == _judged(audit(sop, log, as_of="2026-04-01"))
    assert _judged(read) == [("C1", "complete", [("s1", 1.0), ("s2", 3.0), ("s3", 1.0)], [])]


def test_an_sop_in_wit_with_a_wib_calendar_counts_from_the_dates_written(tmp_path):
    sop, log = _files(tmp_path, DATED, sop_zone="Asia/Jayapura")
    calendar = tmp_path / "wib.yaml"
    calendar.write_text("timezone: WIB\n", encoding="utf-8")
    report = audit(sop, log, calendar=str(calendar), as_of="2026-04-01")
    assert _judged(report) == [("C1", "complete", [("s1", 1.0), ("s2", 3.0), ("s3", 1.0)], [])]
    assert report.cases[0].events[0].timestamp == "2026-03-25"


def test_a_start_time_without_offset_is_read_in_the_logs_zone(tmp_path):
    # 17 March 00:30 WITA is 16 March 23:30 WIB: S1's day is then Tuesday 17 March, and S1 done
    # on Wednesday 25 March (after the holidays) is one working day late.
    rows = ["Z1,S1,2026-03-25 09:00,A,2026-03-17 00:30", "Z1,S2,2026-03-26 09:00,A,2026-03-17 00:30",
            "Z1,S3,2026-03-27 09:00,A,2026-03-17 00:30"]
    sop, log = _files(tmp_path, rows)
    report = audit(sop, log, read_options=ReadOptions(timezone="WITA"), as_of="2026-04-01")
    (case,) = report.cases
    assert case.started == "2026-03-17T00:30:00+08:00"
    assert [(f.code, f.step) for f in case.findings] == [("TM001", "s1")]
    assert [(t.step, t.elapsed) for t in case.times][0] == ("s1", 2.0)


@settings(max_examples=25, deadline=None)
@given(
    zone=st.sampled_from(["WIB", "WITA", "WIT", "+10:00", "-03:00", "UTC"]),
    days=st.lists(st.integers(0, 40), min_size=3, max_size=3).map(sorted),
    start=st.integers(0, 10),
)
def test_date_only_logs_are_judged_alike_in_every_zone(tmp_path_factory, zone, days, start):
    from datetime import date, timedelta

    first = date(2026, 3, 10)
    when = [(first + timedelta(days=start + d)).isoformat() for d in days]
    rows = [f"K,S{i + 1},{w},A,{first.isoformat()}" for i, w in enumerate(when)]
    sop, log = _files(tmp_path_factory.mktemp("z"), rows)
    read = audit(sop, log, read_options=ReadOptions(timezone=zone), as_of="2026-06-01")
    assert _judged(read) == _judged(audit(sop, log, as_of="2026-06-01"))


# -- the audit date ------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("first", ["2025-01-08T10:00:00+07:00", "2025-01-08T03:00:00Z"])
def test_the_audit_date_is_written_in_the_calendars_zone(tmp_path: Path, first: str, jobs: int) -> None:
    # The two latest events are one instant written with two offsets: whichever a process meets
    # first, the audit date reads the same, in the calendar's zone (WIB), as does a latest event
    # whose UTC date is the day before the calendar's.
    other = "2025-01-08T03:00:00Z" if first.endswith("+07:00") else "2025-01-08T10:00:00+07:00"
    rows = [f"C1,S1,{first},A,2025-01-06", f"C2,S1,{other},A,2025-01-06"]
    sop, log = _files(tmp_path, rows)
    report = audit(sop, log, jobs=jobs)
    assert report.provenance.as_of == "2025-01-08T10:00:00+07:00"
    sop, log = _files(tmp_path, ["C1,S1,2025-01-07T20:00:00Z,A,2025-01-06"])
    assert audit(sop, log, jobs=jobs).provenance.as_of == "2025-01-08T03:00:00+07:00"
