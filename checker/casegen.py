"""A seeded, plain-Python builder of cases that follow an SOP on every perspective.

Shared by `sopcheck generate` (one `random.Random` per case, derived from the seed and the case
number, so a log streams and is reproducible) and by the Hypothesis strategies in
checker.testing (which hand in a Hypothesis-controlled Random, so that failures shrink).

A conforming case: case attributes drawn so that every branch can be reached; a path the SOP
allows for them (checker.conformance.automaton); for each step its actor (sometimes an allowed delegate,
with the document the delegation requires on the event), its outputs as the event's documents,
the documents that arrive with the case in `case:documents`; and timestamps that keep every step
within its time allowed on the working calendar, starting on a day drawn across 2024-2027 so that
weekends, national holidays and cuti bersama are crossed, with full or date-only timestamps.
Deadlines (relative, read from an attribute, the case's total time) are met by construction.

Pure: no I/O. The mutations (checker.mutations) turn such a case into one with one deviation.
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from checker.conformance import automaton as automata
from checker.conformance.checks.timing import predecessors
from checker.conformance.results import COMPLETE, IN_PROGRESS
from checker.events import Case, Event
from checker.sop.checks.branches import allowed_branches
from checker.sop.model import (
    END,
    AllOf,
    AnyOf,
    AttributeTest,
    Condition,
    Deadline,
    Duration,
    Endpoint,
    Not,
    Sop,
    Step,
    normalise_label,
)
from checker.workcal import DAY_UNITS, WorkCalendar

FIRST_START = date(2024, 1, 1)
LAST_START = date(2027, 12, 31)
# The earliest start of a case moved back to finish by the audit date (Builder's long_cases):
# inside the years a log may hold (1900-2199), with room for dates counted back from the start.
EARLIEST_START = date(1901, 1, 1)
UNTIMED_DAYS = 5  # the most calendar days a step without time allowed takes in a generated case
SECOND = timedelta(seconds=1)


class GenerationError(ValueError):
    """The SOP leaves no way to build the case asked for (e.g. no attribute values let a case
    through a choice). `key` names the message (checker.messages.testing)."""

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


@dataclass(frozen=True, slots=True)
class Expected:
    """A root finding a case must give: its code and the step it is blamed on."""

    code: str
    step: str | None

    def record(self) -> dict[str, Any]:
        return {"code": self.code, "step": self.step}


@dataclass(frozen=True, slots=True)
class Truth:
    """What the audit of a generated case must say: its status and its root findings."""

    status: str
    findings: tuple[Expected, ...] = ()

    def key(self) -> tuple:
        return (self.status, tuple(sorted((f.code, f.step or "") for f in self.findings)))


@dataclass(frozen=True, slots=True)
class GenEvent:
    """One event of a generated case. `step` is the SOP step it does (None: an activity the SOP
    does not know); `activity`, `actor` and `documents` are labels as a log writes them."""

    step: str | None
    activity: str
    timestamp: datetime
    date_only: bool
    actor: str | None
    documents: tuple[str, ...] = ()
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GenCase:
    """A generated case: attributes as typed Python values (str, bool, int, float, date,
    datetime), the labels of the documents that arrived with it, and its events in time order.
    `date_only` says the case's events carry dates only."""

    case_id: str
    attributes: Mapping[str, Any]
    documents: tuple[str, ...]
    events: tuple[GenEvent, ...]
    date_only: bool = False

    def to_case(self) -> Case:
        """The case as checker.events.Case, as a reader would hand it to the audit."""
        events = tuple(
            Event(
                self.case_id,
                e.activity,
                e.timestamp,
                actor=e.actor,
                date_only=e.date_only,
                documents=e.documents,
                attributes=dict(e.attributes),
                row=i + 1,
            )
            for i, e in enumerate(self.events)
        )
        return Case(self.case_id, events, dict(self.attributes), self.documents)

    @property
    def steps(self) -> tuple[str | None, ...]:
        return tuple(e.step for e in self.events)


@dataclass(frozen=True)
class Sample:
    """A generated case with what its audit must say."""

    case: GenCase
    truth: Truth


def default_calendar(sop: Sop) -> WorkCalendar:
    """The calendar the audit uses for this SOP without a calendar file: the default one, in
    the SOP's time zone (case.timezone) when it names one."""
    if not sop.case.timezone:
        return WorkCalendar.default()
    from checker.readers.timeparse import resolve_zone

    return replace(WorkCalendar.default(), tz=resolve_zone(sop.case.timezone))


