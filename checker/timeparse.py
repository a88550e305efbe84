"""Reading a date or timestamp held in a case attribute (a deadline, the day a letter arrived).

Readers hand over XES dates as datetimes and CSV values as text; both are read by the readers'
one timestamp parser. A value with no time of day is day-precision: the audit must not invent
hours for it.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from checker.readers.timeparse import in_range, parse_timestamp


def to_instant(value: Any, tz: tzinfo) -> tuple[datetime | None, bool]:
    """(aware datetime, date_only) for `value`, or (None, False) when absent, unreadable, or
    outside the supported years (docs/time.md): 9999-12-31 is a common "no deadline" and
    0001-01-01 a default, neither a date to count working days from."""
    if value is None or value == "":
        return None, False
    try:
        instant, date_only = parse_timestamp(value, tz)
    except (ValueError, TypeError):
        return None, False
    return (instant, date_only) if in_range(instant) else (None, False)
