"""Where audited cases wait for the report: in memory while few, spilled to sorted runs on disk
when many, so memory stays flat however long the log. Iterating yields the cases sorted by case
id (a k-way merge of the runs), as often as a reporter needs.

Worker processes hand their results over already pickled (`add_pickled`), with the digest the
report's totals need: the main process only files the bytes, and unpickles them when a reporter
reads them. For the command's JSON report the store keeps each case's report text instead
(`rendering`), in runs of text (checker.conformance.textruns), which a reporter reads back a
stream at a time (`stream`).
"""

from __future__ import annotations

import heapq
import os
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from checker.conformance.results import CaseResult
from checker.conformance.tally import Digest, Tally, digest
from checker.conformance.textruns import Run, Span, merge_runs, stream, write_run

BUFFER = 20_000  # cases held in memory before a sorted run is written
# ... or fewer, when their pickles or report lines come to this many bytes: a rendered case of
# ten events is about 2.5 KB, so 20,000 of them held 50 MB of text in the main process.
BYTES = 16 << 20
# Runs open at once in the final merge: past this many, the runs so far are merged into one
# (beyond some 6 GB of report), so the merge never needs more files than the OS allows.
FAN_IN = 256
# Open cases waiting for the audit date held in memory before the spool goes to disk: few, so
# that a log with 10x the open cases does not hold 10x more (they are read back once, at the end).
WAITING = 1_000


@dataclass(frozen=True)
class Handover:
    """A worker's store, handed to its parent: its sorted runs, its totals and its cases."""

    runs: list[Run] | list[str]
    tally: Tally
    count: int


@dataclass(frozen=True)
class Rendered:
    """Cases rendered together by checker.columnar, filed with add_rendered: their ids, their
    report lines, their findings' lines ("" for none) and their totals, as (digest, cases)."""

    case_ids: list[str]
    lines: list[str]
    findings: list[str]
    totals: list[tuple[Digest, int]]


def dumps(result: CaseResult) -> bytes:
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


