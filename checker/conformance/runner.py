"""Runs the engine over a stream of cases, in this process or in worker processes (--jobs).

Cases go to the workers in batches and come back in input order (Pool.imap), so the report is
byte-identical whatever the number of jobs. Results are kept in a CaseStore (flat memory). An
open case whose status depends on the audit date waits in memory until the date is known (the
log's latest event, when --as-of is not given)."""

from __future__ import annotations

import gc
import os
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import islice
from multiprocessing import connection
from types import MappingProxyType
from typing import Any

from checker.conformance.engine import Auditor, Pending
from checker.conformance.store import CaseStore, Rendered, Spool, dumps
from checker.conformance.tally import digest
from checker.errors import InputError
from checker.events import EMPTY, Case, Event
from checker.sop.model import Sop
from checker.workcal import WorkCalendar

BATCH = 512  # cases per message to a worker: large enough to amortise pickling


@dataclass(frozen=True)
class Setup:
    """What an Auditor is built from; picklable, so each worker builds its own."""

    revisions: tuple[Sop, ...]
    calendar: WorkCalendar
    roster: Any = None
    track_documents: bool = False
    case_documents: bool = False
    # A reporter's rendering of each case (picklable, compared by value), made where the case is
    # audited: in the workers, in parallel, rather than in one process once they are done. The
    # case store then keeps the renderings only (CaseStore.rendering).
    render: Any = None
    zone: Any = None  # the zone the log was read in (None: the calendar's)
    columnar: bool = True  # let checker.columnar audit a log within its reach

    def auditor(self) -> Auditor:
        return Auditor(
            self.revisions,
            self.calendar,
            roster=self.roster,
            track_documents=self.track_documents,
            case_documents=self.case_documents,
            zone=self.zone,
        )


