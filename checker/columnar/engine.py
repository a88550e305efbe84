"""The columnar engine: audits a plain CSV or a Parquet log a chunk of rows at a time
(chunks.Lines, chunks.Frames), its columns held by pyarrow, and renders the JSON report's texts
of most cases (their line and their findings' lines) without building their events.

How it stays exact. Each case gets a key: for each event its step, its actor's role, its
documents and its mode as the SOP reads them, and the case's attributes (but the start date)
and documents. The case-by-case engine's verdicts depend on nothing else but the event times.
The first case of each key is audited by that engine (the sample); if it is complete (or ended
early) and its findings are of the kinds whose texts follow from the key and the case's own
cells (KEYED, QUOTED), the key gets a template: the alignment, for each step the event its time
counts from and the whole days allowed (plan.Plan declines SOPs with any other time rule), the
sample's verdict, and its findings' texts with slots for the case's id, its events as evidence
and what a message quotes of a row. The template must render its sample as the reporter does,
byte for byte, or it renders no case. A later case of that key has the sample's verdict exactly
when none of its steps, nor the whole case, takes longer than allowed, counted here over
arrays of day numbers as WorkCalendar counts them; a case of a clean template with steps over
their time (and the whole case within its own) has the sample's verdict with a TM001 finding for
each, once the first such case of the template and those steps proves it (Engine._late). Every
other case (a key without a template, any other time over, a date-only or unusual timestamp,
events not in time order, case attributes that change between rows, a row that would be
rejected) is built from its lines by the usual reader and audited by the usual engine, so its
report, the accounting of its rows and its findings are the usual ones."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from hashlib import blake2b
from typing import Any

from checker.columnar import NotPlain
from checker.columnar.chunks import Chunk, Frame, Frames, Lines
from checker.columnar.columns import (
    ACTIVITY,
    CASE_ID,
    DATE,
    EDGE_SPACE,
    EMPTY,
    EPOCH,
    EVENT,
    MODE,
    NO_DAY,
    Columns,
)
from checker.columnar.plan import Days, Plan
from checker.conformance.checks.documents import resolve_labels
from checker.conformance.results import COMPLETE, ENDED_EARLY, CaseResult, Finding
from checker.conformance.store import Rendered
from checker.conformance.tally import Digest, digest
from checker.findings import message
from checker.readers.accounting import Accounting, Rejected
from checker.readers.build import RawEvent
from checker.readers.grouping import GroupedCheck, assemble
from checker.readers.mapping import split_documents
from checker.reporters.audit import SEPARATOR, alignment_text
from checker.reporters.records import ENCODE, json_value
from checker.sop.model import normalise_label
from checker.timeparse import to_instant

TEMPLATES = 8_192  # keys remembered (their templates, or None): most keys with findings never repeat
CELLS = 20_000  # distinct cells whose reading is remembered
SAMPLES = 2_000  # past this many samples, none more while they outnumber the cases rendered
DIGESTS = 1 << 18  # bytes of case-id digests held before they go to digest_path


@dataclass(frozen=True, slots=True)
class Steps:
    """The step times of a variant's cases (the report's `times`), one entry per timed step;
    shared by the templates of the variant."""

    event: Any  # numpy int arrays: the step's event
    source: Any  # the event the time counts from, -1: the case's start
    days: Any  # whole days allowed, -1: none
    calendar_days: Any  # bool: counted in calendar days, not working days
    before: tuple[str, ...]  # each entry's text up to its elapsed time...
    after: tuple[str, ...]  # ... and after its row
    after_unmeasured: tuple[str, ...]  # ... when it is not measured (no start date for the first)
    plan: tuple[tuple, ...]  # the variant's timing plan (timing._timing_plan), an entry per step


@dataclass(frozen=True, slots=True)  # slots: thousands of them at 10M events
class Template:
    """What every case of one key that is on time shares (see the module's docstring)."""

    alignment: str
    steps: Steps
    total: int  # whole days allowed for the case, -1: none
    total_calendar: bool
    # The verdict, its sample's: the line's texts of "compliant" and "cost", of "findings",
    # "fitness" and "root_findings", and the status; its totals.
    judged: str
    counted: str
    status: str
    summary: Digest
    # The findings' lines: texts, and slots (kind, k) for the case's own (columns.CASE_ID...:
    # its id, its k-th event as evidence, or what a message quotes of it). Empty if clean.
    findings: tuple[str | tuple[int, int], ...]


class Interned(dict):
    """Small integers for the values met, in order of first meeting."""

    def __missing__(self, key: Any) -> int:
        value = self[key] = len(self)
        return value


class Engine:
    """Audits one plain CSV or Parquet file, or one share of it (see the module's docstring). `batches()`
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
        self.templates: dict[tuple, Template | int | None] = {}  # int: a key without one, its cases
        # One copy of each text, slot and digest of the templates: most repeat (see _shared).
        self.texts: dict[Any, Any] = {}
        # (id of a template, its steps over time) -> (the template, whether its rendering of such
        # a case is proved): see _late. Cleared with the templates.
        self.late_proofs: dict[tuple, tuple[Template, bool]] = {}
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
        # Where the digests go as they come, if set (runner._share_worker): 8 bytes a case held
        # to the end was 5 MB a worker at 10M events, and twice that as the verdict was sent.
        self.digest_path: str | None = None
        self.digests_spilled = False
        self.unchecked = unchecked  # reading the whole file before its pre-scan (runner._columnar)
        # ... and then whether it is grouped, in memory that does not grow with the log (the
        # digests do: they are for a share, whose ids the main process compares with the others').
        self.grouping = GroupedCheck() if unchecked else None

    # -- the log, chunk by chunk --------------------------------------------------------------
    def batches(self) -> Iterator[tuple[list, datetime | None, int]]:
        acc = self.acc
        acc.notes.extend(self.reader.notes)
        self.source.accounting = acc
        lines = self._lines()
        carry, carry_first = None, 0
        try:
            while (chunk := lines.read(carry, carry_first)) is not None:
                if not chunk.plain():
                    self.plain = False
                    raise NotPlain
                table = chunk.columns(self.plan.width)
                if table is None:
                    carry = None
                    cases = self._one_by_one(chunk, range(chunk.count), starts=True)
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

    def _lines(self) -> Lines | Frames:
        if self.plan.format == "parquet":
            return Frames(self.reader, self.plan.dates)
        span, raw = self.reader.span, self.reader.raw
        delimiter = self.plan.delimiter
        if span is None or not span[1]:
            return Lines(self.source.path, 0, 1, self.reader.header_line, span[2] if span else None,
                         delimiter, raw)
        return Lines(self.source.path, span[1], span[0], 0, span[2], delimiter, raw)

    # -- rows read one by one, as the usual reader does ----------------------------------------
    def verdict(self) -> tuple[bool, bytes | str]:
        """Whether the lines read were plain, and the digests of the case ids that started (or
        the file that holds them: digest_path)."""
        if self.digest_path is None:
            return self.plain, bytes(self.digests)
        self._spill_digests()
        return self.plain, self.digest_path

    def _spill_digests(self) -> None:
        with open(self.digest_path, "ab" if self.digests_spilled else "wb") as out:  # type: ignore[arg-type]
            out.write(self.digests)
        self.digests = bytearray()
        self.digests_spilled = True

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
        if self.digest_path is not None and len(digests) >= DIGESTS:
            self._spill_digests()

    def _one_by_one(self, chunk: Chunk | Frame, indices: range, *, starts: bool = False) -> list:
        """The cases the given lines complete (the last one may go on: see _flush); with
        `starts`, each case begun is noted (_started) here: the lines are a whole chunk."""
        from checker.readers.textfile import locate_decode_error

        acc, build, cases = self.acc, self.builder.build, []
        try:
            for line, fields in chunk.rows(indices):
                result = build(line, fields)
                if result.__class__ is RawEvent:
                    acc.accepted += 1
                    if result.case_id != self.current:
                        cases.extend(self._flush())
                        self.current = result.case_id
                        if starts:
                            self._started((result.case_id,))
                    self.buffer.append(result)
                elif chunk.blank(fields):
                    acc.blank_rows += 1
                else:
                    self.source.reject(Rejected(line, result.key, result.args, chunk.raw(line, fields)), acc)
        except UnicodeError:
            if self.plan.format != "csv":
                raise  # (a Parquet reader names the cell itself)
            raise locate_decode_error(self.source.path, self.reader.encoding) from None
        return cases

    def _flush(self) -> list:
        if not self.buffer:
            return []
        case = assemble(self.current, self.buffer, self.acc, self.source.options.pair_lifecycle)
        self.current, self.buffer = None, []
        return [case]

    # -- a chunk of columns -------------------------------------------------------------------
    def _chunk(self, chunk: Chunk | Frame, table: Any) -> tuple[tuple[list, datetime | None, int], Any, int]:
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
            cases = self._one_by_one(chunk, range(chunk.count), starts=True)
            return (self.audit_batch(cases) if cases else ([], None, 0)), None, 0
        differs = pc.not_equal(ids.slice(1), ids.slice(0, n - 1)).to_numpy(zero_copy_only=False)
        change = np.flatnonzero(differs) + 1
        starts = np.concatenate(([0], change)).astype(np.int64)
        ends = np.concatenate((change, [n])).astype(np.int64)
        carry, carry_first = None, 0
        if not chunk.last:  # the last case may go on in the next chunk
            carry, carry_first = chunk.tail(int(starts[-1]))
            starts, ends = starts[:-1], ends[:-1]
            if not len(starts):  # one case filling the chunk: read on ...
                going = self.current is not None and ids[0].as_py() == self.current
                if not chunk.long(carry) and not going:
                    return ([], None, 0), carry, carry_first
                # ... unless it is longer than a few chunks: parsed again with each chunk read,
                # its lines would cost time quadratic in its length. Its rows go one by one,
                # as the usual reader reads them, till its id changes (see first_slow); so do
                # those of a case already read so.
                cases = self._one_by_one(chunk, range(chunk.count), starts=True)
                return (self.audit_batch(cases) if cases else ([], None, 0)), None, 0
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
        cols = Columns(self, table, chunk.first, starts, ends, n, chunk.typed())
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
        # Templates made from this chunk's samples, proved when rendered with the other cases
        # (alone, a case's render cost more than its audit): sample -> (key, its texts).
        proofs: dict[int, tuple[tuple, tuple[str, str], int]] = {}
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
                count = templates.get(key, 1)
                template, item, when, rendered = self._sample(chunk, cols, c)
                if len(templates) >= TEMPLATES:  # bounded, as the usual engine's variants
                    templates.clear()
                    self.texts.clear()
                    self.late_proofs.clear()
                # None (a finding every case of the key has, which no template can render):
                # never sampled again.
                templates[key] = template if template is not _AGAIN else count
                items.extend(item)
                latest = _later(latest, when)
                if template.__class__ is Template:
                    proofs[c] = (key, rendered, count)
                    groups.setdefault(id(template), (template, []))[1].append(c)
            elif template is None:
                formed.append(c)
            else:
                groups.setdefault(id(template), (template, []))[1].append(c)
        drawn_ids: list[str] = []
        drawn_lines: list[str] = []
        drawn_findings: list[str] = []
        totals: list[tuple[Digest, int]] = []
        if groups:
            chosen = list(groups.values())
            drawn = cols.render([(t, np.asarray(m, dtype=np.int64)) for t, m in chosen])
            sampled = np.isin(drawn.cases, np.fromiter(proofs, np.int64, len(proofs)))
            usable = ~drawn.late & ~sampled  # a sample's own report comes from the usual engine
            late = drawn.late & ~sampled
            for at in np.flatnonzero(sampled).tolist():
                key, rendered, count = proofs[int(drawn.cases[at])]
                if drawn.late[at] or drawn.lines[at] != rendered[0] or drawn.findings[at] != rendered[1]:
                    templates[key] = count  # unproved: its other cases go the usual way
                    failed = (usable | late) & (drawn.group == drawn.group[at])
                    formed.extend(drawn.cases[failed].tolist())
                    usable &= ~failed
                    late &= ~failed
            late_drawn = None
            if late.any():
                slow_late, late_items, when, late_drawn = self._late(chunk, cols, drawn, chosen, late,
                                                                      case_ids)
                formed.extend(slow_late)
                items.extend(late_items)
                latest = _later(latest, when)
            for c, line, found in zip(drawn.cases[usable].tolist(), itertools.compress(drawn.lines, usable),
                                      itertools.compress(drawn.findings, usable), strict=True):
                drawn_ids.append(case_ids[c])
                drawn_lines.append(line)
                drawn_findings.append(found)
            per_template = np.bincount(drawn.group[usable], minlength=len(chosen)).tolist()
            totals = [(t.summary, n) for (t, _), n in zip(chosen, per_template, strict=True) if n]
            rendered = drawn.cases[usable]
            if late_drawn is not None and late_drawn[0]:
                cases_late, lines_late, findings_late, digests_late = late_drawn
                drawn_ids.extend(case_ids[c] for c in cases_late)
                drawn_lines.extend(lines_late)
                drawn_findings.extend(findings_late)
                totals.extend(Counter(digests_late).items())
                rendered = np.concatenate((rendered, np.asarray(cases_late, dtype=np.int64)))
            if len(rendered):
                latest = _later(latest, cols.latest(rendered))
                events = int((ends[rendered] - starts[rendered]).sum())
                self.acc.accepted += events
                self.acc.events += events
                self.acc.cases += len(rendered)
        if formed:
            pair = self.source.options.pair_lifecycle
            for case_id, raws in cols.raw_events(formed, [case_ids[c] for c in formed]):
                self.acc.accepted += len(raws)
                cases.append(assemble(case_id, raws, self.acc, pair))
        if drawn_ids:
            self.fast += len(drawn_ids)
            items.append((None, Rendered(drawn_ids, drawn_lines, drawn_findings, totals)))
        if cases:
            more, when, _ = self.audit_batch(cases)
            items.extend(more)
            latest = _later(latest, when)
        return (items, latest, int(ends[-1])), carry, carry_first

    def _late(self, chunk: Chunk | Frame, cols: Columns, drawn: Any, chosen: list, late: Any,
              case_ids: list[str]) -> tuple[list[int], list, datetime | None, tuple]:
        """The late cases of a render (`late`: a mask over drawn.cases): those of a clean
        template with some steps over their time (TM001) and the whole case within its own,
        rendered here: the template's line with the verdict of a case with those findings, and
        a TM001 line for each late step. Each template and set of late steps is proved first,
        on its first case, against the usual engine's report of it (its texts and its totals);
        unproved, or of another kind, a case goes the usual way. Returns the cases for the usual
        engine, the proofs' report items and latest time, and the rendered (cases, lines,
        findings, digests)."""
        import numpy as np

        owner, slot, event, overrun = drawn.over
        evidence = cols.event_json(np.asarray(event, dtype=np.int64)).to_pylist() if len(event) else []
        first = np.searchsorted(owner, np.arange(len(drawn.cases) + 1))
        slow: list[int] = []
        items: list = []
        latest: datetime | None = None
        out: tuple[list, list, list, list] = ([], [], [], [])
        for at in np.flatnonzero(late).tolist():
            c = int(drawn.cases[at])
            template = chosen[int(drawn.group[at])][0]
            if template.findings or drawn.over_total[at] or template.summary[0] != COMPLETE:
                slow.append(c)
                continue
            lo, hi = int(first[at]), int(first[at + 1])
            steps = tuple(slot[lo:hi].tolist())
            key = (id(template), steps)
            known = self.late_proofs.get(key)  # (it holds the template: its id is not reused)
            if known is not None and not known[1]:
                slow.append(c)
                continue
            rendered = self._late_texts(template, case_ids[c], drawn.lines[at], steps,
                                        overrun[lo:hi].tolist(), evidence[lo:hi], event[lo:hi].tolist())
            if known is None:
                proved, proof_items, when = self._prove_late(chunk, cols, c, rendered)
                self.late_proofs[key] = (template, proved)
                items.extend(proof_items)
                latest = _later(latest, when)
                continue
            if rendered is None:
                slow.append(c)
                continue
            for part, value in zip(out, (c, *rendered), strict=True):
                part.append(value)
        return slow, items, latest, out

    def _late_texts(self, template: Template, case_id: str, line: str, steps: tuple[int, ...],
                    overrun: list[int], evidence: list[str], rows: list[int]) -> tuple | None:
        """A late case's line, findings' lines and digest (see _late), or None."""
        from checker.conformance.checks.timing import UNIT_TEXT
        from checker.conformance.engine import _finding
        from checker.reporters.records import finding_record

        counted = template.counted.split(", ")
        if len(counted) != 3 or '"compliant": true' not in template.judged:
            return None
        plan = template.steps.plan
        sop = self.sop
        found = []
        for k, over, ev, row in zip(steps, overrun, evidence, rows, strict=True):
            _, step_id, _, allowed, _, _ = plan[k]
            step = sop.step_by_id[step_id]
            args = {"overrun": float(over), "allowed": allowed.amount, "unit": UNIT_TEXT[allowed.unit]}
            found.append((step.number, row, _finding("TM001", case_id, step, args, ()), ev))
        found.sort(key=lambda x: (x[0], x[1]))
        n = len(found)
        texts = "".join(
            SEPARATOR + ENCODE(finding_record(f, self.render.lang)).replace(
                '"evidence": []', f'"evidence": [{ev}]', 1)
            for _, _, f, ev in found
        )
        judged = template.judged.replace('"compliant": true', '"compliant": false', 1)
        verdict = f'"findings": {n}, {counted[1]}, "root_findings": {n}'
        line = line.replace(template.judged, judged, 1).replace(template.counted, verdict, 1)
        summary = template.summary
        roots = tuple((f.code, f.severity, f.step) for _, _, f, _ in found)
        return line, texts, (summary[0], False, summary[2], roots, tuple(r[:2] for r in roots))

    def _prove_late(self, chunk: Chunk | Frame, cols: Columns, c: int, rendered: tuple | None) -> tuple:
        """Audit case `c` the usual way; whether its report is `rendered`; its items; latest."""
        items, latest, result = self._audited(chunk, cols, c)
        if rendered is None or result is None or result is _AGAIN:
            return False, items, latest
        summary, texts = result
        return (tuple(texts) == rendered[:2] and summary == rendered[2]), items, latest

    def _audited(self, chunk: Chunk | Frame, cols: Columns, c: int) -> tuple:
        """Case `c` built from its lines and audited the usual way: its report items, its latest
        time, and its digest and report texts; _AGAIN instead if its lines were not one whole
        case, None if it is still open (it waits for the audit date)."""
        start, end = cols.starts[c], cols.ends[c]
        built = self._case(chunk, start, end)
        items, latest, _ = self.audit_batch(built)
        if len(built) != 1 or len(built[0].events) != end - start:
            return items, latest, _AGAIN
        item = items[0][1]
        if isinstance(item, CaseResult):
            return items, latest, (digest(item), self.render(item))
        if isinstance(item, tuple):
            return items, latest, (item[1], item[2])
        return items, latest, None

    def _case(self, chunk: Chunk | Frame, start: int, end: int) -> list:
        """A case built from its lines by the usual reader."""
        return self._one_by_one(chunk, range(start, end)) + self._flush()

    def _sample(self, chunk: Chunk | Frame, cols: Columns, c: int) -> tuple:
        """The first case of a key, audited by the usual engine: its template (_AGAIN if the
        cases of its key cannot be rendered here from this one, None if they never can), its
        report item, its latest time, and its report texts (which the template must render)."""
        self.sampled += 1
        start, end = cols.starts[c], cols.ends[c]
        items, latest, result = self._audited(chunk, cols, c)
        if result is _AGAIN:
            return _AGAIN, items, latest, None
        if result is None:
            return None, items, latest, None  # open: waits for the audit date, as its kind will
        summary, rendered = result
        codes = {code for code, _ in summary[4]}
        if not codes <= RENDERED | TIMED or summary[0] not in (COMPLETE, ENDED_EARLY):
            # A finding no template renders (see KEYED), or a case still open (the steps not yet
            # done follow from the key): so has every case of the key.
            return None, items, latest, None
        if codes & TIMED:
            return _AGAIN, items, latest, None  # late: a later case may not be
        roots = self.auditor.last_findings  # the sample's, complete (not waiting for a date)
        template = self._template(summary, rendered, roots, int(start) + cols.first, int(end - start))
        return (_AGAIN if template is None else template), items, latest, rendered

    def _template(
        self, summary: Digest, rendered: tuple[str, str], roots: tuple[Finding, ...], first_row: int,
        length: int,
    ) -> Template | None:
        """The template of the sample's key, from the engine's last variant (the sample's) and
        the sample's report texts (its line and its findings' lines, with first_row the row of
        its first event)."""
        from checker.conformance.checks.timing import total_for

        auto, moves, memo = self.auditor.last_variant
        plan = memo.get("timing")
        if plan is None:
            return None
        findings = _slotted(rendered[1], roots, first_row, length, self.render.lang)
        if findings is None:
            return None
        record = json.loads(rendered[0][len(SEPARATOR):])
        steps = memo.get("columnar steps")  # the variant's own cache, as the checks keep theirs
        if steps is None:
            steps = memo["columnar steps"] = _steps(plan, self._shared)
        total = total_for(self.sop, auto)
        return Template(
            alignment=alignment_text(moves),
            steps=steps,
            # (Whole-case time is not judged for a case that ended early: timing._total.)
            total=-1 if total is None or summary[0] == ENDED_EARLY else int(total.amount),
            total_calendar=total is not None and total.unit == "calendar_days",
            judged=self._one(_fields(record, "compliant", "cost")),
            counted=self._one(_fields(record, "findings", "fitness", "root_findings")),
            status=self._one(json_value(record["status"])),
            summary=self._one(summary),
            findings=self._shared(findings),
        )

    def _shared(self, pieces: Any) -> tuple:
        """The pieces, each text one copy for all templates (thousands of templates with
        findings at 10M events held 4 KB each, most of it texts of other templates)."""
        return tuple(map(self._one, pieces))

    def _one(self, piece: Any) -> Any:
        return self.texts.setdefault(piece, piece)

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
        if kind == "mode":  # its label, and its text as JSON writes it inside a string
            return labels[("mode", normalise_label(value) if value else None)], json_value(value)[1:-1]
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
_AGAIN = object()  # no template from this sample: a later case of its key is sampled again

# The findings whose every field but the case id and the evidence (the case's events, by their
# place in it) is the same for every case of a key: their args name steps, roles, documents
# and the attributes the SOP's conditions read, all of which the key holds.
KEYED = frozenset({"AC001", "AC002", "CS003", "DC001", "DC002", "FL001", "FL002", "FL004", "FL005", "FL006"})
# ... and those whose args also quote the row of the event they are about, each arg given here
# with the slot that renders it from that row: FL003 the activity, AC004 the mode, AC003 the
# date (not in its message; its person is in the key, and without a roster its note is fixed).
QUOTED = {"FL003": {"activity": ACTIVITY}, "AC004": {"mode": MODE}, "AC003": {"date": DATE}}
# A case with any other finding goes the usual way: TM001 and TM004 depend on the times (a later
# case of the key is sampled again), TM006 quotes the start attribute cut to 80 characters (a key
# with it never gets a template), and the rest are for SOPs or cases the engine declines
# (plan.plan_for) or holds for the audit date.
TIMED = frozenset({"TM001", "TM004"})
RENDERED = KEYED | frozenset(QUOTED)
# A slot's mark as JSON encodes it (_slotted): a whole value (with its quotes) or inside a text.
_MARK = re.compile(r'"\\u0000([12])\.(\d+)\\u0000"|\\u0000([345])\.(\d+)\\u0000')


def _steps(plan: list[tuple], shared: Callable[[list], tuple]) -> Steps:
    """A variant's Steps, from its timing plan (timing._timing_plan), its texts made `shared`."""
    import numpy as np

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
    return Steps(
        event=np.asarray(event, dtype=np.int64),
        source=np.asarray(source, dtype=np.int64),
        days=np.asarray(days, dtype=np.int64),
        calendar_days=np.asarray(calendar_days, dtype=bool),
        before=shared(before),
        after=shared(after),
        after_unmeasured=shared(unmeasured),
        plan=tuple(plan),
    )


