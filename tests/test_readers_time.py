"""Timestamps: ISO 8601 with offsets, declared zones for naive values, date-only values, day-first
formats, the Indonesian zone names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.errors import InputError
from checker.readers.timeparse import (
    check_date_format,
    parse_timestamp,
    resolve_zone,
    zone_label,
)

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_offset_is_kept():
    stamp, date_only = parse_timestamp("2011-10-11 13:45:40.276000+02:00", JAKARTA)
    assert stamp.utcoffset() == timedelta(hours=2)
    assert stamp == datetime(2011, 10, 11, 11, 45, 40, 276000, tzinfo=UTC)
    assert not date_only


def test_naive_takes_declared_zone():
    stamp, date_only = parse_timestamp("2026-11-25 13:05", "Asia/Makassar")
    assert stamp.tzinfo == ZoneInfo("Asia/Makassar")
    assert stamp.hour == 13 and not date_only


def test_date_only_is_local_midnight_and_marked():
    stamp, date_only = parse_timestamp("2026-11-25", JAKARTA)
    assert date_only
    assert stamp == datetime(2026, 11, 25, tzinfo=JAKARTA)


def test_z_suffix_is_utc():
    stamp, _ = parse_timestamp("2026-11-25T01:00:00Z", JAKARTA)
    assert stamp.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("suffix", "zone"),
    [("WIB", "Asia/Jakarta"), ("WITA", "Asia/Makassar"), ("WIT", "Asia/Jayapura")],
)
def test_indonesian_zone_suffix(suffix, zone):
    stamp, _ = parse_timestamp(f"2026-11-25 13:05 {suffix}", JAKARTA)
    assert stamp.tzinfo == ZoneInfo(zone)


@pytest.mark.parametrize(
    ("name", "offset"),
    [
        ("WIB", 7),
        ("wita", 8),
        ("WIT", 9),
        ("Asia/Jakarta", 7),
        ("+07:00", 7),
        ("UTC+8", 8),
        ("UTC", 0),
    ],
)
def test_resolve_zone(name, offset):
    zone = resolve_zone(name)
    assert datetime(2026, 11, 25, tzinfo=zone).utcoffset() == timedelta(hours=offset)


def test_unknown_zone_is_input_error():
    with pytest.raises(InputError) as err:
        resolve_zone("Mars/Olympus")
    assert err.value.key == "readers.bad_timezone"


def test_day_first_format_and_its_day_part():
    fmt = "%d/%m/%Y %H:%M"
    stamp, date_only = parse_timestamp("25/11/2026 13:05", JAKARTA, fmt)
    assert (stamp.day, stamp.month, stamp.hour, date_only) == (25, 11, 13, False)
    stamp, date_only = parse_timestamp("26/11/2026", JAKARTA, fmt)
    assert date_only and stamp == datetime(2026, 11, 26, tzinfo=JAKARTA)


def test_date_format_without_time_is_date_only():
    stamp, date_only = parse_timestamp("25-11-2026", JAKARTA, "%d-%m-%Y")
    assert date_only and stamp.date() == date(2026, 11, 25)


def test_date_format_falls_back_to_iso():
    stamp, date_only = parse_timestamp("2026-11-25T13:05:00+07:00", JAKARTA, "%d/%m/%Y")
    assert stamp.hour == 13 and not date_only


@pytest.mark.parametrize("bad", ["", "kemarin", "25/11/2026", "2026-13-01", "31/11/2026 10:00"])
def test_bad_values_raise_value_error(bad):
    with pytest.raises(ValueError):
        parse_timestamp(bad, JAKARTA, "%d/%m/%Y %H:%M" if "31/11" in bad else None)


def test_typed_values():
    naive = datetime(2026, 11, 25, 13, 5)
    assert parse_timestamp(naive, JAKARTA) == (naive.replace(tzinfo=JAKARTA), False)
    assert parse_timestamp(date(2026, 11, 25), JAKARTA) == (datetime(2026, 11, 25, tzinfo=JAKARTA), True)
    with pytest.raises(ValueError):
        parse_timestamp(1764000000, JAKARTA)


def test_bad_date_format_is_input_error():
    with pytest.raises(InputError):
        check_date_format("dd/mm/yyyy")
    check_date_format("%d/%m/%Y %H:%M")


def test_zone_labels():
    assert zone_label(JAKARTA) == "Asia/Jakarta"
    assert zone_label(timezone(timedelta(hours=-3, minutes=-30))) == "-03:30"
    assert zone_label(UTC) == "+00:00"


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-5))]),
    )
)
def test_iso_round_trip(moment):
    stamp, date_only = parse_timestamp(moment.isoformat(), JAKARTA)
    assert stamp == moment and stamp.utcoffset() == moment.utcoffset() and not date_only
