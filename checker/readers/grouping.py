"""From raw events to cases: grouping, time order, duplicates, lifecycle pairing.

Grouped logs (every case's rows together: the usual export, and an XES file whose traces have
distinct case ids) stream with memory bounded by the largest case. A log that is not grouped is
spilled to a temporary sqlite file and read back case by case, so memory stays bounded there too;
the accounting says so. Either way a case id is one case: rows of a case id far apart, and XES
traces that share a case id (with their attributes, the first trace's first), are read together.

Lifecycle (pairing on by default): in time order within a case, a `start` opens an activity
(keyed by activity and, when present, concept:instance); the next `complete` of that key closes
it and becomes one event whose `start` is the start's timestamp (date-only when the start row's
timestamp was: `start_date_only`). A `complete` without an open start is an event as it is, and so
is a row without lifecycle (an empty cell), which never closes a start: it says nothing of one,
even for the same activity between a start and its complete. A start never completed is counted as
`unpaired_starts`; rows of any other transition (schedule, suspend, resume, abort...) are counted
by transition in `lifecycle_other`. None of these are rejected rows: they were read correctly.
"""

from __future__ import annotations

import json
import marshal
import os
import pickle
import sqlite3
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import chain, groupby, islice
from operator import attrgetter, is_not, itemgetter, ne
from types import MappingProxyType
from typing import Any

from checker.events import Case, Event, days_kept, new_event
from checker.readers.accounting import Accounting, Note
from checker.readers.build import CaseEnd, RawEvent, short_text

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_BY_TIME = itemgetter(3)
_CASE_PART = attrgetter("case_attributes", "case_documents")
MAX_CONFLICT_NOTES = 20
CONFLICT_NOTE = "readers.note.case_attribute_conflict"


def is_grouped(case_ids: Iterable[str | None]) -> bool:
    """Whether each case's rows are contiguous (None ids are ignored). Stops at the first case
    that comes back after another one started."""
    finished: set[str] = set()
    current: str | None = None
    for case_id in case_ids:
        if case_id is None or case_id == current:
            continue
        if case_id in finished:
            return False
        if current is not None:
            finished.add(current)
        current = case_id
    return True


BLOOM_BITS = 1 << 26  # 8 MiB: about one false "maybe" in 6,000 case starts at 1.25M cases


def grouped_in_bounded_memory(
    case_ids: Iterable[str | None], again: Callable[[], Iterable[str | None]], bits: int = BLOOM_BITS
) -> bool:
    """is_grouped's verdict without a set of every case id, for a log that can be read again
    (`again` gives the same ids anew): see GroupedCheck."""
    check = GroupedCheck(bits)
    check.feed(case_ids)
    return check.verdict(again)


class GroupedCheck:
    """is_grouped's verdict in memory that does not grow with the log, fed the case ids a batch
    at a time (None ids are ignored). A case that starts after a larger id cannot have started
    before (a log sorted by case id costs nothing); one that starts after a smaller id is looked
    up in a Bloom filter of every start, and only its "maybe"s are checked exactly, in a second
    pass over the ids (`verdict(again)`). Memory: the filter (`bits` / 8 bytes) and the
    "maybe"s, however long the log."""

    def __init__(self, bits: int = BLOOM_BITS) -> None:
        self.filter = bytearray(bits >> 3)
        self.mask = bits - 1
        self.current: str | None = None
        self.high: str | None = None
        self.maybe: set[str] = set()

    def feed(self, case_ids: Iterable[str | None]) -> None:
        filter_, mask, maybe = self.filter, self.mask, self.maybe
        current, high = self.current, self.high
        for case_id in case_ids:
            if case_id is None or case_id == current:
                continue
            h = hash(case_id)
            slots = (h & mask, (h >> 21) & mask, (h >> 42) & mask)
            if high is not None and case_id <= high:
                if all(filter_[i >> 3] & (1 << (i & 7)) for i in slots):
                    maybe.add(case_id)
            else:
                high = case_id
            for i in slots:
                filter_[i >> 3] |= 1 << (i & 7)
            current = case_id
        self.current, self.high = current, high

    def verdict(self, again: Callable[[], Iterable[str | None]]) -> bool:
        """Whether the ids fed are grouped; `again` gives them anew for the "maybe"s' second look."""
        if not self.maybe:
            return True
        started: set[str] = set()
        current = None
        for case_id in again():
            if case_id is None or case_id == current:
                continue
            if case_id in self.maybe:
                if case_id in started:
                    return False
                started.add(case_id)
            current = case_id
        return True


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _identity(raw: RawEvent) -> tuple[Any, ...]:
    """Everything an event says except where it was read: equal identities are exact
    duplicates (activity, timestamp, date_only, actor, start and whether it is date-only,
    documents, lifecycle, and the attributes)."""
    attributes = raw.attributes
    said = raw[2:9] if not raw.start_date_only else (*raw[2:9], "start_date_only")
    if not attributes:
        return said
    frozen = tuple(sorted(attributes.items()))
    try:
        hash(frozen)
    except TypeError:
        frozen = _freeze(attributes)
    return (*said, frozen)