class Builder:
    """Builds cases for one SOP revision on one calendar. Build once, use for many cases."""

    def __init__(
        self,
        sop: Sop,
        calendar: WorkCalendar | None = None,
        *,
        as_of: date | None = None,
        first_start: date = FIRST_START,
        last_start: date = LAST_START,
        date_only_rate: float = 0.2,
        long_cases: bool = False,
    ) -> None:
        """`long_cases`: make room for SOPs whose time rules let a case run for decades (time
        allowed and minimum waits of up to about 100 years). In `conforming`, a complete case
        that would end past the audit date from any start in the range, or a case of which
        nothing would be done by then, is timed again from an earlier start (as early as 1901,
        or the SOP's effective date) with every step as soon as its rules let it. Off, such a
        case is drawn again (as `generate` wants: its cases start in the range it is given)."""
        self.sop = sop
        self.calendar = calendar or default_calendar(sop)
        self.tz = self.calendar.tz
        if sop.effective:
            first_start = max(first_start, date.fromisoformat(sop.effective))
        if last_start < first_start:
            raise GenerationError(
                "testing.bad_range", first=first_start.isoformat(), last=last_start.isoformat()
            )
        self.first_start, self.last_start = first_start, last_start
        self.earliest_start = first_start
        self.long_cases = long_cases
        if long_cases:
            effective = date.fromisoformat(sop.effective) if sop.effective else EARLIEST_START
            self.earliest_start = min(first_start, max(EARLIEST_START, effective))
        self.as_of_day = as_of or last_start
        self.as_of = datetime.combine(self.as_of_day, time.max, self.tz)
        self.date_only_rate = date_only_rate
        self.label = {step.id: i + 1 for i, step in enumerate(sop.steps)}  # the automaton's symbols
        self.predecessors = predecessors(sop)
        self._automata: dict[tuple, automata.Automaton] = {}
        self._decisions: dict[tuple, tuple[tuple[bool, ...], bool]] = {}
        self._outputs: dict[tuple, tuple[str, ...]] = {}
        self._documents_ok: dict[tuple, bool] = {}
        self._due_days: dict[tuple, date] = {}
        # Without deadlines or a total time, timing by construction keeps every time rule.
        self.timed_rules = bool(sop.deadlines or sop.case.total_time)
        self.activity_labels = {s.id: _labels_for(s.labels, s.id, sop.step_for_label) for s in sop.steps}
        self.actor_labels = {a.id: _labels_for(a.labels, a.id, sop.actor_for_label) for a in sop.actors}
        self.document_labels = {
            d.id: _labels_for(d.labels, d.id, sop.document_for_label, forbid=";|") for d in sop.documents
        }
        self.pools = self._pools()
        self.date_attributes = self._date_attributes()
        self.has_modes = any(step.modes for step in sop.steps)
        # What a log of generated cases holds besides the standard columns.
        self.attribute_names = tuple(
            sorted({a.id for a in sop.attributes} | set(self.pools) | set(self.date_attributes))
        )
        self.event_attribute_names = ("mode",) if self.has_modes else ()

    # -- attributes ---------------------------------------------------------------------------
    def _conditions(self) -> list[Condition]:
        sop = self.sop
        found: list[Condition | None] = [sop.case.closed_when]
        for step in sop.steps:
            found += [b.when for b in step.next]
            found += [r.when for r in (*step.inputs, *step.outputs)]
        found += [r.when for r in sop.case.arrives_with]
        found += [d.when for d in sop.deadlines]
        return [c for c in found if c is not None]

    def _pools(self) -> dict[str, list[Any]]:
        """Candidate values of each attribute a condition tests: its declared values, or values
        on both sides of each test made of it (so that every condition can hold and fail)."""
        tests: dict[str, list[AttributeTest]] = {}
        for cond in self._conditions():
            for test in _tests(cond):
                tests.setdefault(test.attribute, []).append(test)
        pools: dict[str, list[Any]] = {}
        for name in sorted(tests):
            attribute = self.sop.attribute_by_id.get(name)
            if attribute is not None and attribute.values:
                pools[name] = [v.value for v in attribute.values]
                continue
            values: list[Any] = []
            for test in tests[name]:
                values.extend(_around(test))
            if attribute is not None and attribute.type == "boolean":
                values += [True, False]
            pools[name] = list(dict.fromkeys(_hashable(v) for v in values))
        return pools

    def _date_attributes(self) -> dict[str, str]:
        """Attributes holding moments: name -> role (start, from, due)."""
        roles: dict[str, str] = {}
        for deadline in self.sop.deadlines:
            for point in (deadline.start, deadline.to):
                if point is not None and point.kind == "attribute":
                    roles.setdefault(point.ref, "from")
            if deadline.by_attribute:
                roles[deadline.by_attribute] = "due"
        if self.sop.case.start_attribute:
            roles[self.sop.case.start_attribute] = "start"
        return roles

    def draw_attributes(self, rng: random.Random, *, closed: bool = False) -> dict[str, Any]:
        """Attribute values that let a case through every choice and (unless `closed`) do not
        say the case was closed: a value drawn for each attribute, and if that combination does
        not do, the next ones in order (so that a draw of all zeros, as Hypothesis shrinks to,
        still finds one)."""
        closed_when = self.sop.case.closed_when
        names = list(self.pools)
        pools = [self.pools[n] for n in names]
        drawn = [rng.randrange(len(pool)) for pool in pools]
        steps = itertools.product(*(range(len(pool)) for pool in pools))
        for offsets in itertools.islice(steps, 20_000):
            attrs = {}
            for name, pool, first, offset in zip(names, pools, drawn, offsets, strict=True):
                value = pool[(first + offset) % len(pool)]
                if value is not None:
                    attrs[name] = value
            if not self.decisions(attrs)[1]:
                continue
            if closed_when is not None and closed_when.holds(attrs) != closed:
                continue
            return attrs
        raise GenerationError("testing.no_attributes", sop=self.sop.id)

    def attribute_key(self, attributes: Mapping[str, Any]) -> tuple:
        """What the SOP decides on, of `attributes` (a cache key)."""
        return tuple((v.__class__, v) for v in map(attributes.get, self.pools))

    def decisions(self, attributes: Mapping[str, Any]) -> tuple[tuple[bool, ...], bool]:
        """automaton.decisions, cached on the attributes the SOP decides on."""
        key = self.attribute_key(attributes)
        found = self._decisions.get(key)
        if found is None:
            found = self._decisions[key] = automata.decisions(self.sop, attributes)
        return found

    def automaton(self, attributes: Mapping[str, Any]) -> automata.Automaton:
        key, complete = self.decisions(attributes)
        full = key if complete else None
        auto = self._automata.get(full)
        if auto is None:
            auto = self._automata[full] = automata.build(self.sop, full)
        return auto

    # -- the path -----------------------------------------------------------------------------
    def draw_path(self, rng: random.Random, auto: automata.Automaton, state: int = 0) -> list[str]:
        """A path the automaton allows from `state` to an end: loops taken at most twice more,
        a repeatable step repeated now and then."""
        steps = auto.steps
        limit = 3 * len(steps) + 3
        visits: dict[int, int] = {}
        path: list[str] = []
        while True:
            options = list(auto.succ[state])
            can_end = state in auto.final
            if len(path) >= limit:
                if can_end:
                    return path
                best = auto.to_final[state] - 1
                nxt = next(t for t in options if auto.to_final[t] == best)
            else:
                fresh = [t for t in options if visits.get(t, 0) < 2 and t != state]
                again = [t for t in options if t == state and visits.get(t, 0) < 3]
                choices = fresh or [t for t in options if t != state] or again
                if can_end and (not choices or rng.random() < 1 / (len(choices) + 1)):
                    return path
                nxt = state if again and fresh and rng.random() < 0.2 else rng.choice(choices)
            visits[nxt] = visits.get(nxt, 0) + 1
            path.append(steps[nxt - 1])
            state = nxt

    # -- events -------------------------------------------------------------------------------
    def arriving(self, attributes: Mapping[str, Any]) -> list[str]:
        return [r.document for r in self.sop.case.arrives_with if r.applies(attributes)]

    def outputs(
        self, step_id: str, attributes: Mapping[str, Any], key: tuple | None = None
    ) -> tuple[str, ...]:
        """The documents a step must produce for a case with these attributes (cached; `key`:
        their attribute_key, when known)."""
        key = (step_id, key if key is not None else self.attribute_key(attributes))
        found = self._outputs.get(key)
        if found is None:
            step = self.sop.step_by_id[step_id]
            found = self._outputs[key] = tuple(r.document for r in step.outputs if r.applies(attributes))
        return found

    def draw_event(
        self, rng: random.Random, step_id: str, attributes: Mapping[str, Any], key: tuple | None = None
    ) -> GenEvent:
        """The event of one step, without its time: label, actor (or a delegate with its
        document), outputs, and sometimes the mode it was done in."""
        step = self.sop.step_by_id[step_id]
        docs = list(self.outputs(step_id, attributes, key))
        actor = step.actor
        if step.delegates and rng.random() < 0.2:
            delegate = rng.choice(step.delegates)
            actor = delegate.actor
            docs += [d for d in delegate.requires if d not in docs]
        attrs: dict[str, Any] = {}
        if step.modes and rng.random() < 0.5:
            attrs["mode"] = rng.choice(step.modes)
        return GenEvent(
            step_id,
            self.activity_label(rng, step_id),
            _EPOCH,
            False,
            self.actor_label(rng, actor),
            tuple(self.document_label(rng, d) for d in docs),
            attrs,
        )

    def activity_label(self, rng: random.Random, step_id: str) -> str:
        labels = self.activity_labels[step_id]
        return labels[0] if rng.random() < 0.5 else rng.choice(labels)

    def actor_label(self, rng: random.Random, actor: str) -> str:
        labels = self.actor_labels.get(actor) or (actor,)
        return labels[0] if rng.random() < 0.5 else rng.choice(labels)

    def document_label(self, rng: random.Random, document: str) -> str:
        labels = self.document_labels.get(document) or (document,)
        return labels[0] if rng.random() < 0.5 else rng.choice(labels)

    def document_id(self, label: str) -> str:
        return self.sop.document_for_label.get(normalise_label(label), normalise_label(label))

    # -- time ---------------------------------------------------------------------------------
    def draw_start(self, rng: random.Random, first: date | None = None, last: date | None = None) -> datetime:
        first, last = first or self.first_start, last or self.last_start
        day = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
        return self._at(day, rng.randint(7 * 3600, 17 * 3600))

    def _at(self, day: date, seconds: int) -> datetime:
        return datetime.combine(day, time(), self.tz) + timedelta(seconds=seconds)

    def _earliest(self, start: datetime, start_day: bool, wait: Duration) -> datetime | None:
        """The first moment at which `wait` has passed since `start` (as TM005 measures it)."""
        cal = self.calendar
        if wait.unit in DAY_UNITS:
            day = start.astimezone(self.tz).date()
            n = int(wait.amount)
            if wait.unit == "calendar_days":
                day += timedelta(days=n)
            elif n:
                day = cal.nth_working_day_after(day, n)
            return datetime.combine(day, time(), self.tz)
        if start_day:
            return None  # hours asked of a date: not checked
        moment = cal.due(start, wait.amount, wait.unit, day_precision=False)
        return moment.replace(microsecond=0) + (SECOND if moment.microsecond else timedelta(0))

    def next_instant(
        self,
        rng: random.Random,
        prev: datetime,
        prev_day: bool,
        step: Step,
        date_only: bool,
        hurry: float = 1.0,
        *,
        low: datetime | None = None,
        late: bool = False,
    ) -> datetime:
        """When a step whose input arrived at `prev` is done: within its time allowed, scaled
        by `hurry` (0: at once), or at its very end (`late`), and not before `low` (a minimum
        wait; past the time allowed if the two cannot both hold). Whole seconds."""
        cal = self.calendar
        lo = prev if low is None or low < prev else low
        duration = step.time
        if duration is not None and duration.unit not in DAY_UNITS and not (date_only or prev_day):
            due = cal.due(prev, duration.amount, duration.unit, day_precision=False).replace(microsecond=0)
            if due <= lo:
                return lo
            seconds = int((due - lo).total_seconds())
            return due if late else lo + timedelta(seconds=rng.randint(0, int(seconds * hurry)))
        day0 = lo.astimezone(self.tz).date()
        if duration is not None and duration.unit in DAY_UNITS:
            last = self._due_day(prev.astimezone(self.tz).date(), duration)
        else:
            last = day0 + timedelta(days=2 if duration is not None else UNTIMED_DAYS)
        span = max(0, (last - day0).days)
        day = day0 + timedelta(days=span if late else rng.randint(0, int(span * hurry)))
        if date_only:
            return datetime.combine(day, time(), self.tz)
        if day == day0:
            local = lo.astimezone(self.tz)
            left = int((datetime.combine(day0, time(23, 59, 59), self.tz) - local).total_seconds())
            most = max(0, min(left, int(9 * 3600 * hurry) + 60))
            return lo + timedelta(seconds=most if late else rng.randint(0, most))
        if rng.random() < 0.05:
            return self._at(day, rng.randint(0, 86399))
        return self._at(day, rng.randint(7 * 3600, 17 * 3600))

    def _due_day(self, day: date, duration: Duration) -> date:
        """The last day a step in day units whose input arrived on `day` is on time (cached)."""
        key = (day, duration.amount, duration.unit)
        found = self._due_days.get(key)
        if found is None:
            moment = datetime.combine(day, time(12), self.tz)
            found = self.calendar.due(moment, duration.amount, duration.unit, day_precision=True).date()
            if len(self._due_days) > 100_000:
                self._due_days.clear()
            self._due_days[key] = found
        return found

    def time_events(
        self,
        rng: random.Random,
        case: GenCase,
        start: datetime | None,
        start_day: bool,
        *,
        origin: datetime | None = None,
        hurry: float = 1.0,
        late: bool = False,
        first: int = 0,
        synced: Sequence[bool] | None = None,
    ) -> GenCase:
        """The case with events[first:] timed again: each within its step's time allowed from
        the event that handed it its input (`source`; the first from the case's `start`, its
        start attribute, or at `origin` when the SOP has none), not before the event before it
        in the log, and after every minimum wait that ends at it. Events before `first` keep
        their time."""
        events = case.events
        out = list(events[:first])
        steps = case.steps
        waits = self._waits(case, origin) if self.sop.deadlines else ()
        seen: dict[str, int] = {}
        for k, event in enumerate(out):
            seen.setdefault(event.step, k)
        for i in range(first, len(events)):
            event = events[i]
            step = self.sop.step_by_id.get(event.step) if event.step else None
            low = self._floor(case, out, waits, event.step, i == len(events) - 1, seen) if waits else None
            j = self.source(steps, i, synced)
            prev, prev_day = (start, start_day) if j is None else (out[j].timestamp, out[j].date_only)
            if out and (low is None or low < out[-1].timestamp):
                low = out[-1].timestamp  # the log's order is the order of time
            if prev is None:
                moment = max(origin or _EPOCH, low) if low else (origin or _EPOCH)
                if case.date_only:
                    moment = datetime.combine(moment.astimezone(self.tz).date(), time(), self.tz)
            elif step is None:
                moment = max(prev, low) if low else prev
            else:
                moment = self.next_instant(
                    rng, prev, prev_day, step, case.date_only, hurry, low=low, late=late
                )
            out.append(
                GenEvent(
                    event.step,
                    event.activity,
                    moment,
                    case.date_only,
                    event.actor,
                    event.documents,
                    event.attributes,
                )
            )
            if event.step is not None:
                seen.setdefault(event.step, i)
        return replace(case, events=tuple(out))

    def source(self, steps: Sequence[str | None], i: int, synced: Sequence[bool] | None = None) -> int | None:
        """The event whose completion starts event i's clock, as the audit reads it: the latest
        matched event of a step that leads to it (its predecessor: the step before it, the fork
        for a thread's first step, the threads' last steps for a join), else the latest matched
        event; None for the first (its clock starts at the case's start attribute)."""
        preds = self.predecessors.get(steps[i], frozenset()) if steps[i] is not None else frozenset()
        fallback = None
        for j in range(i - 1, -1, -1):
            if steps[j] is None or (synced is not None and not synced[j]):
                continue
            if fallback is None:
                fallback = j
            if steps[j] in preds:
                return j
        return fallback

    def _waits(self, case: GenCase, origin: datetime | None) -> list[Deadline]:
        """The minimum waits (deadlines with `after`) that apply to a case on its path."""
        done = frozenset(e.step for e in case.events if e.step)
        began = self.began(case) or origin
        return [d for d in self.applicable_deadlines(case.attributes, done, began) if d.after is not None]

    def _floor(
        self,
        case: GenCase,
        placed: Sequence[GenEvent],
        waits: Sequence[Deadline],
        step_id: str | None,
        last: bool,
        seen: Mapping[str, int],
    ) -> datetime | None:
        """The earliest an event may be done so that every minimum wait ending at it holds."""
        low = None
        for deadline in waits:
            to = deadline.to
            ends_here = (to.kind == "step" and to.ref == step_id and step_id not in seen) or (
                to.kind == "end" and last
            )
            if not ends_here:
                continue
            start, start_day = None, False
            if deadline.start.kind == "step":
                k = seen.get(deadline.start.ref)
                if k is not None and k < len(placed):
                    start, start_day = placed[k].timestamp, placed[k].date_only
            elif deadline.start.kind == "attribute":
                start, start_day = self.instant(case.attributes.get(deadline.start.ref))
            if start is None:
                continue
            earliest = self._earliest(start, start_day or case.date_only, deadline.after)
            if earliest is not None and (low is None or earliest > low):
                low = earliest
        return low

    # -- deadlines ----------------------------------------------------------------------------
    def moment(
        self, case: GenCase, point: Endpoint, done: Mapping[str, int], ended: bool
    ) -> tuple[datetime | None, bool, int | None]:
        """When `point` happened in `case` (instant, date-only, event index), as the audit reads
        it: a step's first synchronous event, an attribute's value, or the last event of a case
        that ended (finished, or closed by the log)."""
        if point.kind == "step":
            e = done.get(point.ref)
            if e is None:
                return None, False, None
            event = case.events[e]
            return event.timestamp, event.date_only, e
        if point.kind == "attribute":
            instant, day = self.instant(case.attributes.get(point.ref))
            return instant, day, None
        if not ended or not case.events:
            return None, False, None
        last = case.events[-1]
        return last.timestamp, last.date_only, len(case.events) - 1

    def instant(self, value: Any) -> tuple[datetime | None, bool]:
        if isinstance(value, datetime):
            return value, False
        if isinstance(value, date):
            return datetime.combine(value, time(), self.tz), True
        if isinstance(value, str) and value:
            from checker.timeparse import to_instant

            return to_instant(value, self.tz)
        return None, False

    def start_of(self, case: GenCase) -> tuple[datetime | None, bool]:
        """The case's start as the audit reads it: its start attribute."""
        name = self.sop.case.start_attribute
        return self.instant(case.attributes.get(name)) if name else (None, False)

    def began(self, case: GenCase) -> datetime | None:
        """When the case began: its start attribute, else its first event."""
        start, _ = self.start_of(case)
        return start or (
            case.events[0].timestamp if case.events and case.events[0].timestamp != _EPOCH else None
        )

    def applicable_deadlines(
        self, attributes: Mapping[str, Any], done: frozenset[str] = frozenset(), began: datetime | None = None
    ) -> list[Deadline]:
        """The deadlines that apply to a case: their condition holds (on its attributes and the
        steps it did) and they were in force on the day it began."""
        day = self.calendar.local_date(began).isoformat() if began is not None else None
        return [
            d
            for d in self.sop.deadlines
            if (d.when is None or d.when.holds(attributes, done)) and (day is None or d.in_force(day))
        ]

    def done_index(self, case: GenCase, synced: Sequence[bool] | None = None) -> dict[str, int]:
        done: dict[str, int] = {}
        for i, event in enumerate(case.events):
            if event.step is not None and (synced is None or synced[i]):
                done.setdefault(event.step, i)
        return done

    def deadline_findings(
        self, case: GenCase, synced: Sequence[bool] | None = None, ended: bool = True
    ) -> list[Expected]:
        """The deadlines `case` misses (TM002 relative, TM003 from an attribute, TM005 a minimum
        wait not kept), blamed as the audit blames them. `synced[i]`: whether event i is matched
        to its step; `ended`: whether the case has ended (finished, or closed by the log)."""
        done = self.done_index(case, synced)
        out: list[Expected] = []
        cal = self.calendar
        for deadline in self.applicable_deadlines(case.attributes, frozenset(done), self.began(case)):
            end, end_day, end_event = self.moment(case, deadline.to, done, ended)
            if end is None:
                continue
            target = deadline.to.ref if deadline.to.kind == "step" else None
            blame = target
            if blame is None and end_event is not None and (synced is None or synced[end_event]):
                blame = case.events[end_event].step
            if deadline.by_attribute is not None:
                due, due_day = self.instant(case.attributes.get(deadline.by_attribute))
                if due is None:
                    continue
                late = cal.local_date(end) > cal.local_date(due) if end_day or due_day else end > due
                if late:
                    out.append(Expected("TM003", blame))
                continue
            start, from_day, _ = self.moment(case, deadline.start, done, ended)
            if start is None:
                continue
            day = from_day or end_day
            if deadline.after is not None:
                taken = cal.elapsed(start, end, deadline.after.unit, day_precision=day)
                if taken is not None and taken < deadline.after.amount:
                    out.append(Expected("TM005", blame))
            within = deadline.within
            if within is not None and cal.overrun(start, end, within.amount, within.unit, day_precision=day):
                out.append(Expected("TM002", blame))
        return out

    def step_overruns(self, case: GenCase) -> list[Expected]:
        """TM001 for each step of a case on an allowed path over its time allowed."""
        out = []
        start, start_day = self.start_of(case)
        steps = case.steps
        for i, event in enumerate(case.events):
            step = self.sop.step_by_id.get(event.step) if event.step else None
            j = self.source(steps, i)
            prev, prev_day = (
                (start, start_day) if j is None else (case.events[j].timestamp, case.events[j].date_only)
            )
            if step is not None and prev is not None and step.time is not None:
                late = self.calendar.overrun(
                    prev,
                    event.timestamp,
                    step.time.amount,
                    step.time.unit,
                    day_precision=prev_day or event.date_only,
                )
                if late:
                    out.append(Expected("TM001", step.id))
        return out

    def total_overrun(self, case: GenCase) -> bool:
        """Whether a finished case is over its declared total time (case.total_time)."""
        total = self.sop.case.total_time
        start, start_day = self.start_of(case)
        if total is None or start is None or not case.events:
            return False
        last = case.events[-1]
        late = self.calendar.overrun(
            start, last.timestamp, total.amount, total.unit, day_precision=start_day or last.date_only
        )
        return bool(late)

    def time_findings(self, case: GenCase) -> list[Expected]:
        """Every time finding of a finished case on an allowed path (none for a conforming one)."""
        found = self.step_overruns(case) + self.deadline_findings(case)
        if self.total_overrun(case) and not any(f.code == "TM001" for f in found):
            found.append(Expected("TM004", None))
        return found

    # -- whole cases --------------------------------------------------------------------------
    def start_value(self, start: datetime, date_only: bool) -> Any:
        """The start attribute's value: a date for a date attribute or a date-only case."""
        name = self.sop.case.start_attribute
        attribute = self.sop.attribute_by_id.get(name or "")
        if date_only or (attribute is not None and attribute.type == "date"):
            return start.astimezone(self.tz).date()
        return start

    def set_start(
        self,
        rng: random.Random,
        attrs: dict[str, Any],
        start: datetime,
        date_only: bool,
        back: int | None = None,
    ) -> tuple[datetime | None, bool]:
        """Set the start attribute and the attributes deadlines count from; the case's start
        as the audit reads it (None without a start attribute)."""
        for name, role in self.date_attributes.items():
            if role == "from":
                days = rng.randint(0, 3) if back is None else back
                if date_only or self._is_date(name):
                    attrs[name] = start.astimezone(self.tz).date() - timedelta(days=days)
                else:
                    attrs[name] = start - timedelta(days=days)
        name = self.sop.case.start_attribute
        if not name:
            return None, False
        attrs[name] = self.start_value(start, date_only)
        return self.instant(attrs[name])

    # Timings tried in turn until every deadline and minimum wait holds: at random within the
    # time allowed, faster and faster (for deadlines), then every step at its very end (for
    # minimum waits).
    TIMINGS = ((1.0, False), (0.5, False), (0.2, False), (0.0, False), (1.0, True))

    def build(
        self,
        rng: random.Random,
        case_id: str,
        *,
        attributes: Mapping[str, Any] | None = None,
        start: datetime | None = None,
        date_only: bool | None = None,
        path: Sequence[str] | None = None,
        pace: float = 1.0,
    ) -> GenCase:
        """A complete case (not cut at the audit date) that follows the SOP, if the SOP lets
        one: when no timing keeps every time rule, the first one tried is kept (its audit
        shows the rule that cannot be kept). `pace` scales how much of its time allowed each
        step takes (0: as soon as its rules let it)."""
        attrs = dict(attributes) if attributes is not None else self.draw_attributes(rng)
        auto = self.automaton(attrs)
        steps = list(path) if path is not None else self.draw_path(rng, auto)
        if date_only is None:
            date_only = rng.random() < self.date_only_rate
        if start is None:
            start = self.draw_start(rng)
        if date_only:
            start = datetime.combine(start.astimezone(self.tz).date(), time(), self.tz)
        key = self.attribute_key(attrs)
        events = tuple(self.draw_event(rng, s, attrs, key) for s in steps)
        start_at, start_day = self.set_start(rng, attrs, start, date_only)
        docs = tuple(self.document_label(rng, d) for d in self.arriving(attrs))
        blank = GenCase(case_id, attrs, docs, events, date_only)
        first = None
        for hurry, late in self.TIMINGS:
            case = self.time_events(
                rng, blank, start_at, start_day, origin=start, hurry=hurry * pace, late=late
            )
            case = self.set_due_attributes(rng, case)
            if not self.timed_rules or not self.time_findings(case):
                return case
            first = first or case
        return first

    def latest_instant(self, prev: datetime, prev_day: bool, step: Step) -> datetime:
        """The last moment a step whose input arrived at `prev` is on time."""
        duration = step.time
        if duration is None:
            return prev
        due = self.calendar.due(prev, duration.amount, duration.unit, day_precision=prev_day)
        if due is None:
            return prev
        if duration.unit in DAY_UNITS:
            return max(prev, datetime.combine(due.date(), time(12), self.tz))
        return due.replace(microsecond=0)

    def _is_date(self, name: str) -> bool:
        attribute = self.sop.attribute_by_id.get(name)
        return attribute is not None and attribute.type == "date"

    def set_due_attributes(self, rng: random.Random, case: GenCase, *, slack: bool = True) -> GenCase:
        """Attributes holding a deadline (by_attribute), set on or after what they bound."""
        dues = [d for d in self.sop.deadlines if d.by_attribute]
        if not dues or not case.events:
            return case
        attrs = dict(case.attributes)
        done = self.done_index(case)
        for deadline in dues:
            end, _, _ = self.moment(case, deadline.to, done, True)
            if end is None:
                end = case.events[-1].timestamp
            extra = rng.randint(0, 10) if slack else 0
            if case.date_only or self._is_date(deadline.by_attribute):
                attrs[deadline.by_attribute] = end.astimezone(self.tz).date() + timedelta(days=extra)
            else:
                hours = rng.randint(0, 5) if slack else 0
                attrs[deadline.by_attribute] = end + timedelta(days=extra, hours=hours)
        return replace(case, attributes=attrs)

    def cut(self, case: GenCase, as_of: datetime | None = None) -> GenCase:
        """The case as seen on the audit date: the events after it are not in the log yet."""
        as_of = as_of or self.as_of
        kept = tuple(e for e in case.events if e.timestamp <= as_of)
        return replace(case, events=kept)

    def conforming(
        self,
        rng: random.Random,
        case_id: str,
        *,
        in_progress: bool = True,
        any_cut: bool = False,
        strict: bool = False,
        draws: int = 50,
        **options: Any,
    ) -> Sample:
        """A conforming case and its truth: complete, or (when `in_progress` and the case runs
        past the audit date) in progress with no finding.

        A path on which no timing keeps every time rule (or some input is never produced) is
        drawn again; if every draw fails, the last one is returned as it is (its audit shows the
        rule the SOP does not let a case keep) or, with `strict`, GenerationError is raised.
        Unless `any_cut`, a case is cut only where nothing it waits for is due yet (the audit
        reads the start of an allowed path as it is, a case still open: checker.conformance.align)."""
        bad = None
        again: dict[str, Any] = {}  # the next draw only: the same case, timed again (long_cases)
        too_long = False  # a case runs past the audit date even at once from the earliest start
        for _ in range(draws):
            case = self.build(rng, case_id, **{**options, **again})
            retimed, again = bool(again), {}
            if self.problems(case):
                bad = bad or case
                options = {**options, "start": None}
                continue
            if not in_progress and case.events and case.events[-1].timestamp > self.as_of:
                options = {**options, "start": None}
                again = self._earlier(rng, case, len(case.events) - 1)
                too_long = too_long or (retimed and self._latest_start(case, len(case.events) - 1) is None)
                continue
            cut = self.cut(case)
            if not cut.events:
                options = {**options, "start": None}
                again = self._earlier(rng, case, 0)
                continue
            if len(cut.events) == len(case.events):
                return Sample(cut, Truth(COMPLETE))
            auto = self.automaton(case.attributes)
            states = replay(auto, cut.steps)
            if states[-1] in auto.final:
                # Cut where the case may end: nothing tells the audit more events will come.
                if not self.time_findings(cut):
                    return Sample(cut, Truth(COMPLETE))
            elif any_cut or not self.overdue_findings(cut):
                return Sample(cut, Truth(IN_PROGRESS))
            options = {**options, "start": None}
        if bad is not None:
            if strict:
                self.require_conforming(bad)
            return Sample(bad, Truth(COMPLETE))
        if too_long:
            raise GenerationError(
                "testing.too_long",
                sop=self.sop.id,
                first=self.earliest_start.isoformat(),
                as_of=self.as_of_day.isoformat(),
            )
        raise GenerationError("testing.no_case", sop=self.sop.id)

    def _latest_start(self, case: GenCase, upto: int) -> date | None:
        """The latest day a case as long as `case` up to its event `upto` may start for that
        event to fall by the audit date; None if it is before the earliest start."""
        began = self.began(case)
        if began is None:
            return None
        span = self.calendar.local_date(case.events[upto].timestamp) - self.calendar.local_date(began)
        latest = self.as_of_day - span - timedelta(days=1)
        return latest if latest >= self.earliest_start else None

    def _earlier(self, rng: random.Random, case: GenCase, upto: int) -> dict[str, Any]:
        """With `long_cases`, how to build `case` again so that its event `upto` (the last: it
        finishes; the first: it has begun) falls by the audit date, when no start in the range
        lets it: the same attributes, path and kind of timestamps, from a start its span
        allows (the earliest start if none does), every step as soon as its rules let it (so
        taking no longer than this time). Empty: draw a new case, as without `long_cases`."""
        if not self.long_cases or self.earliest_start >= self.first_start or self.began(case) is None:
            return {}
        latest = self._latest_start(case, upto) or self.earliest_start
        if latest >= self.first_start:
            return {}
        earliest = max(self.earliest_start, latest - (self.last_start - self.first_start))
        return {
            "attributes": case.attributes,
            "path": case.steps,
            "date_only": case.date_only,
            "start": self.draw_start(rng, earliest, latest),
            "pace": 0.0,
        }

    def against_waits(self, case: GenCase) -> bool:
        """Whether the case does the step a minimum wait that applies to it ends at before the
        step the wait counts from. A wait from A to B also says that B comes after A: a path
        that puts B first is one the SOP forbids by its time rules, where its flow cannot (a
        step reachable from anywhere, such as payments at any stage, forgets what came before)."""
        done = self.done_index(case)
        for deadline in self.applicable_deadlines(case.attributes, frozenset(done), self.began(case)):
            if deadline.after is None or deadline.start.kind != "step" or deadline.to.kind != "step":
                continue
            start, end = done.get(deadline.start.ref), done.get(deadline.to.ref)
            if start is not None and end is not None and end < start:
                return True
        return False

    def problems(self, case: GenCase) -> list[Expected]:
        """What the audit of a complete case on an allowed path finds (none if it conforms):
        time rules broken, inputs never produced."""
        found = self.time_findings(case) if self.timed_rules else []
        key = (self.attribute_key(case.attributes), case.steps, case.documents)
        ok = self._documents_ok.get(key)
        if ok is None or not ok:
            missing = [Expected("DC001", case.events[i].step) for i, _ in self.documents_present(case)]
            self._documents_ok[key] = not missing
            found += missing
        return found

    def require_conforming(self, case: GenCase) -> None:
        """Raise GenerationError if the case the SOP allows breaks one of its own rules."""
        problems = self.problems(case)
        if problems:
            listed = ", ".join(f"{p.code} {p.step or ''}".strip() for p in problems)
            raise GenerationError("testing.unfollowable", sop=self.sop.id, findings=listed)

    def overdue_findings(self, case: GenCase, as_of: datetime | None = None) -> list[Expected]:
        """What an open case (on an allowed path, cut where the audit reads it as a prefix) is
        overdue for on the audit date: CS001 when no way on is on time any more (every way to
        an end does a step it may do now, its clock counted as for TM001, after that step's due
        date), blamed on the step whose due date made it so; and deadlines to a step every way on
        goes through or to the end (blamed on the step it waits for)."""
        as_of = as_of or self.as_of
        auto = self.automaton(case.attributes)
        state = (replay(auto, case.steps) or [0])[-1]
        waiting = self.first_tail_step(auto, state)
        out = []
        late = self.late_next_steps(case, auto, state, as_of)
        for k in range(1, len(late) + 1):
            if k < len(late) and late[k][0] == late[k - 1][0]:
                continue  # steps due the same day become late together
            if not self.on_time_way(auto, state, {s for _, s in late[:k]}):
                first_due = late[k - 1][0]
                out.append(Expected("CS001", next(s for d, s in late if d == first_due)))
                break
        done = self.done_index(case)
        for deadline in self.applicable_deadlines(case.attributes, frozenset(done), self.began(case)):
            end, _, _ = self.moment(case, deadline.to, done, False)
            if end is not None:
                continue
            target = deadline.to.ref if deadline.to.kind == "step" else None
            if target is not None and not automata.unavoidable(auto, state, target):
                continue  # a step the case may never do has no deadline to be overdue for
            blame = target or waiting
            if deadline.by_attribute is not None:
                due, due_day = self.instant(case.attributes.get(deadline.by_attribute))
                if due is None:
                    continue
                if due_day:
                    due = self.calendar.due(due, 0, "calendar_days", day_precision=True)
                if as_of > due:
                    out.append(Expected("TM003", blame))
                continue
            start, start_day, _ = self.moment(case, deadline.start, done, False)
            if start is None or deadline.within is None:
                continue
            due = self.calendar.due(
                start, deadline.within.amount, deadline.within.unit, day_precision=start_day
            )
            if due is not None and as_of > due:
                out.append(Expected("TM002", blame))
        return out

    def finished(self, rng: random.Random, case_id: str, **options: Any) -> GenCase | None:
        """A complete conforming case that ends on or before the audit date (None if the draws
        found only paths the SOP does not let a case follow)."""
        case = self.conforming(rng, case_id, in_progress=False, **options).case
        return None if self.problems(case) else case

    def documents_present(
        self, case: GenCase, synced: Sequence[bool] | None = None
    ) -> Iterator[tuple[int, str]]:
        """(event index, document) for every input of a synchronous event that is not present,
        as the audit reads documents (arrived with the case, carried by an earlier event, or by
        the event itself)."""
        seen = {self.document_id(x) for x in case.documents}
        attrs = case.attributes
        for i, event in enumerate(case.events):
            own = {self.document_id(x) for x in event.documents}
            if event.step is not None and (synced is None or synced[i]):
                step = self.sop.step_by_id[event.step]
                for ref in step.inputs:
                    if ref.applies(attrs) and ref.document not in seen and ref.document not in own:
                        yield i, ref.document
            seen |= own

    def late_next_steps(
        self, case: GenCase, auto: automata.Automaton, state: int, as_of: datetime
    ) -> list[tuple[datetime, str]]:
        """(due, step) of each step the open case may do next whose time allowed, counted from
        its latest predecessor done (else the last event), ran out before `as_of`; by due date,
        then SOP order."""
        steps = list(case.steps)
        out = []
        for t in auto.succ[state]:
            step_id = auto.steps[t - 1]
            allowed = self.sop.step_by_id[step_id].time
            if allowed is None or not case.events:
                continue
            source = self.source([*steps, step_id], len(steps))
            before = case.events[len(steps) - 1 if source is None else source]
            due = self.calendar.due(
                before.timestamp, allowed.amount, allowed.unit, day_precision=before.date_only
            )
            if due is not None and as_of > due:
                out.append((due, step_id))
        return sorted(out, key=lambda x: x[0])

    def on_time_way(self, auto: automata.Automaton, state: int, late: set[str]) -> bool:
        """Whether some way from `state` to an end does no `late` step before a predecessor of
        it has been done again (which restarts its clock)."""
        queue: deque[tuple[int, frozenset[str]]] = deque([(state, frozenset())])
        seen = {(state, frozenset())}
        while queue:
            s, fresh = queue.popleft()
            if s in auto.final:
                return True
            for t in auto.succ[s]:
                step_id = auto.steps[t - 1]
                if step_id in late and step_id not in fresh:
                    continue
                more = {x for x in late if step_id in self.predecessors.get(x, frozenset())}
                node = (t, fresh | more)
                if node not in seen:
                    seen.add(node)
                    queue.append(node)
        return False

    def first_tail_step(self, auto: automata.Automaton, state: int) -> str | None:
        """The step the audit names as not yet done after `state`: the first successor, in SOP
        order, on a shortest way to an end."""
        if state in auto.final:
            return None
        best = auto.to_final[state] - 1
        nxt = next(t for t in auto.succ[state] if auto.to_final[t] == best)
        return auto.steps[nxt - 1]

    def branch_values(self, step: Step, branch_index: int) -> list[dict[str, Any]]:
        """Attribute assignments (from the pools) under which the branch is open."""
        names = sorted(set().union(*(b.when.attributes() for b in step.next if b.when)))
        pools = [[(n, v) for v in self.pools.get(n, [None])] for n in names]
        found = []
        for combo in itertools.islice(itertools.product(*pools), 5000):
            attrs = {n: v for n, v in combo if v is not None}
            if step.next[branch_index] in allowed_branches(step.next, attrs):
                found.append(attrs)
        return found