def _fields(record: dict, *keys: str) -> str:
    """Fields of a case's record as its line writes them."""
    return ", ".join(f"{json_value(key)}: {json_value(record[key])}" for key in keys)


def _slotted(findings: str, roots: tuple[Finding, ...], first_row: int, length: int,
             lang: str) -> tuple[str | tuple[int, int], ...] | None:
    """The sample's findings' lines (JsonLines, of its findings `roots`) as a template's texts
    and slots: each case id, each piece of evidence and each quote of a row (QUOTED) made a
    slot, by encoding the records again with marks in their stead. None if some evidence is
    not one of the case's events, or a mark could be taken for text of the sample's own."""
    if not findings:
        return ()
    if "\\u0000" in findings:
        return None

    def mark(slot: int, at: int) -> str:
        return f"\x00{slot}.{at}\x00"

    def marked(record: dict, finding: Finding) -> dict | None:
        if record["code"] != finding.code or len(record["consequences"]) != len(finding.consequences):
            return None
        evidence = []
        for event in record["evidence"]:
            at = event["row"] - first_row
            if not 0 <= at < length:
                return None
            evidence.append(mark(EVENT, at))
        nested = [marked(r, f) for r, f in zip(record["consequences"], finding.consequences, strict=True)]
        if None in nested:
            return None
        record = {**record, "case_id": mark(CASE_ID, 0), "consequences": nested, "evidence": evidence}
        quoted = QUOTED.get(finding.code)
        if quoted:
            if len(finding.evidence) != 1 or record["message"] != finding.message(lang):
                return None
            at = finding.evidence[0].row - first_row
            args = {**finding.args, **{name: mark(slot, at) for name, slot in quoted.items()}}
            record["message"] = message(finding.code, args, lang)
        return record

    lines = findings.split(SEPARATOR)[1:]
    if len(lines) != len(roots):
        return None
    texts = []
    for line, root in zip(lines, roots, strict=True):
        record = marked(json.loads(line), root)
        if record is None:
            return None
        texts.append(SEPARATOR + ENCODE(record))
    pieces: list[str | tuple[int, int]] = []
    text, done = "".join(texts), 0
    for found in _MARK.finditer(text):
        if found.start() > done:
            pieces.append(text[done : found.start()])
        slot, at = (found[1], found[2]) if found[1] else (found[3], found[4])
        pieces.append((int(slot), int(at)))
        done = found.end()
    if done < len(text):
        pieces.append(text[done:])
    return tuple(pieces)


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None or (b is not None and b > a) else a