def _duplicates(raws: list[RawEvent]) -> list[tuple[int, int]]:
    """(row, row of its first copy) for each exact duplicate among raws sorted by time, in
    source order. Copies share their timestamp, so only rows with equal timestamps, next to each
    other once sorted, are compared (a case without any is not looked at further)."""
    found: list[tuple[int, int]] = []
    for _, run in groupby(raws, key=_BY_TIME):
        seen: dict[tuple[Any, ...], int] = {}
        for raw in run:
            first = seen.setdefault(_identity(raw), raw.row)
            if first != raw.row:
                found.append((raw.row, first))
    found.sort()
    return found


def _event(raw: RawEvent, keep_lifecycle: bool) -> Event:
    attributes: Mapping[str, Any] = raw.attributes
    if keep_lifecycle and raw.lifecycle is not None:
        attributes = {**attributes, "lifecycle:transition": raw.lifecycle}
    return new_event(
        raw.case_id,
        raw.activity,
        raw.timestamp,
        raw.actor,
        raw.start,
        raw.date_only,
        raw.documents,
        MappingProxyType(attributes) if attributes else _EMPTY,
        raw.row,
        raw.start_date_only,
    )


def _merged(start: RawEvent, complete: RawEvent) -> Event:
    documents = complete.documents
    extra = tuple(d for d in start.documents if d not in documents)
    attributes = {**start.attributes, **complete.attributes} if start.attributes else complete.attributes
    return Event(
        complete.case_id,
        complete.activity,
        complete.timestamp,
        complete.actor if complete.actor is not None else start.actor,
        complete.start if complete.start is not None else start.timestamp,
        complete.date_only,
        documents + extra,
        MappingProxyType(attributes) if attributes else _EMPTY,
        complete.row,
        complete.start_date_only if complete.start is not None else start.date_only,
    )


def _pair(raws: list[RawEvent], acc: Accounting) -> list[Event]:
    events: list[Event] = []
    open_starts: dict[tuple[str, Any], deque[RawEvent]] = {}
    other = acc.lifecycle_other
    for raw in raws:
        lifecycle = raw.lifecycle
        if lifecycle is None:  # says nothing of a start: an event as it is, closing none
            events.append(_event(raw, False))
        elif lifecycle == "complete":
            key = (raw.activity, raw.attributes.get("concept:instance"))
            waiting = open_starts.get(key)
            if waiting:
                events.append(_merged(waiting.popleft(), raw))
                acc.paired_starts += 1
            else:
                events.append(_event(raw, False))
        elif lifecycle == "start":
            key = (raw.activity, raw.attributes.get("concept:instance"))
            open_starts.setdefault(key, deque()).append(raw)
        else:
            other[lifecycle] = other.get(lifecycle, 0) + 1
    acc.unpaired_starts += sum(len(waiting) for waiting in open_starts.values())
    return events


