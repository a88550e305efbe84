"""Excel logs (`.xlsx`): the sheet named by `--sheet`, or the first one; openpyxl in read-only
mode (rows streamed). The header is the first row whose cells name the columns (title rows above
it are passed over); row numbers are sheet rows.

Dates stored as Excel dates (serial numbers with a date format) become datetimes here, not in
openpyxl (`excel_serial`): the date Excel shows, in the workbook's date system, including its
edges (docs/time.md, "Excel dates"). A cell whose number format shows no time (dd/mm/yyyy) and
whose time is midnight is a date-only value (agenda books). Text cells go through the same
timestamp parsing as CSV (`--date-format` applies).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any, Literal

from checker.errors import InputError, Location
from checker.messages.parsers import own_detail, xlsx_problem
from checker.readers.accounting import Note, Rejected
from checker.readers.build import BLANK, ListBuilder, RawEvent, missing, text
from checker.readers.grouping import is_grouped
from checker.readers.mapping import ColumnPlan, resolve_plan
from checker.readers.options import ReadOptions
from checker.readers.textfile import read_head
from checker.sop.model import Text

HEADER_SEARCH = 20  # rows with a value tried as the header
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]')
_TIME_CODE = re.compile(r"[hs]|am/pm|a/p", re.IGNORECASE)
# A day, a year or a month's name (mmm, mmmm); "m" and "mm" may be minutes (hh:mm, mm:ss).
_DATE_CODE = re.compile(r"[dy]|m{3,}", re.IGNORECASE)
_ESCAPED = re.compile(r"\\.|[_*].")  # \x shows x; _x pads and *x fills with x
# The 1900 date system counts from 1899-12-31 and holds a fictitious 1900-02-29 (serial 60), so
# that serials from 61 on count from 1899-12-30; the 1904 system counts from 1904-01-01.
_EXCEL_1900 = datetime(1899, 12, 30)
_FICTITIOUS = 60
_DAY_MS = 86_400_000
_MIDNIGHT = time()

SerialKind = Literal["duration", "time", "date", "day"]


# What a workbook's damaged insides raise from openpyxl: a broken zip or deflate stream, a
# missing part, XML that does not parse (ElementTree's ParseError and lxml's XMLSyntaxError are
# both SyntaxErrors), values that do not fit their type.
# NotImplementedError: zipfile on a compression method or zip version it does not support.
_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, SyntaxError, NotImplementedError)


def _unreadable(path: str, err: BaseException) -> InputError:
    # A SyntaxError's str() ends with "(<string>, line 1)", which names nothing the user has; a
    # KeyError's quotes its message.
    if isinstance(err, KeyError) and len(err.args) == 1 and isinstance(err.args[0], str):
        message = err.args[0]
    else:
        message = str(getattr(err, "msg", None) or err)
    text = message.strip().splitlines()
    if text and text[0]:
        # The library's English with its Indonesian (checker.messages.parsers), each cut short.
        found = xlsx_problem(text[0])
        detail: Any = Text(found.id[:200], text[0][:200])
    elif isinstance(err, EOFError):  # zipfile's, with no text: a member ends early
        detail = own_detail("detail.xlsx_cut_short")
    else:
        detail = type(err).__name__
    return InputError("readers.xlsx_unreadable", Location(path), {"detail": detail})


def date_only_format(number_format: str | None) -> bool:
    """Whether an Excel number format shows a date without a time of day."""
    if not number_format:
        return False
    return not _TIME_CODE.search(_QUOTED.sub("", number_format))


@lru_cache(maxsize=256)
def serial_kind(number_format: str | None) -> SerialKind | None:
    """What a number in a cell of this format is: a duration ([h]:mm), a time of day (hh:mm), a
    date and time, a day (dd/mm/yyyy); None for a plain number. openpyxl's own tests decide
    which formats are dates, so that the cells it would have converted are the ones converted."""
    from openpyxl.styles.numbers import is_date_format, is_timedelta_format

    if not number_format or not is_date_format(number_format):
        return None
    if is_timedelta_format(number_format):
        return "duration"
    if date_only_format(number_format):
        return "day"
    shown = _ESCAPED.sub("", _QUOTED.sub("", number_format.split(";")[0]))
    return "date" if _DATE_CODE.search(shown) else "time"


def _clock(milliseconds: int) -> str:
    return (datetime.min + timedelta(milliseconds=milliseconds)).time().isoformat()


def excel_serial(serial: float, epoch: datetime, kind: SerialKind) -> Any:
    """A number in a date-formatted cell as what Excel shows. openpyxl converts these itself,
    but loses the edges of Excel's 1900 date system: serial 0 (Excel's zero date, 1900-01-00)
    becomes a bare time, 60 (Excel's fictitious 1900-02-29) the same 1900-02-28 as 59, a serial
    past 9999-12-31 an "#VALUE!" with a warning; and in the 1904 system a serial below 1 (a time
    on 1904-01-01) a bare time too.

    Returns a datetime (a date for a day format at midnight: date-only); the text Excel shows for
    a time of day (a time format, serial below 1: no date, not a timestamp) and for 1900-02-29
    (no such day), which the builder rejects as not a timestamp; and the serial itself when it
    falls before year 1 or after 9999 (Excel shows #####), likewise not a timestamp. The zero
    date is 1899-12-31 (the day before 1900-01-01, serial 1), so it is out of range.
    """
    try:
        if kind == "duration":  # as Excel shows it (26:00:00 is "1 day, 2:00:00"), not a repr
            from openpyxl.utils.datetime import from_excel

            return str(from_excel(serial, epoch, timedelta=True))
        day, fraction = divmod(serial, 1)
        milliseconds = round(fraction * _DAY_MS)  # openpyxl's precision
        if kind == "time" and 0 <= serial < 1:
            return _clock(milliseconds)
        if epoch == _EXCEL_1900:
            if day == _FICTITIOUS:
                if kind == "day" and not milliseconds:
                    return "1900-02-29"
                return f"1900-02-29T{_clock(milliseconds)}"
            if day < _FICTITIOUS:
                day += 1
        stamp = epoch + timedelta(days=day, milliseconds=milliseconds)
    except (OverflowError, ValueError):  # beyond Python's dates, or NaN/infinity
        return serial
    if kind == "day" and stamp.time() == _MIDNIGHT:
        return stamp.date()
    return stamp


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
            detail = own_detail("detail.xlsx_not_zip")
            raise InputError("readers.xlsx_unreadable", Location(path), {"detail": detail})
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
        # The serials of date-formatted cells as numbers: excel_serial converts them. (openpyxl
        # reads these sets of styles when a sheet's rows are iterated; were that to change, its
        # datetimes would arrive again and be read below, minus the edges the tests pin.)
        book._date_formats = set()
        book._timedelta_formats = set()
        epoch = book.epoch
        try:
            if self.sheet is None:
                if not book.worksheets:
                    detail = own_detail("detail.xlsx_no_sheet")
                    raise InputError("readers.xlsx_unreadable", Location(self.path), {"detail": detail})
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
                    if value.__class__ is int or value.__class__ is float:
                        kind = serial_kind(cell.number_format)
                        if kind is not None:
                            value = excel_serial(value, epoch, kind)
                    elif isinstance(value, datetime):  # an ISO 8601 date cell (t="d")
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
