"""How the readers read dates: a date-only start stays date-only (an hour deadline from it is not
checkable), a date with an offset (XML Schema's xs:date) is date-only, a date and a time
separated by anything but T or a space is a bad timestamp, and a row without lifecycle never
closes a start (docs/time.md, "Date-only data"; checker.readers.grouping)."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.api import audit
from checker.conformance.engine import _dates_in_zone
from checker.conformance.runner import decode, encode
from checker.events import Case, Event
from checker.readers import ReadOptions, open_log
from checker.readers.timeparse import parse_timestamp

WIB = timezone(timedelta(hours=7))
WIT = timezone(timedelta(hours=9))

# Terima, then Verifikasi, with a deadline in working hours from Verifikasi's start.
TWO_STEPS = Path(__file__).parent.parent / "fixtures" / "sops" / "two-steps.yaml"
SOP = TWO_STEPS.read_text(encoding="utf-8") + """\
deadlines:
  - id: verif_cepat
    from: {step: verif, at: start}
    to: {step: verif}
    within: {amount: 2, unit: working_hours}
"""

START_COLUMN = """\
case_id,activity,timestamp,actor,start_timestamp
D1,Terima,2025-01-06T08:00:00+07:00,Petugas,
D1,Verifikasi,2025-01-07T15:00:00+07:00,Petugas,2025-01-07
D2,Terima,2025-01-06T08:00:00+07:00,Petugas,
D2,Verifikasi,2025-01-07,Petugas,2025-01-07T08:00:00+07:00
D4,Terima,2025-01-06T08:00:00+07:00,Petugas,
D4,Verifikasi,2025-01-07T15:00:00+07:00,Petugas,2025-01-07T08:00:00+07:00
"""

LIFECYCLE = """\
case_id,activity,timestamp,actor,lifecycle
D3,Terima,2025-01-06T08:00:00+07:00,Petugas,complete
D3,Verifikasi,2025-01-07,Petugas,start
D3,Verifikasi,2025-01-07T15:00:00+07:00,Petugas,complete
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path, **options):
    source = open_log(path, ReadOptions(**options))
    return source, {case.case_id: case for case in source.cases()}


def codes(report) -> dict[str, list[str]]:
    return {case.case_id: sorted(f.code for f in case.findings) for case in report.cases}


# -- a date-only start ---------------------------------------------------------------------------


def test_a_date_only_start_column_stays_date_only(tmp_path):
    _, cases = read(write(tmp_path, "startdl.csv", START_COLUMN))
    verif = {case_id: case.events[1] for case_id, case in cases.items()}
    assert verif["D1"].start == datetime(2025, 1, 7, tzinfo=verif["D1"].start.tzinfo)
    assert (verif["D1"].start_date_only, verif["D1"].date_only) == (True, False)
    assert (verif["D2"].start_date_only, verif["D2"].date_only) == (False, True)
    assert (verif["D4"].start_date_only, verif["D4"].date_only) == (False, False)
    assert not any(e.start_date_only for e in cases["D1"].events[:1])  # no start: not date-only


def test_a_date_only_lifecycle_start_stays_date_only(tmp_path):
    source, cases = read(write(tmp_path, "startdl-lc.csv", LIFECYCLE))
    (_, verif) = cases["D3"].events
    assert source.accounting.paired_starts == 1
    assert verif.start == datetime(2025, 1, 7, tzinfo=verif.start.tzinfo)
    assert (verif.start_date_only, verif.date_only) == (True, False)


def test_an_hour_deadline_from_a_date_only_start_is_not_checked(tmp_path):
    sop = write(tmp_path, "startdl.yaml", SOP)
    found = codes(audit(sop, write(tmp_path, "startdl.csv", START_COLUMN), as_of="2025-02-01"))
    # D1: start known only to the day; D2: completion known only to the day: neither checkable.
    # D4: both timed, 08:00 to 15:00 is 5.5 working hours (a 07:30-16:00 day with a break): late.
    assert found == {"D1": [], "D2": [], "D4": ["TM002"]}
    lifecycle = write(tmp_path, "startdl-lc.csv", LIFECYCLE)
    assert codes(audit(sop, lifecycle, as_of="2025-02-01")) == {"D3": []}