def assemble(
    case_id: str,
    raws: list[RawEvent],
    acc: Accounting,
    pair: bool,
    ends: Sequence[CaseEnd] = (),
) -> Case:
    """One case from its raw events (in source order) and the ends of its traces (XES: their
    attributes and documents, the first trace's values first), updating the accounting."""
    if len(raws) > 1:
        source = raws
        raws = sorted(raws, key=_BY_TIME)  # stable: equal timestamps keep their source order
        stamps = [raw.timestamp for raw in raws]
        if not all(map(ne, stamps, islice(stamps, 1, None))):
            acc.duplicates.extend(_duplicates(raws))  # copies are next to each other here
        if any(map(is_not, raws, source)):
            raws = days_kept(source, raws)
    if pair and any(r.lifecycle is not None and r.lifecycle != "complete" for r in raws):
        events = _pair(raws, acc)
    else:
        events = [_event(raw, not pair) for raw in raws]
    acc.events += len(events)
    acc.cases += 1
    attributes, documents = _case_attributes(case_id, raws, acc, ends)
    return Case(case_id, tuple(events), attributes, documents)


def _case_attributes(
    case_id: str, raws: list[RawEvent], acc: Accounting, ends: Sequence[CaseEnd]
) -> tuple[Mapping[str, Any], tuple[str, ...]]:
    merged: dict[str, Any] = {}
    documents: list[str] = []
    previous: Mapping[str, Any] | None = None
    conflicts: dict[str, Any] = {}  # name -> the first value that differs from the one kept
    told = chain(((end.attributes, end.documents) for end in ends), map(_CASE_PART, raws))
    for attrs, case_documents in told:
        if attrs is not previous and attrs:
            for name, value in attrs.items():
                known = merged.setdefault(name, value)
                if known != value and name not in conflicts:
                    conflicts[name] = value
            previous = attrs
        for document in case_documents:
            if document not in documents:
                documents.append(document)
    if conflicts:
        acc.case_attribute_conflicts += len(conflicts)
        # A note for each of the first MAX_CONFLICT_NOTES cases with a conflict, with the case's
        # first row: shares of a log read in parallel keep their first ones, and the first of
        # all are the same notes (checker.readers.source.LogSource.absorb).
        if sum(n.key == CONFLICT_NOTE for n in acc.notes) < MAX_CONFLICT_NOTES:
            acc.notes.append(
                Note(
                    CONFLICT_NOTE,
                    {
                        "case_id": case_id,
                        "names": ", ".join(sorted(conflicts)),
                        "row": min((raw.row for raw in raws), default=0),  # 0: traces without events
                        # The first of them, with the value kept and the one that differs from it.
                        "name": (name := min(conflicts)),
                        "value": _shown(merged[name]),
                        "other": _shown(conflicts[name]),
                    },
                )
            )
    return (MappingProxyType(merged) if merged else _EMPTY), tuple(documents)


def _shown(value: Any) -> str:
    """A case attribute's value as a note quotes it (build.short_text), with line ends, tabs and
    quotes escaped as JSON writes them: a note is one line."""
    return json.dumps(short_text(value), ensure_ascii=False)[1:-1]


