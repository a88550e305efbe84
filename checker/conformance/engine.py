"""The audit engine: for each case, pick the SOP revision in force, align the trace (once per
variant), run the checks family by family, nest consequences under their root findings, and
complete the minimal hits into findings. Open cases are settled against --as-of at the end."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, tzinfo
from typing import Any

from checker import catalogue
from checker.conformance import automaton as automata
from checker.conformance.align import UNKNOWN, Alignment, align
from checker.conformance.checks import actors, documents, flow, status, timing
from checker.conformance.context import CaseContext, Hit, step_of
from checker.conformance.results import (
    COMPLETE,
    ENDED_EARLY,
    IN_PROGRESS,
    NOT_JUDGED,
    OVERDUE,
    CaseResult,
    Evidence,
    Finding,
    Move,
    StepTime,
)
from checker.events import Case, Event, in_time_order
from checker.sop.model import Sop, Text, normalise_label
from checker.timeparse import same_day, to_instant
from checker.workcal import WorkCalendar

CHECKS = (flow, actors, documents, timing, status)  # flow first: the others read its analysis
VARIANTS = 20_000  # alignments kept per process (each variant is aligned once while kept)
DECISIONS = 20_000  # cached verdicts of the SOP's conditions on case attributes, per process
_new_tuple = tuple.__new__  # a named tuple without its Python-level __new__ (once per event)


@dataclass
class Pending:
    """A case whose status waits for the audit date."""

    result: CaseResult
    checks: list[tuple[str, str | None, datetime, dict[str, Any]]]
    last_event: int | None


class Auditor:
    """Audits cases one at a time against one SOP (or its revisions, by effective date)."""

    def __init__(
        self,
        revisions: Sequence[Sop],
        calendar: WorkCalendar,
        *,
        roster: Any | None = None,
        track_documents: bool = False,
        case_documents: bool = False,
        zone: tzinfo | None = None,
    ) -> None:
        self.revisions = sorted(revisions, key=lambda s: s.order)
        self.calendar = calendar
        # The zone the log was read in (None: the calendar's): a time without an offset in a case
        # attribute is read in it. Its date-only events are midnight there, and are moved to
        # midnight of the same date in the calendar's zone, where the calendar counts days.
        self.zone = calendar.tz if zone is None else zone
        self._rezone = self.zone is not calendar.tz
        self.roster = roster
        self.track_documents = track_documents
        self.case_documents = case_documents
        self._automata: dict[tuple, automata.Automaton] = {}
        # (automaton, trace) -> the alignment, each event's step and the report's moves: once
        # per variant.
        self._alignments: dict[tuple, tuple[Alignment, tuple, tuple[Move, ...]]] = {}
        self._labels: dict[tuple[int, str], int] = {}
        self._tested: dict[int, tuple[str, ...]] = {}
        self._decided: dict[tuple, tuple[tuple[bool, ...], bool]] = {}
        self._closes_on: dict[int, tuple[str, ...]] = {}
        self._closed_by_log: dict[tuple, bool] = {}
        self.latest: datetime | None = None
        self.last_variant: tuple[automata.Automaton, tuple[Move, ...], dict] | None = None
        self.last_findings: tuple[Finding, ...] = ()  # the last case's (before it is settled)

    # -- per case -------------------------------------------------------------------------
    def audit(self, case: Case) -> Pending:
        if self._rezone:
            case = _dates_in_zone(case, self.calendar.tz)
        if case.events:
            last = max([e.timestamp for e in case.events])  # cases built by hand need not be sorted
            if self.latest is None or last > self.latest:
                self.latest = last
        sop_index, start, start_day = self._revision(case)
        evidence = tuple([_evidence(e) for e in case.events])
        if sop_index is None:
            return self._not_judged(case, evidence, start)
        sop = self.revisions[sop_index]
        key, complete = self._decisions(sop_index, sop, case.attributes)
        auto_key = (sop_index, key if complete else None)
        auto = self._automata.get(auto_key)
        if auto is None:
            auto = self._automata[auto_key] = automata.build(sop, key if complete else None)
        trace = tuple([self.state(sop_index, sop, e.activity) for e in case.events])
        variant = self._alignments.get((auto_key, trace))
        if variant is None:
            # Bounded: a log of endless unique variants (a generated one; real logs have some
            # thousands) must not grow memory.
            if len(self._alignments) > VARIANTS:
                self._alignments.clear()
            variant = self._alignments[(auto_key, trace)] = _variant(sop, auto, trace)
        alignment, steps, moves, memo = variant
        self.last_variant = (auto, moves, memo)  # what the columnar engine reads of a sample
        ctx = CaseContext(
            sop=sop,
            case=case,
            calendar=self.calendar,
            automaton=auto,
            alignment=alignment,
            steps=steps,
            roster=self.roster,
            track_documents=self.track_documents,
            case_documents=self.case_documents,
            start=start,
            start_date_only=start_day,
            variant=memo,
            zone=self.zone,
        )
        documents.prepare(ctx)
        ctx.scratch["closed_by_log"] = self._closed(sop_index, sop, case.attributes)
        hits: list[Hit] = []
        if not complete:
            hits.extend(_no_branch(ctx))
        for module in CHECKS:
            hits.extend(module.check(ctx))
        findings = self.last_findings = _nest(ctx, hits)
        times = tuple([_new_tuple(StepTime, t) for t in ctx.scratch.get("times", ())])
        tail = ctx.scratch.get("tail")
        state = ENDED_EARLY if ctx.scratch.get("closed") else (COMPLETE if not tail else IN_PROGRESS)
        result = CaseResult(
            case_id=case.case_id,
            status=state,
            fitness=round(alignment.fitness, 6),
            cost=alignment.cost,
            sop_revision=sop.revision,
            attributes=dict(case.attributes),
            events=evidence,
            moves=moves,
            times=times,
            findings=findings,
            started=_iso(start) if start else (evidence[0].timestamp if evidence else None),
            ended=evidence[-1].timestamp if evidence else None,
        )
        checks = ctx.scratch.get("pending", []) if state == IN_PROGRESS else []
        return Pending(result, checks, len(case.events) - 1 if case.events else None)

    def _decisions(self, index: int, sop: Sop, attributes) -> tuple[tuple[bool, ...], bool]:
        """automaton.decisions, cached on the values of the attributes the branches test."""
        names = self._tested.get(index)
        if names is None:
            tested: set[str] = set()
            for step in sop.steps:
                for branch in step.next:
                    if branch.when is not None:
                        tested |= branch.when.attributes()
            names = self._tested[index] = tuple(sorted(tested))
        return _verdict(self._decided, index, names, attributes, lambda a: automata.decisions(sop, a))

    def _closed(self, index: int, sop: Sop, attributes) -> bool:
        """Whether the log says the case was closed (case.closed_when), cached as _decisions."""
        closed = sop.case.closed_when
        if closed is None:
            return False
        names = self._closes_on.get(index)
        if names is None:
            names = self._closes_on[index] = tuple(sorted(closed.attributes()))
        return _verdict(self._closed_by_log, index, names, attributes, closed.holds)

    def state(self, index: int, sop: Sop, activity: str) -> int:
        """The automaton's symbol of an activity of revision `index` (UNKNOWN: no step)."""
        key = (index, activity)
        state = self._labels.get(key)
        if state is None:
            step = sop.step_for_label.get(normalise_label(activity))
            state = UNKNOWN if step is None else sop.steps.index(sop.step_by_id[step]) + 1
            self._labels[key] = state
        return state

    def _revision(self, case: Case) -> tuple[int | None, datetime | None, bool]:
        """Which revision judges the case (the one in force when it started), and its start."""
        first = self.revisions[0]
        start, start_day = None, False
        if first.case.start_attribute:
            start, start_day = to_instant(
                case.attributes.get(first.case.start_attribute), self.zone, self.calendar.tz
            )
        began = start or (case.events[0].timestamp if case.events else None)
        if began is None or not any(s.effective for s in self.revisions):
            return len(self.revisions) - 1, start, start_day
        day = self.calendar.local_date(began).isoformat()
        chosen = None
        for index, sop in enumerate(self.revisions):
            if sop.effective is None or sop.effective <= day:
                chosen = index
        return chosen, start, start_day

    def _not_judged(self, case: Case, evidence: tuple[Evidence, ...], start: datetime | None) -> Pending:
        began = start or case.events[0].timestamp
        first = self.revisions[0]
        finding = Finding(
            "CS002",
            catalogue.get("CS002").severity,
            case.case_id,
            None,
            None,
            {"started": self.calendar.local_date(began).isoformat(), "effective": first.effective},
            evidence[:1],
        )
        result = CaseResult(
            case.case_id,
            NOT_JUDGED,
            0.0,
            0,
            None,
            dict(case.attributes),
            evidence,
            (),
            (),
            (finding,),
            _iso(began),
            evidence[-1].timestamp if evidence else None,
        )
        return Pending(result, [], None)

    # -- at the end -----------------------------------------------------------------------
    def settle(self, pending: Pending, as_of: datetime) -> CaseResult:
        """The final result of a case on the audit date: overdue if a pending deadline passed."""
        result = pending.result
        if result.status != IN_PROGRESS or not pending.checks:
            return result
        late = [c for c in pending.checks if as_of > c[2]]
        if not late:
            return result
        sop = self._sop(result.sop_revision)
        extra = []
        rows = (result.events[pending.last_event],) if pending.last_event is not None else ()
        for code, step_id, due, args in late:
            step = sop.step_by_id.get(step_id) if step_id else None
            full = {
                **args,
                "due": self.calendar.local_date(due).isoformat(),
                "as_of": self.calendar.local_date(as_of).isoformat(),
            }
            extra.append(_finding(code, result.case_id, step, full, rows))
        findings = tuple(sorted((*result.findings, *extra), key=Finding.sort_key))
        return replace(result, status=OVERDUE, findings=findings)

    def _sop(self, revision: str | None) -> Sop:
        return next(s for s in self.revisions if s.revision == revision)

    def as_of(self, value: date | datetime | None) -> datetime:
        """The audit date as an instant: the end of the given day, or the log's latest event."""
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=self.calendar.tz)
        if isinstance(value, date):
            return datetime.combine(value, time.max, self.calendar.tz)
        if self.latest is not None:
            return self.latest
        return datetime.now(self.calendar.tz)


