"""Timestamps as logs write them: ISO 8601 with or without offset, date-only values (agenda
books), day-first strptime formats, and the Indonesian zone names WIB, WITA and WIT.

A naive value takes the declared zone. A date-only value becomes local midnight and is marked
date-only, so that the audit judges it at day precision and never invents hours.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from checker.errors import InputError

DEFAULT_ZONE = "Asia/Jakarta"

# Waktu Indonesia Barat / Tengah / Timur.
ZONE_ALIASES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

# The years an event may fall in. Wider is implausible for a case log and usually a sentinel: an
# Excel zero date (1899-12-30), a 9999-12-31 "no end", a 0001-01-01 default; the calendar cannot
# count working days near the ends of Python's dates either (docs/time.md).
FIRST_YEAR = 1900
LAST_YEAR = 2199

_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
# strptime directives that carry a time of day (anything else is day precision).
_TIME_DIRECTIVE = re.compile(r"%[HIMSpfXcTRrz]")
_ZONE_SUFFIX = re.compile(r"\s+(WIB|WITA|WIT)$", re.IGNORECASE)
# A date with a zone and no time (XML Schema's xs:date, as Java and SOAP exports write it).
_ZONED_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:Z|z|[+-](?:0\d|1[0-4]):[0-5]\d)")


@lru_cache(maxsize=64)
def resolve_zone(name: str) -> tzinfo:
    """The zone called `name`: an IANA name (Asia/Jakarta), WIB/WITA/WIT, UTC, or an offset
    such as +07:00. Raises InputError `readers.bad_timezone` otherwise."""
    key = name.strip()
    alias = ZONE_ALIASES.get(key.upper())
    if alias is not None:
        return ZoneInfo(alias)
    if key.upper() in ("UTC", "Z", "GMT"):
        return UTC
    match = _OFFSET.fullmatch(key)
    if match:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta < timedelta(hours=24):
            return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError("readers.bad_timezone", None, {"zone": name}) from None


def zone_label(zone: tzinfo | None) -> str:
    """A stable name for a zone: the IANA key for a named zone, else the UTC offset (+07:00)."""
    if zone is None:
        return "naive"
    key = getattr(zone, "key", None)
    if key:
        return str(key)
    offset = zone.utcoffset(None)
    if offset is None:
        return str(zone)
    return format_offset(offset)


def format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def has_time(date_format: str) -> bool:
    """Whether a strptime format carries a time of day."""
    return bool(_TIME_DIRECTIVE.search(date_format))


@lru_cache(maxsize=32)
def _date_part(date_format: str) -> str | None:
    """The day part of a format with a time ("%d/%m/%Y %H:%M" -> "%d/%m/%Y"), so that a column
    mixing "25/11/2026 13:05" and "25/11/2026" reads both."""
    match = _TIME_DIRECTIVE.search(date_format)
    if not match:
        return None
    head = date_format[: match.start()].rstrip(" T,;-")
    return head if "%" in head else None


def check_date_format(date_format: str) -> None:
    """Raise InputError `readers.bad_date_format` for a format strptime cannot use."""
    if "%" not in date_format:
        raise InputError("readers.bad_date_format", None, {"format": date_format})
    probe = datetime(2026, 11, 25, 13, 5, 0, tzinfo=UTC)
    try:
        datetime.strptime(probe.strftime(date_format), date_format)
    except (ValueError, re.error):  # re.error: a directive given twice (%d%d), a regex group redefined
        raise InputError("readers.bad_date_format", None, {"format": date_format}) from None


def parse_timestamp(
    value: object, tz: tzinfo | str = DEFAULT_ZONE, date_format: str | None = None
) -> tuple[datetime, bool]:
    """`value` as an aware datetime and whether it was date-only.

    Accepts a datetime (a naive one takes `tz`), a date (date-only), or a string: ISO 8601 with or
    without offset ("2026-11-25T13:05:00+07:00", "2026-11-25 13:05", "2026-11-25"), optionally
    ending in WIB/WITA/WIT, or matching `date_format` (a strptime format, e.g. "%d/%m/%Y %H:%M";
    its day part alone is accepted too). A date with an offset and no time ("2026-11-25+07:00",
    XML Schema's xs:date) is date-only: that date, in `tz`. The date and the time are separated by
    T or a space. Raises ValueError when the value is not a timestamp.
    """
    zone = resolve_zone(tz) if isinstance(tz, str) else tz
    if isinstance(value, datetime):
        return (value if value.tzinfo is not None else value.replace(tzinfo=zone)), False
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone), True
    if not isinstance(value, str):
        raise ValueError(f"not a timestamp: {value!r}")
    text = value.strip()
    if not text:
        raise ValueError("empty timestamp")
    if text[-1] in "BTAbta":
        suffix = _ZONE_SUFFIX.search(text)
        if suffix:
            zone = ZoneInfo(ZONE_ALIASES[suffix.group(1).upper()])
            text = text[: suffix.start()]
    if date_format:
        parsed = _strptime(text, date_format)
        if parsed is not None:
            stamp, date_only = parsed
            return _aware(stamp, zone), date_only
    if len(text) <= 10 and ":" not in text:
        day = date.fromisoformat(text)  # raises ValueError
        return datetime(day.year, day.month, day.day, tzinfo=zone), True
    if len(text) <= 10 or text[10] not in "Tt ":  # the usual YYYY-MM-DDThh:mm passes at once
        zoned = _ZONED_DATE.fullmatch(text)
        if zoned:  # XML Schema's xs:date: the date as written, its offset dropped (docs/time.md)
            day = date.fromisoformat(zoned.group(1))  # raises ValueError
            return datetime(day.year, day.month, day.day, tzinfo=zone), True
        _check_separator(text)  # raises ValueError
    stamp = datetime.fromisoformat(text)  # raises ValueError
    return _aware(stamp, zone), False


def _check_separator(text: str) -> None:
    """Raise ValueError unless `text` is a date, then T (or t, or a space), then the rest.
    Python's fromisoformat takes any one character between the date and the time, so that
    2025-01-06+07:00 and 2025-01-06x10:30 would be read as times of day."""
    at = next((i for i, char in enumerate(text) if char in "Tt "), -1)
    if at < 0:
        raise ValueError(f"no T between the date and the time: {text!r}")
    date.fromisoformat(text[:at])  # raises ValueError: the date must end at the separator


def in_range(stamp: date) -> bool:
    """Whether `stamp` falls in the supported years, FIRST_YEAR to LAST_YEAR (its own date)."""
    return FIRST_YEAR <= stamp.year <= LAST_YEAR


def _strptime(text: str, date_format: str) -> tuple[datetime, bool] | None:
    try:
        return datetime.strptime(text, date_format), not has_time(date_format)
    except ValueError:
        pass
    except re.error:  # a format no one checked (check_date_format refuses it): the user's, not a row's
        raise InputError("readers.bad_date_format", None, {"format": date_format}) from None
    head = _date_part(date_format)
    if head is not None:
        try:
            return datetime.strptime(text, head), True
        except ValueError:
            pass
    return None


def _aware(stamp: datetime, zone: tzinfo) -> datetime:
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=zone)
    return stamp
