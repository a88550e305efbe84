"""The working calendar (checker.workcal): real Indonesian dates, calendar files, time zones,
working hours, and the properties the audit relies on."""

from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.errors import InputError
from checker.workcal import UNITS, WorkCalendar

FIXTURES = Path(__file__).parent.parent / "fixtures" / "calendars"
WIB = timezone(timedelta(hours=7))
CAL = WorkCalendar.default()
EXAMPLE = WorkCalendar.from_file(FIXTURES / "example.yaml")
WITA = WorkCalendar.from_file(FIXTURES / "wita.yaml")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, tz: timezone = WIB) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=tz)


# Days


def test_weekend_days_are_off_and_named():
    assert not CAL.is_working_day(date(2026, 3, 14))
    assert not CAL.is_working_day(date(2026, 3, 15))
    assert CAL.is_working_day(date(2026, 3, 16))
    assert CAL.day_off_name(date(2026, 3, 14)) == "Saturday"
    assert CAL.day_off_name(date(2026, 3, 15), "id") == "Minggu"
    assert CAL.day_off_name(date(2026, 3, 16)) is None


def test_idul_fitri_2026_cuti_bersama_blocks_march_18_to_24():
    for day in range(18, 25):
        assert not CAL.is_working_day(date(2026, 3, day)), day
    assert CAL.is_working_day(date(2026, 3, 17))
    assert CAL.is_working_day(date(2026, 3, 25))
    assert CAL.day_off_name(date(2026, 3, 23)) == "Eid al-Fitr Joint Holiday"
    assert CAL.day_off_name(date(2026, 3, 23), "id") == "Cuti Bersama Hari Raya Idul Fitri"
    # A holiday on a Saturday is named by the holiday, not the weekday.
    assert CAL.day_off_name(date(2026, 3, 21), "id") == "Hari Raya Idul Fitri"
    assert CAL.nth_working_day_after(date(2026, 3, 17), 1) == date(2026, 3, 25)
    assert CAL.nth_working_day_after(date(2026, 3, 17), 3) == date(2026, 3, 27)
    assert CAL.working_days_between(date(2026, 3, 17), date(2026, 3, 27)) == 3


def test_christmas_joint_holidays():
    assert CAL.day_off_name(date(2026, 12, 24)) == "Christmas Joint Holiday"
    assert CAL.day_off_name(date(2026, 12, 25), "id") == "Hari Raya Natal"
    assert CAL.nth_working_day_after(date(2026, 12, 23), 2) == date(2026, 12, 29)
    assert not CAL.is_working_day(date(2025, 12, 26))  # in 2025 the joint holiday followed
    assert CAL.nth_working_day_after(date(2025, 12, 24), 1) == date(2025, 12, 29)


def test_idul_fitri_2025_spans_two_weeks():
    assert CAL.nth_working_day_after(date(2025, 3, 27), 1) == date(2025, 4, 8)
    assert CAL.working_days_between(date(2025, 3, 27), date(2025, 4, 8)) == 1


def test_working_days_between_is_zero_for_empty_ranges_and_spans_years():
    assert CAL.working_days_between(date(2026, 3, 27), date(2026, 3, 27)) == 0
    assert CAL.working_days_between(date(2026, 3, 27), date(2026, 3, 20)) == 0
    # 28-31 December 2026 and 4 January 2027 (1 January is New Year's Day, then a weekend).
    assert CAL.working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 5


def test_nth_working_day_after_rejects_n_below_one():
    with pytest.raises(ValueError):
        CAL.nth_working_day_after(date(2026, 3, 17), 0)


def test_describe_names_the_source():
    assert CAL.describe() == f"ID public+government (holidays {holidays.__version__}), Asia/Jakarta"
    assert "cuti bersama" in CAL.describe("id")
    text = EXAMPLE.describe()
    assert text.startswith("ID public+government")
    assert "+ file example.yaml sha256 " in text


# Calendar files