def _dates_in_zone(case: Case, tz: tzinfo) -> Case:
    """The case with its date-only events (and date-only starts) at midnight of their own dates
    in `tz`, and its events in time order again, with the days as `tz` counts them (a timed
    event late in the log's day may be on the next day there: events.in_time_order)."""
    if not any(e.date_only or e.start_date_only for e in case.events):
        return case
    events = [_event_in_zone(e, tz) if e.date_only or e.start_date_only else e for e in case.events]
    if any(e.date_only for e in events):
        events = in_time_order(events)
    return replace(case, events=tuple(events))


def _event_in_zone(event: Event, tz: tzinfo) -> Event:
    if event.start_date_only and event.start is not None:
        event = replace(event, start=same_day(event.start, tz))
    return replace(event, timestamp=same_day(event.timestamp, tz)) if event.date_only else event


def _verdict(cache: dict, index: int, names: tuple[str, ...], attributes, judge) -> Any:
    """judge(attributes), cached on the text of the attributes it tests (a log's "12" and 12
    decide alike, but a missing value is not the text "None"); bounded, since a condition on a
    value unique to each case (WABO's end date) would grow the cache with the log."""
    key = (index, tuple(None if (v := attributes.get(n)) is None else str(v) for n in names))
    found = cache.get(key)
    if found is None:
        if len(cache) > DECISIONS:
            cache.clear()
        found = cache[key] = judge(attributes)
    return found