@dataclass
class Outcome:
    store: CaseStore
    as_of: datetime
    auditor: Auditor


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@contextmanager
def sparse_gc() -> Iterator[None]:
    """Collect cycles rarely while auditing: the audit makes no reference cycles (refcounting
    frees each case), but the default gen-0 threshold of 700 allocations rescans the long-lived
    results and caches so often that it took a fifth of a 1M-event audit."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run(
    setup: Setup,
    cases: Iterable[Case],
    *,
    jobs: int = 1,
    as_of: date | datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    counted = [0]

    def counting(events: int) -> None:
        counted[0] += events
        progress(events)  # type: ignore[misc]

    try:
        return _run(setup, cases, jobs, as_of, counting if progress is not None else None)
    except _Unverified:
        # The columnar engine read a file in this process before its pre-scan, and the file
        # proved not plain or not grouped: the usual way, which makes the pre-scan. The events
        # counted so far are taken back (a negative count): they are read again.
        if progress is not None and counted[0]:
            progress(-counted[0])
        return _run(replace(setup, columnar=False), cases, jobs, as_of, progress)


def _run(
    setup: Setup,
    cases: Iterable[Case],
    jobs: int,
    as_of: date | datetime | None,
    progress: Callable[[int], None] | None,
) -> Outcome:
    auditor = setup.auditor()
    fixed = auditor.as_of(as_of) if as_of is not None else None
    store = CaseStore(rendering=setup.render)
    waiting = Spool()
    latest: datetime | None = None

    def audit_date(workers_latest: datetime | None) -> datetime:
        """The audit date for workers that settle their own open cases (_shared): what `when`
        below is, from the latest event of the shares they read."""
        auditor.latest = workers_latest
        return auditor.as_of(None)

    with sparse_gc(), _closing(waiting):
        for items, batch_latest, events in _results(setup, cases, jobs, fixed, store, audit_date):
            if batch_latest is not None and (latest is None or batch_latest > latest):
                latest = batch_latest
            for case_id, item in items:
                if isinstance(item, Pending):
                    waiting.append(item)
                elif isinstance(item, Rendered):
                    store.add_rendered(item)
                elif isinstance(item, tuple):
                    store.add_pickled(case_id, *item)
                else:
                    store.add(item)
            if progress is not None:
                progress(events)
        auditor.latest = latest
        when = fixed if fixed is not None else auditor.as_of(None)
        for item in waiting:
            store.add(auditor.settle(item, when))
    return Outcome(store, when, auditor)


@contextmanager
def _closing(spool: Spool) -> Iterator[None]:
    try:
        yield
    finally:
        spool.close()


def _results(
    setup: Setup, cases: Iterable[Case], jobs: int, fixed: datetime | None, store: CaseStore,
    audit_date: Callable[[datetime | None], datetime],
) -> Iterator[tuple[list[tuple[str, Any]], datetime | None, int]]:
    if jobs <= 1 or _small(cases):
        _init(setup, fixed, pickled=False)
        engine = _columnar(setup, cases, whole=True)
        if engine is not None:
            from checker.columnar import NotPlain

            try:
                yield from engine.batches()
            except NotPlain:
                raise _Unverified from None
            if engine.unchecked and not engine.grouped():
                raise _Unverified
            return
        for batch in _batches(iter(cases)):
            yield _audit(batch)
        return
    from checker.readers.share import worker_context

    # The workers of the columnar engine, or of a Parquet file, use pyarrow (preloaded for them).
    # (Not asked of a Parquet file: its plan reads the column types, which imports pyarrow here.)
    parquet = getattr(cases, "format", None) == "parquet"
    columnar = not parquet and _verifies(setup, cases)
    context = worker_context(parquet or columnar)
    early = cases.early_shares(jobs) if hasattr(cases, "early_shares") else None
    if early:
        try:
            yield from _shared(context, setup, cases, early, fixed, store, audit_date, confirm=True,
                               verify=columnar)
            return
        except _Unconfirmed as unconfirmed:
            if setup.render is not None:
                _discard(store.directory(), EARLY)
            if unconfirmed.counted:
                yield [], None, -unconfirmed.counted  # the progress line takes them back
    shares = cases.shares(jobs) if hasattr(cases, "shares") else None
    if shares:
        yield from _shared(context, setup, cases, shares, fixed, store, audit_date)
        return
    # Pool.imap's feeder thread would read the whole log ahead of slower workers (memory growing
    # with the log): at most a few batches per worker are in flight.
    slots = threading.Semaphore(4 * jobs)
    stop = threading.Event()

    def feed() -> Iterator[list[tuple]]:
        for batch in _batches(iter(cases)):
            slots.acquire()
            if stop.is_set():
                return
            yield list(map(encode, batch))

    with context.Pool(jobs, initializer=_init, initargs=(setup, fixed, True)) as pool:
        try:
            for result in pool.imap(_audit_encoded, feed(), chunksize=1):
                slots.release()
                yield result
        finally:
            stop.set()
            slots.release()  # a feeder waiting for a slot sees the stop


# Bytes of log file below which starting workers costs more than they save; and the columnar
# engine too: its imports (pyarrow, numpy) cost more than its columns save (a 1.5 MB log of
# 10k events took 0.86-0.94 s and 157 MB with it, 0.57-0.87 s and 66 MB without).
SMALL = 4 << 20
# A Parquet file's bytes are a few times fewer than its rows' as CSV: it is small when its rows
# would be as a CSV file of a usual log, at about this many bytes a row (a 100k-event file of
# 1.5 MB took 2.4 s the usual way, 1.4 s with the columnar engine; a 10k-event one 0.67 s
# against 0.78 s).
ROW_BYTES = 150


def _small(cases: object) -> bool:
    rows = getattr(getattr(cases, "reader", None), "row_count", None)
    if rows is not None:
        return rows * ROW_BYTES < SMALL
    path = getattr(cases, "path", None)
    try:
        return path is not None and os.path.getsize(path) < SMALL
    except OSError:
        return False


def _shared(
    context,
    setup: Setup,
    source,
    shares: list,
    fixed: datetime | None,
    store: CaseStore,
    audit_date: Callable[[datetime | None], datetime],
    *,
    confirm: bool = False,
    verify: bool = False,
) -> Iterator[tuple]:
    """Each worker reads its own share of the log and audits it: the parse runs in parallel too,
    where a pool fed by this process is held to this process's reading speed. Batches come back
    in any order (the store sorts by case id and the totals are sums: the report is the same);
    the shares' accountings are added up at the end. With a rendering, each worker files its
    cases' report lines in sorted runs of its own, in the store's folder, and hands over the runs
    and their totals at the end: the lines need not cross a pipe nor be written twice by this
    process, and it does no work for each case. Those that wait for the audit date (the log's
    latest event, when not given) wait in their worker: each says when it has read its share and
    its latest event ("read"), and once all have, this process sends them the audit date
    (`audit_date` of the latest of all), and they settle and file them. Settled here, they had
    crossed the pipe and taken this process 3 s alone at the end of a 10M-event log.

    With `confirm` (LogSource.early_shares) the shares were cut before the pre-scan: the workers
    start at once, and a thread of this process makes the pre-scan meanwhile, on a core that
    would otherwise wait for it (this process only gathers the workers' messages). Nothing they
    send is used before it finds the file grouped and plain; else _Unconfirmed, and their runs
    (prefix EARLY) are left to be discarded. A thread rather than a process: the pre-scan's
    findings are then this process's reader's, and a second interpreter's memory came on top of
    the workers' for as long as the pre-scan took (the 10M-event group then peaked 11% above the
    1M one)."""
    queue = context.SimpleQueue()
    folder = store.directory() if setup.render is not None else None
    prefix = EARLY if confirm else "w"
    # Each worker's end of a pipe that brings it the audit date, if it settles its open cases.
    dates = [context.Pipe(duplex=False) if folder is not None and fixed is None else (None, None)
             for _ in shares]
    workers = [
        context.Process(
            target=_share_worker, args=(setup, fixed, share, queue, folder, prefix, dates[i][0]),
            daemon=True,
        )
        for i, share in enumerate(shares)
    ]
    # With `verify` (_verifies) the columnar engine's workers find out themselves what the
    # pre-scan would (Engine.verdict): then no pre-scan competes with them for the cores.
    verify = confirm and verify
    for worker in workers:
        worker.start()
    verdicts: dict[int, Any] = {}
    if confirm and not verify:
        threading.Thread(target=_scan, args=(source, queue), daemon=True).start()
    ended: set[int] = set()  # workers (by index; the pre-scan is -1) that said their last word
    read: dict[int, datetime | None] = {}  # workers that read their share: their latest event
    dated = dates[0][1] is None  # the audit date sent (or not to be)
    parts: dict[int, Any] = {}
    # Messages waiting for the pre-scan's verdict: in a spool, since with `verify` the verdict
    # comes at the end, and the open cases of a 10M-event log held in memory till then took 130 MB.
    held: Spool | None = Spool(buffer=8) if confirm else None  # a message holds a batch of cases
    counted = 0  # events of the held messages, shown on the progress line already
    try:
        while len(parts) < len(workers) or held is not None:
            if queue.empty():
                # Wait for a message or for a worker to end (one that dies without a word, killed
                # by the OS, must not leave this process waiting forever).
                waiting = [w.sentinel for i, w in enumerate(workers) if i not in ended]
                connection.wait([queue._reader, *waiting])  # type: ignore[attr-defined]
                if queue.empty():
                    dead = [w for i, w in enumerate(workers) if i not in ended and not w.is_alive()]
                    if dead and queue.empty():
                        raise RuntimeError(f"an audit worker ended with status {dead[0].exitcode}")
                    continue
            message = queue.get()
            kind, index, payload = message
            if kind == "read":
                read[index] = payload
            elif kind != "batch":
                ended.add(index)
            # The audit date, once every worker has read its share or ended (one that failed on
            # bad input never reads its share: the others must still end, with their verdicts).
            if not dated and all(i in read or i in ended for i in range(len(workers))):
                dated = True
                when = audit_date(max((t for t in read.values() if t is not None), default=None))
                for i, (_, send) in enumerate(dates):
                    if i not in ended:
                        send.send(when)
            if kind == "read":
                continue
            if kind == "scanned":
                if not payload:
                    raise _Unconfirmed(counted)
                messages, held = _drained(held), None
            elif held is not None and index >= 0:
                if kind == "batch":
                    # Its events shown on the progress line now, its cases used after the verdict.
                    items, batch_latest, events = payload
                    message = (kind, index, (items, batch_latest, 0))
                    counted += events
                    yield [], None, events
                held.append(message)
                if not verify or kind == "batch":
                    continue
                # A worker that failed (bad input in its share) leaves the verdict to the pre-scan:
                # a share cut wrongly could fail where the file is fine.
                verdicts[index] = payload[2] if kind == "done" else None
                if len(verdicts) < len(workers):
                    continue
                if not _verified(verdicts, source):
                    raise _Unconfirmed(counted)
                messages, held = _drained(held), None
            else:
                messages = [message]
            for kind, index, payload in messages:
                if kind == "batch":
                    yield payload
                elif kind == "done":
                    parts[index], handover, _ = payload
                    if handover is not None:
                        store.adopt(handover)
                elif kind == "input":
                    raise InputError(*payload)
                else:
                    raise RuntimeError(f"an audit worker failed:\n{payload}")
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        for pipe in dates:
            for end in pipe:
                if end is not None:
                    end.close()
    source.absorb([parts[i] for i in range(len(workers))])


def _drained(spool: Spool | None) -> Iterator[Any]:
    """The spool's items, then the spool closed."""
    if spool is None:
        return
    try:
        yield from spool
    finally:
        spool.close()


