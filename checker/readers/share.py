"""Reading a log in shares, one per worker process (`--jobs`): each worker reads the whole file
but builds only the rows of the cases whose id hashes to its share, so the parsing runs in
parallel as well as the audit. Every row of a case (rejected ones included) has the case's id,
so lands in one share; a row without one (blank, unreadable, id missing) goes to share 0. The
shares' accountings add up to the accounting of one reader (LogSource.absorb). Only a grouped
file is shared: there every case is whole in the order the file gives it.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import lru_cache
from typing import Any

from checker.readers.options import ReadOptions

FORMATS = ("csv", "parquet")


@lru_cache(maxsize=1)  # a grouped file repeats each case id on consecutive rows
def owner_of(case_id: str | None, count: int) -> int:
    """The share a case id belongs to (stable across processes, unlike hash())."""
    if case_id is None:
        return 0
    return zlib.crc32(case_id.encode("utf-8", "replace")) % count


@dataclass(frozen=True)
class Share:
    """What a worker process needs to read its share of a grouped log file (picklable)."""

    path: str
    format: str
    options: dict[str, Any]  # ReadOptions as plain fields (its mapping proxy does not pickle)
    index: int
    count: int

    @classmethod
    def of(cls, path: str, fmt: str, options: ReadOptions, index: int, count: int) -> Share:
        plain = {f.name: getattr(options, f.name) for f in dataclass_fields(options)}
        plain["mapping"] = dict(options.mapping)
        return cls(path, fmt, plain, index, count)

    def open(self) -> Any:
        """A LogSource over this share's cases (its accounting counts this share's rows)."""
        from checker.readers import _check
        from checker.readers.source import LogSource

        options = ReadOptions(**self.options)
        share = (self.index, self.count)
        reader: Any
        if self.format == "csv":
            from checker.readers.csv_reader import CsvReader

            reader = CsvReader(self.path, options, _check(options), share=share)
        else:
            from checker.readers.parquet_reader import ParquetReader

            reader = ParquetReader(self.path, options, _check(options), share=share)
        return LogSource(reader, options, path=self.path)