def _variant(sop: Sop, auto: automata.Automaton, trace: tuple[int, ...]) -> tuple:
    alignment = align(auto, trace)
    steps = tuple(sop.steps[s - 1].id if s > 0 else None for s in trace)
    moves = tuple(
        Move(kind, step_of(sop, s), e if e >= 0 else None) for kind, s, e in alignment.moves
    )
    return alignment, steps, moves, {}


def _no_branch(ctx: CaseContext) -> Iterable[Hit]:
    from checker.sop.checks.branches import allowed_branches

    for step in ctx.sop.steps:
        conditional = len(step.next) > 1 or step.next[0].when is not None
        if conditional and not allowed_branches(step.next, ctx.case.attributes):
            names = sorted(set().union(*(b.when.attributes() for b in step.next if b.when)))
            listed = ", ".join(f"{n}={ctx.case.attributes.get(n, '-')}" for n in names)
            yield Hit("CS003", step.id, {"attributes": Text(listed, listed)}, ())


def _nest(ctx: CaseContext, hits: list[Hit]) -> tuple[Finding, ...]:
    """Complete hits into findings, each consequence under its root."""
    keys = {h.key: h for h in hits if h.key is not None}
    first_time = next((h.key for h in hits if h.code == "TM001"), None)
    first_flow = next((h.key for h in hits if h.code.startswith("FL") and h.cause is None), None)
    children: dict[tuple, list[Hit]] = {}
    roots: list[Hit] = []
    for hit in hits:
        cause = hit.cause
        if cause == ("first-time-root",):
            cause = first_time or first_flow
        if cause is not None and cause in keys and cause != hit.key:
            children.setdefault(cause, []).append(hit)
        else:
            roots.append(hit)

    return tuple(sorted((_complete(ctx, h, children) for h in roots), key=Finding.sort_key))


def _complete(ctx: CaseContext, hit: Hit, children: dict[tuple, list[Hit]], depth: int = 0) -> Finding:
    # A module function, not a closure: a recursive closure is a reference cycle that keeps every
    # case's context alive until the cyclic GC runs (about a quarter of a large audit's time).
    step = ctx.sop.step_by_id.get(hit.step) if hit.step else None
    rows = tuple(_evidence(ctx.case.events[e]) for e in hit.events if e is not None)
    nested = tuple(_complete(ctx, c, children, depth + 1) for c in children.get(hit.key, ()) if depth < 8)
    return _finding(hit.code, ctx.case.case_id, step, dict(hit.args), rows,
                    tuple(sorted(nested, key=Finding.sort_key)))


def _finding(code: str, case_id: str, step, args: dict, rows: tuple[Evidence, ...],
             consequences: tuple[Finding, ...] = ()) -> Finding:
    if step is not None:
        args.setdefault("number", step.number)
        args.setdefault("step", step.name)
    return Finding(
        code,
        catalogue.get(code).severity,
        case_id,
        step.id if step else None,
        step.number if step else None,
        args,
        rows,
        consequences,
    )


def _evidence(event) -> Evidence:
    return _new_tuple(Evidence, (
        event.row,
        event.activity,
        event.timestamp.isoformat() if not event.date_only else event.timestamp.date().isoformat(),
        event.actor,
    ))


def _iso(moment: datetime) -> str:
    return moment.isoformat()