class SpillStore:
    """Raw events of a log that is not grouped, kept in a temporary sqlite file and read back
    case by case (cases in order of first appearance, events in source order), with the ends of
    the case's traces when the log has traces (XES traces that share a case id)."""

    BATCH = 5000

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="sopcheck-")
        self._db = sqlite3.connect(os.path.join(self._dir.name, "events.sqlite"))
        for pragma in (
            "PRAGMA journal_mode=OFF",
            "PRAGMA synchronous=OFF",
            "PRAGMA temp_store=FILE",
            "PRAGMA cache_size=-8000",
        ):
            self._db.execute(pragma)
        self._db.execute("CREATE TABLE ev (case_no INTEGER, seq INTEGER, data BLOB)")
        self._order: dict[str, int] = {}
        self._batch: list[tuple[int, int, bytes]] = []
        self._seq = 0
        self._current: str | None = None
        self._zones: list[Any] = []
        self._zone_index: dict[Any, int] = {}
        self.grouped = True

    def add(self, raw: RawEvent) -> None:
        case_id = raw.case_id
        if case_id != self._current:
            if case_id in self._order:
                self.grouped = False
            self._current = case_id
        case_no = self._order.setdefault(case_id, len(self._order))
        self._seq += 1
        self._batch.append((case_no, self._seq, self._encode(raw)))
        if len(self._batch) >= self.BATCH:
            self._flush()

    def end(self, end: CaseEnd) -> None:
        """The end of a trace of case `end.case_id`: its attributes and documents are the case's,
        and a trace without events still makes its case."""
        case_no = self._order.setdefault(end.case_id, len(self._order))
        self._current = None  # a trace of this case after this one comes back to it
        self._seq += 1
        told = (end.case_id, dict(end.attributes), end.documents)
        self._batch.append((case_no, self._seq, b"e" + pickle.dumps(told, pickle.HIGHEST_PROTOCOL)))

    def _flush(self) -> None:
        if self._batch:
            self._db.executemany("INSERT INTO ev VALUES (?, ?, ?)", self._batch)
            self._batch = []

    def cases(self) -> Iterator[tuple[list[RawEvent], list[CaseEnd]]]:
        """Each case's raw events and the ends of its traces (none for a log without traces)."""
        self._flush()
        self._order.clear()
        self._db.execute("CREATE INDEX ev_case ON ev (case_no, seq)")
        rows = self._db.execute("SELECT case_no, data FROM ev ORDER BY case_no, seq")
        current = -1
        batch: list[RawEvent] = []
        ends: list[CaseEnd] = []
        for case_no, data in rows:
            if case_no != current:
                if batch or ends:
                    yield batch, ends
                batch, ends = [], []
                current = case_no
            if data[:1] == b"e":
                ends.append(CaseEnd(*pickle.loads(data[1:])))
            else:
                batch.append(self._decode(data))
        if batch or ends:
            yield batch, ends

    # Raw events are stored with marshal (several times faster than pickle for this shape):
    # datetimes as their fields plus an index into the zones seen; a row holding a value marshal
    # cannot take (a datetime among the attributes) falls back to pickle.

    def _moment(self, value: datetime | None) -> tuple[int, ...] | None:
        if value is None:
            return None
        zone = self._zone_index.get(value.tzinfo)
        if zone is None:
            zone = self._zone_index[value.tzinfo] = len(self._zones)
            self._zones.append(value.tzinfo)
        return (
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            value.fold,
            zone,
        )

    def _encode(self, raw: RawEvent) -> bytes:
        try:
            return b"m" + marshal.dumps(
                (
                    raw.row,
                    raw.case_id,
                    raw.activity,
                    self._moment(raw.timestamp),
                    raw.date_only,
                    raw.actor,
                    self._moment(raw.start),
                    raw.documents,
                    raw.lifecycle,
                    raw.attributes,
                    raw.case_attributes,
                    raw.case_documents,
                    raw.start_date_only,
                )
            )
        except ValueError:
            return b"p" + pickle.dumps(tuple(raw), pickle.HIGHEST_PROTOCOL)

    def _when(self, fields: tuple[int, ...] | None) -> datetime | None:
        if fields is None:
            return None
        year, month, day, hour, minute, second, micro, fold, zone = fields
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=self._zones[zone], fold=fold)

    def _decode(self, data: bytes) -> RawEvent:
        if data[:1] == b"p":
            return RawEvent(*pickle.loads(data[1:]))
        values = marshal.loads(data[1:])
        return RawEvent(
            values[0],
            values[1],
            values[2],
            self._when(values[3]),  # type: ignore[arg-type]
            values[4],
            values[5],
            self._when(values[6]),
            values[7],
            values[8],
            values[9],
            values[10],
            values[11],
            values[12],
        )

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()
