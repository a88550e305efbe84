"""Whether the columnar engine may audit a log, and what it needs to know of the SOP, the log's
columns and the calendar. Anything it cannot do exactly as the case-by-case engine does declines
it here (None), and the log is audited the usual way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from checker.readers.timeparse import FIRST_YEAR, LAST_YEAR
from checker.sop.model import Sop
from checker.workcal import DAY_UNITS, WorkCalendar

EPOCH = 719163  # date(1970, 1, 1).toordinal(): day numbers count from 1970-01-01

@dataclass(frozen=True)
class Plan:
    """What the columnar engine needs of the SOP, the log's columns and the calendar."""

    sop: Sop
    traces: bool  # the JSON report lists each case's events, alignment and step times
    format: str  # "csv" (chunks.Lines) or "parquet" (chunks.Frames)
    delimiter: str  # a CSV file's ("" for Parquet)
    width: int  # columns a row must have
    i_case: int
    i_activity: int
    i_timestamp: int
    i_actor: int | None
    i_documents: int | None
    i_mode: int | None  # the event attribute `mode` (AC004); no other event attribute is judged
    i_case_documents: int | None
    case_columns: tuple[tuple[int, str], ...]  # (column, attribute), in the builder's order
    start_attribute: str | None
    tested: frozenset[str]  # the case attributes the SOP's conditions read (a case's key holds them)
    offset: str  # the calendar zone's UTC offset as a timestamp writes it: "+07:00"
    offset_seconds: int
    dates: frozenset[int] = frozenset()  # a Parquet file's date columns, read as their ISO text


def plan_for(setup: Any, source: Any, *, checked: bool = True) -> Plan | None:
    """The plan for auditing `source` (a LogSource) column by column, or None. Without
    `checked`, whether the file is plain and grouped is not asked (it would make the pre-scan):
    the workers of early shares find it out themselves (Engine.verdict)."""
    from importlib.util import find_spec

    if find_spec("pyarrow") is None:  # an optional dependency (the parquet extra)
        return None
    from checker.readers.textfile import lookup_codec
    from checker.reporters.audit import JsonLines

    reader = getattr(source, "reader", None)
    render = setup.render
    if (
        reader is None
        or source.format not in ("csv", "parquet")
        or not isinstance(render, JsonLines)
        or setup.roster is not None
        or (setup.zone is not None and setup.zone is not setup.calendar.tz)
        or source.options.strict
        or source.options.date_format is not None
        or reader.builder.zone != setup.calendar.tz  # read in another zone (an opened source)
    ):
        return None
    if source.format == "csv" and (
        (checked and getattr(reader, "span", None) is None and not getattr(reader, "grouped", False))
        or (checked and not getattr(reader, "plain", False))
        or len(reader.delimiter) != 1
        or not reader.delimiter.isascii()  # pyarrow's parser takes an ASCII delimiter only
        or reader.delimiter in '"\r\n'
        or lookup_codec(reader.encoding).name not in ("utf-8", "utf-8-sig")
    ):
        return None
    builder = reader.builder
    fields = builder.names
    if "lifecycle" in fields or "start_timestamp" in fields or builder.typed:
        return None
    if any(s.effective for s in setup.revisions):
        return None  # the revision in force depends on each case's start
    sop = sorted(setup.revisions, key=lambda s: s.order)[-1]  # the Auditor's choice without dates
    tested = tested_attributes(sop)
    if not _times_in_days(sop) or (sop.case.start_attribute in tested):
        return None  # a case's key holds whether its start date is there, not its value
    offset = fixed_offset(setup.calendar)
    if offset is None:
        return None
    modes = [i for i, name in builder.event_index if name == "mode"]
    dates: frozenset[int] | None = frozenset()
    if source.format == "parquet":
        dates = _parquet_dates(reader, tested, modes)
        if dates is None:
            return None
    return Plan(
        sop=sop,
        traces=render.traces,
        format=source.format,
        delimiter=getattr(reader, "delimiter", ""),
        width=builder.width,
        i_case=builder.i_case,
        i_activity=builder.i_activity,
        i_timestamp=builder.i_timestamp,
        i_actor=builder.i_actor,
        i_documents=builder.i_documents,
        i_mode=modes[0] if modes else None,
        i_case_documents=builder.i_case_documents if setup.case_documents else None,
        case_columns=tuple(builder.case_index),
        start_attribute=sop.case.start_attribute,
        tested=tested,
        offset=offset[0],
        offset_seconds=offset[1],
        dates=dates,
    )


