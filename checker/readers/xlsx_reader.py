"""Excel logs (`.xlsx`): the sheet named by `--sheet`, or the first one; openpyxl in read-only
mode (rows streamed). The header is the first row whose cells name the columns (title rows above
it are passed over); row numbers are sheet rows.

Dates stored as Excel dates arrive as datetimes; a cell whose number format shows no time
(dd/mm/yyyy) and whose time is midnight is a date-only value (agenda books). Text cells go
through the same timestamp parsing as CSV (`--date-format` applies).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from checker.errors import InputError, Location
from checker.readers.accounting import Note, Rejected
from checker.readers.build import BLANK, ListBuilder, RawEvent, missing, text
from checker.readers.grouping import is_grouped
from checker.readers.mapping import ColumnPlan, resolve_plan
from checker.readers.options import ReadOptions
from checker.readers.textfile import read_head

HEADER_SEARCH = 20  # rows with a value tried as the header
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]')
_TIME_CODE = re.compile(r"[hs]|am/pm|a/p", re.IGNORECASE)


# What a workbook's damaged insides raise from openpyxl: a broken zip or deflate stream, a
# missing part, XML that does not parse (ElementTree's ParseError and lxml's XMLSyntaxError are
# both SyntaxErrors), values that do not fit their type.
_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, SyntaxError)


def _unreadable(path: str, err: BaseException) -> InputError:
    # A SyntaxError's str() ends with "(<string>, line 1)", which names nothing the user has.
    text = str(getattr(err, "msg", None) or err).strip().splitlines()
    detail = (text[0][:200] if text else "") or type(err).__name__
    return InputError("readers.xlsx_unreadable", Location(path), {"detail": detail})


def date_only_format(number_format: str | None) -> bool:
    """Whether an Excel number format shows a date without a time of day."""
    if not number_format:
        return False
    return not _TIME_CODE.search(_QUOTED.sub("", number_format))


class XlsxReader:
    format = "xlsx"
    reiterable = True

    def __init__(self, path: str, options: ReadOptions, zone: tzinfo) -> None:
        self.path = path
        self.sheet = options.sheet
        head = read_head(path, 8)
        if not head:
            raise InputError("file.empty", Location(path))
        if not head.startswith(b"PK"):
            raise InputError("readers.xlsx_unreadable", Location(path), {"detail": "not a zip (xlsx) file"})
        rows = self._rows()
        try:
            self.header_row, self.columns, self.plan = self._header(rows, options)
            location = Location(path, self.header_row)
            self.builder = ListBuilder(self.columns, self.plan, zone, options.date_format, typed=True)
            count = 0

            def keys() -> Iterator[str | None]:
                nonlocal count
                for _, values in rows:
                    if all(missing(v) for v in values):
                        continue
                    count += 1
                    yield self.builder.case_key(values)

            self.grouped = is_grouped(keys())
        finally:
            rows.close()
        if count == 0:
            raise InputError("readers.header_only", location)
        self.notes: tuple[Note, ...] = self.plan.notes
        self.has_actor = "actor" in self.plan.fields
        self.has_documents = "documents" in self.plan.fields

    def _rows(self) -> Iterator[tuple[int, list[Any]]]:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True, keep_links=False)
        except (*_CORRUPT, InvalidFileException, OSError) as err:
            raise _unreadable(self.path, err) from None
        try:
            if self.sheet is None:
                if not book.worksheets:
                    raise InputError("readers.xlsx_unreadable", Location(self.path), {"detail": "no sheet"})
                sheet = book.worksheets[0]
            elif self.sheet in book.sheetnames:
                sheet = book[self.sheet]
            else:
                raise InputError(
                    "readers.xlsx_no_sheet",
                    Location(self.path),
                    {"sheet": self.sheet, "sheets": ", ".join(book.sheetnames)},
                )
            if not hasattr(sheet, "iter_rows"):
                raise InputError(
                    "readers.xlsx_no_sheet",
                    Location(self.path),
                    {"sheet": sheet.title, "sheets": ", ".join(book.sheetnames)},
                )
            for number, cells in enumerate(sheet.iter_rows(min_row=1), 1):
                values = []
                for cell in cells:
                    value = cell.value
                    if isinstance(value, datetime):
                        if (
                            value.hour == value.minute == 0
                            and (value.second == value.microsecond == 0)
                            and date_only_format(getattr(cell, "number_format", None))
                        ):
                            value = value.date()
                    elif isinstance(value, time | timedelta):
                        # A time of day or a duration cell: as Excel shows it (08:00:00), not
                        # as a Python repr in a reason or a report.
                        value = value.isoformat() if isinstance(value, time) else str(value)
                    values.append(value)
                yield number, values
        except _CORRUPT as err:
            raise _unreadable(self.path, err) from None
        finally:
            book.close()

    def _header(
        self, rows: Iterator[tuple[int, list[Any]]], options: ReadOptions
    ) -> tuple[int, tuple[str, ...], ColumnPlan]:
        """The header is the first row (of the first HEADER_SEARCH with a value) whose columns
        resolve: title rows above the table ("Daftar Surat Masuk 2026") are passed over."""
        failures: list[tuple[int, InputError]] = []
        for number, values in rows:
            if all(missing(v) for v in values):
                continue
            try:
                columns = self._columns(values, number)
                return number, columns, resolve_plan(columns, options.mapping, Location(self.path, number))
            except InputError as err:
                width = sum(not missing(v) for v in values)
                failures.append((width, err))
                if len(failures) >= HEADER_SEARCH:
                    break
        if not failures:
            raise InputError("readers.xlsx_empty_sheet", Location(self.path), {"sheet": self.sheet or "1"})
        raise max(failures, key=lambda item: item[0])[1]

    def _columns(self, header: list[Any], number: int) -> tuple[str, ...]:
        while header and missing(header[-1]):
            header = header[:-1]
        columns: list[str] = []
        for i, value in enumerate(header):
            name = text(value) or f"column_{i + 1}"
            if name in columns:
                raise InputError(
                    "readers.duplicate_column",
                    Location(self.path, number, i + 1),
                    {"column": name},
                )
            columns.append(name)
        return tuple(columns)

    def items(self) -> Iterator[Any]:
        rows = self._rows()
        build = self.builder.build
        width = len(self.columns)
        try:
            for number, values in rows:
                if number <= self.header_row:
                    continue
                if len(values) < width:
                    values = values + [None] * (width - len(values))
                result = build(number, values)
                if result.__class__ is RawEvent:
                    yield result
                elif all(missing(v) for v in values):
                    yield BLANK
                else:
                    raw = "\t".join("" if missing(v) else str(v) for v in values)
                    yield Rejected(number, result.key, result.args, raw)
        finally:
            rows.close()
