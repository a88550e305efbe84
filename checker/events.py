"""The one event model every reader produces and the audit consumes.

Pure data: no I/O here. Readers (checker.readers) build these from files; the audit reads them.
"""

from __future__ import annotations

import copyreg
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from itertools import groupby
from operator import attrgetter, is_not
from types import MappingProxyType
from typing import Any, TypeVar

_EMPTY: Mapping[str, Any] = MappingProxyType({})
EMPTY = _EMPTY  # the shared empty attribute map
_BY_STAMP = attrgetter("timestamp")
T = TypeVar("T")

# Read-only attribute maps are mappingproxies; teach pickle to carry them, since cases travel to
# worker processes (--jobs, Dask).
def _proxy(items: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda proxy: (_proxy, (dict(proxy),)))


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened in a case.

    `timestamp` is time-zone aware and marks completion. `date_only` says the source gave a day
    and no time (agenda books): the timestamp is then midnight of that day in the log's zone, and
    the audit judges it at day precision only. `start` is set when the source had a start time or a
    lifecycle start/complete pair; `start_date_only` says that start was a day and no time (as
    `date_only` for the completion). `documents` lists what the event carries or produces.
    `row` is the 1-based line (CSV, JSON Lines, XES) or sheet row (Excel) it was read from.
    """

    case_id: str
    activity: str
    timestamp: datetime
    actor: str | None = None
    start: datetime | None = None
    date_only: bool = False
    documents: tuple[str, ...] = ()
    attributes: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    row: int = 0
    start_date_only: bool = False  # last: events are built with positional fields


def _slot_setters(cls: type) -> tuple:
    return tuple(cls.__dict__[f.name].__set__ for f in fields(cls))


_NEW = object.__new__
_EV = _slot_setters(Event)


def new_event(
    case_id: str,
    activity: str,
    timestamp: datetime,
    actor: str | None,
    start: datetime | None,
    date_only: bool,
    documents: tuple[str, ...],
    attributes: Mapping[str, Any],
    row: int,
    start_date_only: bool,
) -> Event:
    """Event(...) with every field given, for readers: the frozen dataclass's __init__ sets each
    field through object.__setattr__, at twice the cost of the slots' own setters (a reader
    makes one per row)."""
    event = _NEW(Event)
    a, b, c, d, e, f, g, h, i, j = _EV
    a(event, case_id)
    b(event, activity)
    c(event, timestamp)
    d(event, actor)
    e(event, start)
    f(event, date_only)
    g(event, documents)
    h(event, attributes)
    i(event, row)
    j(event, start_date_only)
    return event


@dataclass(frozen=True, slots=True)
class Case:
    """A case: its id, its attributes (from `case:*` columns or XES trace attributes), the
    documents that arrived with it (`case:documents`), and its events in time order (stable: equal
    timestamps keep their order in the source; a date-only event keeps its place among the timed
    ones of its day: in_time_order)."""

    case_id: str
    events: tuple[Event, ...]
    attributes: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    documents: tuple[str, ...] = ()


def in_time_order(items: Sequence[T]) -> list[T]:
    """`items` (in source order, each with a `timestamp` and a `date_only` flag: raw events or
    events) in time order: sorted by time, stably, except that a date-only item keeps its place
    in the source among the timed items of its day. A date has no time of day to sort by: sorted
    to midnight, an agenda book's "recorded 25/11" written after "received 25/11 08:05" would
    come first and make a false FL002 (docs/time.md, "Time order"). The readers' assemble and
    the auditor order cases so."""
    ordered = sorted(items, key=_BY_STAMP)
    return days_kept(items, ordered) if any(map(is_not, ordered, items)) else ordered


def days_kept(source: Sequence[T], ordered: list[T]) -> list[T]:
    """`ordered` (`source` sorted by time, stably) when no item is date-only; otherwise the
    items by day, and in a day the timed ones in time order, in the places the date-only ones
    leave them in the day's source order. A date-only item's day is its date as written; a timed
    item's, its date in the zone of the dates (a reader writes them all in the log's zone; the
    auditor moves them into the calendar's and orders again: engine._dates_in_zone)."""
    zone = next((item.timestamp.tzinfo for item in source if item.date_only), None)
    if zone is None:
        return ordered
    days = [item.timestamp.date() if item.date_only else item.timestamp.astimezone(zone).date()
            for item in source]
    index = sorted(range(len(source)), key=lambda i: (days[i], source[i].timestamp))
    out: list[T] = []
    for _, run in groupby(index, key=days.__getitem__):
        group = list(run)
        if all(source[i].date_only for i in group) or not any(source[i].date_only for i in group):
            out.extend(source[i] for i in group)
            continue
        timed = iter([i for i in group if not source[i].date_only])
        out.extend(source[i if source[i].date_only else next(timed)] for i in sorted(group))
    return out