def test_a_date_only_start_through_json_lines_and_xes(tmp_path):
    jsonl = write(tmp_path, "s.jsonl", (
        '{"case_id": "J", "activity": "Verifikasi", "timestamp": "2025-01-07T15:00:00+07:00",'
        ' "start_timestamp": "2025-01-07"}\n'
    ))
    _, cases = read(jsonl)
    assert cases["J"].events[0].start_date_only
    log = _xes(
        _xes_event("Verifikasi", '<date key="time:timestamp" value="2025-01-07T00:00:00+07:00"/>',
                   "start")
        + _xes_event("Verifikasi", '<string key="time:timestamp" value="2025-01-07"/>', "start")
        + _xes_event("Verifikasi", '<date key="time:timestamp" value="2025-01-07T15:00:00+07:00"/>',
                     "complete")
        + _xes_event("Verifikasi", '<date key="time:timestamp" value="2025-01-07T16:00:00+07:00"/>',
                     "complete")
    )
    _, cases = read(write(tmp_path, "s.xes", log))
    first, second = cases["X"].events
    assert (first.start_date_only, second.start_date_only) == (False, True)  # FIFO pairing


def test_the_start_flag_travels_to_workers_and_pickles():
    stamp = datetime(2025, 1, 7, 15, tzinfo=WIB)
    event = Event("C", "A", stamp, None, datetime(2025, 1, 7, tzinfo=WIB), start_date_only=True)
    case = Case("C", (event, Event("C", "B", stamp)))
    assert [e.start_date_only for e in decode(encode(case)).events] == [True, False]
    assert pickle.loads(pickle.dumps(event)).start_date_only


def test_a_date_only_start_keeps_its_date_in_the_calendars_zone():
    # Read in WIT, judged by a WIB calendar: 7 January stays 7 January (not 6 January 22:00).
    event = Event("C", "A", datetime(2025, 1, 7, 15, tzinfo=WIT), None,
                  datetime(2025, 1, 7, tzinfo=WIT), start_date_only=True)
    (moved,) = _dates_in_zone(Case("C", (event,)), WIB).events
    assert moved.start == datetime(2025, 1, 7, tzinfo=WIB)
    assert moved.timestamp == event.timestamp  # a timed completion is left alone


# -- a date with an offset, and the separator -------------------------------------------------


@pytest.mark.parametrize("value", ["2025-01-06+07:00", "2025-01-06-05:00", "2025-01-06Z",
                                   "2025-01-06+14:00", " 2025-01-06+07:00 "])
def test_a_date_with_an_offset_is_that_date_only(value):
    assert parse_timestamp(value, WIB) == (datetime(2025, 1, 6, tzinfo=WIB), True)


@pytest.mark.parametrize("value", ["2025-01-06x10:30", "2025-01-06+10:30:00", "2025-01-06_10:30",
                                   "2025-01-06+99:00", "2025-01-0610:30", "20250106x1030"])
def test_a_date_and_time_not_separated_by_t_or_a_space_is_refused(value):
    with pytest.raises(ValueError):
        parse_timestamp(value, WIB)


@pytest.mark.parametrize("value", ["2025-01-06T10:30", "2025-01-06t10:30", "2025-01-06 10:30",
                                   "20250106T1030", "2025-01-06T10:30+07:00"])
def test_t_or_a_space_still_separates_a_date_and_a_time(value):
    assert parse_timestamp(value, WIB) == (datetime(2025, 1, 6, 10, 30, tzinfo=WIB), False)


CSV_DATES = """\
case_id,activity,timestamp
T1,Terima,2025-01-06+07:00
T1,Verifikasi,2025-01-06-05:00
T1,Arsip,2025-01-06 09:00
T1,X,2025-01-06x10:30
T1,Y,2025-01-06Z
"""


def _check_dates(source, cases, reject_row: int) -> None:
    events = cases["T1"].events
    assert [(e.activity, e.timestamp.isoformat(), e.date_only) for e in events] == [
        ("Terima", "2025-01-06T00:00:00+07:00", True),
        ("Verifikasi", "2025-01-06T00:00:00+07:00", True),
        ("Arsip", "2025-01-06T09:00:00+07:00", False),
        ("Y", "2025-01-06T00:00:00+07:00", True),  # a date keeps its place on its day
    ]
    acc = source.accounting
    assert (acc.accepted, len(acc.rejected)) == (4, 1)
    (bad,) = acc.rejected
    assert (bad.row, bad.reason) == (reject_row, "readers.reject.bad_timestamp")
    assert bad.args["value"] == "2025-01-06x10:30" and bad.args["field"] == "timestamp"


def test_dates_with_offsets_and_bad_separators_in_csv(tmp_path):
    source, cases = read(write(tmp_path, "xsdate.csv", CSV_DATES), timezone="+07:00")
    _check_dates(source, cases, reject_row=5)


