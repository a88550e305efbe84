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

import contextlib
import json
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from itertools import chain, compress
from operator import ne
from typing import Any

from checker.errors import InputError, Location
from checker.readers.accounting import Note, Rejected
from checker.readers.build import BLANK, ListBuilder, RawEvent, missing, text
from checker.readers.grouping import grouped_in_bounded_memory
from checker.readers.mapping import resolve_plan
from checker.readers.options import ReadOptions
from checker.readers.share import CutFinder, owner_of
from checker.readers.textfile import check_path

# Rows converted to Python values at a time: 64k held some 70 MB of them (215 MB to audit the
# 1M-event file in one process, 142 MB with 4k); reading takes 4.9 s either way.
BATCH_ROWS = 4 * 1024


# Rows of the case-id column the pre-scan reads at a time: at 10M events, 16k took 2.75 s, BATCH_ROWS
# 0.5 s more; 64k 0.1 s less, but left the main process of a --jobs audit 6 MB more.
SCAN_ROWS = 16 * 1024


# Bytes of Parquet file from which it is opened in a process of its own when its reader hands
# it to workers (open_log(elsewhere=True)); a smaller one is read by this process anyway.
ELSEWHERE_BYTES = 1 << 20


def _pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("parquet.needs_pyarrow", None) from None
    return pq


def shown_bytes(value: bytes, limit: int = 32) -> str:
    """A binary cell as text: its UTF-8 text (what a writer that did not mark the column as
    text stored), else its first bytes in hex (0xfffe)."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return "0x" + value[:limit].hex() + ("..." if len(value) > limit else "")


def shown_cells(values: list[Any]) -> list[Any]:
    """A binary column's cells as text (shown_bytes), never a bytes repr (b'\\xff') in a case
    id, a reason or a report; nulls as they are. Also the Dask engine's, so that its report is
    this reader's."""
    return [shown_bytes(v) if isinstance(v, bytes) else v for v in values]


class BadText(Exception):
    """A text cell whose bytes are not UTF-8 (pyarrow stores them unchecked): its index in the
    column given, and its first bad byte."""

    def __init__(self, index: int, byte: str) -> None:
        super().__init__(index, byte)
        self.index, self.byte = index, byte


