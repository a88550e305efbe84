"""A log as chunks of rows for the columnar engine, each with its text columns (pyarrow arrays)
and, for the rows it reads one by one, the cells the format's reader gives its row builder.

A plain CSV file (or one share of it) comes as chunks of whole lines (Lines), each parsed by
pyarrow. A plain file (checker.readers.csv_reader: no quote, NUL or bare CR, no overlong line) is
one record per line, split at the delimiter, so pyarrow's rows are the reader's rows and a row's
number is its line's. A Parquet file (or a share of its rows) comes as record batches (Frames):
its text columns are the columns, its rows numbered as its reader numbers them."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from checker.readers.textfile import MAX_LINE

# Bytes of lines read at a time. A chunk's columns, the report's texts rendered from them and
# pyarrow's buffers take many times its size: with 1 MiB the two workers of a 10M-event audit
# hold 280 MB with the main process (PSS; 313 MB with 2 MiB, and 8 MiB held 150 MB a process),
# in the same time.
CHUNK = 1 << 20
# Chunks' worth of rows of one case, past which its rows are read one by one (a case held over
# to the next chunk is parsed again with it: time quadratic in its length).
LONG_CASE = 4


@dataclass
class Chunk:
    """Whole lines of a plain CSV file."""

    data: bytes  # whole lines, each ending with a line feed
    first: int  # the number of its first line
    ends: Any  # numpy array: the index of each line's line feed in `data`
    last: bool  # no line of the file (or share) comes after it
    delimiter: str = ","
    raw_text: Callable[[list[str]], str] | None = None  # a rejected row as the rejects file shows it

    @property
    def count(self) -> int:
        return len(self.ends)

    def plain(self) -> bool:
        """What the pre-scan asks of a plain file (csv_reader._plain_lines), of these bytes."""
        import numpy as np

        data = self.data
        if b'"' in data or b"\x00" in data:
            return False
        if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):  # a search, then counts if need be
            return False
        sizes = np.diff(self.ends, prepend=-1) - 1  # bytes of each line without its line feed
        # A line of MAX_LINE characters or more is not plain; bytes are at least characters, so
        # only a line of that many bytes is decoded to count them.
        for i in np.flatnonzero(sizes >= MAX_LINE).tolist():
            if len(data[self.offset(i) : int(self.ends[i])].decode("utf-8", "replace")) >= MAX_LINE:
                return False
        return True

    def columns(self, width: int) -> Any | None:
        return parse(self, width, self.delimiter)

    def rows(self, indices: range) -> Iterator[tuple[int, list[str]]]:
        return rows_of(self, self.delimiter, indices)

    @staticmethod
    def blank(fields: list[str]) -> bool:
        return not any(f.strip() for f in fields)

    def raw(self, line: int, fields: list[str]) -> str:
        assert self.raw_text is not None
        return self.raw_text(fields)

    def tail(self, i: int) -> tuple[bytes, int]:
        """The lines from the i-th on (a case that may go on in the next chunk), and the number
        of the first."""
        return self.data[self.offset(i) :], self.first + i

    @staticmethod
    def long(carry: bytes) -> bool:
        return len(carry) >= LONG_CASE * CHUNK

    @staticmethod
    def typed() -> dict[int, Any]:
        return {}  # every cell of a CSV file is text

    def line(self, i: int) -> bytes:
        """The i-th line (0-based), without its line end."""
        start = int(self.ends[i - 1]) + 1 if i else 0
        text = self.data[start : int(self.ends[i])]
        return text[:-1] if text.endswith(b"\r") else text

    def offset(self, i: int) -> int:
        """Where the i-th line starts in `data`."""
        return int(self.ends[i - 1]) + 1 if i else 0


class Lines:
    """Reads the lines of a file from `offset` (line number `first`), skipping those up to
    `skip` (the header) and stopping before line `stop`, a chunk at a time. `carry` bytes (the
    last case of a chunk, which may go on in the next) are put back before the next chunk."""

    def __init__(self, path: str, offset: int, first: int, skip: int, stop: int | None, delimiter: str,
                 raw_text: Callable[[list[str]], str]) -> None:
        self.handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.delimiter = delimiter
        self.raw_text = raw_text
        self.handle.seek(offset)
        self.next_line = first
        self.skip = skip
        self.stop = stop
        self.rest = b""  # bytes read after the last whole line
        self.done = False

    def close(self) -> None:
        self.handle.close()

    def read(self, carry: bytes | None = None, carry_first: int = 0) -> Chunk | None:
        import numpy as np

        size = CHUNK

        while True:
            if self.done:
                if not carry:
                    return None
                data, first = carry, carry_first
                ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
                return Chunk(data, first, ends, True, self.delimiter, self.raw_text)
            block = self.handle.read(size)
            data = self.rest + block
            if not block:
                self.done = True
                self.rest = b""
                if data:
                    data += b"\n"  # the last line, without a line end
            else:
                cut = data.rfind(b"\n") + 1
                data, self.rest = data[:cut], data[cut:]
                if not data:
                    size *= 2  # a line longer than a chunk: read on
                    continue
            ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
            first = self.next_line
            self.next_line += len(ends)
            if first <= self.skip:  # the header (and a sep= line before it)
                drop = min(self.skip - first + 1, len(ends))
                start = int(ends[drop - 1]) + 1
                data, ends, first = data[start:], ends[drop:] - start, first + drop
            if self.stop is not None and first + len(ends) >= self.stop:
                keep = max(0, self.stop - first)
                data = data[: int(ends[keep - 1]) + 1] if keep else b""
                ends = ends[:keep]
                self.done = True
                self.rest = b""
            if carry:
                ends = np.concatenate((np.flatnonzero(np.frombuffer(carry, dtype=np.uint8) == 10),
                                       ends + len(carry)))
                data, first = carry + data, carry_first
                carry = None
            if len(ends):
                return Chunk(data, first, ends, self.done, self.delimiter, self.raw_text)


def parse(chunk: Chunk, width: int, delimiter: str) -> Any | None:
    """The chunk's rows as `width` pyarrow text arrays (columns), or None where pyarrow cannot
    give one row per line exactly as the plain reader splits them (a row of another width, an
    empty line, bytes that are not UTF-8): the chunk is then read row by row."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(chunk.data),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False, block_size=1 << 30),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, quote_char=False, escape_char=False, double_quote=False,
                newlines_in_values=False, ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError):
        return None
    if table.num_rows != len(chunk.ends):
        return None
    return [column.combine_chunks() for column in table.columns]


