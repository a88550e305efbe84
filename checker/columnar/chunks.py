"""A plain CSV file (or one share of it) as chunks of whole lines, each parsed by pyarrow into
text columns. A plain file (checker.readers.csv_reader: no quote, NUL or bare CR, no overlong
line) is one record per line, split at the delimiter, so pyarrow's rows are the reader's rows and
a row's number is its line's."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Bytes of lines read at a time. A chunk's columns, the report's texts rendered from them and
# pyarrow's buffers take many times its size: with 1 MiB the two workers of a 10M-event audit
# hold 280 MB with the main process (PSS; 313 MB with 2 MiB, and 8 MiB held 150 MB a process),
# in the same time.
CHUNK = 1 << 20


@dataclass
class Chunk:
    data: bytes  # whole lines, each ending with a line feed
    first: int  # the number of its first line
    ends: Any  # numpy array: the index of each line's line feed in `data`
    last: bool  # no line of the file (or share) comes after it

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

    def __init__(self, path: str, offset: int, first: int, skip: int, stop: int | None) -> None:
        self.handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.handle.seek(offset)
        self.next_line = first
        self.skip = skip
        self.stop = stop
        self.rest = b""  # bytes read after the last whole line
        self.done = False

    def close(self) -> None:
        self.handle.close()

    def read(self, carry: bytes = b"", carry_first: int = 0) -> Chunk | None:
        import numpy as np

        size = CHUNK

        while True:
            if self.done:
                if not carry:
                    return None
                data, first = carry, carry_first
                ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
                return Chunk(data, first, ends, True)
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
                carry = b""
            if len(ends):
                return Chunk(data, first, ends, self.done)


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
