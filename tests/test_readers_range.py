"""Timestamps outside the supported years (1900 to 2199): a counted rejected row with its reason in
every reader path, never an audit that crashes on it; --as-of outside them is one line, exit 2."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from checker.messages import t
from checker.readers import ReadOptions, from_records, open_log
from checker.readers.timeparse import FIRST_YEAR, LAST_YEAR
from tests.conftest import input_error, run_cli

REPO = Path(__file__).resolve().parents[1]
MAGETAN = REPO / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
REV2 = REPO / "rules" / "magetan" / "penawaran-kerja-sama.rev2.yaml"
KEY = "readers.reject.timestamp_out_of_range"
HEADER = "case_id,activity,timestamp,actor\n"
GOOD = "C1,Menerima Surat Penawaran,2026-03-02T10:00:00+07:00,Bupati\n"
# Sentinels seen in exports: "no end", Excel's zero date, .NET's DateTime.MinValue; and the
# offsets that pushed the audit's calendar past Python's first and last dates.
OUTSIDE = [
    "9999-12-31",
    "9999-12-31T23:59:59",
    "9999-12-31T23:00:00-12:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01",
    "1899-12-30",
    "2200-01-01T00:00:00",
]


one_line = input_error


def csv_log(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "one.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def rejected(source) -> list[tuple[int, str, str]]:
    list(source.cases())
    acc = source.accounting
    assert acc.rows_read == acc.accepted + len(acc.rejected)
    return [(r.row, r.reason, r.args["field"]) for r in acc.rejected]


@pytest.mark.parametrize("stamp", OUTSIDE)
def test_csv_row_outside_the_years_is_rejected_and_the_audit_runs(tmp_path: Path, stamp: str) -> None:
    log = csv_log(tmp_path, GOOD, f"C2,Menerima Surat Penawaran,{stamp},Bupati\n")
    code, out, err = run_cli(["inspect", log, "--format", "json"])
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["rows_read"], summary["accepted"], summary["rejected"]) == (2, 1, 1)
    (row,) = summary["rejected_rows"]
    assert (row["row"], row["reason"]) == (3, KEY)
    assert stamp in row["message"] and "1900" in row["message"] and "2199" in row["message"]

    code, out, err = run_cli(["audit", MAGETAN, log, "--format", "json"])
    assert "Traceback" not in err and code in (0, 1), err
    rows = json.loads(out)["rows"]
    assert (rows["read"], rows["accepted"], rows["rejected"]) == (2, 1, 1)


@pytest.mark.parametrize("stamp", ["9999-12-31", "0001-01-01T00:00:00+14:00"])
def test_a_one_row_log_outside_the_years_audits_and_diffs_without_a_traceback(
    tmp_path: Path, stamp: str
) -> None:
    log = csv_log(tmp_path, f"C1,Menerima Surat Penawaran,{stamp},Bupati\n")
    for args in (["audit", MAGETAN, log], ["diff", MAGETAN, REV2, "--log", log]):
        code, out, err = run_cli(args)
        assert (code, err) == (0, ""), (args, out, err)
    assert "1 read, 0 accepted, 1 rejected" in run_cli(["audit", MAGETAN, log]).stdout


@pytest.mark.parametrize("stamp", ["1900-01-01", "1900-01-01T00:00:00+14:00", "2199-12-31T23:59:59-12:00"])
def test_the_ends_of_the_range_are_accepted_and_audited(tmp_path: Path, stamp: str) -> None:
    log = csv_log(tmp_path, f"C1,Menerima Surat Penawaran,{stamp},Bupati\n")
    assert rejected(open_log(str(log))) == []
    code, _, err = run_cli(["audit", MAGETAN, log])
    assert code == 1 and "Traceback" not in err, err


def test_start_timestamp_and_date_format_paths(tmp_path: Path) -> None:
    log = csv_log(
        tmp_path,
        "C1,A,2026-03-02T10:00:00,x,9999-12-31\n",
        "C1,B,31/12/9999 10:00,x,\n",
        "C1,C,02/03/2026 10:00,x,2026-03-02\n",
        header="case_id,activity,timestamp,actor,start_timestamp\n",
    )
    source = open_log(str(log), ReadOptions(date_format="%d/%m/%Y %H:%M"))
    assert rejected(source) == [(2, KEY, "start_timestamp"), (3, KEY, "timestamp")]


def test_jsonl_and_records(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    lines = [
        {"case_id": "C1", "activity": "A", "timestamp": "9999-12-31T00:00:00"},
        {"case_id": "C1", "activity": "B", "timestamp": "2026-03-02", "start_timestamp": "0001-01-01"},
        {"case_id": "C1", "activity": "C", "timestamp": "2026-03-02"},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    assert rejected(open_log(str(path))) == [(1, KEY, "timestamp"), (2, KEY, "start_timestamp")]

    records = [
        {"case_id": "C1", "activity": "A", "timestamp": datetime(9999, 12, 31, tzinfo=UTC)},
        {"case_id": "C1", "activity": "B", "timestamp": datetime(2026, 3, 2, tzinfo=UTC)},
    ]
    source = from_records(records, ReadOptions())
    assert [(reason, field) for _, reason, field in rejected(source)] == [(KEY, "timestamp")]


def test_xes_typed_dates(tmp_path: Path) -> None:
    def event(activity: str, stamp: str) -> str:
        return (
            f'<event><string key="concept:name" value="{activity}"/>'
            f'<date key="time:timestamp" value="{stamp}"/></event>'
        )

    path = tmp_path / "log.xes"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<log xmlns="http://www.xes-standard.org/">\n'
        '<trace><string key="concept:name" value="C1"/>\n'
        + event("A", "9999-12-31T23:00:00-12:00") + "\n"
        + event("B", "2026-03-02T10:00:00+07:00") + "\n"
        + "</trace>\n</log>\n",
        encoding="utf-8",
    )
    assert [(reason, field) for _, reason, field in rejected(open_log(str(path)))] == [(KEY, "timestamp")]


def test_excel_dates(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["case_id", "activity", "timestamp"])
    sheet.append(["C1", "A", datetime(2200, 1, 1)])
    sheet.append(["C1", "B", datetime(9999, 12, 31)])
    sheet.append(["C1", "C", datetime(2026, 3, 2, 10)])
    path = tmp_path / "log.xlsx"
    book.save(path)
    source = open_log(str(path))
    assert rejected(source) == [(2, KEY, "timestamp"), (3, KEY, "timestamp")]
    # A typed cell is shown as a date, not as Python's repr.
    assert "'9999-12-31T00:00:00'" in source.accounting.rejected[1].message("en")


def test_the_reason_is_in_both_languages() -> None:
    args = {"field": "timestamp", "column": "Waktu", "value": "9999-12-31", "first": FIRST_YEAR,
            "last": LAST_YEAR}
    english, indonesian = t(KEY, "en", **args), t(KEY, "id", **args)
    assert "outside the supported years 1900 to 2199" in english
    assert "di luar tahun yang didukung, 1900 sampai 2199" in indonesian


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31", "9999-12-31T23:00:00-12:00", "1899-12-31"])
def test_as_of_outside_the_years_is_one_line_exit_2(tmp_path: Path, as_of: str) -> None:
    log = csv_log(tmp_path, GOOD)
    line = one_line(run_cli(["audit", MAGETAN, log, "--as-of", as_of]))
    assert f"--as-of '{as_of}' is outside the supported years 1900 to 2199" in line
    one_line(run_cli(["diff", MAGETAN, REV2, "--log", log, "--as-of", as_of]))
    line = one_line(run_cli(["audit", MAGETAN, log, "--as-of", as_of, "--lang", "id"]))
    assert "di luar tahun yang didukung" in line