EARLY = "e"  # the prefix of the run files of workers started before the pre-scan


class _Unconfirmed(Exception):
    """The pre-scan found that shares cut before it do not hold: the file is not grouped or not
    plain (see LogSource.early_shares). `counted`: the events the progress line showed of them."""

    def __init__(self, counted: int = 0) -> None:
        super().__init__(counted)
        self.counted = counted


def _discard(folder: str, prefix: str) -> None:
    for name in os.listdir(folder):
        if name.startswith(prefix):
            os.remove(os.path.join(folder, name))


def _verifies(setup: Setup, source: Any) -> bool:
    """Whether the workers of early shares will read them with the columnar engine."""
    if not setup.columnar or not hasattr(source, "reader"):
        return False
    from checker.columnar.plan import plan_for

    return plan_for(setup, source, checked=False) is not None


def _verified(verdicts: dict[int, Any], source: Any) -> bool:
    """The pre-scan's verdict on early shares from their workers' (Engine.verdict): every share
    plain and no case id starting twice in the file. A worker that did not read columns (None)
    leaves it to the pre-scan, made now."""

    if any(v is None for v in verdicts.values()):
        return bool(source.early_shares_hold())
    if not all(plain for plain, _ in verdicts.values()):
        return False
    # Equal ids have equal digests: distinct digests prove the file grouped. Two ids sharing one
    # (about 1 in 10**7 for 10**6 cases) are checked by the pre-scan.
    digests = b"".join(d if isinstance(d, bytes) else _read_once(d) for _, d in verdicts.values())
    return _distinct(digests) or bool(source.early_shares_hold())


