"""One chunk of a log as columns: what the engine needs of each event and case (codes, keys,
day numbers), which cases must go the usual way, and the report's texts of the cases rendered
from their templates, all at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from checker.columnar.plan import EPOCH
from checker.readers.timeparse import FIRST_YEAR, LAST_YEAR
from checker.reporters.audit import SEPARATOR
from checker.reporters.records import json_value

if TYPE_CHECKING:
    from checker.columnar.engine import Engine, Template

# The slots of a template's findings (Template.findings): what of the case fills each.
CASE_ID = 1  # its id's JSON
EVENT = 2  # an event's JSON (evidence), by its place in the case
ACTIVITY = 3  # an event's activity, as JSON writes it inside a string (a message's quote)
MODE = 4  # an event's mode, the same way
DATE = 5  # an event's local date, YYYY-MM-DD


class Drawn(NamedTuple):
    """Cases rendered from their templates (Columns.render)."""

    cases: Any  # numpy: case numbers, a template's cases after another's
    group: Any  # numpy: each case's template, its position among those given
    late: Any  # numpy bool: longer than allowed (a step, or the whole case)
    lines: list[str]  # the report's line of each
    findings: list[str]  # the lines of each one's findings ("" for none)
    # The steps over their time, in case order then step order: each one's case (its position
    # in `cases`), its entry in its template's Steps, its event (row of the chunk) and by how
    # many days; and whether the whole case is over its time.
    over: tuple[Any, Any, Any, Any]
    over_total: Any

# What str.isspace() is true of (tests/test_columnar.py checks the list against Python's).
SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
         "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_EDGE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in SPACE) + "]"
EDGE_SPACE = f"^{_EDGE}|{_EDGE}$"  # text that str.strip() would change
ESCAPED = '["\\\\\x00-\x1f]'  # what JSON writes otherwise than as itself
EMPTY = -2  # the step code of an empty activity (the row is rejected); UNKNOWN (-1): no step
NO_DAY = -(1 << 40)  # no day (day numbers count from 1970 and are negative before it)


class Columns:
    """One chunk's columns as the engine needs them."""

    def __init__(self, engine: Engine, table: Any, first: int, starts: Any, ends: Any, n: int,
                 typed: dict[int, Any]) -> None:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        self.engine = engine
        self.table = table
        self.typed = typed  # a Parquet file's typed columns as stored (Frame.typed): raw_events
        self.first = first  # the line number of the table's first row
        self.starts, self.ends = starts, ends
        plan = engine.plan
        count = len(starts)
        # Which case each row belongs to (rows after the last whole case: -1).
        owner = np.full(n, -1, dtype=np.int64)
        lengths = ends - starts
        owner[: int(ends[-1]) if count else 0] = np.repeat(np.arange(count), lengths)
        bad = np.zeros(n, dtype=bool)

        def coded(column: int | None, kind: str) -> tuple[Any, list]:
            indices, _, cells = encoded(column, kind)
            return indices, cells

        def encoded(column: int | None, kind: str) -> tuple[Any, list, list]:
            """A column's dictionary codes, its distinct cells, and what each says (engine.cell)."""
            if column is None:
                return None, [], []
            codes = table[column].dictionary_encode()
            words = codes.dictionary.to_pylist()
            cells = [engine.cell(column, w, kind) for w in words]
            return codes.indices.to_numpy(zero_copy_only=False), words, cells

        # Steps and the activity as the report writes it.
        a_idx, a_cells = coded(plan.i_activity, "activity")
        state = np.asarray([s for s, _ in a_cells], dtype=np.int64)[a_idx]
        bad |= state == EMPTY
        self.activity_json = pa.array([j for _, j in a_cells], pa.string()).take(pa.array(a_idx))
        if plan.i_actor is not None:
            r_idx, r_cells = coded(plan.i_actor, "actor")
            role = np.asarray([r for r, _ in r_cells], dtype=np.int64)[r_idx]
            self.actor_json = pa.array([j for _, j in r_cells], pa.string()).take(pa.array(r_idx))
        else:
            role = np.zeros(n, dtype=np.int64)
            self.actor_json = pa.array(["null"] * n, pa.string())
        self.ids = table[plan.i_case]
        self.plain_ids = not pc.any(pc.match_substring_regex(self.ids, ESCAPED)).as_py()
        d_idx, d_cells = coded(plan.i_documents, "documents")
        docs = np.asarray(d_cells, dtype=np.int64)[d_idx] if d_idx is not None else np.zeros(n, np.int64)
        m_idx, m_cells = coded(plan.i_mode, "mode")
        mode = np.asarray([m for m, _ in m_cells], dtype=np.int64)[m_idx] if m_idx is not None else np.zeros(
            n, np.int64)
        # What a finding's message may quote of a row (Template.findings): the activity and the
        # mode as JSON writes them inside a string, per distinct cell.
        self.quoted = {ACTIVITY: (a_idx, [j[1:-1] for _, j in a_cells]),
                       MODE: (m_idx, [j for _, j in m_cells])}
        # One number per (step, role, documents, mode): through the distinct combinations only.
        self.event_ids = _interned(engine.events, (state - EMPTY, role, docs, mode))

        # Timestamps: ISO with a time in the calendar's offset, or a date alone (midnight there);
        # anything else, and the case goes the usual way.
        stamps = table[plan.i_timestamp]
        offset = plan.offset.replace("+", r"\+")
        timed = pc.match_substring_regex(stamps, r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}" + offset + "$")
        dated = pc.match_substring_regex(stamps, r"^\d{4}-\d{2}-\d{2}$")
        timed = timed.to_numpy(zero_copy_only=False)
        dated = dated.to_numpy(zero_copy_only=False)
        seconds, possible, year = _local_seconds(stamps, timed, dated)
        timed = timed & possible
        dated = dated & possible
        # Years outside those supported: the reader rejects the row (before any date arithmetic).
        valid = (timed | dated) & (year >= FIRST_YEAR) & (year <= LAST_YEAR)
        bad |= ~valid
        self.stamps = stamps
        self.seconds = seconds
        self.dated = dated
        self.day = np.where(valid, seconds // 86400, 0)
        # In time order as written, which the reader keeps (a case it would reorder goes the
        # usual way: events.in_time_order). Events at the same time may be exact duplicates,
        # which the reader lists (and the usual way reports): allowed only when their activities differ.
        step = np.ones(n, dtype=np.int64)
        step[1:] = seconds[1:] - seconds[:-1]
        step[starts] = 1
        bad |= step < 0
        if (step == 0).any():
            run = np.cumsum(step != 0)
            # The reader's identity of an event holds its activity stripped: by the JSON text of it.
            same = np.unique(np.asarray([j for _, j in a_cells]), return_inverse=True)[1].reshape(-1)[a_idx]
            order = np.lexsort((same, run))
            twin = (run[order][1:] == run[order][:-1]) & (same[order][1:] == same[order][:-1])
            bad[order[1:][twin]] = True

        # Case attributes, the same on every row of a case; the start date.
        first_row = np.where(owner >= 0, starts[np.maximum(owner, 0)], 0)
        parts = []
        self.attribute_json: list[tuple[str, Any]] = []  # per column: its pieces of each case's text
        start_kind = np.zeros(count, dtype=np.int64)
        self.start_day = np.full(count, NO_DAY, dtype=np.int64)
        self.started = pa.nulls(count, pa.string())
        for column, name in plan.case_columns:
            c_idx, words, values = encoded(column, "value")  # each column encoded once
            bad |= c_idx != c_idx[first_row]
            at_start = c_idx[starts]
            if name == plan.start_attribute:
                read = [engine.cell(column, w, "start") for w in words]
                start_kind = np.asarray([k for k, _, _ in read], dtype=np.int64)[at_start]
                self.start_day = np.asarray([d for _, d, _ in read], dtype=np.int64)[at_start]
                self.started = pa.array([s for _, _, s in read], pa.string()).take(pa.array(at_start))
                self.attribute_json.append((name, _pieces(name, values, at_start)))
                continue
            if name in plan.tested:  # the verdict reads no other attribute (plan.tested_attributes)
                parts.append(np.asarray([v for v, _ in values], dtype=np.int64)[at_start])
            self.attribute_json.append((name, _pieces(name, values, at_start)))
        self.attribute_json.sort(key=lambda item: item[0])
        if plan.i_case_documents is not None:
            cd_idx, cd_cells = coded(plan.i_case_documents, "documents")
            bad |= cd_idx != cd_idx[first_row]
            parts.append(np.asarray(cd_cells, dtype=np.int64)[cd_idx[starts]])
        parts.append(start_kind)
        keys = np.stack(parts, axis=1) if parts else np.zeros((count, 1), np.int64)
        interned = engine.case_keys
        self.case_key = [interned[tuple(row)] for row in keys.tolist()]
        self.slow = np.logical_or.reduceat(bad[: int(ends[-1])], starts)
        stamped = self.day[valid & (owner >= 0)]
        years = (stamped, self.start_day[self.start_day != NO_DAY])
        low = min((int(y.min()) for y in years if len(y)), default=0)
        high = max((int(y.max()) for y in years if len(y)), default=0)
        written = (_year(int(stamped.min())), _year(int(stamped.max()))) if len(stamped) else (1970, 1970)
        if not engine.days.cover(_year(low), _year(high), written):
            self.slow[:] = True

    def render(self, groups: list[tuple[Template, Any]]) -> Any:
        """For the cases of each template (numpy arrays of case numbers), all at once: a Drawn
        with the cases (concatenated), each one's template (its position in `groups`), whether
        each took longer than allowed (a step, or the whole case), and the JSON report's texts of
        each as JsonLines renders them, its line and its findings' lines (meaningful for those
        on time)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        engine = self.engine
        days = engine.days
        templates = [t for t, _ in groups]
        counts = np.asarray([len(c) for _, c in groups], dtype=np.int64)
        cases = np.concatenate([c for _, c in groups])
        group = np.repeat(np.arange(len(groups)), counts)  # each case's template
        k = len(cases)
        starts = self.starts[cases]
        last = self.ends[cases] - 1
        start_day = self.start_day[cases]

        # Each step's time, as the engine's `times` lists them: an entry per step of a case.
        widths = np.asarray([len(t.steps.event) for t in templates], dtype=np.int64)
        first_slot = np.concatenate(([0], np.cumsum(widths)[:-1]))
        slot = np.concatenate([np.tile(np.arange(w) + f, n) for w, f, n in zip(widths, first_slot, counts,
                                                                               strict=True)])
        slot_event = np.concatenate([t.steps.event for t in templates])
        slot_source = np.concatenate([t.steps.source for t in templates])
        slot_days = np.concatenate([t.steps.days for t in templates])
        slot_calendar = np.concatenate([t.steps.calendar_days for t in templates])
        sizes = widths[group]
        owner = np.repeat(np.arange(k), sizes)  # each entry's case (position in `cases`)
        event = starts[owner] + slot_event[slot]
        source = slot_source[slot]
        allowed = slot_days[slot]
        begin = np.where(source >= 0, self.day[np.maximum(starts[owner] + source, 0)], start_day[owner])
        measured = (allowed >= 0) & (begin != NO_DAY)
        end = self.day[event]
        taken = days.taken(np.where(measured, begin, end), end, slot_calendar[slot])
        step_late = measured & (taken > allowed)
        late = np.bincount(owner, weights=step_late, minlength=k) > 0
        total = np.asarray([t.total for t in templates], dtype=np.int64)[group]
        total_calendar = np.asarray([t.total_calendar for t in templates], dtype=bool)[group]
        checked = (total >= 0) & (start_day != NO_DAY)
        spent = days.taken(np.where(checked, start_day, self.day[last]), self.day[last], total_calendar)
        over_total = checked & (spent > total)
        late |= over_total
        at = np.flatnonzero(step_late)
        over = (owner[at], slot[at] - first_slot[group[owner[at]]], event[at], (taken - allowed)[at])

        at_start = pa.array(starts)
        ended = self.stamps.take(pa.array(last))
        began = self.stamps.take(at_start)
        started = pc.coalesce(self.started.take(pa.array(cases)),
                              pc.binary_join_element_wise('"', began, '"', ""))
        ids = self.ids.take(at_start)
        if self.plain_ids:
            case_id = pc.binary_join_element_wise('"', ids, '"', "")
        else:
            case_id = pa.array([json_value(x) for x in ids.to_pylist()], pa.string())
        if self.attribute_json:
            columns = [pieces.take(pa.array(cases)) for _, pieces in self.attribute_json]
            attributes = pc.binary_join_element_wise(*columns, ", ", null_handling="skip")
        else:
            attributes = pa.array([""] * k, pa.string())
        # The verdict's fields: the same for every case of a template (its sample's).
        at_group = pa.array(group)
        judged = pa.array([t.judged for t in templates], pa.string()).take(at_group)
        counted = pa.array([t.counted for t in templates], pa.string()).take(at_group)
        status = pa.array([t.status for t in templates], pa.string()).take(at_group)
        findings = self._findings(templates, group, starts, case_id)
        revision = engine.revision
        if not engine.plan.traces:
            line = pc.binary_join_element_wise(
                f'{SEPARATOR}{{"attributes": {{', attributes, '}, "case_id": ', case_id, ", ", judged,
                ', "ended": "', ended, '", ', counted, f', "sop_revision": {revision}, "started": ', started,
                ', "status": ', status, "}", "",
            )
            return Drawn(cases, group, late, line.to_pylist(), findings, over, over_total)
        text = pa.array(taken).cast(pa.string())
        elapsed = pc.if_else(measured, pc.binary_join_element_wise(text, ".0", ""), "null")
        at_slot = pa.array(slot)
        # Not measured (no time allowed, or the first step of a case without its start date): the
        # engine writes every field but the row and the step as null.
        counted_time = pa.array(measured)

        def texts(of: Callable[[Template], tuple[str, ...]]) -> Any:
            return pa.array([x for t in templates for x in of(t)], pa.string()).take(at_slot)

        before = texts(lambda t: t.steps.before)
        after = texts(lambda t: t.steps.after)
        unmeasured = texts(lambda t: t.steps.after_unmeasured)
        entries = pc.binary_join_element_wise(
            pc.if_else(counted_time, before, '{"allowed": null, "elapsed": '), elapsed,
            ', "row": ', pa.array(event + self.first).cast(pa.string()),
            pc.if_else(counted_time, after, unmeasured), "",
        )
        times = pc.binary_join(_lists(entries, sizes), ", ")
        # Each event, as the report's `events` lists them.
        lengths = self.ends[cases] - starts
        rows = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths) + np.arange(
            int(lengths.sum()))
        events = pc.binary_join(_lists(self.event_json(rows), lengths), ", ")
        alignment = pa.array([t.alignment for t in templates], pa.string()).take(at_group)
        line = pc.binary_join_element_wise(
            f'{SEPARATOR}{{"alignment": ', alignment, ', "attributes": {', attributes,
            '}, "case_id": ', case_id, ", ", judged, ', "ended": "', ended, '", "events": [', events,
            "], ", counted, f', "sop_revision": {revision}, "started": ', started, ', "status": ', status,
            ', "times": [', times, "]}", "",
        )
        return Drawn(cases, group, late, line.to_pylist(), findings, over, over_total)

    def event_json(self, rows: Any) -> Any:
        """The JSON of the events at the given rows of the chunk, as a report lists them (a case's
        `events`, a finding's `evidence`)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        at = pa.array(rows)
        return pc.binary_join_element_wise(
            '{"activity": ', self.activity_json.take(at), ', "actor": ', self.actor_json.take(at),
            ', "row": ', pa.array(rows + self.first).cast(pa.string()),
            ', "timestamp": "', self.stamps.take(at), '"}', "",
        )

    def _findings(self, templates: list[Template], group: Any, starts: Any, case_id: Any) -> list[str]:
        """Each case's findings' lines: its template's texts with the case's own in their slots
        (Template.findings), for all the cases at once: a chunk's cases with findings are of
        many templates, a few cases each."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        k = len(group)
        widths = np.asarray([len(t.findings) for t in templates], dtype=np.int64)
        if not widths.any():
            return [""] * k
        flat = [piece for t in templates for piece in t.findings]
        texts = [piece for piece in flat if piece.__class__ is str]
        kind = np.asarray([0 if p.__class__ is str else p[0] for p in flat], dtype=np.int64)
        value = np.asarray([0 if p.__class__ is str else p[1] for p in flat], dtype=np.int64)
        value[kind == 0] = np.arange(len(texts))
        # Each case's pieces: its template's, one after another.
        sizes = widths[group]
        owner = np.repeat(np.arange(k), sizes)
        begun = np.cumsum(sizes) - sizes
        piece = np.arange(int(sizes.sum())) - begun[owner] + (np.cumsum(widths) - widths)[group][owner]
        kinds = kind[piece]
        at = value[piece]
        parts = [pa.array(texts, pa.string())]
        filled = len(texts)
        for slot in (CASE_ID, EVENT, ACTIVITY, MODE, DATE):
            here = kinds == slot
            if not here.any():
                continue
            if slot == CASE_ID:
                part = case_id.take(pa.array(owner[here]))
            else:
                rows = starts[owner[here]] + at[here]
                if slot == EVENT:
                    part = self.event_json(rows)
                elif slot == DATE:  # the event's local date: the calendar's offset is the stamps'
                    part = pc.utf8_slice_codeunits(self.stamps.take(pa.array(rows)), 0, 10)
                else:
                    indices, quoted = self.quoted[slot]
                    part = pa.array(quoted, pa.string()).take(pa.array(indices[rows]))
            at[here] = filled + np.arange(int(here.sum()))
            filled += len(part)
            parts.append(part)
        pool = pa.concat_arrays(parts)
        return pc.binary_join(_lists(pool.take(pa.array(at)), sizes), "").to_pylist()

    def raw_events(self, cases: list[int], case_ids: list[str]) -> list[tuple[str, list]]:
        """The raw events of the given cases as the reader's builder makes them from their rows
        (build.ListBuilder._build_text), for cases whose every row is well formed (not slow):
        a usual ISO timestamp or a date, an activity, each case attribute the same on every
        row. For the cases that must go the usual way without being odd."""
        import numpy as np
        import pyarrow as pa

        from checker.readers.build import RawEvent, missing, plain
        from checker.readers.mapping import split_documents
        from checker.readers.parquet_reader import column_values
        from checker.readers.timeparse import parse_timestamp

        builder = self.engine.builder
        zone = builder.zone
        numbers = np.asarray(cases, dtype=np.int64)
        starts = self.starts[numbers]
        lengths = self.ends[numbers] - starts
        rows = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths) + np.arange(
            int(lengths.sum()))
        at = pa.array(rows)

        def cells(column: int | None) -> list | None:
            return None if column is None else self.table[column].take(at).to_pylist()

        def values(column: int) -> list:
            """An attribute column's values as the builder keeps them, None where missing."""
            if column in self.typed:
                stored = column_values(self.typed[column].take(at))
                return [None if missing(v) else plain(v, zone) for v in stored]
            return [v.strip() or None for v in cells(column)]  # type: ignore[union-attr]

        activity, stamps = cells(builder.i_activity), cells(builder.i_timestamp)
        actor, documents = cells(builder.i_actor), cells(builder.i_documents)
        case_documents = cells(builder.i_case_documents)
        attributes = [(name, values(i)) for i, name in builder.event_index]
        case_cells = [(name, values(i)) for i, name in builder.case_index]
        out = []
        k = 0
        first = self.first
        for case_id, start, length in zip(case_ids, starts.tolist(), lengths.tolist(), strict=True):
            case_attributes = {name: v for name, column in case_cells if (v := column[k]) is not None}
            raws = []
            for r in range(k, k + length):
                text = stamps[r]
                if len(text) > 10:
                    stamp, day = datetime.fromisoformat(text), False
                else:
                    stamp, day = parse_timestamp(text, zone)
                raws.append(RawEvent(
                    first + start + r - k,
                    case_id,
                    activity[r].strip(),
                    stamp,
                    day,
                    (actor[r].strip() or None) if actor is not None else None,
                    None,
                    split_documents(documents[r]) if documents is not None else (),
                    None,
                    {name: v for name, column in attributes if (v := column[r]) is not None},
                    case_attributes,
                    split_documents(case_documents[r]) if case_documents is not None else (),
                    False,
                ))
            out.append((case_id, raws))
            k += length
        return out

    def latest(self, cases: Any) -> datetime:
        """The latest time of the given cases (each case's last event is its latest)."""
        import numpy as np

        last = self.ends[cases] - 1
        at = int(last[int(np.argmax(self.seconds[last]))])
        text = self.stamps[at].as_py()
        if self.dated[at]:
            return datetime.fromisoformat(text).replace(tzinfo=self.engine.builder.zone)
        return datetime.fromisoformat(text)


def _interned(table: Any, parts: tuple[Any, ...]) -> Any:
    """One number per row of the parts (numpy arrays of small non-negative ints), the same for
    equal rows in every chunk: `table` (Interned) numbers each distinct row once."""
    import numpy as np

    sizes = [int(p.max()) + 1 if len(p) else 1 for p in parts]
    if np.prod(np.asarray(sizes, dtype=object)) < 1 << 62:  # mixed radix: one int64 a row
        combined = np.zeros(len(parts[0]), dtype=np.int64)
        for part, size in zip(parts, sizes, strict=True):
            combined = combined * size + part
        unique, inverse = np.unique(combined, return_inverse=True)
        rows = []
        for code in unique.tolist():
            digits = []
            for size in reversed(sizes):
                code, digit = divmod(code, size)
                digits.append(digit)
            rows.append(tuple(reversed(digits)))
    else:
        unique, inverse = np.unique(np.stack(parts, axis=1), axis=0, return_inverse=True)
        rows = [tuple(row) for row in unique.tolist()]
    return np.asarray([table[row] for row in rows], dtype=np.int64)[inverse.reshape(-1)]


def _local_seconds(stamps: Any, timed: Any, dated: Any) -> tuple[Any, Any, Any]:
    """Each stamp's wall-clock seconds since 1970-01-01 (a date alone: its midnight), whether its
    date and time exist (2024-02-30, hour 24 or second 60 do not: the reader rejects them), and
    its year, for stamps shaped as `timed` or `dated` say (numpy masks; others: 0, False, 1970).
    By arithmetic on the digits, read from the text's bytes where the shape puts them: pyarrow's
    strptime rolls an impossible date forward, and reading it back cost more than the rest of a
    chunk's columns; slicing the digits out as texts cost a fifth of the columns' time."""
    import numpy as np

    n = len(stamps)
    _, offsets, data = stamps.buffers()
    begin = np.frombuffer(offsets, dtype=np.int32, count=n + 1, offset=4 * stamps.offset)[:-1]
    text = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size else np.zeros(1, np.uint8)
    shaped = timed | dated
    at = np.where(shaped, begin.astype(np.int64), 0)
    last = len(text) - 1

    def number(start: int, stop: int, mask: Any, default: int) -> Any:
        value = np.zeros(n, dtype=np.int64)
        for k in range(start, stop):  # the shape says these bytes are ASCII digits
            value = value * 10 + text[np.minimum(at + k, last)] - 48
        return np.where(mask, value, default)

    year, month, day = number(0, 4, shaped, 1970), number(5, 7, shaped, 1), number(8, 10, shaped, 1)
    hour, minute, second = number(11, 13, timed, 0), number(14, 16, timed, 0), number(17, 19, timed, 0)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.asarray([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 1, 12) - 1]
    month_days = month_days + ((month == 2) & leap)
    possible = ((month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
                & (hour <= 23) & (minute <= 59) & (second <= 59))
    # Days from the civil date (H. Hinnant's days_from_civil), then the time of day.
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    seconds = np.where(shaped & possible, days * 86400 + hour * 3600 + minute * 60 + second, 0)
    return seconds, shaped & possible, year


def _lists(values: Any, sizes: Any) -> Any:
    """`values` as lists of the given sizes, one after the other."""
    import numpy as np
    import pyarrow as pa

    offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def _pieces(name: str, values: list, at_start: Any) -> Any:
    """An attribute's piece of each case's `attributes` text (null where the case has none)."""
    import pyarrow as pa

    key = json_value(name)
    return pa.array([None if j is None else f"{key}: {j}" for _, j in values], pa.string()).take(
        pa.array(at_start))


def _year(day: int) -> int:
    return date.fromordinal(day + EPOCH).year