def _parquet_dates(reader: Any, tested: frozenset[str], modes: list[int]) -> frozenset[int] | None:
    """A Parquet file's typed case columns that the engine reads as text: date columns whose
    ISO text is what the SOP reads of their dates (the start date) and what the report writes.
    None (declined) for a file read by hash shares (chunks.Frames reads rows in order) or not
    grouped; with a typed `mode` column or a typed case column of another kind (the report
    writes a number, a time), or one the SOP's conditions read; or with a column of any type
    but text, dates, numbers and booleans: the rows the engine renders are not made Python
    values, so only columns whose conversion cannot fail are left unconverted (a date's stored
    value is checked: chunks.Frame.columns), and pandas is not needed (a worker refuses it).
    `tested`: the attributes the SOP's conditions read; `modes`: the `mode` column, if any."""
    from pyarrow import types

    if (reader.share is not None and reader.span is None) or reader.grouped is not True:
        return None
    texts, kinds = reader.text_columns, reader.column_types
    plain_kinds = (types.is_date, types.is_integer, types.is_floating, types.is_boolean)
    if not all(i in texts or any(k(kind) for k in plain_kinds) for i, kind in enumerate(kinds)):
        return None
    if any(i not in texts for i in modes):
        return None
    dates = set()
    for i, name in reader.builder.case_index:
        if i in texts:
            continue
        if not types.is_date(kinds[i]) or name in tested:
            return None
        dates.add(i)
    return frozenset(dates)


def tested_attributes(sop: Sop) -> frozenset[str]:
    """The case attributes any condition of the SOP reads (branches, documents, closed_when)."""
    conditions = [branch.when for step in sop.steps for branch in step.next]
    conditions += [ref.when for step in sop.steps for ref in (*step.inputs, *step.outputs)]
    conditions += [ref.when for ref in sop.case.arrives_with]
    conditions.append(sop.case.closed_when)
    found: set[str] = set()
    for condition in conditions:
        if condition is not None:
            found |= condition.attributes()
    return frozenset(found)


def _times_in_days(sop: Sop) -> bool:
    """Only times allowed in whole days per step and for the whole case: no deadline between
    steps, none read from an attribute, no minimum wait, no time of day."""
    if sop.deadlines:
        return False
    total = sop.case.total_time
    if total is not None and total.unit not in DAY_UNITS:
        return False
    return all(step.time is None or step.time.unit in DAY_UNITS for step in sop.steps)


def fixed_offset(calendar: WorkCalendar) -> tuple[str, int] | None:
    """The calendar zone's UTC offset in 2000, as a timestamp writes it, and in seconds; whether
    it is the offset of every day of the years a log's timestamps are in is checked as the log
    is read (Days.cover)."""
    now = datetime(2000, 1, 1, tzinfo=calendar.tz).utcoffset()
    if now is None or now % timedelta(minutes=1):
        return None
    minutes = int(now.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    text = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return text, minutes * 60


class Days:
    """The calendar as arrays over day numbers (days since 1970-01-01): how many working days
    there are up to each day, and whether it is one; what WorkCalendar._days_taken counts."""

    def __init__(self, calendar: WorkCalendar, offset_seconds: int) -> None:
        self.calendar = calendar
        self.offset = timedelta(seconds=offset_seconds)
        self.first = self.last = None  # years covered
        self.base = 0
        self.rank: Any = None
        self.work: Any = None
        self.offsets_checked: set[int] = set()  # years whose offset is the calendar's

    def cover(self, first: int, last: int, stamped: tuple[int, int]) -> bool:
        """Make the arrays cover the years first..last; False where the zone's offset is not the
        calendar's on some day of the years `stamped` (first, last) that timestamps are in (the
        dates they write are then not the calendar's; a start date is read as a date)."""
        import numpy as np

        if not FIRST_YEAR <= first <= last <= LAST_YEAR:
            return False
        for year in range(stamped[0], stamped[1] + 1):
            if year not in self.offsets_checked:
                if not self._same_offset(year):
                    return False
                self.offsets_checked.add(year)
        if self.first is not None and self.first <= first and last <= self.last:
            return True
        first = min(first, self.first or first)
        last = max(last, self.last or last)
        ordinals = self.calendar.working_ordinals(first, last)
        base = date(first, 1, 1).toordinal() - EPOCH
        size = date(last, 12, 31).toordinal() - EPOCH - base + 1
        work = np.zeros(size, dtype=bool)
        work[np.asarray(ordinals, dtype=np.int64) - EPOCH - base] = True
        self.rank = np.cumsum(work, dtype=np.int64)  # working days up to and including each day
        self.work = work
        self.base, self.first, self.last = base, first, last
        return True

    def _same_offset(self, year: int) -> bool:
        """Whether the zone's offset is the calendar's at the start and the end of every day of
        `year` (a change of offset lasts longer than half a day)."""
        tz = self.calendar.tz
        day = date(year, 1, 1)
        while day.year == year:
            for moment in (time(0), time(23, 59, 59)):
                if datetime.combine(day, moment, tz).utcoffset() != self.offset:
                    return False
            day += timedelta(days=1)
        return True

    def taken(self, start: Any, end: Any, calendar_days: Any) -> Any:
        """WorkCalendar._days_taken for arrays of day numbers (0 where end <= start)."""
        import numpy as np

        s = start - self.base
        e = end - self.base
        working = self.rank[e] + (~self.work[e]) - self.rank[s]
        taken = np.where(calendar_days, end - start, working)
        return np.where(end <= start, 0, taken)