def _scan(source, queue) -> None:
    """The pre-scan of `source` (is the file grouped and plain?), in a thread while the workers
    read the shares cut before it; its verdict comes as a message like theirs."""
    try:
        queue.put(("scanned", -1, source.early_shares_hold()))
    except InputError as err:
        queue.put(("input", -1, (err.key, err.location, err.args_)))
    except BaseException:  # noqa: BLE001 - the main process reports it
        queue.put(("crash", -1, traceback.format_exc()))


def _share_worker(
    setup: Setup, fixed: datetime | None, share, queue, folder: str | None, prefix: str = "w",
    dated: Any = None,
) -> None:
    """Reads and audits a share (see _shared); with `dated` (a pipe's end that brings the audit
    date), the open cases wait here for it, and are then settled and filed here."""
    try:
        _init(setup, fixed, pickled=True)
        source = share.open()
        own = None if folder is None else CaseStore(
            rendering=setup.render, directory=folder, prefix=f"{prefix}{share.index}-"
        )
        engine = _columnar(setup, source)
        if engine is not None:
            from checker.columnar import without_pandas

            without_pandas()
            if own is not None:
                engine.digest_path = os.path.join(own.directory(), f"{prefix}{share.index}-digests")
        batches = engine.batches() if engine is not None else map(_audit, _batches(source.cases()))
        from checker.columnar import NotPlain

        waiting = Spool() if dated is not None else None
        latest_read: datetime | None = None
        try:
            for items, latest, events in batches:
                if own is not None:
                    # Filed here; the cases that wait for the audit date wait here (or go to the
                    # main process without `dated`).
                    items = [(case_id, item) for case_id, item in items
                             if not _filed(own, case_id, item, waiting)]
                if latest is not None and (latest_read is None or latest > latest_read):
                    latest_read = latest
                queue.put(("batch", share.index, (items, latest, events)))
        except NotPlain:
            if prefix != EARLY:  # only a share cut before the pre-scan can be found not plain
                raise
            # ... and then the main process starts over (its verdict says so)
        if waiting is not None:
            queue.put(("read", share.index, latest_read))
            when = dated.recv()
            auditor: Auditor = _WORKER["auditor"]
            for pending in waiting:
                own.add(auditor.settle(pending, when))  # type: ignore[union-attr]
            waiting.close()
        verdict = engine.verdict() if engine is not None else None
        handover = own.finish() if own is not None else None
        queue.put(("done", share.index, (source.accounting, handover, verdict)))
    except InputError as err:
        queue.put(("input", share.index, (err.key, err.location, err.args_)))
    except BaseException:  # noqa: BLE001 - the main process reports it
        queue.put(("crash", share.index, traceback.format_exc()))


class _Unverified(Exception):
    """The columnar engine read a whole file before its pre-scan, and it is not plain or not
    grouped (run starts over the usual way)."""