def test_dates_with_offsets_and_bad_separators_in_json_lines(tmp_path):
    lines = [line.split(",") for line in CSV_DATES.splitlines()[1:]]
    text = "".join(
        f'{{"case_id": "{c}", "activity": "{a}", "timestamp": "{t}"}}\n' for c, a, t in lines
    )
    source, cases = read(write(tmp_path, "xsdate.jsonl", text), timezone="+07:00")
    _check_dates(source, cases, reject_row=4)


def test_a_start_timestamp_with_a_bad_separator_is_refused(tmp_path):
    log = write(tmp_path, "s.csv", (
        "case_id,activity,timestamp,start_timestamp\n"
        "S,A,2025-01-07T15:00:00+07:00,2025-01-07x08:00\n"
        "S,B,2025-01-07T16:00:00+07:00,2025-01-07+07:00\n"
    ))
    source, cases = read(log)
    (bad,) = source.accounting.rejected
    assert (bad.row, bad.reason, bad.args["field"]) == (2, "readers.reject.bad_timestamp", "start_timestamp")
    (event,) = cases["S"].events
    assert (event.start.date().isoformat(), event.start_date_only) == ("2025-01-07", True)


def _xes(events: str, case_id: str = "X") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<log xmlns="http://www.xes-standard.org/">\n'
        f'<trace><string key="concept:name" value="{case_id}"/>\n{events}</trace>\n</log>\n'
    )


def _xes_event(activity: str, stamp: str, lifecycle: str | None = None) -> str:
    transition = "" if lifecycle is None else f'<string key="lifecycle:transition" value="{lifecycle}"/>'
    return f'<event><string key="concept:name" value="{activity}"/>{stamp}{transition}</event>\n'


def test_dates_with_offsets_and_bad_separators_in_xes_text_values(tmp_path):
    log = _xes("".join(
        _xes_event(activity, f'<string key="time:timestamp" value="{stamp}"/>')
        for activity, stamp in [("Terima", "2025-01-06+07:00"), ("Verifikasi", "2025-01-06-05:00"),
                                ("Arsip", "2025-01-06 09:00"), ("X", "2025-01-06x10:30"),
                                ("Y", "2025-01-06Z")]
    ), "T1")
    source, cases = read(write(tmp_path, "xsdate.xes", log), timezone="+07:00")
    _check_dates(source, cases, reject_row=7)


def test_dates_with_offsets_and_bad_separators_in_xes_dates(tmp_path):
    log = _xes("".join(
        _xes_event(activity, f'<date key="time:timestamp" value="{stamp}"/>')
        for activity, stamp in [("Terima", "2025-01-06+07:00"), ("Verifikasi", "2025-01-06-05:00"),
                                ("Arsip", "2025-01-06T09:00:00+07:00"), ("X", "2025-01-06x10:30"),
                                ("Y", "2025-01-06Z")]
    ), "T1")
    source, cases = read(write(tmp_path, "xsdate.xes", log), timezone="+07:00")
    _check_dates(source, cases, reject_row=7)


# -- lifecycle: a row without one -------------------------------------------------------------


def test_a_row_without_lifecycle_does_not_close_a_start(tmp_path):
    log = write(tmp_path, "lc.csv", (
        "case_id,activity,timestamp,actor,lifecycle\n"
        "L4,Verifikasi,2025-01-06T08:00:00+07:00,Ani,start\n"
        "L4,Verifikasi,2025-01-06T09:00:00+07:00,Ani,\n"
        "L4,Verifikasi,2025-01-06T10:00:00+07:00,Budi,complete\n"
        "L5,Verifikasi,2025-01-06T08:00:00+07:00,Ani,start\n"
        "L5,Verifikasi,2025-01-06T09:00:00+07:00,Ani,\n"
    ))
    source, cases = read(log)
    l4 = [(e.row, e.start.hour if e.start else None) for e in cases["L4"].events]
    assert l4 == [(3, None), (4, 8)]  # the blank row is an event as it is; the complete pairs
    assert [(e.row, e.start) for e in cases["L5"].events] == [(6, None)]
    acc = source.accounting
    assert (acc.paired_starts, acc.unpaired_starts, acc.events) == (1, 1, 3)


# -- time order: a date-only row among the timed rows of its day ----------------------------------

SAME_DAY = """\
case_id,activity,timestamp,actor
T1,Terima,2025-01-06T10:00:00+07:00,Petugas
T1,Verifikasi,2025-01-06,Petugas
T2,Terima,2025-01-06,Petugas
T2,Verifikasi,2025-01-06T10:00:00+07:00,Petugas
T3,Verifikasi,2025-01-06,Petugas
T3,Terima,2025-01-06T10:00:00+07:00,Petugas
T4,Verifikasi,2025-01-06T11:00:00+07:00,Petugas
T4,Terima,2025-01-06T10:00:00+07:00,Petugas
"""


