"""LogSource: an opened log, streamed case by case, with its accounting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from checker.errors import InputError, Location
from checker.events import Case
from checker.readers.accounting import Accounting, Note, Rejected
from checker.readers.build import Blank, CaseEnd, RawEvent
from checker.readers.grouping import CONFLICT_NOTE, MAX_CONFLICT_NOTES, SpillStore, assemble
from checker.readers.options import ReadOptions

# The most shares a log is cut into, one worker process each (`sopcheck audit --jobs` is bounded
# by it): asked for 10**20, shares() built Share objects until memory ran out.
MAX_SHARES = 1024


class Reader(Protocol):
    """What a format module provides (internal)."""

    format: str
    columns: tuple[str, ...]
    has_actor: bool
    has_documents: bool
    notes: tuple[Note, ...]
    grouped: bool | None  # None: unknown (a one-pass source), spill and find out
    reiterable: bool

    def items(self) -> Iterator[Any]:
        """RawEvent, Rejected, CaseEnd, BLANK or Note, in source order."""
        ...


class LogSource:
    """An opened log. `cases()` streams one Case at a time (events in time order: events.in_time_order);
    `accounting` is complete once `cases()` is exhausted.

    Errors found while streaming (a truncated file, bytes another encoding cannot decode, and
    with `strict` the first rejected row) raise InputError from `cases()`: a consumer should not
    publish results before the iteration ends.
    """

    def __init__(
        self,
        reader: Reader,
        options: ReadOptions,
        path: str | None = None,
        sha256: str | Callable[[], str] | None = None,
    ) -> None:
        self.path = path
        self._sha256 = sha256  # or what gives it once computed (readers.open_log hashes in a thread)
        self.format = reader.format
        self.columns = tuple(reader.columns)
        self.has_documents = reader.has_documents
        # Whether the log says what arrived with each case (the resolved field, whatever the
        # column is called or mapped from): then it, not the SOP's arrives_with, is the record.
        plan = getattr(reader, "plan", None)
        self.has_case_documents = plan is not None and "case_documents" in plan.fields
        self.has_actor = reader.has_actor
        self.options = options
        self.accounting = Accounting()  # made anew by cases() (or absorb)
        self._reader = reader
        self._started = False

    @property
    def reader(self) -> Reader:
        """The format's reader (the columnar engine reads a plain CSV file's lines itself)."""
        return self._reader

    @property
    def sha256(self) -> str | None:
        if callable(self._sha256):
            self._sha256 = self._sha256()
        return self._sha256

    def __repr__(self) -> str:
        return f"LogSource(path={self.path!r}, format={self.format!r})"

    def __iter__(self) -> Iterator[Case]:
        return self.cases()

    def cases(self) -> Iterator[Case]:
        """The cases, one at a time. A file can be iterated again (the accounting restarts);
        a one-pass iterable of records only once."""
        if self._started and not self._reader.reiterable:
            raise RuntimeError("this log was read from a one-pass iterable; it can be read once")
        self._started = True
        acc = Accounting(grouped=self._reader.grouped is not False)
        acc.notes.extend(self._reader.notes)
        self.accounting = acc
        if self._reader.grouped:
            yield from self._grouped(acc)
        else:
            yield from self._spilled(acc)
        if acc.cases and acc.events == 0 and acc.events_read:
            acc.notes.append(Note("readers.note.no_complete_events", {}))

    def shares(self, count: int) -> list[Any] | None:
        """Recipes for `count` worker processes that each read one share of the cases
        themselves (checker.readers.share: by span where the reader can give them), or None
        when this log is not shared: only a grouped CSV or Parquet file, and not with `strict`
        (the first rejected row must stop the read)."""
        from checker.readers.share import Share

        count = min(count, MAX_SHARES)
        reader = self._reader
        if not self._shareable(count) or not reader.grouped:
            return None
        spans = reader.spans(count) if hasattr(reader, "spans") else None
        return [
            Share.of(self.path, reader.format, self.options, index, count, spans[index] if spans else None)
            for index in range(count)
        ]

    def early_shares(self, count: int) -> list[Any] | None:
        """shares() for a CSV file opened without its pre-scan (open_log(scan=False)), cut at
        byte offsets so that the workers can start at once: valid only if the file proves
        grouped and plain, which the caller finds out meanwhile (early_shares_hold, in a thread
        of checker.conformance.runner). None where shares() would give none, or where the cuts
        cannot be found from bytes."""
        from checker.readers.share import Share

        count = min(count, MAX_SHARES)
        reader = self._reader
        if not self._shareable(count) or not hasattr(reader, "byte_spans") or reader.scanned:
            return None
        spans = reader.byte_spans(count)
        if spans is None:
            return None
        return [Share.of(self.path, reader.format, self.options, i, count, spans[i]) for i in range(count)]

    def early_shares_hold(self) -> bool:
        """Whether the early_shares cut before the pre-scan hold: it is made now (if not yet)
        and finds the file grouped and plain."""
        return bool(self._reader.grouped and self._reader.plain)

    def _shareable(self, count: int) -> bool:
        """Several workers, a file of a format they read in shares, not `strict`, and not a
        share already: what shares() and early_shares() both ask."""
        from checker.readers.share import FORMATS

        reader = self._reader
        return (
            count >= 2
            and not self.options.strict
            and self.path is not None
            and reader.format in FORMATS
            and getattr(reader, "share", True) is None
        )

    def absorb(self, parts: list[Accounting]) -> None:
        """The accounting of the whole log from its shares' (in share order): counts added,
        rejected and duplicate rows in file order, the reader's notes once."""
        acc = Accounting(grouped=True)
        own = list(self._reader.notes)
        acc.notes.extend(own)
        derived = ("readers.note.no_complete_events",)
        for part in parts:
            acc.add_counts(part)
            acc.rows_read += part.rows_read
            acc.events_read += part.events_read
            acc.notes.extend(n for n in part.notes[len(own) :] if n.key not in derived)
        acc.rejected.sort(key=lambda r: r.row)
        acc.duplicates.sort()
        # Each share kept the notes of its first conflicting cases: the first of all, in file order.
        conflicts = sorted((n for n in acc.notes if n.key == CONFLICT_NOTE), key=lambda n: n.args["row"])
        acc.notes = [n for n in acc.notes if n.key != CONFLICT_NOTE] + conflicts[:MAX_CONFLICT_NOTES]
        if acc.cases and acc.events == 0 and acc.events_read:
            acc.notes.append(Note("readers.note.no_complete_events", {}))
        self.accounting = acc

    def reject(self, item: Rejected, acc: Accounting) -> None:
        acc.rows_read += 1
        acc.rejected.append(item)
        if self.options.strict:
            raise InputError(item.reason, Location(self.path or "<records>", item.row), dict(item.args))

    def _grouped(self, acc: Accounting) -> Iterator[Case]:
        pair = self.options.pair_lifecycle
        buffer: list[RawEvent] = []
        current: str | None = None
        empty = 0
        for item in self._reader.items():
            kind = item.__class__
            if kind is RawEvent:
                acc.accepted += 1
                if item.case_id != current:
                    if buffer:
                        yield assemble(current, buffer, acc, pair)  # type: ignore[arg-type]
                    buffer = []
                    current = item.case_id
                buffer.append(item)
            elif kind is CaseEnd:  # a trace of a log whose traces have distinct case ids
                if not buffer:
                    empty += 1
                yield assemble(item.case_id, buffer, acc, pair, (item,))
                buffer = []
                current = None
            elif kind is Rejected:
                self.reject(item, acc)
            elif kind is Blank:
                acc.blank_rows += 1
            elif kind is Note:
                acc.notes.append(item)
        if buffer:
            yield assemble(current, buffer, acc, pair)  # type: ignore[arg-type]
        acc.rows_read += acc.accepted
        acc.events_read = acc.accepted
        if empty:
            acc.notes.append(Note("readers.note.empty_cases", {"count": empty}))

    def _spilled(self, acc: Accounting) -> Iterator[Case]:
        pair = self.options.pair_lifecycle
        store = SpillStore()
        try:
            for item in self._reader.items():
                kind = item.__class__
                if kind is RawEvent:
                    acc.accepted += 1
                    store.add(item)
                elif kind is CaseEnd:  # a trace of an XES log whose traces share case ids
                    store.end(item)
                elif kind is Rejected:
                    self.reject(item, acc)
                elif kind is Blank:
                    acc.blank_rows += 1
                elif kind is Note:
                    acc.notes.append(item)
            acc.rows_read += acc.accepted
            acc.events_read = acc.accepted
            acc.grouped = store.grouped
            acc.spilled = True
            key = (
                "readers.note.spilled_one_pass"
                if self._reader.grouped is None
                else ("readers.note.spilled_ungrouped")
            )
            acc.notes.append(Note(key, {}))
            empty = 0
            for raws, ends in store.cases():
                if not raws:
                    empty += 1
                yield assemble((raws or ends)[0].case_id, raws, acc, pair, ends)
            if empty:
                acc.notes.append(Note("readers.note.empty_cases", {"count": empty}))
        finally:
            store.close()