def test_file_adds_days_off_and_cancels_cuti_bersama():
    assert not EXAMPLE.is_working_day(date(2026, 3, 25))
    assert EXAMPLE.day_off_name(date(2026, 3, 25)) == "Cuti bersama tambahan Idul Fitri (contoh)"
    assert EXAMPLE.day_off_name(date(2026, 10, 12), "id") == "Libur daerah (contoh)"
    assert EXAMPLE.is_working_day(date(2026, 12, 24))  # cancelled cuti bersama
    assert EXAMPLE.day_off_name(date(2026, 12, 24)) is None
    assert EXAMPLE.is_working_day(date(2026, 3, 28))  # a Saturday declared working
    assert EXAMPLE.nth_working_day_after(date(2026, 3, 17), 1) == date(2026, 3, 26)
    assert EXAMPLE.nth_working_day_after(date(2026, 3, 26), 2) == date(2026, 3, 28)
    assert EXAMPLE.nth_working_day_after(date(2026, 12, 23), 1) == date(2026, 12, 24)


def test_file_hours_with_a_break_and_a_working_saturday():
    # Friday 07:30-11:30 and 13:00-16:30: two working hours from 10:30 end at 14:00.
    due = EXAMPLE.due(at(2026, 3, 27, 10, 30), 2, "working_hours", day_precision=False)
    assert due == at(2026, 3, 27, 14, 0)
    # Friday 16:00 + 1 working hour: 30 min on Friday, 30 min on the working Saturday (08:00).
    due = EXAMPLE.due(at(2026, 3, 27, 16, 0), 1, "working_hours", day_precision=False)
    assert due == at(2026, 3, 28, 8, 30)


def test_indonesian_weekday_names_and_wita():
    assert WITA.tz.key == "Asia/Makassar"
    assert WITA.hours[0] == ((480, 960),)
    assert WITA.weekend == frozenset({5, 6})


BAD = [
    ("bad-yaml.yaml", "yaml.syntax", 5, 1),
    ("bad-unknown-key.yaml", "schema.additional", 2, 1),
    ("bad-date.yaml", "calendar.bad_date", 4, 11),
    ("bad-timezone.yaml", "calendar.bad_timezone", 2, 11),
    ("bad-hours.yaml", "calendar.bad_hours", 3, 27),
    ("bad-weekday.yaml", "calendar.unknown_weekday", 3, 3),
    ("bad-duplicate-day.yaml", "calendar.duplicate_day", 5, 11),
    ("bad-no-hours.yaml", "calendar.no_hours", 1, 10),
]


@pytest.mark.parametrize(("name", "key", "line", "column"), BAD)
def test_bad_calendar_files_are_located_input_errors(name, key, line, column):
    with pytest.raises(InputError) as caught:
        WorkCalendar.from_file(FIXTURES / name)
    error = caught.value
    assert error.key == key
    assert (error.location.path, error.location.line, error.location.column) == (
        str(FIXTURES / name), line, column)
    assert error.render("id") != error.render("en")


def test_missing_calendar_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as caught:
        WorkCalendar.from_file(tmp_path / "nope.yaml")
    assert caught.value.key == "file.not_found"