def _columnar(setup: Setup, source: Any, *, whole: bool = False) -> Any:
    """The columnar engine for `source`, or None (checker.columnar). `whole`: for the whole file,
    in this process; if the file was not pre-scanned yet and its first MiB is grouped and
    plain, the engine finds out the rest itself (Engine.unchecked) rather than waiting for the
    pre-scan, which took a fifth of the time of an audit in one process."""
    if not hasattr(source, "reader") or not setup.columnar:
        return None
    if whole and _small(source):  # (workers read logs past SMALL only)
        return None
    from checker.columnar import engine_for

    reader = source.reader
    unchecked = whole and not getattr(reader, "scanned", True) and reader.head_shareable()
    return engine_for(setup, source, _WORKER["auditor"], _audit, unchecked=unchecked)


def _read_once(path: str) -> bytes:
    """A file's bytes, the file removed."""
    with open(path, "rb") as handle:
        data = handle.read()
    os.remove(path)
    return data


def _distinct(digests: bytes) -> bool:
    """Whether 8-byte digests are all different (then so are the case ids they digest)."""
    import numpy as np

    found = np.sort(np.frombuffer(digests, dtype=np.uint64))
    # Not np.unique: it took 0.68 s for 1.25M digests (a 10M-event log), the sort 0.01 s.
    return not bool((found[1:] == found[:-1]).any())


def _filed(store: CaseStore, case_id: str, item: Any, waiting: Spool | None = None) -> bool:
    """Files a finished case in a worker's own store, or an open one in `waiting` if given
    (False: it goes to the main process to wait for the audit date)."""
    if isinstance(item, Pending):
        if waiting is None:
            return False
        waiting.append(item)
        return True
    if isinstance(item, Rendered):
        store.add_rendered(item)
        return True
    _, summary, rendered = item
    store.add_pickled(case_id, None, summary, rendered)
    return True


def _batches(cases: Iterator[Case]) -> Iterator[list[Case]]:
    while True:
        batch = list(islice(cases, BATCH))
        if not batch:
            return
        yield batch


# Cases travel to workers as plain tuples: pickling frozen slotted dataclasses and read-only
# mappings one event at a time costs more than reading the log.


def encode(case: Case) -> tuple:
    return (
        case.case_id,
        dict(case.attributes),
        case.documents,
        tuple(
            (
                e.activity,
                e.timestamp,
                e.actor,
                e.start,
                e.date_only,
                e.documents,
                dict(e.attributes) if e.attributes else None,
                e.row,
                e.start_date_only,
            )
            for e in case.events
        ),
    )


def decode(item: tuple) -> Case:
    case_id, attributes, documents, events = item
    return Case(
        case_id,
        tuple(
            Event(
                case_id,
                activity,
                timestamp,
                actor,
                start,
                date_only,
                docs,
                MappingProxyType(attrs) if attrs else EMPTY,
                row,
                start_day,
            )
            for activity, timestamp, actor, start, date_only, docs, attrs, row, start_day in events
        ),
        MappingProxyType(attributes) if attributes else EMPTY,
        documents,
    )


_WORKER: dict[str, Any] = {}


def _init(setup: Setup, fixed: datetime | None, pickled: bool) -> None:
    if pickled:  # a worker process: it only audits
        gc.set_threshold(100_000, 50, 100)
    _WORKER["auditor"] = setup.auditor()
    _WORKER["fixed"] = fixed
    _WORKER["pickled"] = pickled
    _WORKER["render"] = setup.render


def _audit_encoded(batch: list[tuple]) -> tuple[list[tuple[str, Any]], datetime | None, int]:
    return _audit([decode(item) for item in batch])


def _audit(batch: list[Case]) -> tuple[list[tuple[str, Any]], datetime | None, int]:
    """Audit a batch: finished results (pickled, in a worker), or Pendings that wait for the
    audit date; with the batch's latest timestamp and its number of events."""
    auditor: Auditor = _WORKER["auditor"]
    fixed = _WORKER["fixed"]
    pickled = _WORKER["pickled"]
    render = _WORKER["render"]
    auditor.latest = None
    out: list[tuple[str, Any]] = []
    for case in batch:
        pending = auditor.audit(case)
        if fixed is not None:
            result = auditor.settle(pending, fixed)
        elif pending.checks:
            out.append((case.case_id, pending))
            continue
        else:
            result = pending.result
        if pickled and render is not None:
            out.append((case.case_id, (None, digest(result), render(result))))
        elif pickled:
            out.append((case.case_id, (dumps(result), digest(result))))
        else:
            out.append((case.case_id, result))
    return out, auditor.latest, sum(len(case.events) for case in batch)