class BadValue(Exception):
    """A cell pyarrow cannot make a Python value of (a date or time past the year 9999, say):
    its index in the column given."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def column_values(column: Any, nulls_as_empty: bool = False) -> list[Any]:
    """A column's cells as Python values; binary ones as text (shown_cells); a text column's
    nulls as "" if asked. Raises BadText for a text cell that is not UTF-8, BadValue for a cell
    that is no Python value."""
    try:
        if nulls_as_empty and column.null_count:
            import pyarrow.compute as pc

            column = pc.fill_null(column, "")
        values = column.to_pylist()
    except (ValueError, OverflowError):  # (UnicodeDecodeError and pyarrow's ArrowInvalid among them)
        bad = _first_bad_cell(column)
        if bad is None:
            raise
        raise bad from None
    return shown_cells(values) if is_binary(column.type) else values


def _first_bad_cell(column: Any) -> BadText | BadValue | None:
    for index in range(len(column)):
        try:
            column[index].as_py()
        except UnicodeDecodeError as err:
            return BadText(index, f"0x{err.object[err.start]:02x}")
        except (ValueError, OverflowError):
            return BadValue(index)
    return None


def first_bad_text(column: Any) -> BadText | None:
    """The first cell of a text column (an Arrow array) that cannot be read as text, if any:
    cell by cell, only once converting the whole column has failed. (The Dask engine's.)"""
    bad = _first_bad_cell(column)
    return bad if isinstance(bad, BadText) else None


def is_text(kind: Any) -> bool:
    """Whether cells of this Arrow type are text (not a dictionary of it: its cells stay on the
    typed path)."""
    from pyarrow import types

    return bool(
        types.is_string(kind)
        or types.is_large_string(kind)
        or getattr(types, "is_string_view", lambda _: False)(kind)
    )


def is_binary(kind: Any) -> bool:
    """Whether cells of this Arrow type are bytes (binary, large, fixed-size, view, or a
    dictionary of them)."""
    from pyarrow import types

    if types.is_dictionary(kind):
        kind = kind.value_type
    return bool(
        types.is_binary(kind)
        or types.is_large_binary(kind)
        or types.is_fixed_size_binary(kind)
        or getattr(types, "is_binary_view", lambda _: False)(kind)
    )


def raw_record(columns: tuple[str, ...], values: tuple[Any, ...]) -> str:
    """A rejected row as the rejects file shows it (JSON of its cells; also the Dask engine's)."""
    record = dict(zip(columns, values, strict=False))
    try:
        return json.dumps(record, default=str, ensure_ascii=False, sort_keys=True)[:10_000]
    except (TypeError, ValueError):
        return repr(record)[:10_000]


@dataclass(frozen=True)
class Footer:
    """What opening a Parquet file finds out (its columns, their kinds, its rows, whether it is
    grouped and where its cases start), made in a process of its own (footer_elsewhere): then
    the process that hands the file to workers never imports pyarrow (36 MB, and about 18 MB
    the pre-scan leaves, held to the end of an audit)."""

    names: tuple[str, ...]  # the columns, as stored
    text: frozenset[int]  # the text columns
    rows: int
    grouped: bool
    cuts: CutFinder[int]


class ParquetReader:
    format = "parquet"
    reiterable = True

    def __init__(
        self,
        path: str,
        options: ReadOptions,
        zone: tzinfo,
        *,
        share: tuple[int, int] | None = None,
        span: tuple[int, int | None] | None = None,
        footer: Footer | None = None,
    ) -> None:
        check_path(path)
        self.path = path
        # (index, count): this share's rows only (checker.readers.share): those of `span`, rows
        # [start, stop) by 0-based index, or else those of the cases whose id hashes to it.
        self.share = share
        self.span = span
        self.cuts: CutFinder[int] = CutFinder() if footer is None else footer.cuts
        self._opened: Any = None  # the pyarrow ParquetFile, opened when first wanted (_file)
        self._errors: tuple[type[BaseException], ...] = ()  # pyarrow's, set by _file
        if footer is None:
            schema = self._file.schema_arrow
            names, rows = tuple(schema.names), int(self._file.metadata.num_rows)
            text = frozenset(i for i, kind in enumerate(schema.types) if is_text(kind))
        else:
            names, rows, text = footer.names, footer.rows, footer.text
        columns = [str(name).strip() for name in names]
        for i, column in enumerate(columns):
            if columns.index(column) != i:
                raise InputError("readers.duplicate_column", Location(path), {"column": column})
        self.columns = tuple(columns)
        self._names = names  # as stored, for reading
        self._rows = rows
        self.plan = resolve_plan(self.columns, options.mapping, Location(path))
        # Text columns (nulls as "") take the CSV reader's faster path when every field is one;
        # the other columns' values stay typed (a date column stays a date).
        index = {column: i for i, column in enumerate(self.columns)}
        self._text = text
        typed = not all(index[column] in self._text for column in self.plan.fields.values())
        others = [i for i in range(len(self.columns)) if i not in self._text]
        self.builder = ListBuilder(
            self.columns, self.plan, zone, options.date_format, typed=typed, typed_attributes=others
        )
        if rows == 0:
            raise InputError("readers.header_only", Location(path))
        self._starts: list[int] | None = None  # batch_starts
        self.grouped = True if share else footer.grouped if footer is not None else self._grouped()
        self.notes: tuple[Note, ...] = self.plan.notes
        self.has_actor = "actor" in self.plan.fields
        self.has_documents = "documents" in self.plan.fields

    @property
    def _file(self) -> Any:
        """The pyarrow ParquetFile, opened (and pyarrow imported) when first wanted."""
        if self._opened is None:
            pq = _pyarrow()
            import pyarrow as pa

            self._errors = (pa.ArrowException, OSError, ValueError)
            try:
                self._opened = pq.ParquetFile(self.path)
            except self._errors as err:
                detail = problem_detail(err)
                raise InputError("parquet.unreadable", Location(self.path), {"detail": detail}) from None
        return self._opened

    def footer(self) -> Footer:
        """What opening the file found out (see Footer)."""
        return Footer(self._names, self._text, self._rows, bool(self.grouped), self.cuts)

    def _grouped(self) -> bool:
        def again() -> Iterator[str | None]:
            return (key for key, _ in self._case_starts())

        return grouped_in_bounded_memory(self.cuts.watch(self._case_starts(), self.row_count), again)

    def spans(self, count: int) -> list[tuple[int, int | None]] | None:
        """Each share's rows, cut where a case starts, or None (then shares go by hash)."""
        rows = self.cuts.positions(count)
        if rows is None:
            return None
        return list(zip([0, *rows], [*rows, None], strict=True))

    def _batches(
        self, columns: list[str] | None = None, groups: list[int] | None = None, rows: int | None = None
    ) -> Iterator[Any]:
        try:
            # A share's worker is one of several processes already: no reader threads of its own.
            shared = self.share is not None
            # One row group at a time: given many, pyarrow pre-buffers the column chunks of all
            # of them, so memory grew with the file (a worker's half of 10M events: 197 MB
            # against 118 MB a group at a time).
            for group in range(self._file.metadata.num_row_groups) if groups is None else groups:
                yield from self._file.iter_batches(
                    batch_size=rows or BATCH_ROWS,
                    row_groups=[group],
                    columns=columns,
                    use_threads=not shared,
                )
        except self._errors as err:
            detail = problem_detail(err)
            raise InputError("parquet.unreadable", Location(self.path), {"detail": detail}) from None

    def _cells(
        self, batch: Any, i: int, rows: Any, nulls_as_empty: bool = False, column: int | None = None
    ) -> list[Any]:
        """column_values of a batch's column `i`, with a cell that is not UTF-8 or no Python value
        as InputError naming the file, the column (`column`: its index in the file, when not
        `i`) and the row (`rows`: the batch's row numbers)."""
        try:
            return column_values(batch.column(i), nulls_as_empty)
        except BadText as bad:
            name = self.columns[i if column is None else column]
            row = rows[bad.index]
            args = {"column": name, "row": row, "byte": bad.byte}
            raise InputError("readers.parquet_bad_text", Location(self.path, row), args) from None
        except BadValue as bad:
            name = self.columns[i if column is None else column]
            row = rows[bad.index]
            args = {"column": name, "row": row, "type": str(batch.column(i).type)}
            raise InputError("readers.parquet_bad_value", Location(self.path, row), args) from None

    def _case_starts(self) -> Iterator[tuple[str | None, int]]:
        """The case id of each row whose stored id differs from the row before's (and of each
        batch's first row), with its 0-based index, read from the case-id column alone: a row
        left out has the row before's case id. Read in batches of SCAN_ROWS and compared with
        operator.ne, not through pyarrow.compute: its first use costs a process 40 MB, which the
        main process of a --jobs audit holds to the end (the workers use it anyway)."""
        index = self.columns.index(self.plan.fields["case_id"])
        stored = self._names[index]
        first = 0
        for batch in self._batches([stored], rows=SCAN_ROWS):
            n = batch.num_rows
            values = self._cells(batch, 0, range(first + 1, first + 1 + n), column=index)
            changed = compress(range(first + 1, first + n), map(ne, values[1:], values[:-1]))
            for row in chain((first,) if n else (), changed):
                yield text(values[row - first]), row
            first += n

    @property
    def row_count(self) -> int:
        """The file's rows (all of them, a share's too)."""
        return self._rows

    @property
    def text_columns(self) -> frozenset[int]:
        """The indexes of the columns whose cells are text."""
        return self._text

    @property
    def column_types(self) -> tuple[Any, ...]:
        """Each column's Arrow type."""
        return tuple(self._file.schema_arrow.types)

    def numbered_batches(self, rows: int) -> Iterator[tuple[int, Any]]:
        """(rows before it, batch) for this reader's rows (its span's, if it has one; not a share
        by hash), `rows` at most a batch, none empty (the columnar engine's reading)."""
        assert self.share is None or self.span is not None
        return ((first, batch) for first, batch in self._spanned(rows) if batch.num_rows)

    def batch_starts(self) -> list[int]:
        """The 0-based index of each row that begins a batch items() converts (each row group's
        first, then every BATCH_ROWS), in order."""
        if self._starts is None:
            meta, first, starts = self._file.metadata, 0, []
            for group in range(meta.num_row_groups):
                size = meta.row_group(group).num_rows
                starts.extend(range(first, first + size, BATCH_ROWS))
                first += size
            self._starts = starts
        return self._starts

    def builder_cells(self, batch: Any, rows: Any) -> list[list[Any]]:
        """The cells of each column of a batch (or table) as the builder takes them: on the text
        path, a text column's nulls as "" (what the builder reads as missing). `rows`: the
        batch's row numbers, for the error at a cell that is not UTF-8."""
        texts = () if self.builder.typed else self._text
        return [self._cells(batch, i, rows, i in texts) for i in range(batch.num_columns)]

    def stored_record(self, row: Any) -> str:
        """A rejected row (a batch or table of that one row) as the rejects file shows it: its
        cells as stored."""
        return raw_record(self.columns, tuple(column_values(c.slice(0, 1))[0] for c in row.columns))

    def _spanned(self, rows: int | None = None) -> Iterator[tuple[int, Any]]:
        """(rows before it, batch) for the batches of this reader's rows: all of them, or the
        span's, from the row groups that hold them."""
        start, stop = self.span or (0, None)
        meta = self._file.metadata
        groups, first, begin = [], 0, None
        for group in range(meta.num_row_groups):
            size = meta.row_group(group).num_rows
            if first + size > start and (stop is None or first < stop):
                groups.append(group)
                begin = first if begin is None else begin
            first += size
        first = begin or 0
        for batch in self._batches(groups=groups, rows=rows):
            low = max(start - first, 0)
            high = batch.num_rows if stop is None else min(stop - first, batch.num_rows)
            if high > low:
                yield first + low, batch.slice(low, high - low)
            first += batch.num_rows

    def items(self) -> Iterator[Any]:
        build = self.builder.build
        for first, batch in self._spanned():
            rows: Any = range(first + 1, first + 1 + batch.num_rows)
            if self.share is not None and self.span is None:
                batch, rows = self._mine(batch, rows)
            cells = self.builder_cells(batch, rows)
            for k, (row, values) in enumerate(zip(rows, zip(*cells, strict=True), strict=True)):
                result = build(row, values)
                if result.__class__ is RawEvent:
                    yield result
                elif all(missing(v) for v in values):
                    yield BLANK
                else:
                    yield Rejected(row, result.key, result.args, self.stored_record(batch.slice(k, 1)))


    def _mine(self, batch: Any, rows: range) -> tuple[Any, list[int]]:
        """This share's rows of a batch (and their row numbers), filtered before the costly
        conversion to Python values."""
        import pyarrow as pa

        index, count = self.share  # type: ignore[misc]
        keys = self._cells(batch, self.columns.index(self.plan.fields["case_id"]), rows)
        mask = [owner_of(text(value), count) == index for value in keys]
        return batch.filter(pa.array(mask)), [r for r, keep in zip(rows, mask, strict=True) if keep]


def footer_elsewhere(path: str, options: ReadOptions) -> Footer | None:
    """The Footer of the Parquet file at `path`, found out by a process of its own (started as
    the workers are), which raises the InputError opening it here would; None if that process
    failed otherwise (this process then opens the file itself)."""
    from checker.readers.share import plain_options, worker_context

    context = worker_context()
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_footer_of, args=(path, plain_options(options), send), daemon=True)
    kind, value = "crash", None
    try:
        child.start()
        send.close()
        kind, value = receive.recv()
    except (EOFError, OSError, pickle.UnpicklingError):  # it could not start, or died without a word
        pass
    finally:
        send.close()
        receive.close()
        if child.pid is not None:
            child.join()
    if kind == "input":
        raise InputError(*value)
    return value if kind == "footer" else None


def _footer_of(path: str, options: dict[str, Any], send: Any) -> None:
    from checker.readers import _check

    try:
        read = ReadOptions(**options)
        send.send(("footer", ParquetReader(path, read, _check(read)).footer()))
    except InputError as err:
        send.send(("input", (err.key, err.location, err.args_)))
    except BaseException:  # noqa: BLE001 - the caller opens the file itself, and says what fails
        with contextlib.suppress(OSError):  # (the caller may be gone: Ctrl-C)
            send.send(("crash", None))


def problem_detail(err: BaseException) -> Any:
    """pyarrow's first line, with its Indonesian (checker.messages.parsers), each cut short."""
    from checker.messages.parsers import parquet_problem
    from checker.sop.model import Text

    text = str(err).strip().splitlines()
    if not (text and text[0]):
        return type(err).__name__
    found = parquet_problem(text[0])
    return Text(found.id[:200], text[0][:200])
