"""Waktu: TM001 a step over its time allowed, TM002 a deadline relative to another step missed,
TM003 a deadline read from a case attribute missed, TM004 the whole case over the total of its
path. Deadlines not yet met by steps not yet done are left as pending for `status`: those to the
end of the case, or to a step the open case must still do on every way on (a deadline to a step
it may never do, such as an optional appeal, makes nothing overdue)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from checker.conformance.align import LOG, MODEL, SYNC
from checker.conformance.context import CaseContext, Hit
from checker.readers.timeparse import FIRST_YEAR, LAST_YEAR
from checker.sop.model import Duration, Endpoint, Text
from checker.workcal import DAY_UNITS

UNIT_TEXT = {
    "working_days": Text("hari kerja", "working day(s)"),
    "calendar_days": Text("hari kalender", "calendar day(s)"),
    "working_hours": Text("jam kerja", "working hour(s)"),
    "working_minutes": Text("menit kerja", "working minute(s)"),
    "hours": Text("jam", "hour(s)"),
    "minutes": Text("menit", "minute(s)"),
}


def check(ctx: CaseContext) -> Iterator[Hit]:
    yield from _unreadable_start(ctx)
    yield from _steps(ctx)
    yield from _deadlines(ctx)
    yield from _total(ctx)


def _unreadable_start(ctx: CaseContext) -> Iterator[Hit]:
    """TM006: a start attribute that holds something other than a usable date (absent is fine:
    then the first step's time is simply not measured, as documented)."""
    name = ctx.sop.case.start_attribute
    if ctx.start is not None or name is None:
        return
    value = ctx.case.attributes.get(name)
    if value is None or (value.__class__ is str and not value.strip()):
        return
    shown = str(value) if len(str(value)) <= 80 else str(value)[:77] + "..."
    yield Hit("TM006", None, {"attribute": name, "value": shown, "first": FIRST_YEAR, "last": LAST_YEAR},
              (0,) if ctx.case.events else ())


_PREDECESSORS: dict[int, tuple[object, dict[str, frozenset[str]]]] = {}


def predecessors(sop) -> dict[str, frozenset[str]]:
    """For each step, the steps whose completion hands it its input: those whose `next` leads to
    it, the fork for the first step of a thread, the last steps of the threads for a join."""
    cached = _PREDECESSORS.get(id(sop))
    if cached is not None and cached[0] is sop:
        return cached[1]
    preds: dict[str, set[str]] = {step.id: set() for step in sop.steps}
    for step in sop.steps:
        for branch in step.next:
            if branch.step in preds:
                preds[branch.step].add(step.id)
        if step.repeatable:
            preds[step.id].add(step.id)
    table = {k: frozenset(v) for k, v in preds.items()}
    _PREDECESSORS[id(sop)] = (sop, table)
    return table


def _steps(ctx: CaseContext) -> Iterator[Hit]:
    """TM001: each step against its time allowed, counted from the completion of the step that
    handed it its input (its latest synced predecessor; else the latest synced step; the first
    step from the case's start attribute)."""
    times = []
    events = ctx.case.events
    calendar = ctx.calendar
    roots = ctx.move_root
    dates: list | None = None  # each event's local date, for day units (a case's steps share them)
    for m, step_id, e, allowed, source, deviation in _timing_plan(ctx):
        event = events[e]
        if source is None:
            start, start_day = ctx.start, ctx.start_date_only
        else:
            before = events[source]
            start, start_day = before.timestamp, before.date_only
        if allowed is None or start is None:
            times.append((step_id, event.row, None, None, None))
            continue
        amount, unit = allowed.amount, allowed.unit
        if unit in DAY_UNITS:
            if dates is None:
                dates = [calendar.local_date(x.timestamp) for x in events]
            first = dates[source] if source is not None else calendar.local_date(start)
            elapsed = calendar.days_elapsed(first, dates[e], unit)
        else:
            day = start_day or event.date_only
            elapsed = calendar.elapsed(start, event.timestamp, unit, day_precision=day)
        times.append((step_id, event.row, elapsed, amount, unit))
        # The calendar guarantees overrun == max(0, elapsed - allowed) in every unit: one call.
        late = None if elapsed is None else (elapsed - amount if elapsed > amount else 0.0)
        if late:
            yield Hit(
                "TM001",
                step_id,
                {"overrun": late, "allowed": amount, "unit": UNIT_TEXT[unit]},
                (e,),
                key=("time", step_id, m),
                cause=roots.get(deviation) if deviation is not None else None,
            )
    ctx.scratch["times"] = times


def _timing_plan(ctx: CaseContext) -> list[tuple]:
    """What TM001 needs of the alignment, once per variant: for each synced step (move, step,
    event, time allowed), the event its time counts from (None: the case's start) and the first
    flow deviation between the two (a log or model move; its root, if any, is the cause)."""
    plan = ctx.variant.get("timing")
    if plan is not None:
        return plan
    plan = []
    preds = predecessors(ctx.sop)
    syncs = ctx.syncs()
    moves = ctx.moves
    for idx, (m, step_id, e) in enumerate(syncs):
        source = next((syncs[j] for j in range(idx - 1, -1, -1) if syncs[j][1] in preds[step_id]),
                      syncs[idx - 1] if idx else None)
        first = -1 if source is None else source[0]
        deviation = next((k for k in range(first + 1, m) if moves[k][0] in (LOG, MODEL)), None)
        plan.append((m, step_id, e, ctx.sop.step_by_id[step_id].time,
                     None if source is None else source[2], deviation))
    ctx.variant["timing"] = plan
    return plan


def _moment(ctx: CaseContext, point: Endpoint) -> tuple[datetime | None, bool, int | None]:
    """When `point` happened in this case: (instant, date-only, event index)."""
    events = ctx.case.events
    if point.kind == "step":
        e = ctx.done.get(point.ref)
        if e is None:
            return None, False, None
        event = events[e]
        if point.at == "start" and event.start is not None:
            return event.start, event.start_date_only, e
        return event.timestamp, event.date_only, e
    if point.kind == "attribute":
        instant, day = ctx.attribute_instant(point.ref)
        return instant, day, None
    # "end": the last event of a finished case, or of one the log says was closed
    if (ctx.scratch.get("tail") and not ctx.scratch.get("closed_by_log")) or not events:
        return None, False, None
    return events[-1].timestamp, events[-1].date_only, len(events) - 1


def _deadlines(ctx: CaseContext) -> Iterator[Hit]:
    pending = ctx.scratch.setdefault("pending", [])
    done = frozenset(ctx.done)
    began = ctx.start or (ctx.case.events[0].timestamp if ctx.case.events else None)
    start_day = ctx.calendar.local_date(began).isoformat() if began else None
    for deadline in ctx.sop.deadlines:
        if deadline.when is not None and not deadline.when.holds(ctx.case.attributes, done):
            continue
        if start_day is not None and not deadline.in_force(start_day):
            continue
        name = deadline.name or Text(deadline.id)
        target_step = deadline.to.ref if deadline.to.kind == "step" else None
        end, end_day, end_event = _moment(ctx, deadline.to)
        evidence = (end_event,) if end_event is not None else ()
        if deadline.by_attribute is not None:
            due, due_day = ctx.attribute_instant(deadline.by_attribute)
            if due is None:
                continue
            due = ctx.calendar.due(due, 0, "calendar_days", day_precision=True) if due_day else due
            code, args = (
                "TM003",
                {"deadline": name, "due": due.date().isoformat() if due_day else due.isoformat()},
            )
            if end is None:
                if target_step is None or ctx.still_to_do(target_step):
                    pending.append((code, _blame(ctx, target_step, None), due, args))
            elif _after(ctx, end, end_day, due, due_day):
                yield Hit(code, _blame(ctx, target_step, end_event), args, evidence)
            continue
        start, from_day, _ = _moment(ctx, deadline.start)
        if start is None:
            continue
        day = from_day or end_day
        if deadline.after is not None and end is not None:
            wait = deadline.after
            taken = ctx.calendar.waited(start, end, wait.unit, day_precision=day)
            if taken is not None and taken < wait.amount:
                yield Hit("TM005", _blame(ctx, target_step, end_event),
                          {"deadline": name, "unit": UNIT_TEXT[wait.unit], "after": wait.amount,
                           "early": wait.amount - taken}, evidence)
        within = deadline.within
        if within is None:
            continue
        args = {"deadline": name, "unit": UNIT_TEXT[within.unit]}
        if end is None:
            if target_step is not None and not ctx.still_to_do(target_step):
                continue  # a step the case may never do: no deadline to be overdue for
            due = ctx.calendar.due(start, within.amount, within.unit, day_precision=from_day)
            if due is not None:
                pending.append(("TM002", _blame(ctx, target_step, None), due, {**args, "overrun": "-"}))
            continue
        late = ctx.calendar.overrun(start, end, within.amount, within.unit, day_precision=day)
        if late:
            yield Hit("TM002", _blame(ctx, target_step, end_event), {**args, "overrun": late}, evidence)


def _after(ctx: CaseContext, end: datetime, end_day: bool, due: datetime, due_day: bool) -> bool:
    if end_day or due_day:
        return ctx.calendar.local_date(end) > ctx.calendar.local_date(due)
    return end > due


def _blame(ctx: CaseContext, step: str | None, event: int | None) -> str | None:
    """The step a deadline finding is blamed on: its target, the step that ended the case, or
    for an open case the step it is waiting for."""
    if step is not None:
        return step
    if event is None:
        tail = ctx.scratch.get("tail")
        return ctx.step_id(ctx.moves[tail[0]][1]) if tail else None
    return next((ctx.step_id(s) for k, s, e in ctx.moves if k == SYNC and e == event), None)


_TOTALS: dict[int, tuple[object, Duration | None]] = {}


def path_total(ctx: CaseContext) -> Duration | None:
    """Time allowed for the whole case: declared, or the sum along the case's path when the path
    is a single chain whose steps share one unit (27 working days for a KSDD case)."""
    return total_for(ctx.sop, ctx.automaton)


def total_for(sop, auto) -> Duration | None:
    """path_total for an SOP and the automaton of a case's path (the columnar engine's too)."""
    if sop.case.total_time is not None:
        return sop.case.total_time
    cached = _TOTALS.get(id(auto))
    if cached is not None and cached[0] is auto:
        return cached[1]
    total = _chain_total(sop, auto)
    _TOTALS[id(auto)] = (auto, total)
    return total


def _chain_total(sop, auto) -> Duration | None:
    state, seen, units, amount = 0, set(), set(), 0.0
    while True:
        if len(auto.succ[state]) + (state in auto.final) != 1 or state in seen:
            return None
        seen.add(state)
        if state in auto.final:
            break
        state = auto.succ[state][0]
        step = sop.step_by_id[auto.steps[state - 1]]
        if step.time is None:
            return None
        units.add(step.time.unit)
        amount += step.time.amount
    return Duration(amount, units.pop()) if len(units) == 1 else None


def _total(ctx: CaseContext) -> Iterator[Hit]:
    total = path_total(ctx)
    events = ctx.case.events
    if total is None or ctx.scratch.get("tail") or not events:
        return
    start, start_day = ctx.start, ctx.start_date_only
    if start is None:
        return
    last = events[-1]
    day = start_day or last.date_only
    late = ctx.calendar.overrun(start, last.timestamp, total.amount, total.unit, day_precision=day)
    if late:
        elapsed = ctx.calendar.elapsed(start, last.timestamp, total.unit, day_precision=day)
        yield Hit(
            "TM004",
            None,
            {"elapsed": elapsed, "allowed": total.amount, "unit": UNIT_TEXT[total.unit]},
            (len(events) - 1,),
            key=("total",),
            cause=("first-time-root",),
        )