def test_a_range_that_is_not_hh_mm_is_located(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text('hours:\n  monday: "7:30-16:00"\n')
    with pytest.raises(InputError) as caught:
        WorkCalendar.from_file(path)
    assert (caught.value.key, caught.value.location.line) == ("schema.pattern", 2)


# Time zones


def test_local_date_is_the_same_for_the_same_instant_in_any_offset():
    wib = at(2026, 3, 17, 23, 30)
    utc = wib.astimezone(UTC)
    assert utc.date() == date(2026, 3, 17) and utc.hour == 16
    assert CAL.local_date(wib) == CAL.local_date(utc) == date(2026, 3, 17)
    # In Makassar (UTC+8) the same instant is already 18 March, a cuti bersama.
    assert WITA.local_date(utc) == date(2026, 3, 18)
    assert WITA.day_off_name(WITA.local_date(utc)) == "Day of Silence Joint Holiday"


def test_the_zone_decides_the_arrival_day_and_so_the_due_day():
    # Monday 16 March 23:30 WIB is Tuesday 00:30 WITA: one working day later is Tuesday 17 in
    # Jakarta but Wednesday 25 in Makassar (18-24 March are off).
    arrived = at(2026, 3, 16, 23, 30)
    assert CAL.due(arrived, 1, "working_days", day_precision=False) == datetime(
        2026, 3, 17, 23, 59, 59, 999999, tzinfo=CAL.tz)
    assert WITA.due(arrived.astimezone(UTC), 1, "working_days", day_precision=False) == datetime(
        2026, 3, 25, 23, 59, 59, 999999, tzinfo=WITA.tz)


def test_naive_timestamps_are_refused():
    with pytest.raises(ValueError):
        CAL.local_date(datetime(2026, 3, 17, 12, 0))


# Deadlines


def test_working_days_due_overrun_elapsed():
    start = at(2026, 3, 17, 10, 0)
    due = CAL.due(start, 3, "working_days", day_precision=True)
    assert due == datetime(2026, 3, 27, 23, 59, 59, 999999, tzinfo=CAL.tz)
    ends = {
        at(2026, 3, 17, 15, 0): (0.0, 0.0),
        at(2026, 3, 25, 9, 0): (0.0, 1.0),
        at(2026, 3, 27, 23, 59): (0.0, 3.0),
        at(2026, 3, 28, 9, 0): (1.0, 4.0),  # done on the Saturday after the due Friday: late
        at(2026, 3, 30, 9, 0): (1.0, 4.0),
        at(2026, 3, 31, 9, 0): (2.0, 5.0),
    }
    for end, (late, taken) in ends.items():
        assert CAL.overrun(start, end, 3, "working_days", day_precision=True) == late, end
        assert CAL.elapsed(start, end, "working_days", day_precision=True) == taken, end


def test_zero_working_days_means_the_same_day():
    start = at(2026, 3, 16, 9, 0)
    assert CAL.due(start, 0, "working_days", day_precision=True).date() == date(2026, 3, 16)
    assert CAL.overrun(start, at(2026, 3, 16, 20, 0), 0, "working_days", day_precision=True) == 0
    assert CAL.overrun(start, at(2026, 3, 17, 8, 0), 0, "working_days", day_precision=True) == 1


def test_calendar_days():
    start = at(2026, 3, 17, 10, 0)
    assert CAL.due(start, 7, "calendar_days", day_precision=True).date() == date(2026, 3, 24)
    assert CAL.overrun(start, at(2026, 3, 26), 7, "calendar_days", day_precision=True) == 2.0
    assert CAL.elapsed(start, at(2026, 3, 26), "calendar_days", day_precision=False) == 9.0


def test_working_hours_across_a_weekend():
    start = at(2026, 3, 13, 15, 0)  # Friday, closes 16:30
    assert CAL.due(start, 4, "working_hours", day_precision=False) == at(2026, 3, 16, 10, 0)
    assert CAL.overrun(start, at(2026, 3, 16, 11, 0), 4, "working_hours",
                       day_precision=False) == 1.0
    assert CAL.overrun(start, at(2026, 3, 16, 10, 0), 4, "working_hours",
                       day_precision=False) == 0.0
    assert CAL.elapsed(start, at(2026, 3, 16, 10, 0), "working_minutes",
                       day_precision=False) == 240.0


def test_working_hours_across_the_idul_fitri_holidays():
    start = at(2026, 3, 17, 14, 0)  # Tuesday; 18-24 March off
    assert CAL.due(start, 4, "working_hours", day_precision=False) == at(2026, 3, 25, 9, 30)
    assert CAL.due(start.astimezone(UTC), 4, "working_hours",
                   day_precision=False) == at(2026, 3, 25, 9, 30)


def test_working_time_starts_at_the_next_working_moment():
    assert CAL.due(at(2026, 3, 14, 10, 0), 1, "working_hours",
                   day_precision=False) == at(2026, 3, 16, 8, 30)
    assert CAL.due(at(2026, 3, 16, 6, 0), 30, "working_minutes",
                   day_precision=False) == at(2026, 3, 16, 8, 0)
    assert CAL.due(at(2026, 3, 16, 6, 0), 0, "working_minutes",
                   day_precision=False) == at(2026, 3, 16, 7, 30)


def test_time_used_up_at_closing_is_due_at_the_next_opening():
    # Two working hours from Friday 14:30 end at closing (16:30); the latest completion that
    # uses no more working time is Monday's opening, so overtime on Friday evening is on time.
    start = at(2026, 3, 13, 14, 30)
    assert CAL.due(start, 2, "working_hours", day_precision=False) == at(2026, 3, 16, 7, 30)
    assert CAL.overrun(start, at(2026, 3, 13, 18, 0), 2, "working_hours",
                       day_precision=False) == 0.0
    assert CAL.overrun(start, at(2026, 3, 16, 7, 45), 2, "working_hours",
                       day_precision=False) == 0.25


def test_clock_hours_and_minutes():
    start = at(2026, 3, 14, 22, 0)
    assert CAL.due(start, 5, "hours", day_precision=False) == at(2026, 3, 15, 3, 0)
    end = at(2026, 3, 14, 20, 30, tz=UTC)  # 03:30 WIB next day
    assert CAL.overrun(start, end, 5, "hours", day_precision=False) == 0.5
    assert CAL.overrun(start, end, 300, "minutes", day_precision=False) == 30.0
    assert CAL.elapsed(start, end, "minutes", day_precision=False) == 330.0
    assert CAL.elapsed(end, start, "minutes", day_precision=False) == 0.0


@pytest.mark.parametrize("unit", ["working_hours", "working_minutes", "hours", "minutes"])
def test_date_only_data_cannot_be_checked_in_hours(unit):
    start, end = at(2026, 3, 16), at(2026, 3, 20)
    assert CAL.due(start, 2, unit, day_precision=True) is None
    assert CAL.overrun(start, end, 2, unit, day_precision=True) is None
    assert CAL.elapsed(start, end, unit, day_precision=True) is None
    assert CAL.overrun(start, end, 2, unit, day_precision=False) is not None


@pytest.mark.parametrize("amount", [1.5, -1, float("nan"), float("inf")])
@pytest.mark.parametrize("unit", ["working_days", "calendar_days"])
def test_day_units_need_whole_numbers(amount, unit):
    with pytest.raises(ValueError):
        CAL.due(at(2026, 3, 16), amount, unit, day_precision=False)
    with pytest.raises(ValueError):
        CAL.overrun(at(2026, 3, 16), at(2026, 3, 17), amount, unit, day_precision=False)


def test_unknown_unit_and_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        CAL.due(at(2026, 3, 16), 1, "fortnights", day_precision=False)
    with pytest.raises(ValueError):
        CAL.elapsed(at(2026, 3, 16), at(2026, 3, 17), "fortnights", day_precision=False)
    with pytest.raises(ValueError):
        CAL.due(at(2026, 3, 16), -2, "working_hours", day_precision=False)
    assert CAL.due(at(2026, 3, 16), 2.0, "working_days", day_precision=False) is not None


def test_calendars_pickle_without_their_tables():
    CAL.is_working_day(date(2026, 3, 16))
    data = pickle.dumps(EXAMPLE)
    copy = pickle.loads(data)
    assert copy == EXAMPLE and hash(copy) == hash(EXAMPLE)
    assert copy.is_working_day(date(2026, 12, 24)) and not copy.is_working_day(date(2026, 3, 25))
    assert len(pickle.dumps(CAL)) < 1000  # the lazily built tables stay behind


# Properties

DAYS = st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))
OFFSETS = st.sampled_from([timezone(timedelta(hours=h)) for h in (0, 7, 8, 9, -5)])
INSTANTS = st.datetimes(min_value=datetime(2010, 1, 2), max_value=datetime(2030, 12, 30),
                        timezones=OFFSETS)
