"""Excel logs: named or first sheet, Excel dates (with and without time), sheet row numbers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

from checker.errors import InputError  # noqa: E402
from checker.readers import ReadOptions, open_log  # noqa: E402


def workbook(path: Path, sheets: dict[str, list[list]], formats: dict[str, str] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell, number_format in (formats or {}).items():
            sheet[cell].number_format = number_format
    book.save(path)
    return path


def read(path, **options):
    source = open_log(path, ReadOptions(**options))
    return source, list(source.cases())


AGENDA = [
    ["Daftar surat masuk 2026"],  # a title row above the header is not the header
    [],
    ["No. Agenda", "Kegiatan", "Tanggal", "Petugas", "Berkas"],
    ["001/UM", "Surat diterima", datetime(2026, 11, 25, 8, 5), "Sri Wahyuni", "Surat Masuk"],
    ["001/UM", "Dicatat di agenda", datetime(2026, 11, 25), "Sri Wahyuni", None],
    [None, None, None, None, None],
    ["001/UM", "Disposisi", "26/11/2026 13:05", "Drs. Bambang", "Lembar Disposisi;Surat Masuk"],
    [2, "Surat diterima", "tanggal salah", "Sri Wahyuni", None],
]
MAPPING = {"case_id": "No. Agenda", "activity": "Kegiatan", "timestamp": "Tanggal", "actor": "Petugas"}


def test_agenda_sheet(tmp_path):
    path = workbook(
        tmp_path / "agenda.xlsx", {"Agenda": AGENDA}, {"C4": "dd/mm/yyyy hh:mm", "C5": "dd/mm/yyyy"}
    )
    source, cases = read(path, mapping={**MAPPING, "documents": "Berkas"}, date_format="%d/%m/%Y %H:%M")
    acc = source.accounting
    assert source.format == "xlsx"
    assert [(r.row, r.reason) for r in acc.rejected] == [(8, "readers.reject.bad_timestamp_format")]
    assert (acc.rows_read, acc.accepted, acc.blank_rows) == (4, 3, 1)
    (case,) = cases
    # The date-only row keeps its place after the timed one of its day (docs/time.md, "Time order").
    received, logged, disposition = case.events
    assert logged.row == 5 and logged.date_only
    assert received.row == 4 and not received.date_only
    assert received.timestamp.utcoffset() == timedelta(hours=7)
    assert disposition.row == 7 and disposition.documents == ("Lembar Disposisi", "Surat Masuk")
    assert disposition.timestamp.hour == 13


def test_named_sheet_and_numeric_ids(tmp_path):
    rows = [["case_id", "activity", "timestamp", "nilai"], [1001, "x", date(2026, 11, 25), 2.5]]
    path = workbook(tmp_path / "two.xlsx", {"Ringkasan": [["nothing here"]], "Log": rows})
    _, cases = read(path, sheet="Log")
    assert cases[0].case_id == "1001"
    assert cases[0].events[0].attributes["nilai"] == 2.5
    with pytest.raises(InputError) as err:
        read(path, sheet="Tidak Ada")
    assert err.value.key == "readers.xlsx_no_sheet"
    assert "Ringkasan, Log" in err.value.args_["sheets"]
    with pytest.raises(InputError) as err:
        read(path)  # the first sheet has no log
    assert err.value.key == "readers.missing_columns"


@pytest.mark.parametrize(
    ("rows", "key"),
    [
        ([["case_id", "activity", "timestamp"]], "readers.header_only"),
        ([], "readers.xlsx_empty_sheet"),
    ],
)
def test_unusable_sheets(tmp_path, rows, key):
    path = workbook(tmp_path / "bad.xlsx", {"Log": rows})
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.key == key


def test_not_a_workbook(tmp_path):
    path = tmp_path / "log.xlsx"
    path.write_bytes(b"case_id,activity,timestamp\n")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.key == "readers.xlsx_unreadable"
    path.write_bytes(b"PK\x03\x04 broken zip")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.key == "readers.xlsx_unreadable"


def test_old_xls_is_named(tmp_path):
    path = tmp_path / "log.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as err:
        open_log(path)
    assert err.value.key == "readers.xls_old"


def _damaged(tmp_path: Path, name: str, change) -> Path:
    import zipfile

    good = workbook(tmp_path / "good.xlsx", {"Log": [
        ["case_id", "activity", "timestamp"],
        *[["A", "x", datetime(2026, 11, 25, 8, i)] for i in range(30)],
    ]})
    with zipfile.ZipFile(good) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    path = tmp_path / f"{name}.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for part, data in parts.items():
            book.writestr(part, change(part, data))
    return path


@pytest.mark.parametrize(
    ("part", "cut"),
    [
        ("xl/worksheets/sheet1.xml", lambda data: data[: len(data) // 2]),
        ("xl/worksheets/sheet1.xml", lambda data: b"\xff\xfe\x00garbage"),
        ("[Content_Types].xml", lambda data: b"garbage<"),
        ("[Content_Types].xml", lambda data: b""),
        ("xl/styles.xml", lambda data: b"<garbage"),
        ("xl/workbook.xml", lambda data: b"<garbage"),
        ("xl/_rels/workbook.xml.rels", lambda data: b"<garbage"),
        ("docProps/core.xml", lambda data: b"<x"),
    ],
)
def test_damaged_workbook_insides_are_one_error(tmp_path, part, cut):
    path = _damaged(tmp_path, "damaged", lambda name, data: cut(data) if name == part else data)
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.key == "readers.xlsx_unreadable"
    assert err.value.location.path == str(path)
    assert "<string>" not in err.value.render()


def test_damaged_workbook_through_the_command_is_one_line(tmp_path):
    from tests.conftest import run_cli

    path = _damaged(
        tmp_path, "trunc", lambda name, data: data[:100] if name == "xl/worksheets/sheet1.xml" else data
    )
    code, _, err = run_cli(["inspect", path])
    assert code == 2 and "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith(f"sopcheck: {path}: cannot read the Excel workbook: ")


def test_time_and_duration_cells_are_shown_as_excel_shows_them(tmp_path):
    from datetime import time

    path = workbook(tmp_path / "log.xlsx", {"Log": [
        ["case_id", "activity", "timestamp", "durasi"],
        ["A", "x", datetime(2026, 11, 25, 8), timedelta(hours=2)],
        ["A", "y", time(8, 0), timedelta(minutes=5)],
    ]})
    source, cases = read(path)
    acc = source.accounting
    assert [(r.row, r.reason) for r in acc.rejected] == [(3, "readers.reject.bad_timestamp")]
    assert "'08:00:00'" in acc.rejected[0].message() and "datetime" not in acc.rejected[0].message()
    assert "datetime" not in acc.rejected[0].raw
    assert (acc.rows_read, acc.accepted) == (2, 1)
    assert cases[0].events[0].attributes["durasi"] == "2:00:00"


def test_a_compression_method_zipfile_does_not_support_is_one_line(tmp_path):
    """zipfile raises NotImplementedError for it: an unreadable workbook, not a traceback."""
    import struct

    import openpyxl

    from checker.messages import t
    from tests.conftest import input_error, run_cli

    book = openpyxl.Workbook()
    book.active.append(["case_id", "activity", "timestamp"])
    book.active.append(["K1", "a", "2025-01-01T08:00:00+07:00"])
    path = tmp_path / "method.xlsx"
    book.save(path)
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):  # local and central headers
        i = data.find(signature)
        while i >= 0:
            data[i + offset : i + offset + 2] = struct.pack("<H", 99)
            i = data.find(signature, i + 4)
    path.write_bytes(bytes(data))
    for lang in ("id", "en"):
        line = input_error(run_cli(["inspect", str(path), "--lang", lang]), str(path))
        assert t("zipfile.method", lang) in line