def rows_of(chunk: Chunk, delimiter: str, indices: Any) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of the given lines, split as the plain reader splits them (UTF-8:
    a BOM is in the header line, never read here)."""
    for i in indices:
        text = chunk.line(int(i)).decode("utf-8")
        yield chunk.first + int(i), text.split(delimiter) if text else []


# Rows of a Parquet file read at a time: about the rows of a CSV chunk (CHUNK) of a usual log.
# A multiple of parquet_reader.BATCH_ROWS, so that a frame ends where a batch of the reader's
# ends: a frame's rows read one by one then name the cell the reader would name first.
FRAME_ROWS = 8 * 1024
# Day numbers (days since 1970-01-01) of the dates Python has, and of the first of four digits;
# milliseconds in a day (date64).
FIRST_DAY = -719_162  # 0001-01-01
FIRST_FOUR_DIGITS = -354_285  # 1000-01-01
LAST_DAY = 2_932_896  # 9999-12-31
DAY_MS = 86_400_000


@dataclass
class Frame:
    """Rows of a Parquet file (a pyarrow Table of its columns as stored)."""

    table: Any
    first: int  # the number of its first row (1-based, as the Parquet reader numbers them)
    last: bool  # no row of the file (or share) comes after it
    reader: Any  # the file's ParquetReader
    dates: frozenset[int]  # typed date columns the engine reads as text (plan.Plan.dates)
    stored: dict[int, Any] = field(default_factory=dict)  # typed columns, as columns() found them

    @property
    def count(self) -> int:
        return int(self.table.num_rows)

    @staticmethod
    def plain() -> bool:
        return True

    def columns(self, width: int) -> list | None:
        """The text columns (nulls as "", as the reader gives its builder) and the date columns
        asked for, as text arrays; None at other typed columns (Columns.typed holds them). None
        where a cell cannot be read (a text cell that is not UTF-8, a date whose year is not
        four digits): the rows are then read one by one, and the reader's error is raised."""
        import pyarrow as pa
        import pyarrow.compute as pc

        texts = self.reader.text_columns
        out: list = []
        self.stored = {}
        for i, column in enumerate(self.table.columns):
            if i in texts:
                array = column.combine_chunks()
                if array.type != pa.string():
                    array = array.cast(pa.string())
                try:
                    array.validate(full=True)  # UTF-8: pyarrow stores text cells unchecked
                except pa.ArrowInvalid:
                    return None
            else:
                array = self.stored[i] = column.combine_chunks()
                if pa.types.is_date(array.type):
                    # The stored numbers, not pc.year, which wraps round far out of range.
                    unit = 1 if pa.types.is_date32(array.type) else DAY_MS
                    stored = array.view(pa.int32() if unit == 1 else pa.int64())
                    low, high = (v.as_py() for v in pc.min_max(stored).values())
                    first = FIRST_FOUR_DIGITS if i in self.dates else FIRST_DAY
                    if low is not None and not (first * unit <= low and high < (LAST_DAY + 1) * unit):
                        return None  # no Python date, or fewer digits than the reader writes
                    if i in self.dates:
                        array = array.cast(pa.string())  # ISO 8601 (20 times quicker than strftime)
                if i not in self.dates:
                    out.append(None)
                    continue
            out.append(pc.fill_null(array, "") if array.null_count else array)
        return out

    def typed(self) -> dict[int, Any]:
        """The typed (not text) columns as stored, for the rows built from the columns (after
        columns())."""
        return self.stored

    def rows(self, indices: range) -> Iterator[tuple[int, list]]:
        """(row number, cells) of the given rows, as ParquetReader.items gives them its builder:
        converted a batch of the reader's at a time, so that a cell that cannot be converted
        raises the error the reader raises (its first batch with one, the first column)."""
        from bisect import bisect_right

        assert indices.step == 1
        lo, hi = int(indices.start), max(int(indices.start), int(indices.stop))
        starts = self.reader.batch_starts()
        base = self.first - 1  # the frame's first row as a 0-based index
        while lo < hi:
            at = bisect_right(starts, base + lo)
            end = min(hi, starts[at] - base) if at < len(starts) else hi
            part = self.table.slice(lo, end - lo)
            numbers = range(self.first + lo, self.first + end)
            cells = self.reader.builder_cells(part, numbers)
            yield from zip(numbers, map(list, zip(*cells, strict=True)), strict=True)
            lo = end

    @staticmethod
    def blank(values: list) -> bool:
        from checker.readers.build import missing

        return all(missing(v) for v in values)

    def raw(self, row: int, values: list) -> str:
        return self.reader.stored_record(self.table.slice(row - self.first, 1))

    def tail(self, i: int) -> tuple[Any, int]:
        return self.table.slice(i), self.first + i

    @staticmethod
    def long(carry: Any) -> bool:
        return int(carry.num_rows) >= LONG_CASE * FRAME_ROWS


class Frames:
    """Reads the rows of a Parquet file (or of its reader's span) a Frame at a time; `carry`
    rows (a Table) are put before the next frame's, as for Lines."""

    def __init__(self, reader: Any, dates: frozenset[int]) -> None:
        self.reader = reader
        self.dates = dates
        self.batches = reader.numbered_batches(FRAME_ROWS)
        self.ahead = next(self.batches, None)

    def close(self) -> None:
        self.batches.close()

    def read(self, carry: Any = None, carry_first: int = 0) -> Frame | None:
        import pyarrow as pa

        if self.ahead is None:
            if carry is None:
                return None
            return Frame(carry, carry_first, True, self.reader, self.dates)
        first, batch = self.ahead
        self.ahead = next(self.batches, None)
        table = pa.Table.from_batches([batch])
        if carry is not None:
            table = pa.concat_tables([carry, table]).combine_chunks()
            first = carry_first
        else:
            first += 1
        return Frame(table, first, self.ahead is None, self.reader, self.dates)
