"""The one event model every reader produces and the audit consumes.

Pure data: no I/O here. Readers (checker.readers) build these from files; the audit reads them.
"""

from __future__ import annotations

import copyreg
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from types import MappingProxyType
from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})
EMPTY = _EMPTY  # the shared empty attribute map

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
    timestamps keep their order in the source)."""

    case_id: str
    events: tuple[Event, ...]
    attributes: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    documents: tuple[str, ...] = ()