AMOUNTS = {
    "working_days": st.integers(0, 40),
    "calendar_days": st.integers(0, 60),
    "working_hours": st.floats(0, 80, allow_nan=False),
    "working_minutes": st.integers(0, 3000),
    "hours": st.floats(0, 500, allow_nan=False),
    "minutes": st.integers(0, 5000),
}


@given(DAYS, st.integers(1, 400))
def test_nth_working_day_after_counts_exactly_n(d, n):
    nth = CAL.nth_working_day_after(d, n)
    assert nth > d and CAL.is_working_day(nth)
    assert CAL.working_days_between(d, nth) == n
    assert CAL.working_days_between(d, nth - timedelta(days=1)) == n - 1


@given(DAYS, DAYS, DAYS)
def test_working_days_between_adds_up(a, b, c):
    a, b, c = sorted((a, b, c))
    assert CAL.working_days_between(a, c) == (
        CAL.working_days_between(a, b) + CAL.working_days_between(b, c))
    assert CAL.working_days_between(a, c) == sum(
        CAL.is_working_day(a + timedelta(days=i)) for i in range(1, (c - a).days + 1))


@given(st.lists(st.tuples(DAYS, DAYS), min_size=1, max_size=6), st.booleans())
def test_working_days_taken_counts_day_by_day(pairs, fresh):
    # The per-date rank cache must agree with a plain count, whether the calendar's tables are
    # built afresh or grown by earlier questions in other years (which clears the cache).
    cal = WorkCalendar.default() if not fresh else pickle.loads(pickle.dumps(CAL))
    for a, b in pairs:
        end = b
        while not CAL.is_working_day(end):
            end += timedelta(days=1)  # finished on a day off: counts as the next working day
        expected = sum(CAL.is_working_day(a + timedelta(days=i)) for i in range(1, (end - a).days + 1))
        assert cal._days_taken(a, b, "working_days") == (expected if b > a else 0)