def test_a_date_only_row_keeps_its_place_among_the_timed_rows_of_its_day(tmp_path):
    # T1 is an agenda book's "received 10:00, recorded that day": sorted to midnight, the date
    # would come first (FL002). Written before its day's timed row (T3), it stays before it; two
    # timed rows (T4) are still put in time order.
    sop = write(tmp_path, "two.yaml", TWO_STEPS.read_text(encoding="utf-8"))
    report = audit(sop, write(tmp_path, "day.csv", SAME_DAY), as_of="2025-02-01")
    assert codes(report) == {"T1": [], "T2": [], "T3": ["FL002"], "T4": []}
    order = {c.case_id: [e.activity for e in c.events] for c in report.cases}
    assert order["T4"] == ["Terima", "Verifikasi"]
    # The same log ungrouped (read back through the spill store) and as JSON Lines.
    lines = SAME_DAY.splitlines()
    shuffled = write(tmp_path, "shuffled.csv", "\n".join([lines[0], *lines[1::2], *lines[2::2]]) + "\n")
    assert codes(audit(sop, shuffled, as_of="2025-02-01")) == codes(report)
    keys = lines[0].split(",")
    jsonl = "".join(json.dumps(dict(zip(keys, line.split(","), strict=True))) + "\n" for line in lines[1:])
    assert codes(audit(sop, write(tmp_path, "day.jsonl", jsonl), as_of="2025-02-01")) == codes(report)


class _Item(NamedTuple):
    timestamp: datetime
    date_only: bool
    n: int  # its place in the source


_ZONES = [WIB, WIT, UTC]


@given(st.lists(st.tuples(st.integers(0, 2), st.booleans(), st.integers(0, 23), st.sampled_from(_ZONES)),
                max_size=12), st.sampled_from(_ZONES))
def test_time_order_sorts_timed_items_and_keeps_date_only_ones_in_place_in_their_day(rows, dates_in):
    # Dates are midnight in the zone of the dates (`dates_in`: the log's, or the calendar's once
    # the auditor moved them); a timed item's day is its date there, whatever its own offset.
    from checker.events import in_time_order

    items = []
    for n, (day, date_only, hour, zone) in enumerate(rows):
        moment = datetime(2025, 1, 6 + day, tzinfo=dates_in) if date_only else (
            datetime(2025, 1, 6 + day, hour, tzinfo=WIB).astimezone(zone))
        items.append(_Item(moment, date_only, n))
    out = in_time_order(items)
    assert sorted(out, key=lambda i: i.n) == items
    if not any(i.date_only for i in items):
        assert out == sorted(items, key=lambda i: i.timestamp)

    def day(item):
        return item.timestamp.astimezone(dates_in).date()

    assert [day(i) for i in out] == sorted(day(i) for i in items)
    timed = [i for i in out if not i.date_only]
    assert timed == sorted(timed, key=lambda i: i.timestamp)  # stable: ties in source order
    for d in {day(i) for i in items}:
        mine = [i for i in out if day(i) == d]
        written = [i for i in items if day(i) == d]
        if any(i.date_only for i in mine):
            places = [k for k, i in enumerate(mine) if i.date_only]
            assert places == [k for k, i in enumerate(written) if i.date_only]
            assert [i for i in mine if i.date_only] == [i for i in written if i.date_only]


def test_dates_are_ordered_by_the_calendars_days_when_its_zone_is_not_the_logs(tmp_path):
    # Read in WIB, judged by a WIT calendar (the SOP's zone): "received 17 Mar 23:30 WIB" is 18
    # March in WIT, after a date of 17 March, which the calendar reads as 17 March. Written
    # before the date, it still comes after it: no false FL002, and the two steps' days in order.
    text = TWO_STEPS.read_text(encoding="utf-8") + "case: {timezone: WIT}\n"
    sop = write(tmp_path, "wit.yaml", text)
    log = write(tmp_path, "wib.csv", "case_id,activity,timestamp,actor\n"
                "W1,Verifikasi,2026-03-17T23:30:00,Petugas\nW1,Terima,2026-03-17,Petugas\n")
    report = audit(sop, log, as_of="2026-04-01", read_options=ReadOptions(timezone="WIB"))
    assert codes(report) == {"W1": []}
    (case,) = report.cases
    assert [activity for _, activity, _, _ in case.events] == ["Terima", "Verifikasi"]
