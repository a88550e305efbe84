"""The columnar engine: audits a plain CSV log a chunk of lines at a time, its columns held by
pyarrow, and renders the JSON report's line of each clean case without building its events.

How it stays exact. Each case gets a key: for each event its step, its actor's role, its
documents and its mode as the SOP reads them, and the case's attributes (but the start date)
and documents. The case-by-case engine's verdicts depend on nothing else but the event times.
The first case of each key is audited by that engine (the sample); if it is complete with no
finding, and the line rendered here from the columns equals the reporter's own line for it, the
key gets a template: the alignment, and for each step the event its time counts from and the
whole days allowed (plan.Plan declines SOPs with any other time rule). A later case of that key
is then clean exactly when none of its steps, nor the whole case, takes longer than allowed,
counted here over arrays of day numbers as WorkCalendar counts them. Every other case (a key
whose sample had findings, a time over, a date-only or unusual timestamp, events not in time
order, case attributes that change between rows, a row that would be rejected) is built from
its lines by the usual reader and audited by the usual engine, so its report, the accounting
of its rows and its findings are the usual ones."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from hashlib import blake2b
from typing import Any

from checker.columnar import NotPlain, chunks
from checker.columnar.chunks import Chunk, Lines, parse, rows_of
from checker.columnar.columns import EDGE_SPACE, EMPTY, EPOCH, NO_DAY, Columns
from checker.columnar.plan import Days, Plan
from checker.conformance.checks.documents import resolve_labels
from checker.conformance.results import CaseResult
from checker.conformance.store import Clean
from checker.conformance.tally import CLEAN, digest
from checker.readers.accounting import Accounting, Rejected
from checker.readers.build import RawEvent
from checker.readers.grouping import GroupedCheck, assemble
from checker.readers.mapping import split_documents
from checker.readers.textfile import MAX_LINE
from checker.reporters.audit import alignment_text
from checker.reporters.records import json_value
from checker.sop.model import normalise_label
from checker.timeparse import to_instant

TEMPLATES = 4_096  # keys remembered (their templates, or None): most keys with findings never repeat
CELLS = 20_000  # distinct cells whose reading is remembered
SAMPLES = 2_000  # past this many samples, none more while they outnumber the cases rendered
LONG_CASE = 4  # chunks' worth of lines of one case, past which its rows are read one by one


@dataclass(frozen=True)
class Template:
    """What every clean case of one key shares (see the module's docstring)."""

    alignment: str
    event: Any  # numpy int arrays, one entry per step time of the report's `times`
    source: Any  # the event the time counts from, -1: the case's start
    days: Any  # whole days allowed, -1: none
    calendar_days: Any  # bool: counted in calendar days, not working days
    before: tuple[str, ...]  # each entry's text up to its elapsed time...
    after: tuple[str, ...]  # ... and after its row
    after_unmeasured: tuple[str, ...]  # ... when it is not measured (no start date for the first)
    total: int  # whole days allowed for the case, -1: none
    total_calendar: bool


class Interned(dict):
    """Small integers for the values met, in order of first meeting."""

    def __missing__(self, key: Any) -> int:
        value = self[key] = len(self)
        return value


class Engine:
    """Audits one plain CSV file, or one share of it (see the module's docstring). `batches()`
    gives what runner._audit gives for batches of cases; `source.accounting` is the reader's,
    complete once they are all given."""

    def __init__(self, plan: Plan, source: Any, render: Any, auditor: Any, audit_batch: Any, *,
                 unchecked: bool = False) -> None:
        self.plan = plan
        self.source = source
        self.reader = source.reader
        self.builder = self.reader.builder
        self.auditor = auditor
        self.audit_batch = audit_batch  # runner._audit: the usual engine on a list of cases
        self.render = render
        self.calendar = auditor.calendar
        self.days = Days(auditor.calendar, plan.offset_seconds)
        self.sop = plan.sop
        self.revision = json_value(plan.sop.revision)
        self.templates: dict[tuple, Template | int] = {}  # int: a key without one, its cases
        self.events = Interned()  # (step, role, documents, mode) of an event
        self.case_keys = Interned()  # (attributes but the start, documents, start kind)
        self.labels = Interned()  # roles, document sets, modes, attribute values
        self.cells: dict[tuple[int, str, str], Any] = {}  # (column, kind, text) -> what it says
        self.acc = Accounting(grouped=True)
        self.current: str | None = None  # the case of the rows read one by one, not yet whole
        self.buffer: list[RawEvent] = []
        self.sampled = 0
        self.fast = 0
        # What the pre-scan would have found out, for a share cut before it: the lines are plain
        # and no case id starts twice (8-byte digests of each case's id, checked with the other
        # shares' by the main process: runner._shared).
        self.plain = True
        self.digests = bytearray()
        self.unchecked = unchecked  # reading the whole file before its pre-scan (runner._columnar)
        # ... and then whether it is grouped, in memory that does not grow with the log (the
        # digests do: they are for a share, whose ids the main process compares with the others').
        self.grouping = GroupedCheck() if unchecked else None

    # -- the log, chunk by chunk --------------------------------------------------------------
    def batches(self) -> Iterator[tuple[list, datetime | None, int]]:
        acc = self.acc
        acc.notes.extend(self.reader.notes)
        self.source.accounting = acc
        span = self.reader.span
        if span is None or not span[1]:
            lines = Lines(self.source.path, 0, 1, self.reader.header_line, span[2] if span else None)
        else:
            lines = Lines(self.source.path, span[1], span[0], 0, span[2])
        carry, carry_first = b"", 0
        try:
            while (chunk := lines.read(carry, carry_first)) is not None:
                if not _plain(chunk):
                    self.plain = False
                    raise NotPlain
                table = parse(chunk, self.plan.width, self.plan.delimiter)
                if table is None:
                    carry = b""
                    cases = self._one_by_one(chunk, range(len(chunk.ends)), starts=True)
                    yield self.audit_batch(cases)
                    continue
                out, carry, carry_first = self._chunk(chunk, table)
                yield out
            tail = self._flush()
            if tail:
                yield self.audit_batch(tail)
        finally:
            lines.close()
        acc.rows_read += acc.accepted
        acc.events_read = acc.accepted

    # -- rows read one by one, as the usual reader does ----------------------------------------
    def verdict(self) -> tuple[bool, bytes]:
        """Whether the lines read were plain, and the digests of the case ids that started."""
        return self.plain, bytes(self.digests)

    def grouped(self) -> bool:
        """Whether the whole file read (unchecked) proved grouped by case."""
        assert self.grouping is not None
        return self.grouping.verdict(self.reader.case_keys_again)

    def _started(self, case_ids: Any) -> None:
        if self.grouping is not None:
            self.grouping.feed(case_ids)
            return
        digests = self.digests
        for case_id in case_ids:
            digests += blake2b(case_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()

    def _one_by_one(self, chunk: Chunk, indices: Any, *, starts: bool = False) -> list:
        """The cases the given lines complete (the last one may go on: see _flush); with
        `starts`, each case begun is noted (_started) here: the lines are a whole chunk."""
        from checker.readers.textfile import locate_decode_error

        acc, build, cases = self.acc, self.builder.build, []
        try:
            for line, fields in rows_of(chunk, self.plan.delimiter, indices):
                result = build(line, fields)
                if result.__class__ is RawEvent:
                    acc.accepted += 1
                    if result.case_id != self.current:
                        cases.extend(self._flush())
                        self.current = result.case_id
                        if starts:
                            self._started((result.case_id,))
                    self.buffer.append(result)
                elif not any(f.strip() for f in fields):
                    acc.blank_rows += 1
                else:
                    self.source.reject(Rejected(line, result.key, result.args, self.reader.raw(fields)), acc)
        except UnicodeError:
            raise locate_decode_error(self.source.path, self.reader.encoding) from None
        return cases

    def _flush(self) -> list:
        if not self.buffer:
            return []
        case = assemble(self.current, self.buffer, self.acc, self.source.options.pair_lifecycle)
        self.current, self.buffer = None, []
        return [case]

    # -- a chunk of columns -------------------------------------------------------------------
    def _chunk(self, chunk: Chunk, table: Any) -> tuple[tuple[list, datetime | None, int], bytes, int]:
        import numpy as np
        import pyarrow.compute as pc

        plan = self.plan
        ids = table[plan.i_case]
        n = len(ids)
        # (The shortest id's length, not a comparison with 0: pc.equal(..., 0) cost 1.2 ms a chunk.)
        if pc.min(pc.binary_length(ids)).as_py() == 0 or pc.any(
            pc.match_substring_regex(ids, EDGE_SPACE)
        ).as_py():
            # A row without a case id is rejected and does not end its case: row by row.
            cases = self._one_by_one(chunk, range(len(chunk.ends)), starts=True)
            return (self.audit_batch(cases) if cases else ([], None, 0)), b"", 0
        differs = pc.not_equal(ids.slice(1), ids.slice(0, n - 1)).to_numpy(zero_copy_only=False)
        change = np.flatnonzero(differs) + 1
        starts = np.concatenate(([0], change)).astype(np.int64)
        ends = np.concatenate((change, [n])).astype(np.int64)
        carry, carry_first = b"", 0
        if not chunk.last:  # the last case may go on in the next chunk
            carry = chunk.data[chunk.offset(int(starts[-1])):]
            carry_first = chunk.first + int(starts[-1])
            starts, ends = starts[:-1], ends[:-1]
            if not len(starts):  # one case filling the chunk: read on ...
                going = self.current is not None and ids[0].as_py() == self.current
                if len(carry) < LONG_CASE * chunks.CHUNK and not going:
                    return ([], None, 0), carry, carry_first
                # ... unless it is longer than a few chunks: parsed again with each chunk read,
                # its lines would cost time quadratic in its length. Its rows go one by one,
                # as the usual reader reads them, till its id changes (see first_slow); so do
                # those of a case already read so.
                cases = self._one_by_one(chunk, range(len(chunk.ends)), starts=True)
                return (self.audit_batch(cases) if cases else ([], None, 0)), b"", 0
        count = len(starts)
        case_ids = ids.take(starts).to_pylist()
        cases: list = []
        first_slow = False
        if self.current is not None:
            if case_ids[0] == self.current:
                first_slow = True  # goes on from rows read one by one
            else:
                cases.extend(self._flush())
        self._started(case_ids[1:] if first_slow else case_ids)
        cols = Columns(self, table, chunk.first, starts, ends, n)
        slow = cols.slow
        if first_slow:
            slow[0] = True
        gid = cols.event_ids.astype(np.int32).tobytes()
        ckey = cols.case_key
        templates = self.templates
        groups: dict[int, tuple[Template, list[int]]] = {}
        formed: list[int] = []  # cases of well-formed rows for the usual engine (raw_events)
        items: list = []
        latest: datetime | None = None
        for c in range(count):
            if slow[c]:
                cases.extend(self._case(chunk, starts[c], ends[c]))
                continue
            key = (gid[4 * starts[c] : 4 * ends[c]], ckey[c])
            template = templates.get(key, _UNSEEN)
            if template.__class__ is int:
                # A key without a template: its cases so far. Its sample may have been an odd
                # one of a kind of clean case (late, say), which would send every later case of
                # the kind the usual way: sampled again at the 2nd, 4th, 8th... case.
                seen = templates[key] = template + 1  # type: ignore[operator]
                template = _UNSEEN if seen & (seen - 1) == 0 else None
            if template is _UNSEEN and self.sampled > SAMPLES and self.sampled > self.fast:
                template = None  # keys that hardly repeat: a sample would cost more than it saves
            if template is _UNSEEN:
                template, item, when = self._sample(chunk, cols, c)
                if len(templates) >= TEMPLATES:  # bounded, as the usual engine's variants
                    templates.clear()
                templates[key] = template if template is not None else templates.get(key, 1)
                items.extend(item)
                latest = _later(latest, when)
            elif template is None:
                formed.append(c)
            else:
                groups.setdefault(id(template), (template, []))[1].append(c)
        clean_ids: list[str] = []
        clean_lines: list[str] = []
        if groups:
            order, late, lines = cols.render([(t, np.asarray(m, dtype=np.int64)) for t, m in groups.values()])
            for c, over, line in zip(order.tolist(), late.tolist(), lines, strict=True):
                if over:
                    formed.append(c)
                else:
                    clean_ids.append(case_ids[c])
                    clean_lines.append(line)
            on_time = order[~late]
            if len(on_time):
                latest = _later(latest, cols.latest(on_time))
                events = int((ends[on_time] - starts[on_time]).sum())
                self.acc.accepted += events
                self.acc.events += events
                self.acc.cases += len(on_time)
        if formed:
            pair = self.source.options.pair_lifecycle
            for case_id, raws in cols.raw_events(formed, [case_ids[c] for c in formed]):
                self.acc.accepted += len(raws)
                cases.append(assemble(case_id, raws, self.acc, pair))
        if clean_ids:
            self.fast += len(clean_ids)
            items.append((None, Clean(clean_ids, clean_lines)))
        if cases:
            more, when, _ = self.audit_batch(cases)
            items.extend(more)
            latest = _later(latest, when)
        return (items, latest, int(ends[-1])), carry, carry_first

    def _case(self, chunk: Chunk, start: int, end: int) -> list:
        """A case built from its lines by the usual reader."""
        return self._one_by_one(chunk, range(start, end)) + self._flush()

    def _sample(self, chunk: Chunk, cols: Columns, c: int) -> tuple:
        """The first case of a key, audited by the usual engine: its template (None if the
        cases of its key cannot be rendered here), its report item and its latest time."""
        import numpy as np

        self.sampled += 1
        start, end = cols.starts[c], cols.ends[c]
        built = self._case(chunk, start, end)
        items, latest, _ = self.audit_batch(built)
        if len(built) != 1 or len(built[0].events) != end - start:
            return None, items, latest
        item = items[0][1]
        if isinstance(item, CaseResult):
            summary, rendered = digest(item), self.render(item)
        elif isinstance(item, tuple):
            summary, rendered = item[1], item[2]
        else:
            return None, items, latest  # waits for the audit date
        if summary != CLEAN:
            return None, items, latest
        template = self._template()
        if template is None:
            return None, items, latest
        _, late, lines = cols.render([(template, np.asarray([c], dtype=np.int64))])
        if late[0] or lines[0] != rendered[0]:
            return None, items, latest
        return template, items, latest

    def _template(self) -> Template | None:
        import numpy as np

        from checker.conformance.checks.timing import total_for

        auto, moves, memo = self.auditor.last_variant
        plan = memo.get("timing")
        if plan is None:
            return None
        event, source, days, calendar_days, before, after, unmeasured = [], [], [], [], [], [], []
        for _, step_id, e, allowed, src, _ in plan:
            event.append(e)
            source.append(-1 if src is None else src)
            step = json_value(step_id)
            unmeasured.append(f', "step": {step}, "unit": null}}')
            if allowed is None:
                days.append(-1)
                calendar_days.append(False)
                before.append('{"allowed": null, "elapsed": ')
                after.append(f', "step": {step}, "unit": null}}')
            else:
                days.append(int(allowed.amount))
                calendar_days.append(allowed.unit == "calendar_days")
                before.append(f'{{"allowed": {json_value(allowed.amount)}, "elapsed": ')
                after.append(f', "step": {step}, "unit": {json_value(allowed.unit)}}}')
        total = total_for(self.sop, auto)
        return Template(
            alignment=alignment_text(moves),
            event=np.asarray(event, dtype=np.int64),
            source=np.asarray(source, dtype=np.int64),
            days=np.asarray(days, dtype=np.int64),
            calendar_days=np.asarray(calendar_days, dtype=bool),
            before=tuple(before),
            after=tuple(after),
            after_unmeasured=tuple(unmeasured),
            total=-1 if total is None else int(total.amount),
            total_calendar=total is not None and total.unit == "calendar_days",
        )

    # -- what a cell says -----------------------------------------------------------------------
    def cell(self, column: int, text: str, kind: str) -> Any:
        """What the SOP reads in a cell, computed once per distinct cell of a column."""
        key = (column, kind, text)
        found = self.cells.get(key)
        if found is None:
            if len(self.cells) >= CELLS:  # bounded: a column of values unique to each case
                self.cells.clear()
            found = self.cells[key] = self._read_cell(text, kind)
        return found

    def _read_cell(self, text: str, kind: str) -> Any:
        sop, labels = self.sop, self.labels
        value = text.strip()
        if kind == "activity":  # the engine's symbol (UNKNOWN: no step), EMPTY: a rejected row
            auditor = self.auditor
            state = auditor.state(len(auditor.revisions) - 1, sop, value) if value else EMPTY
            return state, json_value(value)
        if kind == "actor":
            if not value:  # no actor, no check: a label of its own, not a role's
                return labels[("no actor",)], "null"
            role = sop.actor_for_label.get(normalise_label(value))
            return labels[("role", role) if role is not None else ("name", value)], json_value(value)
        if kind == "documents":
            return labels[("docs", resolve_labels(sop.document_for_label, split_documents(text)))]
        if kind == "mode":
            return labels[("mode", normalise_label(value) if value else None)]
        if kind == "start":
            if not value:
                return 0, NO_DAY, None
            instant, _ = to_instant(value, self.calendar.tz, self.calendar.tz)
            if instant is None:
                return 2, NO_DAY, None  # unreadable (TM006): the key says so, the sample shows it
            day = (self.calendar.local_date(instant).toordinal() - EPOCH)
            return 1, day, json_value(instant.isoformat())
        return labels[("value", value)], (json_value(value) if value else None)


_UNSEEN = object()


def _plain(chunk: Chunk) -> bool:
    """What the pre-scan asks of a plain file (csv_reader._plain_lines), of a chunk's bytes."""
    import numpy as np

    data = chunk.data
    if b'"' in data or b"\x00" in data:
        return False
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):  # a search, then counts if need be
        return False
    sizes = np.diff(chunk.ends, prepend=-1) - 1  # bytes of each line without its line feed
    # A line of MAX_LINE characters or more is not plain; bytes are at least characters, so only
    # a line of that many bytes is decoded to count them.
    for i in np.flatnonzero(sizes >= MAX_LINE).tolist():
        if len(chunk.data[chunk.offset(i) : int(chunk.ends[i])].decode("utf-8", "replace")) >= MAX_LINE:
            return False
    return True


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None or (b is not None and b > a) else a


