"""Reading a date or timestamp held in a case attribute (a deadline, the day a letter arrived).

Readers hand over XES dates as datetimes and CSV values as text; both are read by the readers'
one timestamp parser. A value with no time of day is day-precision: the audit must not invent
hours for it.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from checker.readers.timeparse import parse_timestamp


def to_instant(value: Any, tz: tzinfo) -> tuple[datetime | None, bool]:
    """(aware datetime, date_only) for `value`, or (None, False) when absent or unreadable."""
    if value is None or value == "":
        return None, False
    try:
        return parse_timestamp(value, tz)
    except (ValueError, TypeError):
        return None, False
