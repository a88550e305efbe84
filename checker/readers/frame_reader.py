"""Logs already in Python (notebooks): an iterable of dicts, or a pandas DataFrame.

pandas is never imported here: a DataFrame is used through its columns and itertuples(), so
pandas stays an optional dependency. Row numbers are 1-based positions in the input.

A list (or other sequence) of dicts and a DataFrame are read twice (a quick pass finds whether
they are grouped by case); a one-pass iterable (a generator) is spilled to a temporary file and
regrouped, since whether it is grouped is known only at its end. The columns of a sequence are
the keys of all its records; those of a one-pass iterable, the keys of its first PEEK records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import tzinfo
from itertools import chain, islice
from typing import Any

from checker.errors import InputError, Location
from checker.readers.accounting import Note, Rejected
from checker.readers.build import BLANK, DictBuilder, ListBuilder, RawEvent, missing, text
from checker.readers.grouping import is_grouped
from checker.readers.mapping import resolve_plan
from checker.readers.options import ReadOptions

PEEK = 1000


def _raw(record: Any) -> str:
    try:
        return json.dumps(record, default=str, ensure_ascii=False, sort_keys=True)[:10_000]
    except (TypeError, ValueError):
        return repr(record)[:10_000]


class RecordsReader:
    format = "records"

    def __init__(
        self,
        records: Iterable[Mapping[str, Any]],
        options: ReadOptions,
        zone: tzinfo,
        fmt: str = "records",
        notes: tuple[Note, ...] = (),
        location: Location | None = None,
    ) -> None:
        """`location`: the file the records come from (a `.json` array), for its errors."""
        self.format = fmt
        if isinstance(records, Sequence) and not isinstance(records, str | bytes):
            # Held whole: the columns are the keys of every record (a key first met late, an
            # actor or a lifecycle, is still its field, whatever the records before it hold).
            self._records: Iterable[Any] = records
            self.reiterable = True
            peek: Sequence[Any] = records
        else:
            # A one-pass iterable cannot be read twice: the keys of its first PEEK records.
            iterator = iter(records)
            peek = list(islice(iterator, PEEK))
            self._records = chain(peek, iterator)
            self.reiterable = False
        columns: dict[str, None] = {}
        objects = 0
        for record in peek:
            if isinstance(record, Mapping):
                columns.update(dict.fromkeys(str(k) for k in record))
                objects += 1
        if not peek:
            raise InputError("readers.no_records", location)
        if not objects:  # [1, 2]: no record at all, rather than records missing columns
            raise InputError("readers.reject.not_object", location)
        self.columns = tuple(columns)
        self.plan = resolve_plan(self.columns, options.mapping, location)
        self.builder = DictBuilder(self.plan, zone, options.date_format)
        if self.reiterable:
            case_key = self.builder.case_key
            self.grouped: bool | None = is_grouped(
                case_key(r) for r in self._records if isinstance(r, Mapping)
            )
        else:
            self.grouped = None
        self.notes = self.plan.notes + notes
        self.has_actor = "actor" in self.plan.fields
        self.has_documents = "documents" in self.plan.fields

    def items(self) -> Iterator[Any]:
        build = self.builder.build
        for row, record in enumerate(self._records, 1):
            if not isinstance(record, Mapping):
                yield Rejected(row, "readers.reject.not_object", {}, _raw(record))
                continue
            if not isinstance(record, dict) or any(not isinstance(k, str) for k in record):
                record = {str(k): v for k, v in record.items()}
            result = build(row, record)
            if result.__class__ is RawEvent:
                yield result
            elif all(missing(v) for v in record.values()):
                yield BLANK
            else:
                yield Rejected(row, result.key, result.args, _raw(record))


class FrameReader:
    format = "dataframe"
    reiterable = True

    def __init__(self, frame: Any, options: ReadOptions, zone: tzinfo) -> None:
        if not hasattr(frame, "itertuples") or not hasattr(frame, "columns"):
            raise TypeError("from_dataframe() needs a pandas DataFrame")
        self.frame = frame
        columns = [str(c).strip() for c in frame.columns]
        for column in columns:
            if columns.count(column) > 1:
                raise InputError("readers.duplicate_column", None, {"column": column})
        if len(frame) == 0:
            raise InputError("readers.no_records", None)
        self.columns = tuple(columns)
        self.plan = resolve_plan(self.columns, options.mapping, None)
        self.builder = ListBuilder(self.columns, self.plan, zone, options.date_format, typed=True)
        index = self.columns.index(self.plan.fields["case_id"])
        self.grouped = is_grouped(text(v) for v in frame.iloc[:, index])
        self.notes: tuple[Note, ...] = self.plan.notes
        self.has_actor = "actor" in self.plan.fields
        self.has_documents = "documents" in self.plan.fields

    def items(self) -> Iterator[Any]:
        build = self.builder.build
        columns = self.columns
        for row, values in enumerate(self.frame.itertuples(index=False, name=None), 1):
            result = build(row, values)
            if result.__class__ is RawEvent:
                yield result
            elif all(missing(v) for v in values):
                yield BLANK
            else:
                yield Rejected(row, result.key, result.args, _raw(dict(zip(columns, values, strict=False))))
