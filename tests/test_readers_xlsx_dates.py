"""Excel date serials at the edges of Excel's date systems, read from real workbooks: a timestamp
in 1900-2199 is accepted (1900-01-01, serial 1, included), one outside is rejected as out of
range (serial 0, Excel's zero date 1900-01-00, among them), a value that is no timestamp at all
(a bare time of day, Excel's fictitious 1900-02-29, a serial Excel shows as #####) as a bad
timestamp; every row counted (docs/time.md, "Excel dates")."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

from checker.readers import ReadOptions, open_log  # noqa: E402

OUT = "readers.reject.timestamp_out_of_range"
BAD = "readers.reject.bad_timestamp"
STAMP = "yyyy-mm-dd hh:mm"
DAY = "dd/mm/yyyy"
CLOCK = "hh:mm"


def workbook(path: Path, cells: list[tuple[object, str]], *, mac: bool = False, start: bool = False) -> Path:
    """One case, one row per (serial, number format) in the timestamp column (or, with `start`,
    in start_timestamp, the timestamp itself a good date)."""
    book = openpyxl.Workbook()
    if mac:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["case_id", "activity", "timestamp", "start_timestamp"])
    for i, (serial, number_format) in enumerate(cells):
        good = datetime(2026, 3, 2, 10)
        sheet.append(["C1", f"A{i}", good, serial] if start else ["C1", f"A{i}", serial])
        sheet.cell(row=i + 2, column=4 if start else 3).number_format = number_format
    book.save(path)
    return path


def read(path: Path) -> tuple[dict[int, tuple[str, str]], dict[int, tuple[object, bool]]]:
    """The rejected rows (reason, value shown) and the accepted ones (timestamp as written, with
    its zone's offset dropped, or the date of a date-only one; whether date-only), by row."""
    source = open_log(str(path), ReadOptions(timezone="UTC"))
    events = [event for case in source.cases() for event in case.events]
    acc = source.accounting
    assert acc.rows_read == acc.accepted + len(acc.rejected)  # every row counted
    rejected = {r.row: (r.reason, r.args["value"]) for r in acc.rejected}
    accepted = {}
    for event in events:
        stamp = event.start if event.start is not None else event.timestamp
        naive = stamp.replace(tzinfo=None)
        accepted[event.row] = (naive.date() if event.date_only else naive, event.date_only)
    assert len(accepted) == acc.accepted
    return rejected, accepted


# (serial, number format, expected): a rejection (reason, value shown) or an acceptance
# (timestamp or date, date-only).
EDGES_1900 = [
    (0, STAMP, (OUT, "1899-12-31T00:00:00")),  # Excel's zero date, shown 1900-01-00
    (0, DAY, (OUT, "1899-12-31")),
    (0.5, STAMP, (OUT, "1899-12-31T12:00:00")),
    (1, STAMP, (datetime(1900, 1, 1), False)),
    (1, DAY, (date(1900, 1, 1), True)),
    (1.5, DAY, (datetime(1900, 1, 1, 12), False)),
    (59, DAY, (date(1900, 2, 28), True)),
    (60, DAY, (BAD, "1900-02-29")),  # Excel's fictitious day: openpyxl reads 1900-02-28 as for 59
    (60.25, STAMP, (BAD, "1900-02-29T06:00:00")),
    (61, DAY, (date(1900, 3, 1), True)),
    (61.75, STAMP, (datetime(1900, 3, 1, 18), False)),
    (-1, DAY, (OUT, "1899-12-30")),
    (-0.5, STAMP, (OUT, "1899-12-30T12:00:00")),
    (-1, CLOCK, (OUT, "1899-12-30T00:00:00")),
    (-693594, DAY, (OUT, "0001-01-01")),  # openpyxl: "#VALUE!"
    (-693595, DAY, (BAD, "-693595")),  # before year 1: Excel shows #####
    (109574, DAY, (date(2199, 12, 31), True)),
    (109574.5, STAMP, (datetime(2199, 12, 31, 12), False)),
    (109575, DAY, (OUT, "2200-01-01")),
    (2958465, STAMP, (OUT, "9999-12-31T00:00:00")),  # Excel's last date
    (2958466, STAMP, (BAD, "2958466")),  # openpyxl: "#VALUE!" and a warning
    (10**10, DAY, (BAD, "10000000000")),
    (46083.5, STAMP, (datetime(2026, 3, 2, 12), False)),
    (46083, DAY, (date(2026, 3, 2), True)),
    (46083, "d-mmm-yy", (date(2026, 3, 2), True)),
    (46083.5, CLOCK, (datetime(2026, 3, 2, 12), False)),  # a date with its day hidden: still a date
    (0.5, CLOCK, (BAD, "12:00:00")),  # a time of day without a date, as before
    (0, "h:mm AM/PM", (BAD, "00:00:00")),
    (0.75, "[$-409]h:mm:ss AM/PM", (BAD, "18:00:00")),
]


@pytest.mark.filterwarnings("error")  # openpyxl's "outside the limits for dates" is not printed
def test_serials_at_the_edges_of_the_1900_date_system(tmp_path: Path) -> None:
    rejected, accepted = read(workbook(tmp_path / "log.xlsx", [(s, f) for s, f, _ in EDGES_1900]))
    for row, (serial, number_format, expected) in enumerate(EDGES_1900, 2):
        got = rejected.get(row) or accepted.get(row)
        assert got == expected, (serial, number_format)


def test_the_1904_date_system(tmp_path: Path) -> None:
    """In a 1904 workbook serial 0 is 1904-01-01 (openpyxl gives a bare time) and there is no
    fictitious day; a time of day is still no timestamp."""
    cells = [
        (0, DAY, (date(1904, 1, 1), True)),
        (0.5, STAMP, (datetime(1904, 1, 1, 12), False)),
        (60, DAY, (date(1904, 3, 1), True)),
        (-1, DAY, (date(1903, 12, 31), True)),
        (0.5, CLOCK, (BAD, "12:00:00")),
        (108112, DAY, (date(2199, 12, 31), True)),
        (108113, DAY, (OUT, "2200-01-01")),
        (2957003, DAY, (OUT, "9999-12-31")),
        (2957004, DAY, (BAD, "2957004")),
    ]
    rejected, accepted = read(workbook(tmp_path / "mac.xlsx", [(s, f) for s, f, _ in cells], mac=True))
    for row, (serial, number_format, expected) in enumerate(cells, 2):
        got = rejected.get(row) or accepted.get(row)
        assert got == expected, (serial, number_format)


def test_start_timestamp_zero_date_is_out_of_range(tmp_path: Path) -> None:
    path = workbook(tmp_path / "start.xlsx", [(0, STAMP), (1, STAMP), (60, DAY)], start=True)
    source = open_log(str(path), ReadOptions(timezone="UTC"))
    events = [event for case in source.cases() for event in case.events]
    acc = source.accounting
    assert [(r.row, r.reason, r.args["field"]) for r in acc.rejected] == [
        (2, OUT, "start_timestamp"),
        (4, BAD, "start_timestamp"),
    ]
    (event,) = events
    assert event.start.replace(tzinfo=None) == datetime(1900, 1, 1)
    assert (acc.rows_read, acc.accepted) == (3, 1)


def test_date_cells_written_as_datetimes_and_in_other_columns(tmp_path: Path) -> None:
    """Dates openpyxl writes from Python values read back the same, in the timestamp column and
    as attributes (a date-only format at midnight a date, a duration as Excel shows it)."""
    from datetime import timedelta

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "activity", "timestamp", "diterima", "durasi", "nomor"])
    sheet.append(["C1", "x", datetime(1900, 1, 1, 8), datetime(1900, 3, 1), timedelta(hours=26), 60])
    sheet.append(["C1", "y", datetime(1900, 2, 28), datetime(2026, 3, 2, 9, 30), timedelta(0), 0])
    sheet["D2"].number_format = DAY
    path = tmp_path / "typed.xlsx"
    book.save(path)
    source = open_log(str(path), ReadOptions(timezone="UTC"))
    (case,) = list(source.cases())
    assert not source.accounting.rejected
    first, second = sorted(case.events, key=lambda e: e.row)
    assert first.timestamp.replace(tzinfo=None) == datetime(1900, 1, 1, 8)
    assert second.timestamp.replace(tzinfo=None) == datetime(1900, 2, 28)
    assert first.attributes == {"diterima": date(1900, 3, 1), "durasi": "1 day, 2:00:00", "nomor": 60}
    assert second.attributes["diterima"].replace(tzinfo=None) == datetime(2026, 3, 2, 9, 30)
    assert second.attributes["durasi"] == "0:00:00" and second.attributes["nomor"] == 0