_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # the time of an event not yet timed


def _labels_for(
    labels: Sequence[str], target: str, table: Mapping[str, str], forbid: str = ""
) -> tuple[str, ...]:
    """The labels that lead back to `target` (a clash gives the label to the first owner)."""
    good = [
        x
        for x in labels
        if table.get(normalise_label(x)) == target and not any(c in x for c in forbid) and x.strip() == x
    ]
    return tuple(good) or (target,)


def _tests(cond: Condition) -> Iterator[AttributeTest]:
    if isinstance(cond, AttributeTest):
        yield cond
    elif isinstance(cond, AllOf | AnyOf):
        for item in cond.items:
            yield from _tests(item)
    elif isinstance(cond, Not):
        yield from _tests(cond.item)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _other(value: Any, taken: Sequence[Any] = ()) -> Any:
    """A value of the same kind as `value` that differs from it (and from `taken`)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    used = {normalise_label(str(v)) for v in (value, *taken)}
    return next((x for x in ("selesai", "proses", "lainnya") if x not in used), f"{value} (lain)")


def _around(test: AttributeTest) -> list[Any]:
    """Values for which `test` holds and values for which it fails."""
    v = test.value
    if test.op in ("equals", "not_equals"):
        return [v, _other(v)]
    if test.op in ("in", "not_in"):
        return [*v, _other(v[0], v)]
    if test.op == "gt":
        return [v + 1, v]
    if test.op == "gte":
        return [v, v - 1]
    if test.op == "lt":
        return [v - 1, v]
    if test.op == "lte":
        return [v, v + 1]
    if test.op == "present":
        return [None, "ya"]
    return [v]


def next_with(auto: automata.Automaton, state: int, step: str) -> int | None:
    """The state the automaton moves to from `state` by doing `step` (None: not allowed)."""
    return next((t for t in auto.succ[state] if auto.steps[t - 1] == step), None)


def replay(auto: automata.Automaton, steps: Sequence[str | None], state: int = 0) -> list[int] | None:
    """The states a sequence of steps passes through from `state` (None if it leaves the
    automaton); a step leads to one state from a given state, so the path is determined."""
    out = []
    for step in steps:
        nxt = next_with(auto, state, step) if step is not None else None
        if nxt is None:
            return None
        out.append(nxt)
        state = nxt
    return out


def optimal_cost(auto: automata.Automaton, steps: Sequence[str | None]) -> int:
    """The least cost of aligning a trace with the automaton (log and model moves cost 1, a
    matching step 0), by a plain shortest-path search over (events read, state): written apart
    from checker.conformance.align so that the two can be compared."""
    n = len(steps)
    best = {(0, 0): 0}
    queue: deque[tuple[int, int, int]] = deque([(0, 0, 0)])
    while queue:
        cost, i, s = queue.popleft()
        if best.get((i, s), automata.INF) < cost:
            continue
        if i == n and s in auto.final:
            return cost
        moves = []
        if i < n:
            t = next_with(auto, s, steps[i]) if steps[i] is not None else None
            if t is not None:
                moves.append((0, i + 1, t))
            moves.append((1, i + 1, s))
        moves.extend((1, i, t) for t in auto.succ[s])
        for extra, j, t in moves:
            c = cost + extra
            if c < best.get((j, t), automata.INF):
                best[(j, t)] = c
                if extra:
                    queue.append((c, j, t))
                else:
                    queue.appendleft((c, j, t))
    return automata.INF


def all_branches(sop: Sop) -> Iterator[tuple[Step, int]]:
    """(step, index of a branch in step.next) for every conditional branch of the SOP."""
    for step in sop.steps:
        if len(step.next) > 1 or step.next[0].when is not None:
            for i, branch in enumerate(step.next):
                if branch.step != END or len(step.next) > 1:
                    yield step, i
