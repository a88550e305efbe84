"""The Indonesian working calendar: which days are working days, and deadline arithmetic.

Pure core (docs/time.md has the rules and worked examples). Working days exclude the weekend,
national holidays and cuti bersama (the `holidays` package, categories public and government)
and a calendar file's extra days off, except the days the file declares working. Working time is
the working hours of working days, counted in the calendar's time zone.

The audit calls this per event, so each answer is a bisect in tables built lazily and kept per
process: the sorted ordinals of the working days of a contiguous range of years, and the running
total of their working time. `holidays`, `yaml` and `jsonschema` are imported only when needed.
"""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from checker.errors import InputError

UNITS = ("working_days", "calendar_days", "working_hours", "working_minutes", "hours", "minutes")
DAY_UNITS = ("working_days", "calendar_days")
_US = {"working_hours": 3_600_000_000, "working_minutes": 60_000_000,
       "hours": 3_600_000_000, "minutes": 60_000_000}
_MINUTE_US = 60_000_000
TZ_ALIASES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
WEEKDAYS = {name: i % 7 for i, name in enumerate((
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"))}

Hours = tuple[tuple[int, int], ...]  # (start, end) in minutes after local midnight, in order
# The common ASN schedule (5 working days): Mon-Thu 07:30-16:00, Fri 07:30-16:30.
_MON_THU: Hours = ((450, 960),)
ASN_HOURS: tuple[Hours, ...] = (_MON_THU, _MON_THU, _MON_THU, _MON_THU, ((450, 990),), (), ())
_LAST_YEAR = 9999


class _Cache:
    """Lookup tables derived from a calendar; rebuilt in each process, never pickled."""

    __slots__ = ("off", "work", "day_hours", "table", "names", "ranks")

    def __init__(self, cal: WorkCalendar) -> None:
        self.off = dict(cal.days_off)
        self.work = dict(cal.working_days)
        # A weekend day declared working gets its own hours, else the first weekday's.
        fallback = next(cal.hours[wd] for wd in range(7) if wd not in cal.weekend)
        self.day_hours = tuple(tuple((a * _MINUTE_US, b * _MINUTE_US) for a, b in h or fallback)
                               for h in cal.hours)
        # (first year, last year, working-day ordinals, working time before each of them in us);
        # one tuple so that a rebuild replaces it in a single assignment.
        self.table: tuple[int, int, list[int], list[int]] = (1, 0, [], [0])
        self.names: dict[tuple[str, int], dict[date, str]] = {}
        # date -> (working days up to and including it, counted from the table's start; whether
        # it is one): what the audit asks per step, answered by one dict lookup. Valid for the
        # current table only (cleared when the table grows).
        self.ranks: dict[date, tuple[int, bool]] = {}


class OffsetZone(tzinfo):
    """A fixed offset from UTC (a calendar file's `timezone: "+08:00"`), named by its `key` as a
    ZoneInfo is (reports and `sopcheck generate` show a calendar's zone by its key)."""

    def __init__(self, offset: timedelta) -> None:
        from checker.readers.timeparse import format_offset

        self.offset = offset
        self.key = format_offset(offset)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self.offset

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return self.key

    def fromutc(self, dt: datetime) -> datetime:
        return dt + self.offset

    def __reduce__(self) -> tuple[Any, ...]:
        return (OffsetZone, (self.offset,))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OffsetZone) and other.offset == self.offset

    def __hash__(self) -> int:
        return hash(self.offset)

    def __repr__(self) -> str:
        return f"OffsetZone({self.key})"


def _other_zone(name: str, where: Any) -> tzinfo:
    """A calendar file's zone that is no IANA name or WIB/WITA/WIT: what --timezone and an
    SOP's case.timezone accept besides (an offset such as +14:00, Z, a name with spaces
    around), else InputError calendar.bad_timezone at `where`."""
    from checker.readers.timeparse import resolve_zone

    try:
        zone = resolve_zone(name)
    except InputError:
        raise InputError("calendar.bad_timezone", where, {"value": name}) from None
    if isinstance(zone, ZoneInfo):
        return zone
    offset = zone.utcoffset(None)
    assert offset is not None  # resolve_zone gives a ZoneInfo or a fixed offset
    return OffsetZone(offset)


@dataclass(frozen=True)
class WorkCalendar:
    """A working calendar. `days_off` and `working_days` are sorted (date, name) pairs;
    `hours` has one entry per weekday (Monday first); `source` names the calendar file."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    weekend: frozenset[int] = frozenset({5, 6})
    days_off: tuple[tuple[date, str], ...] = ()
    working_days: tuple[tuple[date, str], ...] = ()
    hours: tuple[Hours, ...] = ASN_HOURS
    source: str = ""
    _cache: _Cache = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.hours) != 7 or len(self.weekend) > 6:
            raise ValueError("need hours for 7 weekdays and at least one working weekday")
        if any(not self.hours[wd] for wd in range(7) if wd not in self.weekend):
            raise ValueError("every weekday outside the weekend needs working hours")
        object.__setattr__(self, "_cache", _Cache(self))

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_cache"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        object.__setattr__(self, "_cache", _Cache(self))

    @classmethod
    def default(cls) -> WorkCalendar:
        """National holidays and cuti bersama, Saturday and Sunday off, ASN hours, WIB."""
        return cls()

    @classmethod
    def from_file(cls, path: str | Path) -> WorkCalendar:
        """Read a calendar file (schemas/calendar.schema.json); errors carry file:line:col."""
        from checker.sop.schema import iter_schema_errors
        from checker.sop.yamlload import load_yaml, read_text

        path = str(path)
        text = read_text(path)
        doc = load_yaml(path, text)
        data = doc.data
        if not isinstance(data, dict):
            raise InputError("yaml.not_mapping", doc.locate(()))
        spec = data.get("hours")
        for key in spec if isinstance(spec, dict) else ():
            if key not in WEEKDAYS:  # located at the key, which the schema cannot do
                raise InputError("calendar.unknown_weekday", doc.locate(("hours", key), key=True),
                                 {"value": key})
        for error in iter_schema_errors(doc, "calendar.schema.json"):
            raise InputError(error.key, error.location, error.args)

        name = data.get("timezone", "Asia/Jakarta")
        try:
            tz: tzinfo = ZoneInfo(TZ_ALIASES.get(name.upper(), name))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            tz = _other_zone(name, doc.locate(("timezone",)))
        weekend = frozenset(WEEKDAYS[w] for w in data.get("weekend", ("saturday", "sunday")))

        seen: set[date] = set()
        lists: dict[str, tuple[tuple[date, str], ...]] = {}
        for key in ("days_off", "working_days"):
            entries = []
            for i, entry in enumerate(data.get(key, ())):
                where = doc.locate((key, i, "date"))
                try:
                    day = date.fromisoformat(entry["date"])
                except ValueError:
                    raise InputError("calendar.bad_date", where, {"value": entry["date"]}) from None
                if day in seen:
                    raise InputError("calendar.duplicate_day", where, {"date": day.isoformat()})
                seen.add(day)
                entries.append((day, entry["name"]))
            lists[key] = tuple(sorted(entries))

        hours = list(ASN_HOURS)
        given: dict[int, str] = {}
        for key, value in (spec or {}).items():
            wd = WEEKDAYS[key]
            if wd in given:
                first = doc.locate(("hours", given[wd]), key=True).line
                raise InputError("yaml.duplicate_key", doc.locate(("hours", key), key=True),
                                 {"key": key, "first": first})
            given[wd] = key
            ranges = [value] if isinstance(value, str) else value
            parsed: list[tuple[int, int]] = []
            for i, text_range in enumerate(ranges):
                a, b = (int(p[:2]) * 60 + int(p[3:]) for p in text_range.split("-"))
                if b <= a or (parsed and a < parsed[-1][1]):
                    where = ("hours", key) if isinstance(value, str) else ("hours", key, i)
                    raise InputError("calendar.bad_hours", doc.locate(where), {"value": text_range})
                parsed.append((a, b))
            hours[wd] = tuple(parsed)
        for wd in range(7):
            if wd not in weekend and not hours[wd]:
                where = ("hours", given[wd]) if wd in given else ("weekend",)
                raise InputError("calendar.no_hours", doc.locate(where),
                                 {"day": given.get(wd, list(WEEKDAYS)[wd])})

        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        return cls(tz, weekend, lists["days_off"], lists["working_days"], tuple(hours),
                   f"{Path(path).name} sha256 {digest[:12]}")

    def describe(self, lang: str = "en") -> str:
        """Provenance line for reports: holiday source and version, zone, calendar file."""
        import holidays

        from checker.messages import t
        from checker.readers.timeparse import zone_label

        # zone_label: an SOP's case.timezone may be an offset (+07:00), a zone without a key.
        text = t("calendar.describe", lang, version=holidays.__version__, tz=zone_label(self.tz))
        if self.source:
            text += ", " + t("calendar.describe_file", lang, file=self.source)
        return text

    # Days

    def _holidays(self, year: int, lang: str) -> dict[date, str]:
        names = self._cache.names.get((lang, year))
        if names is None:
            import holidays

            names = dict(holidays.country_holidays(
                "ID", years=year, categories=("public", "government"),
                language="id" if lang == "id" else "en_US"))
            self._cache.names[(lang, year)] = names
        return names

    def _table(self, first: int, last: int) -> tuple[int, int, list[int], list[int]]:
        """The tables, covering at least the years first..last (kept contiguous). Growing them
        computes only the years added: cases that span a century, reached a year at a time,
        would otherwise rebuild the whole century each time."""
        cache = self._cache
        table = cache.table
        if table[0] <= first and last <= table[1]:
            return table
        if last > _LAST_YEAR:
            raise ValueError("date beyond year 9999")
        lo, hi, ordinals, before = table
        if lo > hi:  # empty
            ordinals, before = self._years(first, last, 0)
            lo, hi = first, last
        if last > hi:  # the ranks, counted from the table's start, stay valid
            more, running = self._years(hi + 1, last, before[-1])
            ordinals, before, hi = ordinals + more, before + running[1:], last
        if first < lo:
            more, running = self._years(first, lo - 1, 0)
            shift = running[-1]
            ordinals, before, lo = more + ordinals, running[:-1] + [b + shift for b in before], first
            cache.ranks = {}
        # New lists, never changed in place: a table in use stays as it was.
        cache.table = table = (lo, hi, ordinals, before)
        return table

    def _years(self, first: int, last: int, start: int) -> tuple[list[int], list[int]]:
        """The working-day ordinals of the years first..last, and the running total of their
        working time from `start` (one more entry than ordinals: the total before each, then
        the total after the last)."""
        cache = self._cache
        ordinals: list[int] = []
        before = [start]
        for o in range(date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal() + 1):
            day = date.fromordinal(o)
            wd = day.weekday()
            if day in cache.work or not (wd in self.weekend or day in cache.off
                                         or day in self._holidays(day.year, "en")):
                ordinals.append(o)
                before.append(before[-1] + sum(b - a for a, b in cache.day_hours[wd]))
        return ordinals, before

    def working_ordinals(self, first: int, last: int) -> list[int]:
        """The ordinals (date.toordinal) of the working days of the years first..last."""
        ordinals = self._table(first, last)[2]
        lo, hi = date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal()
        return ordinals[bisect_left(ordinals, lo):bisect_right(ordinals, hi)]

    def is_working_day(self, d: date) -> bool:
        ordinals = self._table(d.year, d.year)[2]
        o = d.toordinal()
        i = bisect_left(ordinals, o)
        return i < len(ordinals) and ordinals[i] == o

    def day_off_name(self, d: date, lang: str = "en") -> str | None:
        """Why `d` is not a working day ("Saturday"/"Sabtu", a holiday), or None if it is one."""
        if self.is_working_day(d):
            return None
        from checker.messages import t

        name = self._cache.off.get(d) or self._holidays(d.year, lang).get(d)
        return name or t(f"calendar.weekday.{d.weekday()}", lang)

    def nth_working_day_after(self, d: date, n: int) -> date:
        """The n-th working day after `d` (n >= 1; `d` itself not counted)."""
        if n < 1:
            raise ValueError(f"n must be at least 1, not {n}")
        last = d.year
        while True:
            _, last, ordinals, _ = self._table(d.year, last)
            i = bisect_right(ordinals, d.toordinal()) + n - 1
            if i < len(ordinals):
                return date.fromordinal(ordinals[i])
            last += 1 + (i - len(ordinals)) // 250

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days in (a, b]; 0 if b <= a."""
        if b <= a:
            return 0
        ordinals = self._table(a.year, b.year)[2]
        return bisect_right(ordinals, b.toordinal()) - bisect_right(ordinals, a.toordinal())

    def local_date(self, ts: datetime) -> date:
        if ts.tzinfo is None:
            raise ValueError(f"naive timestamp {ts.isoformat()}: a time zone is required")
        return ts.astimezone(self.tz).date()

    def _days_taken(self, a: date, b: date, unit: str) -> int:
        # A step finished on a day off counts as finished on the next working day: it is late
        # if that day is after the due day (docs/time.md).
        if b <= a:
            return 0
        if unit == "calendar_days":
            return (b - a).days
        ranks = self._cache.ranks
        ra, rb = ranks.get(a), ranks.get(b)
        if ra is None or rb is None:
            ordinals = self._table(a.year, b.year)[2]  # first, so that both ranks use one table
            ranks = self._cache.ranks
            for d in (a, b):
                i = bisect_right(ordinals, d.toordinal())
                ranks[d] = (i, i > 0 and ordinals[i - 1] == d.toordinal())
            ra, rb = ranks[a], ranks[b]
        # working_days_between(a, b'), b' = b or the next working day after it: rank(b') is
        # rank(b) + 1 when b is a day off.
        return rb[0] + (not rb[1]) - ra[0]

    # Working time

    def _worktime(self, t: datetime, table: tuple[int, int, list[int], list[int]]) -> int:
        """Working time (us) from the start of `table` to the local instant `t`."""
        ordinals, before = table[2], table[3]
        o = t.toordinal()
        i = bisect_left(ordinals, o)
        total = before[i]
        if i < len(ordinals) and ordinals[i] == o:
            now = ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond
            for a, b in self._cache.day_hours[t.weekday()]:
                if now <= a:
                    break
                total += min(now, b) - a
        return total

    def _after_worktime(self, start: datetime, amount: int) -> datetime:
        """The latest instant with at most `amount` us of working time since `start`: the
        working moment where the amount runs out (the next interval's start on a boundary)."""
        s = start.astimezone(self.tz)
        last = s.year
        while True:
            table = self._table(s.year, last)
            target = self._worktime(s, table) + amount
            ordinals, before = table[2], table[3]
            j = bisect_right(before, target) - 1
            if j < len(ordinals):
                break
            last = table[1] + 1
        day = date.fromordinal(ordinals[j])
        left = target - before[j]
        for a, b in self._cache.day_hours[day.weekday()]:
            if left < b - a:
                return datetime.combine(day, time(), self.tz) + timedelta(microseconds=a + left)
            left -= b - a
        raise AssertionError("working time table out of step with the hours")

    def _span(self, start: datetime, end: datetime, unit: str) -> int:
        """Working or clock time (us) from start to end, negative if end is before start."""
        if unit in ("hours", "minutes"):
            return (end.astimezone(UTC) - start.astimezone(UTC)) // timedelta(microseconds=1)
        s, e = start.astimezone(self.tz), end.astimezone(self.tz)
        table = self._table(min(s.year, e.year), max(s.year, e.year))
        return self._worktime(e, table) - self._worktime(s, table)

    # What the audit asks

    def due(self, start: datetime, amount: float, unit: str, *,
            day_precision: bool) -> datetime | None:
        """The latest allowed completion instant, in the calendar's zone; None when the unit is
        finer than the data (hours asked of dates)."""
        if unit in DAY_UNITS:
            n = _whole_days(amount)
            day = self.local_date(start)
            if unit == "calendar_days":
                day += timedelta(days=n)
            elif n:
                day = self.nth_working_day_after(day, n)
            return datetime.combine(day, time.max, self.tz)
        us = _amount_us(amount, unit)
        if day_precision:
            return None
        if unit in ("hours", "minutes"):
            return (start.astimezone(UTC) + timedelta(microseconds=us)).astimezone(self.tz)
        return self._after_worktime(start, us)

    def overrun(self, start: datetime, end: datetime, amount: float, unit: str, *,
                day_precision: bool) -> float | None:
        """How late `end` is, in `unit` (0.0 when on time); None when not checkable."""
        if unit in DAY_UNITS:
            n = _whole_days(amount)
            taken = self._days_taken(self.local_date(start), self.local_date(end), unit)
            return float(max(0, taken - n))
        us = _amount_us(amount, unit)
        if day_precision:
            return None
        return max(0, self._span(start, end, unit) - us) / _US[unit]

    def days_elapsed(self, start: date, end: date, unit: str) -> float:
        """elapsed() in a day unit, from the local dates of the two instants."""
        return float(self._days_taken(start, end, unit))

    def waited(self, start: datetime, end: datetime, unit: str, *,
               day_precision: bool) -> float | None:
        """Time that has really passed, for a minimum wait: as elapsed(), but in working days a
        completion on a day off is not counted as on the next working day (that rounding is for
        lateness; here it would let through a step done before the wait was over)."""
        if unit == "working_days":
            return float(self.working_days_between(self.local_date(start), self.local_date(end)))
        return self.elapsed(start, end, unit, day_precision=day_precision)

    def elapsed(self, start: datetime, end: datetime, unit: str, *,
                day_precision: bool) -> float | None:
        """Time taken in `unit` (0 for the same day in day units; never negative)."""
        if unit in DAY_UNITS:
            return self.days_elapsed(self.local_date(start), self.local_date(end), unit)
        _amount_us(0, unit)
        if day_precision:
            return None
        return max(0, self._span(start, end, unit)) / _US[unit]


def _whole_days(amount: float) -> int:
    if not math.isfinite(amount) or amount < 0 or amount != int(amount):
        raise ValueError(f"a number of days must be a whole number >= 0, not {amount}")
    return int(amount)


def _amount_us(amount: float, unit: str) -> int:
    if unit not in _US:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
    if not math.isfinite(amount) or amount < 0:
        raise ValueError(f"an amount of time must be >= 0, not {amount}")
    return round(amount * _US[unit])
