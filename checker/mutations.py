"""Deviations from an SOP, one per finding code: plain functions from a conforming case to a case
with one deviation and the root findings its audit must give.

Each mutation is a function `(builder, case, rng) -> Mutated | None` (MUTATIONS maps each code to
its own): `case` is a complete conforming case from checker.casegen (finished before the audit
date), `rng` picks where and how, and None means the deviation cannot be applied to this case.
`apply` runs one on any case (declining cases off the SOP's paths), `mutate` draws conforming
cases until one takes the deviation. The
expectations follow the audit's documented semantics (checker.conformance): the alignment resolves ties
sync > model > log, so a repeated step is blamed on the later event and a swap of A then B done as
B, A is an FL002 on A; a wrong branch is blamed on the branching step; time findings after a flow
deviation nest under it; a missing input nests under the missing output or skipped step that
explains it; the path total (TM004) nests under the first late step.

A mutation applies only where its outcome is certain from the SOP's structure (for instance a step
is skipped only where exactly one step links its neighbours); where other findings would follow
that are not consequences of the deviation (a deadline missed as well), it declines.

Shared by the Hypothesis strategies (checker.testing) and `sopcheck generate`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from checker.casegen import (
    Builder,
    Expected,
    GenCase,
    GenEvent,
    Truth,
    next_with,
    replay,
)
from checker.conformance import automaton as automata
from checker.conformance.results import COMPLETE, ENDED_EARLY, NOT_JUDGED, OVERDUE
from checker.sop.checks.branches import allowed_branches
from checker.sop.model import END, normalise_label
from checker.workcal import DAY_UNITS


@dataclass(frozen=True)
class Mutated:
    """A case with one deviation: the finding it must give (`expected`), the other root findings
    the deviation necessarily brings (`also`: the deadlines an overdue case has passed as well,
    the other choices a missing attribute leaves without a way), and the case's status."""

    case: GenCase
    expected: Expected
    also: tuple[Expected, ...] = ()
    status: str = COMPLETE

    @property
    def truth(self) -> Truth:
        return Truth(self.status, (self.expected, *self.also))


Mutation = Callable[[Builder, GenCase, random.Random], "Mutated | None"]


# -- helpers --------------------------------------------------------------------------------


def _states(b: Builder, case: GenCase) -> list[int]:
    """The automaton states a conforming case passes through, one per event."""
    states = replay(b.automaton(case.attributes), case.steps)
    assert states is not None, "a conforming case follows its automaton"
    return states


def _clean(b: Builder, case: GenCase, synced: Sequence[bool] | None = None, *, nests: bool = False) -> bool:
    """No finding beyond the intended one: every deadline and minimum wait kept, every input and
    delegation document present at the matched events, and (unless a root exists that time
    findings nest under, `nests`) every step on time and the case's total time kept."""
    if b.deadline_findings(case, synced):
        return False
    if any(True for _ in b.documents_present(case, synced)):
        return False
    if _delegation_misses(b, case, synced):
        return False
    return nests or (not b.step_overruns(case) and not b.total_overrun(case))


def _delegation_misses(b: Builder, case: GenCase, synced: Sequence[bool] | None = None) -> list[int]:
    seen = {b.document_id(x) for x in case.documents}
    out = []
    for i, event in enumerate(case.events):
        own = {b.document_id(x) for x in event.documents}
        if event.step is not None and (synced is None or synced[i]) and event.actor:
            step = b.sop.step_by_id[event.step]
            actor = b.sop.actor_for_label.get(normalise_label(event.actor))
            delegate = next((d for d in step.delegates if d.actor == actor), None)
            missing = delegate is not None and any(d not in seen and d not in own for d in delegate.requires)
            if actor != step.actor and missing:
                out.append(i)
        seen |= own
    return out


def _positions(rng: random.Random, n: int) -> list[int]:
    order = list(range(n))
    rng.shuffle(order)
    return order


def _retime(
    b: Builder, rng: random.Random, case: GenCase, first: int, synced=None, *, nests: bool = False
) -> GenCase | None:
    """Events from `first` on timed again within their time allowed (faster or later where a
    deadline or a minimum wait needs it), deadline attributes set again; None if no timing
    leaves the case clean but for its deviation."""
    for hurry, late in b.TIMINGS:
        timed = _time_rest(b, rng, case, hurry, late, first, synced)
        timed = b.set_due_attributes(rng, timed)
        if _clean(b, timed, synced, nests=nests):
            return timed
    return None


