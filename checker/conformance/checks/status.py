"""Case status: complete, ended early (FL006, when the log says the case was closed), or open.
An open case's next steps, and any deadline still to meet, become pending checks that are
settled against the audit date (--as-of) once it is known: overdue (CS001, TM002, TM003) or in
progress (not a violation).

CS001 weighs every step the open case may do next (the successors, in the automaton, of the
state it stands in), each with its clock counted as TM001 counts it (from its latest synced
predecessor: the fork for the first step of a thread, the last thread to end for a join). The
case is overdue once no way on is still on time: every way to an end does one of those steps
while its clock still runs from before the audit date and its due date has passed. So among free
choices the latest due date counts and a step without a time limit keeps the case in progress,
while a late step of one parallel thread makes the case overdue whatever the other threads do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import groupby

from checker.conformance.align import LOG
from checker.conformance.automaton import step_to
from checker.conformance.checks.timing import predecessors
from checker.conformance.context import CaseContext, Hit


def check(ctx: CaseContext) -> Iterator[Hit]:
    tail = ctx.scratch.get("tail") or []
    pending = ctx.scratch.setdefault("pending", [])
    if not tail:
        return
    first = ctx.step_id(ctx.moves[tail[0]][1])
    closed = ctx.sop.case.closed_when
    events = ctx.case.events
    last = len(events) - 1
    if closed is not None and closed.holds(ctx.case.attributes):
        ctx.scratch["closed"] = True
        yield Hit("FL006", first, {}, (last,) if last >= 0 else ())
        return
    overdue = _overdue(ctx, _due_dates(ctx))
    if overdue is not None:
        pending.append(("CS001", overdue[1], overdue[0], {}))


def _next_steps(ctx: CaseContext) -> tuple[int, tuple[tuple[str, int | None], ...], dict]:
    """Once per variant: the state the open case stands in (after its last event, as aligned:
    where the steps not yet done begin), each step it may do next with the event its clock
    counts from (None: no synced predecessor), and a memo of `_escapes`."""
    found = ctx.variant.get("next_steps")
    if found is not None:
        return found
    auto = ctx.automaton
    state = 0
    for kind, symbol, _ in ctx.moves[: ctx.scratch["tail"][0]]:
        if kind != LOG:
            state = step_to(auto, state, symbol)
    preds = predecessors(ctx.sop)
    syncs = ctx.syncs()
    steps = []
    for t in auto.succ[state]:
        step_id = auto.steps[t - 1]
        source = next((e for _, s, e in reversed(syncs) if s in preds[step_id]), None)
        steps.append((step_id, source))
    found = ctx.variant["next_steps"] = (state, tuple(steps), {})
    return found


def _due_dates(ctx: CaseContext) -> list[tuple[datetime, str]]:
    """(due, step) of each next step with a time limit; a step without a synced predecessor
    counts from the case's last event (from its start when it has none)."""
    events = ctx.case.events
    out = []
    for step_id, source in _next_steps(ctx)[1]:
        allowed = ctx.sop.step_by_id[step_id].time
        if allowed is None:
            continue
        if source is None and events:
            source = len(events) - 1
        if source is None:
            start, day = ctx.start, ctx.start_date_only
        else:
            start, day = events[source].timestamp, events[source].date_only
        if start is None:
            continue
        due = ctx.calendar.due(start, allowed.amount, allowed.unit, day_precision=day)
        if due is not None:
            out.append((due, step_id))
    return out


def _overdue(ctx: CaseContext, dues: list[tuple[datetime, str]]) -> tuple[datetime, str] | None:
    """The earliest due date after which no way on is on time, and the step it is of (the first
    in SOP order among those due then); None if some way on stays on time whatever the date."""
    state, _, memo = _next_steps(ctx)
    late: set[str] = set()
    for due, group in groupby(sorted(dues, key=lambda d: d[0]), key=lambda d: d[0]):
        names = [step_id for _, step_id in group]
        late.update(names)
        key = frozenset(late)
        escapes = memo.get(key)
        if escapes is None:
            escapes = memo[key] = _escapes(ctx, state, key)
        if not escapes:
            return due, names[0]
    return None


def _escapes(ctx: CaseContext, state: int, late: frozenset[str]) -> bool:
    """Whether some way from `state` to an end does none of the `late` steps while its clock
    still counts from before: doing a predecessor of a step first restarts its clock (as TM001
    counts), so the step is no longer late when done after it."""
    auto = ctx.automaton
    preds = predecessors(ctx.sop)
    restarts: dict[str, frozenset[str]] = {}
    start: tuple[int, frozenset[str]] = (state, frozenset())
    seen, todo = {start}, [start]
    while todo:
        s, restarted = todo.pop()
        if s in auto.final:
            return True
        for t in auto.succ[s]:
            step_id = auto.steps[t - 1]
            if step_id in late and step_id not in restarted:
                continue
            again = restarts.get(step_id)
            if again is None:
                again = restarts[step_id] = frozenset(x for x in late if step_id in preds[x])
            nxt = (t, restarted | again)
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False
