"""Parquet logs (`.parquet`, as large exports come): pyarrow, imported only here, streamed in
record batches so that memory holds one batch and the current case, not the file.

The mapping and accounting rules are the CSV reader's: the same column plan (canonical and XES
column names, `--map`), the same row builder (typed cells: pyarrow gives strings, numbers,
datetimes, None), the same rejections. Row numbers are 1-based row indexes in the file. A quick
pass over the case-id column alone finds whether the file is grouped by case (a sorted export
streams; another is regrouped through the spill store, as for CSV).

pyarrow is an optional extra (`pip install 'sopcheck[parquet]'`); without it reading a Parquet
file is one clear error, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from checker.errors import InputError, Location
from checker.readers.accounting import Note, Rejected
from checker.readers.build import BLANK, ListBuilder, RawEvent, missing, text
from checker.readers.grouping import is_grouped
from checker.readers.mapping import resolve_plan
from checker.readers.options import ReadOptions
from checker.readers.share import owner_of
from checker.readers.textfile import check_path

BATCH_ROWS = 64 * 1024


def _pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("parquet.needs_pyarrow", None) from None
    return pq


def _raw(columns: tuple[str, ...], values: tuple[Any, ...]) -> str:
    record = dict(zip(columns, values, strict=False))
    try:
        return json.dumps(record, default=str, ensure_ascii=False, sort_keys=True)[:10_000]
    except (TypeError, ValueError):
        return repr(record)[:10_000]


class ParquetReader:
    format = "parquet"
    reiterable = True

    def __init__(
        self, path: str, options: ReadOptions, zone: tzinfo, *, share: tuple[int, int] | None = None
    ) -> None:
        check_path(path)
        self.path = path
        self.share = share  # (index, count): this share's rows only (checker.readers.share)
        pq = _pyarrow()
        import pyarrow as pa

        self._errors = (pa.ArrowException, OSError, ValueError)
        try:
            self._file = pq.ParquetFile(path)
            schema = self._file.schema_arrow
        except self._errors as err:
            raise InputError("parquet.unreadable", Location(path), {"detail": _detail(err)}) from None
        columns = [str(name).strip() for name in schema.names]
        for i, column in enumerate(columns):
            if columns.index(column) != i:
                raise InputError("readers.duplicate_column", Location(path), {"column": column})
        self.columns = tuple(columns)
        self._names = tuple(schema.names)  # as stored, for reading
        self.plan = resolve_plan(self.columns, options.mapping, Location(path))
        self.builder = ListBuilder(self.columns, self.plan, zone, options.date_format, typed=True)
        if self._file.metadata.num_rows == 0:
            raise InputError("readers.header_only", Location(path))
        self.grouped = True if share else is_grouped(self._case_keys())
        self.notes: tuple[Note, ...] = self.plan.notes
        self.has_actor = "actor" in self.plan.fields
        self.has_documents = "documents" in self.plan.fields

    def _batches(self, columns: list[str] | None = None) -> Iterator[Any]:
        try:
            # A share's worker is one of several processes already: no reader threads of its own,
            # smaller batches (each holds a batch's Python values at a time).
            shared = self.share is not None
            yield from self._file.iter_batches(
                batch_size=BATCH_ROWS // 4 if shared else BATCH_ROWS, columns=columns, use_threads=not shared
            )
        except self._errors as err:
            raise InputError("parquet.unreadable", Location(self.path), {"detail": _detail(err)}) from None

    def _case_keys(self) -> Iterator[str | None]:
        """The case id of each row, read from the case-id column alone."""
        stored = self._names[self.columns.index(self.plan.fields["case_id"])]
        for batch in self._batches([stored]):
            yield from map(text, batch.column(0).to_pylist())

    def items(self) -> Iterator[Any]:
        build = self.builder.build
        columns = self.columns
        first = 0  # rows before this batch
        for batch in self._batches():
            rows: Any = range(first + 1, first + 1 + batch.num_rows)
            first += batch.num_rows
            if self.share is not None:
                batch, rows = self._mine(batch, rows)
            for row, values in zip(rows, zip(*(c.to_pylist() for c in batch.columns), strict=True),
                                   strict=True):
                result = build(row, values)
                if result.__class__ is RawEvent:
                    yield result
                elif all(missing(v) for v in values):
                    yield BLANK
                else:
                    yield Rejected(row, result.key, result.args, _raw(columns, values))


    def _mine(self, batch: Any, rows: range) -> tuple[Any, list[int]]:
        """This share's rows of a batch (and their row numbers), filtered before the costly
        conversion to Python values."""
        import pyarrow as pa

        index, count = self.share  # type: ignore[misc]
        case_column = batch.column(self.columns.index(self.plan.fields["case_id"]))
        mask = [owner_of(text(value), count) == index for value in case_column.to_pylist()]
        return batch.filter(pa.array(mask)), [r for r, keep in zip(rows, mask, strict=True) if keep]


def _detail(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0][:200] if text else type(err).__name__