@settings(max_examples=300)
@given(INSTANTS, INSTANTS, st.integers(1, 40))
def test_a_minimum_wait_in_working_days_is_over_on_the_nth_working_day(start, end, n):
    # TM005: "not before start plus n working days" means not before the nth working day after
    # the start's day; a completion on a day off before it is early (no rounding up to Monday).
    first, last = CAL.local_date(start), CAL.local_date(end)
    waited = CAL.waited(start, end, "working_days", day_precision=False)
    assert (waited < n) == (last < CAL.nth_working_day_after(first, n))
    assert waited <= CAL.elapsed(start, end, "working_days", day_precision=False)


@given(st.sampled_from(UNITS), st.data(), INSTANTS, INSTANTS)
def test_overrun_is_zero_exactly_when_done_by_the_due_instant(unit, data, start, end):
    amount = data.draw(AMOUNTS[unit])
    due = CAL.due(start, amount, unit, day_precision=False)
    late = CAL.overrun(start, end, amount, unit, day_precision=False)
    assert (late == 0) == (end <= due)
    taken = CAL.elapsed(start, end, unit, day_precision=False)
    assert late == pytest.approx(max(0.0, taken - amount), abs=1e-6)


@given(st.sampled_from(UNITS), INSTANTS, INSTANTS, INSTANTS)
def test_elapsed_is_monotone_in_end(unit, start, end1, end2):
    end1, end2 = sorted((end1, end2))
    assert (CAL.elapsed(start, end1, unit, day_precision=False)
            <= CAL.elapsed(start, end2, unit, day_precision=False))


@given(INSTANTS, st.integers(0, 5000))
def test_working_time_due_is_a_working_moment(start, minutes):
    due = CAL.due(start, minutes, "working_minutes", day_precision=False)
    assert CAL.is_working_day(due.date())
    wall = due.hour * 60 + due.minute
    assert any(a <= wall < b for a, b in CAL.hours[due.weekday()])
    assert CAL.elapsed(start, due, "working_minutes", day_precision=False) == minutes


def test_importing_the_calendar_is_cheap():
    code = ("import sys, checker.workcal;"
            "print(sorted({'holidays', 'yaml', 'jsonschema'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
