"""Case status: complete, ended early (FL006, when the log says the case was closed), or open.
An open case's next step, and any deadline still to meet, become pending checks that are
settled against the audit date (--as-of) once it is known: overdue (CS001, TM002, TM003) or in
progress (not a violation)."""

from __future__ import annotations

from collections.abc import Iterator

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
    step = ctx.sop.step_by_id[first]
    if step.time is None:
        return
    if last >= 0:
        start, day = events[last].timestamp, events[last].date_only
    else:
        start, day = ctx.start, ctx.start_date_only
    if start is None:
        return
    due = ctx.calendar.due(start, step.time.amount, step.time.unit, day_precision=day)
    if due is not None:
        pending.append(("CS001", first, due, {}))