class CaseStore:
    """The audited cases, sorted by case id when read. With a `rendering` (a reporter's rendering
    of each case as a tuple of texts, made where the case was audited, see runner.Setup.render)
    the store keeps only those texts, and `stream(k)` gives every case's k-th text in case-id
    order: the report is all that is wanted of the cases, and a case's pickle would double what
    goes to disk."""

    def __init__(
        self,
        buffer: int | None = None,
        rendering: Any = None,
        *,
        bytes_: int | None = None,
        fan_in: int = FAN_IN,
        directory: str | None = None,
        prefix: str = "",
    ) -> None:
        # Each item: a CaseResult, its pickle, or its rendering (a tuple of texts).
        self._buffer: list[tuple[str, CaseResult | bytes | tuple]] = []
        # The module's bounds read now, not at import: a test can make a store spill early.
        self._limit = BUFFER if buffer is None else buffer
        self._bytes_limit = BYTES if bytes_ is None else bytes_
        self._held = 0  # bytes of the pickles and renderings in the buffer
        self._fan_in = max(3, fan_in)  # a merged run and the new one
        self._runs: list[Any] = []  # pickle files' paths, or with a rendering text runs (Run)
        self._made = 0  # run files written
        self._count = 0
        self._dir: tempfile.TemporaryDirectory | None = None
        # A worker's store writes its runs in its parent store's folder (the parent removes it).
        self._directory = directory
        self._prefix = prefix
        self._sorted: list[CaseResult] | None = None
        self.tally = Tally()
        self.rendering = rendering

    def add(self, result: CaseResult) -> None:
        self.tally.add(digest(result))
        if self.rendering is None:
            self._append(result.case_id, result)
        else:
            self._append(result.case_id, self.rendering(result))

    def add_pickled(self, case_id: str, blob: bytes | None, summary: Digest, rendered: Any = None) -> None:
        """A case audited elsewhere: its pickle, or with a rendering only what that gave."""
        self.tally.add(summary)
        self._append(case_id, blob if rendered is None else rendered)

    def add_rendered(self, rendered: Rendered) -> None:
        """Cases rendered elsewhere, each its report line and its findings' lines (a store that
        keeps the renderings: CaseStore(rendering=JsonLines))."""
        if self.rendering is None:
            raise ValueError("these cases come rendered: this store keeps results, not renderings")
        if sum(count for _, count in rendered.totals) != len(rendered.case_ids):
            raise ValueError("the totals do not count the cases rendered")
        for summary, count in rendered.totals:
            self.tally.add_many(summary, count)
        # _append for each, in one step: the buffer may pass its limits by one batch of lines.
        self._buffer.extend(zip(rendered.case_ids, zip(rendered.lines, rendered.findings, strict=True),
                                strict=True))
        self._count += len(rendered.case_ids)
        self._sorted = None
        self._held += sum(map(len, rendered.lines)) + sum(map(len, rendered.findings))
        if len(self._buffer) >= self._limit or self._held >= self._bytes_limit:
            self._spill()

    def finish(self) -> Handover:
        """What a parent store needs to adopt this one's cases (a worker's store): the runs
        holding every case filed here, the last of them written now, and the totals."""
        if self._buffer:
            self._spill()
        return Handover(list(self._runs), self.tally, self._count)

    def adopt(self, handover: Handover) -> None:
        """The cases another store filed (`finish`): its sorted runs, merged with this store's
        when read, and its totals."""
        self._runs.extend(handover.runs)
        self.tally.merge(handover.tally)
        self._count += handover.count
        self._sorted = None
        if len(self._runs) >= self._fan_in:
            self._merge_runs()

    def _append(self, case_id: str, item: CaseResult | bytes | tuple) -> None:
        self._buffer.append((case_id, item))
        self._count += 1
        self._sorted = None
        if item.__class__ is bytes:
            self._held += len(item)
        elif item.__class__ is tuple:
            self._held += sum(map(len, item))
        if len(self._buffer) >= self._limit or self._held >= self._bytes_limit:
            self._spill()

    def _spill(self) -> None:
        self._buffer.sort(key=_key)
        if len(self._runs) + 1 >= self._fan_in:
            self._merge_runs()
        if self.rendering is not None:
            self._runs.append(write_run(self._path(), self._buffer, len(self._buffer[0][1])))
        else:
            path = self._path() + ".pickle"
            with open(path, "wb") as handle:
                for _, item in self._buffer:
                    handle.write(item if isinstance(item, bytes) else dumps(item))
            self._runs.append(path)
        self._buffer = []
        self._held = 0

    def _merge_runs(self) -> None:
        """One merge of the runs so far, so that the final one opens at most fan_in files."""
        if self.rendering is not None:
            self._runs = [merge_runs(self._path(), self._runs, self._runs[0].streams)]
            return
        merged = self._path() + ".pickle"
        with open(merged, "wb") as handle:
            for entry in heapq.merge(*map(_read, self._runs), key=_case_id):
                handle.write(dumps(entry))
        for path in self._runs:
            os.remove(path)
        self._runs = [merged]

    def directory(self) -> str:
        """The folder of this store's runs (made now if need be), for its workers' stores."""
        if self._directory is not None:
            return self._directory
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="sopcheck-cases-")
        return self._dir.name

    def _path(self) -> str:
        self._made += 1
        return os.path.join(self.directory(), f"{self._prefix}run{self._made:05d}")

    @property
    def spilled(self) -> bool:
        return bool(self._runs)

    def __len__(self) -> int:
        return self._count

    def _in_memory(self) -> list[CaseResult]:
        if self._sorted is None:
            self._sorted = [_result(_loaded(item)) for _, item in sorted(self._buffer, key=_key)]
        return self._sorted

    def _entries(self) -> Iterator[CaseResult]:
        """Every case, in case-id order: a k-way merge of the sorted runs on disk and the buffer."""
        if self.rendering is not None:
            raise ValueError("this store kept each case's rendering only (CaseStore.rendering)")
        memory = [_loaded(item) for _, item in sorted(self._buffer, key=_key)]
        if not self._runs:
            return iter(memory)
        streams = [_read(path) for path in self._runs]
        streams.append(iter(memory))
        return heapq.merge(*streams, key=_case_id)

    def __iter__(self) -> Iterator[CaseResult]:
        if not self._runs:
            return iter(self._in_memory())
        return self._entries()

    def stream(self, k: int, *, spans: bool = False) -> Iterator[bytes | Span | str]:
        """The k-th text of every case's rendering, in case-id order, as pieces of text (from
        memory) or UTF-8 bytes (from the runs); with `spans`, long stretches of the runs as
        spans of their files, to be copied at once (textruns.stream)."""
        if self.rendering is None:
            raise ValueError("a case was filed without its rendering (CaseStore.rendering)")
        return stream(self._runs, sorted(self._buffer, key=_key), k, spans=spans)

    def __getitem__(self, index: int) -> CaseResult:
        if self._runs:
            raise TypeError("a spilled case store is read in order; iterate over it")
        return self._in_memory()[index]

    def __bool__(self) -> bool:
        return self._count > 0


def _key(entry: tuple[str, object]) -> str:
    return entry[0]


def _loaded(item: Any) -> Any:
    return pickle.loads(item) if item.__class__ is bytes else item


def _case_id(entry: CaseResult) -> str:
    return entry.case_id


def _result(entry: Any) -> CaseResult:
    if entry.__class__ is tuple:
        raise ValueError("this store kept each case's rendering only (CaseStore.rendering)")
    return entry


def _read(path: str) -> Iterator[Any]:
    with open(path, "rb") as handle:
        yield from _records(handle)


def _records(handle: Any) -> Iterator[Any]:
    # Each record was pickled on its own (pickle.dumps): load each with a fresh memo.
    while True:
        try:
            yield pickle.load(handle)
        except EOFError:
            return


class Spool:
    """Items that wait for the end of the log (open cases waiting for the audit date, when it is
    the log's latest event): in memory while few, then in a temporary file, read back once in
    the order they came. A log of a million open cases must not hold them all in memory."""

    def __init__(self, buffer: int = WAITING) -> None:
        self._items: list[object] = []
        self._limit = buffer
        self._file: Any = None
        self._count = 0

    def append(self, item: object) -> None:
        self._count += 1
        if self._file is None:
            if len(self._items) < self._limit:
                self._items.append(item)
                return
            self._file = tempfile.TemporaryFile(prefix="sopcheck-waiting-")  # noqa: SIM115 - closed by close()
            for held in self._items:
                pickle.dump(held, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._items = []
        pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Any]:
        if self._file is None:
            yield from self._items
            return
        self._file.flush()
        self._file.seek(0)
        yield from _records(self._file)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._items = []
