"""Reading a date or timestamp held in a case attribute (a deadline, the day a letter arrived).

Readers hand over XES dates as datetimes and CSV values as text; both are read by the readers'
one timestamp parser. A value with no time of day is day-precision: the audit must not invent
hours for it.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from checker.readers.timeparse import in_range, parse_timestamp


def to_instant(value: Any, tz: tzinfo, days: tzinfo | None = None) -> tuple[datetime | None, bool]:
    """(aware datetime, date_only) for `value`, or (None, False) when absent, unreadable, or
    outside the supported years (docs/time.md): 9999-12-31 is a common "no deadline" and
    0001-01-01 a default, neither a date to count working days from. A time without an offset
    is read in `tz` (the log's zone); a date alone is midnight in `days` (the calendar's zone,
    so that the calendar counts from that very date), else in `tz`."""
    if value is None or value == "":
        return None, False
    try:
        instant, date_only = parse_timestamp(value, tz)
    except (ValueError, TypeError):
        return None, False
    if not in_range(instant):
        return None, False
    if date_only and days is not None:
        instant = same_day(instant, days)
    return instant, date_only


def same_day(midnight: datetime, tz: tzinfo) -> datetime:
    """A date-only value's midnight in another zone: the same date, so that a calendar in that
    zone counts from the date the log wrote (not from the day before, east of it)."""
    return datetime(midnight.year, midnight.month, midnight.day, tzinfo=tz)