# -- flow -----------------------------------------------------------------------------------


def skip_step(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """FL001: leave out one step that exactly one step links to its neighbours."""
    auto = b.automaton(case.attributes)
    states = _states(b, case)
    for i in _positions(rng, len(states) - 1):
        p = states[i - 1] if i > 0 else 0
        s, after = states[i], case.events[i + 1].step
        if next_with(auto, p, after) is not None or (i and _linked(b, case.events[i - 1].step, after)):
            continue  # leaving s out takes a path the SOP has (a wrong branch if closed)
        if [t for t in auto.succ[p] if next_with(auto, t, after) is not None] != [s]:
            continue
        events = case.events[:i] + case.events[i + 1 :]
        mutated = replace(case, events=events)
        if b.deadline_findings(mutated) or _delegation_misses(b, mutated):
            continue
        return Mutated(mutated, Expected("FL001", case.events[i].step))
    return None


def _linked(b: Builder, first: str, then: str) -> bool:
    """Whether the SOP has a branch (open to this case or not) from step `first` to `then`."""
    return any(br.step == then for br in b.sop.step_by_id[first].next)


def swap_steps(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """FL002: two steps A then B done as B, A (where A is the only way to B and B the only way
    on from A): blamed on A, the step done out of its place."""
    auto = b.automaton(case.attributes)
    states = _states(b, case)
    for i in _positions(rng, len(states) - 1):
        p = states[i - 1] if i > 0 else 0
        a, bb = states[i], states[i + 1]
        first_step, second_step = case.events[i].step, case.events[i + 1].step
        then = case.events[i + 2].step if i + 2 < len(states) else None
        if first_step == second_step or auto.succ[p] != (a,) or auto.succ[a] != (bb,):
            continue  # A must be the only way on, and B the only way on from A
        if any(
            next_with(auto, x, y) is not None
            for x, y in ((bb, first_step), (bb, second_step), (a, first_step))
        ):
            continue  # B, A or a repetition would be allowed
        if then is None:
            if bb not in auto.final or a in auto.final:
                continue
        elif then == first_step or next_with(auto, a, then) is not None:
            continue
        events = list(case.events)
        first, second = events[i], events[i + 1]
        events[i] = replace(second, timestamp=first.timestamp)
        events[i + 1] = replace(first, timestamp=second.timestamp)
        mutated = replace(case, events=tuple(events))
        synced = [k != i + 1 for k in range(len(events))]
        if b.deadline_findings(mutated, synced) or _delegation_misses(b, mutated, synced):
            continue
        return Mutated(mutated, Expected("FL002", first.step))
    return None


UNKNOWN_ACTIVITIES = (
    "Rapat koordinasi tambahan",
    "Konsultasi informal",
    "Menunggu tanda tangan",
    "Cek ulang berkas",
)


def insert_unknown(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """FL003: an activity the SOP does not know, inserted between two events (at the time of
    the one before, so that no time changes)."""
    labels = [x for x in UNKNOWN_ACTIVITIES if normalise_label(x) not in b.sop.step_for_label]
    if not labels or not case.events:
        return None
    j = rng.randint(0, len(case.events))
    near = case.events[j - 1] if j > 0 else case.events[0]
    actors = [a.id for a in b.sop.actors]
    extra = GenEvent(
        None,
        rng.choice(labels),
        near.timestamp,
        near.date_only,
        b.actor_label(rng, rng.choice(actors)) if actors and rng.random() < 0.8 else None,
    )
    events = case.events[:j] + (extra,) + case.events[j:]
    return Mutated(replace(case, events=events), Expected("FL003", None))


def repeat_step(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """FL004: a step done again right after itself; the later event is the repetition."""
    auto = b.automaton(case.attributes)
    states = _states(b, case)
    for i in _positions(rng, len(states)):
        s, step = states[i], case.events[i].step
        if next_with(auto, s, step) is not None or any(
            next_with(auto, t, step) is not None for t in auto.succ[s]
        ):
            continue  # doing it again, at once or after one more step, is allowed
        events = case.events[: i + 1] + (case.events[i],) + case.events[i + 1 :]
        return Mutated(replace(case, events=events), Expected("FL004", case.events[i].step))
    return None


def wrong_branch(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """FL005: at a choice, the case goes down a branch whose condition does not hold for it;
    blamed on the branching step."""
    sop = b.sop
    auto = b.automaton(case.attributes)
    states = _states(b, case)
    attrs = case.attributes
    for i in _positions(rng, len(states)):
        c = states[i]
        step = sop.step_by_id[case.events[i].step]
        if c > len(sop.steps) or step.fork is not None:
            continue  # inside parallel threads: left alone
        allowed = allowed_branches(step.next, attrs)
        closed = [
            br
            for br in step.next
            if br not in allowed and br.step != END and next_with(auto, c, br.step) is None
        ]
        if not closed:
            continue
        target = rng.choice(closed).step
        suffix = walk_from(b, rng, target, attrs)
        if suffix is None or any(sop.step_by_id[x].fork is not None for x in suffix):
            continue
        reach = [b.label[x] in auto.reachable_labels for x in suffix]
        if not reach[0]:
            # Down an unreachable branch, back where the case may be: the first step back must
            # follow the choice directly, or the branch must end the case where it may end.
            k = next((j for j, r in enumerate(reach) if r), None)
            if k is None:
                if c not in auto.final:
                    continue
            elif not all(reach[k:]) or not _follows(auto, next_with(auto, c, suffix[k]), suffix[k + 1 :]):
                continue
        else:
            # A branch to a step the case reaches anyway, later: the steps in between are left
            # out. Only when leaving one out is the cheapest reading of the case.
            entries = [t for t, cost in auto.enter[c].get(b.label[target], ()) if cost == 1]
            if not all(reach) or len(entries) != 1 or not _follows(auto, entries[0], suffix[1:]):
                continue
        events = list(case.events[: i + 1]) + [b.draw_event(rng, x, attrs) for x in suffix]
        synced = [True] * (i + 1) + reach
        mutated = _retime(b, rng, replace(case, events=tuple(events)), i + 1, synced, nests=True)
        if mutated is None or _delegation_misses(b, mutated, synced):
            continue
        return Mutated(mutated, Expected("FL005", step.id))
    return None


def _follows(auto: automata.Automaton, state: int | None, steps: Sequence[str]) -> bool:
    """Whether the steps can be done from `state` (one after another) and end the case."""
    if state is None:
        return False
    states = replay(auto, steps, state)
    return states is not None and (states[-1] if states else state) in auto.final


def walk_from(b: Builder, rng: random.Random, first: str, attrs: dict[str, Any]) -> list[str] | None:
    """A walk through the SOP from `first` to the end, taking the branches open for `attrs`
    where there are some (any branch where none is)."""
    sop = b.sop
    path = [first]
    current = first
    for _ in range(3 * len(sop.steps)):
        step = sop.step_by_id[current]
        options = allowed_branches(step.next, attrs) or list(step.next)
        fresh = [br for br in options if br.step == END or br.step not in path]
        branch = rng.choice(fresh or options)
        if branch.step == END:
            return path
        path.append(branch.step)
        current = branch.step
    return None


def ended_early(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """FL006: the log says the case was closed, with steps still to do."""
    closed_when = b.sop.case.closed_when
    if closed_when is None:
        return None
    attrs = _closing(b, rng, case.attributes)
    if attrs is None:
        return None
    auto = b.automaton(case.attributes)
    states = _states(b, case)
    for k in _positions(rng, len(states)):
        if k == 0:
            continue
        nxt = b.first_tail_step(auto, states[k - 1])
        if nxt is None:
            continue
        mutated = replace(case, attributes=attrs, events=case.events[:k])
        if b.deadline_findings(mutated, ended=True):
            continue  # a deadline to the end, judged at the last event of the closed case
        return Mutated(mutated, Expected("FL006", nxt), status=ENDED_EARLY)
    return None


def _closing(b: Builder, rng: random.Random, attrs: dict[str, Any]) -> dict[str, Any] | None:
    """The attributes with values that say the case was closed, changing nothing else the SOP
    decides on."""
    closed_when = b.sop.case.closed_when
    names = sorted(closed_when.attributes())
    for _ in range(50):
        trial = dict(attrs)
        for name in names:
            value = rng.choice(b.pools.get(name, [None]))
            if value is None:
                trial.pop(name, None)
            else:
                trial[name] = value
        if closed_when.holds(trial) and _same_decisions(b, attrs, trial):
            return trial
    return None


def _same_decisions(b: Builder, before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether the SOP treats two sets of attributes alike, apart from closing the case."""
    if automata.decisions(b.sop, before) != automata.decisions(b.sop, after):
        return False
    refs = [r for s in b.sop.steps for r in (*s.inputs, *s.outputs)] + list(b.sop.case.arrives_with)
    if any(r.applies(before) != r.applies(after) for r in refs):
        return False
    return all(
        (d.when is None or d.when.holds(before)) == (d.when is None or d.when.holds(after))
        for d in b.sop.deadlines
    )


# -- actors ---------------------------------------------------------------------------------


OTHER_PEOPLE = ("Pegawai Lain", "Staf Honorer", "Ahmad Santoso", "19800101 200501 1 001")


def wrong_actor(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """AC001: a step done by another actor of the SOP, neither its actor nor a delegate."""
    for i in _positions(rng, len(case.events)):
        step = b.sop.step_by_id[case.events[i].step]
        allowed = {step.actor, *(d.actor for d in step.delegates)}
        others = [a.id for a in b.sop.actors if a.id not in allowed]
        if not others:
            continue
        events = list(case.events)
        events[i] = replace(events[i], actor=b.actor_label(rng, rng.choice(others)))
        return Mutated(replace(case, events=tuple(events)), Expected("AC001", step.id))
    return None


def unknown_person(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """AC003: a step done by someone the SOP does not name (and no roster maps to a role)."""
    names = [x for x in OTHER_PEOPLE if normalise_label(x) not in b.sop.actor_for_label]
    if not names or not case.events:
        return None
    i = rng.randrange(len(case.events))
    events = list(case.events)
    events[i] = replace(events[i], actor=rng.choice(names))
    return Mutated(replace(case, events=tuple(events)), Expected("AC003", events[i].step))


def delegation_without_document(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """AC002: a delegate does the step without the document the delegation requires."""
    for i in _positions(rng, len(case.events)):
        step = b.sop.step_by_id[case.events[i].step]
        delegates = [d for d in step.delegates if d.requires]
        if not delegates:
            continue
        delegate = rng.choice(delegates)
        before = {b.document_id(x) for x in case.documents}
        for event in case.events[:i]:
            before |= {b.document_id(x) for x in event.documents}
        if all(doc in before for doc in delegate.requires):
            continue
        outputs = {r.document for r in step.outputs if r.applies(case.attributes)}
        keep = tuple(x for x in case.events[i].documents if b.document_id(x) in outputs)
        events = list(case.events)
        events[i] = replace(events[i], actor=b.actor_label(rng, delegate.actor), documents=keep)
        return Mutated(replace(case, events=tuple(events)), Expected("AC002", step.id))
    return None


def mode_not_allowed(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """AC004: a step done in a way (`mode`) it does not allow."""
    for i in _positions(rng, len(case.events)):
        step = b.sop.step_by_id[case.events[i].step]
        if not step.modes:
            continue
        allowed = {normalise_label(m) for m in step.modes}
        mode = next(m for m in ("surel", "telepon", "email lain") if normalise_label(m) not in allowed)
        events = list(case.events)
        events[i] = replace(events[i], attributes={**events[i].attributes, "mode": mode})
        return Mutated(replace(case, events=tuple(events)), Expected("AC004", step.id))
    return None


# -- documents ------------------------------------------------------------------------------


def missing_input(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """DC001: a document that should arrive with the case does not: found at the first step
    that needs it (the later ones are its consequences)."""
    arrived = list(dict.fromkeys(b.document_id(x) for x in case.documents))
    rng.shuffle(arrived)
    for doc in arrived:
        docs = tuple(x for x in case.documents if b.document_id(x) != doc)
        mutated = replace(case, documents=docs)
        missing = list(b.documents_present(mutated))
        if not missing or _delegation_misses(b, mutated):
            continue
        # One missing document is one root: the first step that lacked it (the later ones hang
        # under it).
        return Mutated(mutated, Expected("DC001", case.events[missing[0][0]].step))
    return None


def missing_output(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """DC002: a step does not produce an output the SOP requires of it (a later step that needs
    the document is a consequence, nested under it)."""
    for i in _positions(rng, len(case.events)):
        step = b.sop.step_by_id[case.events[i].step]
        outputs = [r.document for r in step.outputs if r.applies(case.attributes)]
        if not outputs:
            continue
        doc = rng.choice(outputs)
        if any(case.events[k].step == step.id for k in range(i)):
            continue  # the same step done before: its output key is shared
        keep = tuple(x for x in case.events[i].documents if b.document_id(x) != doc)
        events = list(case.events)
        events[i] = replace(events[i], documents=keep)
        mutated = replace(case, events=tuple(events))
        if _delegation_misses(b, mutated):
            continue
        return Mutated(mutated, Expected("DC002", step.id))
    return None


# -- time -----------------------------------------------------------------------------------


def _late_instant(
    b: Builder, rng: random.Random, prev: datetime, prev_day: bool, event: GenEvent, k: int
) -> datetime | None:
    """A completion `k` units after the step's time allowed ran out (None: not checkable)."""
    step = b.sop.step_by_id[event.step]
    duration = step.time
    cal = b.calendar
    if duration is None:
        return None
    if duration.unit in DAY_UNITS:
        due = cal.due(prev, duration.amount, duration.unit, day_precision=True).date()
        if duration.unit == "working_days":
            day = cal.nth_working_day_after(due, k)
        else:
            day = due + timedelta(days=k)
        if event.date_only:
            return datetime.combine(day, time(), b.tz)
        return datetime.combine(day, time(), b.tz) + timedelta(seconds=rng.randint(7 * 3600, 17 * 3600))
    if event.date_only or prev_day:
        return None
    late = cal.due(prev, duration.amount + k, duration.unit, day_precision=False)
    return late.replace(microsecond=0) + timedelta(seconds=1)


def overrun(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """TM001: one step done k units after its time allowed ran out (the steps after it keep
    theirs, counted from it)."""
    start, start_day = b.start_of(case)
    for i in _positions(rng, len(case.events)):
        j = b.source(case.steps, i)
        prev, prev_day = (
            (start, start_day) if j is None else (case.events[j].timestamp, case.events[j].date_only)
        )
        if prev is None:
            continue
        k = rng.randint(1, 5)
        moment = _late_instant(b, rng, prev, prev_day, case.events[i], k)
        if moment is None:
            continue
        if i and moment < case.events[i - 1].timestamp:
            continue
        events = list(case.events)
        events[i] = replace(events[i], timestamp=moment)
        mutated = _retime(b, rng, replace(case, events=tuple(events)), i + 1, nests=True)
        if mutated is not None and b.step_overruns(mutated) != [Expected("TM001", case.events[i].step)]:
            continue
        if mutated is None:
            continue
        return Mutated(mutated, Expected("TM001", case.events[i].step))
    return None


def _time_rest(
    b: Builder, rng: random.Random, case: GenCase, hurry: float, late: bool, first: int, synced=None
) -> GenCase:
    """The case with its events from `first` on timed again (see Builder.time_events)."""
    start, start_day = b.start_of(case)
    origin = case.events[0].timestamp if case.events else None
    return b.time_events(
        rng, case, start, start_day, origin=origin, hurry=hurry, late=late, first=first, synced=synced
    )


def _span_latest(
    b: Builder,
    rng: random.Random,
    case: GenCase,
    first: int,
    last: int,
    due: datetime,
    stretch: int | None = None,
) -> GenCase | None:
    """The case with events first..last as late as their time allowed lets them be, the step
    without time allowed at `stretch` (default: the first among them) taking past `due`; the
    events after `last` timed again."""
    events = list(case.events)
    start, start_day = b.start_of(case)
    if start is None and first == 0:
        return None
    stretched = False
    steps = case.steps
    for j in range(first, last + 1):
        step = b.sop.step_by_id[events[j].step]
        k = b.source(steps, j)
        prev, prev_day = (start, start_day) if k is None else (events[k].timestamp, events[k].date_only)
        if j:
            prev = max(prev, events[j - 1].timestamp)
        if step.time is None and not stretched and (stretch is None or stretch == j):
            moment = max(prev, due) + timedelta(days=rng.randint(1, 5))
            stretched = True
        else:
            moment = b.latest_instant(prev, prev_day or events[j].date_only, step)
        if events[j].date_only:
            moment = datetime.combine(moment.astimezone(b.tz).date(), time(), b.tz)
        moment = max(moment.replace(microsecond=0), prev)
        events[j] = replace(events[j], timestamp=moment)
    mutated = replace(case, events=tuple(events))
    for hurry, late in b.TIMINGS[:4]:
        timed = _time_rest(b, rng, mutated, hurry, late, last + 1)
        timed = b.set_due_attributes(rng, timed)
        if not b.step_overruns(timed):
            return timed
    return None


def deadline_missed(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """TM002: a deadline counted from an earlier step (or a date) missed while every step keeps
    its own time: the steps between take all of theirs, and one without time allowed takes long."""
    done = b.done_index(case)
    deadlines = [
        d
        for d in b.applicable_deadlines(case.attributes, frozenset(done), b.began(case))
        if d.by_attribute is None and d.within is not None
    ]
    rng.shuffle(deadlines)
    for deadline in deadlines:
        start, start_day, a = b.moment(case, deadline.start, done, True)
        end, _, z = b.moment(case, deadline.to, done, True)
        if start is None or end is None or z is None:
            continue
        first = 0 if a is None else a + 1
        due = b.calendar.due(start, deadline.within.amount, deadline.within.unit, day_precision=start_day)
        if first > z or due is None:
            continue
        mutated = _span_latest(b, rng, case, first, z, due)
        if mutated is None:
            continue
        blame = deadline.to.ref if deadline.to.kind == "step" else mutated.events[-1].step
        if b.deadline_findings(mutated) != [Expected("TM002", blame)] or not _clean_but_deadlines(b, mutated):
            continue
        return Mutated(mutated, Expected("TM002", blame))
    return None


def _clean_but_deadlines(b: Builder, case: GenCase, *, total: bool = False) -> bool:
    """Every input present and every step on time; the case's total time kept (unless `total`
    is the deviation); the case finished by the audit date."""
    return (
        not any(True for _ in b.documents_present(case))
        and not b.step_overruns(case)
        and (total or not b.total_overrun(case))
        and case.events[-1].timestamp <= b.as_of
    )


def attribute_deadline_missed(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """TM003: the date a case attribute sets as its deadline has passed when the step is done."""
    done = b.done_index(case)
    deadlines = [
        d
        for d in b.applicable_deadlines(case.attributes, frozenset(done), b.began(case))
        if d.by_attribute is not None
    ]
    rng.shuffle(deadlines)
    for deadline in deadlines:
        end, _, z = b.moment(case, deadline.to, done, True)
        if end is None or z is None:
            continue
        day = end.astimezone(b.tz).date() - timedelta(days=rng.randint(1, 10))
        mutated = replace(case, attributes={**case.attributes, deadline.by_attribute: day})
        blame = deadline.to.ref if deadline.to.kind == "step" else case.events[z].step
        if b.deadline_findings(mutated) != [Expected("TM003", blame)]:
            continue
        return Mutated(mutated, Expected("TM003", blame))
    return None


def case_overrun(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """TM004: the whole case over its declared total time, with every step on its own time."""
    total = b.sop.case.total_time
    start, start_day = b.start_of(case)
    if total is None or start is None:
        return None
    due = b.calendar.due(start, total.amount, total.unit, day_precision=start_day)
    if due is None:
        return None
    untimed = [j for j, e in enumerate(case.events) if b.sop.step_by_id[e.step].time is None]
    for stretch in [*reversed(untimed), None]:
        mutated = _span_latest(b, rng, case, 0, len(case.events) - 1, due, stretch)
        if mutated is None or not b.total_overrun(mutated) or b.deadline_findings(mutated):
            continue
        if _clean_but_deadlines(b, mutated, total=True):
            return Mutated(mutated, Expected("TM004", None))
    return None


def too_early(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """TM005: a step done before the minimum wait after an earlier step (or a date) ran out."""
    done = b.done_index(case)
    waits = [
        d
        for d in b.applicable_deadlines(case.attributes, frozenset(done), b.began(case))
        if d.after is not None
    ]
    rng.shuffle(waits)
    for deadline in waits:
        start, start_day, a = b.moment(case, deadline.start, done, True)
        end, _, z = b.moment(case, deadline.to, done, True)
        if start is None or end is None or z is None or (a is not None and a >= z):
            continue
        prev = case.events[z - 1].timestamp if z else b.start_of(case)[0]
        if prev is None:
            continue
        event = case.events[z]
        moment = max(prev, start)
        if event.date_only:
            moment = datetime.combine(moment.astimezone(b.tz).date(), time(), b.tz)
        events = list(case.events)
        events[z] = replace(event, timestamp=moment)
        mutated = replace(case, events=tuple(events))
        for hurry, late in b.TIMINGS[:4]:
            timed = b.set_due_attributes(rng, _time_rest(b, rng, mutated, hurry, late, z + 1))
            blame = deadline.to.ref if deadline.to.kind == "step" else timed.events[-1].step
            if b.deadline_findings(timed) == [Expected("TM005", blame)] and _clean_but_deadlines(b, timed):
                return Mutated(timed, Expected("TM005", blame))
    return None


# -- case -----------------------------------------------------------------------------------


def overdue(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """CS001: the case stops after some step, and on the audit date the next step is past its
    time allowed (deadlines it has passed as well come along)."""
    auto = b.automaton(case.attributes)
    states = _states(b, case)
    for k in _positions(rng, len(states)):
        if k == 0 or states[k - 1] in auto.final:
            continue
        cut = replace(case, events=case.events[:k])
        if b.deadline_findings(cut, ended=False):
            continue
        found = b.overdue_findings(cut)
        main = next((f for f in found if f.code == "CS001"), None)
        if main is None:
            continue
        also = [f for f in found if f != main]
        return Mutated(cut, main, tuple(also), status=OVERDUE)
    return None


def before_effective(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """CS002: a case that started before the SOP took effect (not judged by it)."""
    if not b.sop.effective:
        return None
    effective = date.fromisoformat(b.sop.effective)
    name = b.sop.case.start_attribute
    began, _ = b.instant(case.attributes.get(name)) if name else (None, False)
    began = began or case.events[0].timestamp
    days = (began.astimezone(b.tz).date() - effective).days
    weeks = max(0, days) // 7 + 1 + rng.randint(0, 20)
    shift = timedelta(weeks=weeks)
    attrs = {k: (v - shift if isinstance(v, datetime | date) else v) for k, v in case.attributes.items()}
    events = tuple(replace(e, timestamp=e.timestamp - shift) for e in case.events)
    return Mutated(replace(case, attributes=attrs, events=events), Expected("CS002", None), status=NOT_JUDGED)


def unreadable_start(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """TM006: the start attribute holds something that is not a usable date (a typo, a
    placeholder); the first step's time then goes unmeasured, so nothing else is found."""
    name = b.sop.case.start_attribute
    if not name or name not in case.attributes:
        return None
    attrs = {**case.attributes, name: rng.choice(["2025-13-01", "9999-12-31", "belum diisi", "31/02/2025"])}
    return Mutated(replace(case, attributes=attrs), Expected("TM006", None))


def no_branch(b: Builder, case: GenCase, rng: random.Random) -> Mutated | None:
    """CS003: the attribute that decides a choice is missing or has a value the SOP does not
    know; every choice left with no way forward is a finding."""
    sop = b.sop
    names = sorted({n for s in sop.steps for br in s.next if br.when for n in br.when.attributes()})
    rng.shuffle(names)
    for name in names:
        for value in (None, "(tidak dikenal)"):
            attrs = dict(case.attributes)
            if value is None:
                attrs.pop(name, None)
            else:
                attrs[name] = value
            stuck = [
                s.id
                for s in sop.steps
                if (len(s.next) > 1 or s.next[0].when is not None) and not allowed_branches(s.next, attrs)
            ]
            if not stuck:
                continue
            mutated = replace(case, attributes=attrs)
            if not _clean(b, mutated) or _outputs_missing(b, mutated):
                continue
            found = [Expected("CS003", s) for s in stuck]
            return Mutated(mutated, found[0], tuple(found[1:]))
    return None


def _outputs_missing(b: Builder, case: GenCase) -> bool:
    for event in case.events:
        step = b.sop.step_by_id[event.step]
        own = {b.document_id(x) for x in event.documents}
        if any(r.applies(case.attributes) and r.document not in own for r in step.outputs):
            return True
    return False


# -- the catalogue of mutations ---------------------------------------------------------------

MUTATIONS: dict[str, Mutation] = {
    "FL001": skip_step,
    "FL002": swap_steps,
    "FL003": insert_unknown,
    "FL004": repeat_step,
    "FL005": wrong_branch,
    "FL006": ended_early,
    "AC001": wrong_actor,
    "AC002": delegation_without_document,
    "AC003": unknown_person,
    "AC004": mode_not_allowed,
    "DC001": missing_input,
    "DC002": missing_output,
    "TM001": overrun,
    "TM002": deadline_missed,
    "TM003": attribute_deadline_missed,
    "TM004": case_overrun,
    "TM005": too_early,
    "TM006": unreadable_start,
    "CS001": overdue,
    "CS002": before_effective,
    "CS003": no_branch,
}

# Codes a case log can trigger that no mutation generates, and why (read by the coverage test).
NOT_GENERATED: dict[str, str] = {}


def why_not(b: Builder, code: str) -> str | None:
    """Why `code` cannot be generated for this SOP at all (None: it can, for some cases)."""
    sop = b.sop
    if code in NOT_GENERATED:
        return NOT_GENERATED[code]
    if code not in MUTATIONS:
        return "not a finding a case log can trigger"
    # A choice whose conditions can all fail (no `otherwise`, no free branch): CS003 possible.
    stuck = any(
        any(br.when is not None for br in s.next) and all(br.when is not None for br in s.next)
        for s in sop.steps
    )
    timed = [s for s in sop.steps if s.time is not None]
    reasons = {
        "FL001": None if len(sop.steps) > 1 else "the SOP has one step",
        "FL002": None if len(sop.steps) > 2 else "the SOP has fewer than three steps",
        "FL005": None
        if any(br.when is not None and br.step != END for s in sop.steps for br in s.next)
        else "no branch with a condition leads to a step",
        "FL006": None if sop.case.closed_when else "the SOP has no case.closed_when",
        "AC002": None
        if any(d.requires for s in sop.steps for d in s.delegates)
        else "no delegate requires a document",
        "AC004": None if any(s.modes for s in sop.steps) else "no step lists its modes",
        "DC001": None if sop.case.arrives_with else "no document arrives with the case",
        "DC002": None if any(s.outputs for s in sop.steps) else "no step has an output",
        "TM001": None if timed else "no step has a time allowed",
        "TM002": None if any(d.within for d in sop.deadlines) else "no relative deadline",
        "TM003": None if any(d.by_attribute for d in sop.deadlines) else "no deadline read from an attribute",
        "TM005": None if any(d.after for d in sop.deadlines) else "no minimum wait (deadline with after)",
        "TM006": None if sop.case.start_attribute else "the SOP has no case.start_attribute",
        "AC001": None if len(sop.actors) > 1 else "the SOP has one actor",
        "TM004": None
        if sop.case.total_time and sop.case.start_attribute
        else "no declared case.total_time (a path total cannot be exceeded with every step on time)",
        "CS001": None
        if any(s.time for s in sop.steps[1:]) or (timed and len(sop.steps) > 1)
        else "no step after the first has a time allowed",
        "CS002": None if sop.effective else "the SOP has no effective date",
        "CS003": None if stuck else "every choice has a default (otherwise) or no condition",
    }
    return reasons.get(code)


def apply(b: Builder, code: str, case: GenCase, rng: random.Random) -> Mutated | None:
    """The deviation `code` applied to `case`, or None when it does not apply. The mutations
    expect a case on an allowed path (every event a step, in an order the SOP allows); any
    other case is declined here, so that deviations can be piled up safely."""
    if not case.events or replay(b.automaton(case.attributes), case.steps) is None:
        return None
    return MUTATIONS[code](b, case, rng)


def mutate(
    b: Builder, code: str, rng: random.Random, case_id: str, tries: int = 20, **options: Any
) -> Mutated | None:
    """A case with the deviation `code`, from up to `tries` conforming cases (None: none took it)."""
    mutation = MUTATIONS[code]
    for _ in range(tries):
        case = b.finished(rng, case_id, **options)
        if case is None:
            continue
        result = mutation(b, case, rng)
        if result is not None:
            return result
    return None


def applicable_codes(b: Builder, codes: Sequence[str] | None = None) -> list[str]:
    """The codes (of `codes`, default all) that can be generated for the builder's SOP."""
    return [c for c in (codes or MUTATIONS) if c in MUTATIONS and why_not(b, c) is None]


def generate_cases(
    b: Builder,
    count: int,
    *,
    violation_rate: float,
    seed: int,
    codes: Sequence[str] | None = None,
    strict: bool = True,
) -> Iterator[tuple[GenCase, Truth, str | None]]:
    """`count` cases, one at a time: (case, truth, the deviation's code or None). Case i depends
    only on (seed, i), so the log is reproducible and can be streamed. `strict`: raise
    GenerationError when the SOP cannot be followed (a conforming case breaks its rules)."""
    usable = applicable_codes(b, codes)
    width = max(6, len(str(count)))
    for i in range(count):
        rng = random.Random(f"{seed}:{i}")
        case_id = f"G{i + 1:0{width}d}"
        if usable and rng.random() < violation_rate:
            order = [usable[rng.randrange(len(usable))]] + usable
            for code in dict.fromkeys(order):
                result = mutate(b, code, rng, case_id, tries=8)
                if result is not None:
                    yield result.case, result.truth, code
                    break
            else:
                sample = b.conforming(rng, case_id, strict=strict)
                yield sample.case, sample.truth, None
            continue
        sample = b.conforming(rng, case_id, strict=strict)
        yield sample.case, sample.truth, None
