"""Reading a log in shares, one per worker process (`--jobs`), so that the parsing runs in
parallel as well as the audit. Only a grouped file is shared: there every case is whole in the
order the file gives it. Two ways, both giving shares whose accountings add up to the accounting
of one reader (LogSource.absorb):

- By span: the pre-scan that finds whether the file is grouped also notes where a case starts
  (CutFinder), and each worker reads only its own part of the file, from one case start to
  another (Parquet: row indexes; CSV: lines, found by byte offset). Nothing is read twice.
- By hash, where no span can be found (a CSV file with bare CR line ends or a multi-byte
  encoding, or too few cases): each worker reads the whole file but builds only the rows of the
  cases whose id hashes to its share. Every row of a case (rejected ones included) has the case's
  id, so lands in one share; a row without one (blank, unreadable, id missing) goes to share 0.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import lru_cache
from typing import Any, Generic, TypeVar

from checker.readers.options import ReadOptions

FORMATS = ("csv", "parquet")
KEEP = 256  # cut candidates kept by the pre-scan; the rows between them double as needed

P = TypeVar("P")  # a position in the file: a line number (CSV), a row index (Parquet)


class CutFinder(Generic[P]):
    """Watches the case ids of a pre-scan go by and keeps, about evenly spread over the rows,
    places where a new case starts: (rows before it, its position). At most 2 * KEEP are held
    (every other one is dropped and the spacing doubled), so memory does not grow with the log."""

    def __init__(self) -> None:
        self.rows = 0
        self.cuts: list[tuple[int, P]] = []
        self._current: str | None = None
        self._step = 1
        self._next = 0

    def watch(self, keyed: Iterable[tuple[str | None, P]], rows: int | None = None) -> Iterator[str | None]:
        """The case ids of `keyed`, noting case starts on the way (for the groupedness check).
        With `rows` (the log's), each position is its row's 0-based index, and a row left out
        goes on with the case of the row before it: only rows that may start a case are given."""
        for key, position in keyed:
            self.rows = position + 1 if rows is not None else self.rows + 1  # type: ignore[operator]
            if key is not None and key != self._current:
                before = self.rows - 1
                if self._current is not None and before >= self._next:
                    self.cuts.append((before, position))
                    self._next = before + self._step
                    if len(self.cuts) >= 2 * KEEP:
                        del self.cuts[1::2]
                        self._step *= 2
                self._current = key
            yield key
        if rows is not None:
            self.rows = rows

    def positions(self, count: int) -> list[P] | None:
        """The positions where shares 1..count-1 start, each share about as many rows as the
        next, or None when the log has too few case starts to give every share one."""
        cuts = self.cuts
        if len(cuts) < count - 1:
            return None
        chosen: list[P] = []
        low = 0
        for i in range(1, count):
            target = self.rows * i / count
            high = len(cuts) - (count - 1 - i)  # leave a cut for each share after this one
            best = min(range(low, high), key=lambda j: abs(cuts[j][0] - target))
            chosen.append(cuts[best][1])
            low = best + 1
        return chosen


@lru_cache(maxsize=1)  # a grouped file repeats each case id on consecutive rows
def owner_of(case_id: str | None, count: int) -> int:
    """The share a case id belongs to (stable across processes, unlike hash())."""
    if case_id is None:
        return 0
    return zlib.crc32(case_id.encode("utf-8", "replace")) % count


# What the forkserver imports before it forks any worker, so that the workers share its pages
# of them (the import's memory, once: a 10M-event Parquet audit's group held 293 MB against 306)
# and start without importing them each; an absent optional one (pyarrow) is passed over.
PRELOAD = ["checker.conformance.runner"]
ARROW_PRELOAD = [*PRELOAD, "checker.columnar.engine", "checker.readers.parquet_reader", "pyarrow.parquet",
                 "pyarrow.compute", "pyarrow.csv"]


def worker_context(arrow: bool = True) -> Any:
    """The multiprocessing context of the audit's worker processes (and of a Parquet file's
    opening elsewhere): the forkserver's where there is one, with PRELOAD, and pyarrow's modules
    too if the workers will use them (`arrow`; else they would cost the group about 50 MB for
    nothing). The forkserver reads its preload when it starts, once for the process: the first
    audit with workers (or Parquet file opened elsewhere) in a process decides it for the later
    ones, and it replaces a preload the program calling checker.audit may have set."""
    import multiprocessing
    import os

    if os.name != "posix":
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(ARROW_PRELOAD if arrow else PRELOAD)
    return context


def plain_options(options: ReadOptions) -> dict[str, Any]:
    """ReadOptions as plain fields, for another process (its mapping proxy does not pickle)."""
    plain = {f.name: getattr(options, f.name) for f in dataclass_fields(options)}
    plain["mapping"] = dict(options.mapping)
    return plain


@dataclass(frozen=True)
class Share:
    """What a worker process needs to read its share of a grouped log file (picklable)."""

    path: str
    format: str
    options: dict[str, Any]  # ReadOptions as plain fields (its mapping proxy does not pickle)
    index: int
    count: int
    span: Any = None  # the reader's own description of its part of the file; None: by hash

    @classmethod
    def of(
        cls, path: str, fmt: str, options: ReadOptions, index: int, count: int, span: Any = None
    ) -> Share:
        return cls(path, fmt, plain_options(options), index, count, span)

    def open(self) -> Any:
        """A LogSource over this share's cases (its accounting counts this share's rows)."""
        from checker.readers import _check
        from checker.readers.source import LogSource

        options = ReadOptions(**self.options)
        share = (self.index, self.count)
        reader: Any
        if self.format == "csv":
            from checker.readers.csv_reader import CsvReader

            reader = CsvReader(self.path, options, _check(options), share=share, span=self.span)
        else:
            from checker.readers.parquet_reader import ParquetReader

            reader = ParquetReader(self.path, options, _check(options), share=share, span=self.span)
        return LogSource(reader, options, path=self.path)
