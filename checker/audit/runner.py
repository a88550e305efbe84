"""Runs the engine over a stream of cases, in this process or in worker processes (--jobs).

Cases go to the workers in batches and come back in input order (Pool.imap), so the report is
byte-identical whatever the number of jobs. Results are kept in a CaseStore (flat memory). An
open case whose status depends on the audit date waits in memory until the date is known (the
log's latest event, when --as-of is not given)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from checker.audit.engine import Auditor, Pending
from checker.audit.store import CaseStore
from checker.events import Case
from checker.sop.model import Sop
from checker.workcal import WorkCalendar

BATCH = 256  # cases per message to a worker: large enough to amortise pickling


@dataclass(frozen=True)
class Setup:
    """What an Auditor is built from; picklable, so each worker builds its own."""

    revisions: tuple[Sop, ...]
    calendar: WorkCalendar
    roster: Any = None
    track_documents: bool = False
    case_documents: bool = False

    def auditor(self) -> Auditor:
        return Auditor(
            self.revisions,
            self.calendar,
            roster=self.roster,
            track_documents=self.track_documents,
            case_documents=self.case_documents,
        )


@dataclass
class Outcome:
    store: CaseStore
    as_of: datetime
    auditor: Auditor


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run(
    setup: Setup,
    cases: Iterable[Case],
    *,
    jobs: int = 1,
    as_of: date | datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    auditor = setup.auditor()
    fixed = auditor.as_of(as_of) if as_of is not None else None
    store = CaseStore()
    waiting: list[Pending] = []
    latest: datetime | None = None
    for pending, batch_latest, events in _results(setup, cases, jobs, fixed):
        if batch_latest is not None and (latest is None or batch_latest > latest):
            latest = batch_latest
        for item in pending:
            if fixed is None and item.checks:
                waiting.append(item)
            else:
                store.add(item.result)
        if progress is not None:
            progress(events)
    auditor.latest = latest
    when = fixed if fixed is not None else auditor.as_of(None)
    for item in waiting:
        store.add(auditor.settle(item, when))
    return Outcome(store, when, auditor)


def _results(
    setup: Setup, cases: Iterable[Case], jobs: int, fixed: datetime | None
) -> Iterator[tuple[list[Pending], datetime | None, int]]:
    batches = _batches(iter(cases))
    if jobs <= 1:
        _init(setup, fixed)
        yield from map(_audit_batch, batches)
        return
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    with context.Pool(jobs, initializer=_init, initargs=(setup, fixed)) as pool:
        yield from pool.imap(_audit_batch, batches, chunksize=1)


def _batches(cases: Iterator[Case]) -> Iterator[list[Case]]:
    while True:
        batch = list(islice(cases, BATCH))
        if not batch:
            return
        yield batch


_WORKER: dict[str, Any] = {}


def _init(setup: Setup, fixed: datetime | None) -> None:
    _WORKER["auditor"] = setup.auditor()
    _WORKER["fixed"] = fixed


def _audit_batch(batch: list[Case]) -> tuple[list[Pending], datetime | None, int]:
    auditor: Auditor = _WORKER["auditor"]
    fixed = _WORKER["fixed"]
    auditor.latest = None
    out = []
    for case in batch:
        pending = auditor.audit(case)
        if fixed is not None:
            pending = Pending(auditor.settle(pending, fixed), [], None)
        out.append(pending)
    return out, auditor.latest, sum(len(case.events) for case in batch)
