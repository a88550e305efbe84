"""Logs from Python: an iterable of dicts, a pandas DataFrame (pandas optional)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.readers import ReadOptions, from_dataframe, from_records, open_log

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "logs"
RECORDS = [
    {"case_id": "A", "activity": "Terima", "timestamp": "2026-11-25T08:00:00+07:00", "actor": "Sri"},
    {"case_id": "B", "activity": "Terima", "timestamp": datetime(2026, 11, 25, 9, 0), "actor": "Budi"},
    {"case_id": "A", "activity": "Disposisi", "timestamp": date(2026, 11, 26), "case:deadline": "2026-12-01"},
    {"case_id": "A", "activity": "Arsip"},
    "not a record",
]


def test_records_list():
    source = from_records(RECORDS, ReadOptions(timezone="WITA"))
    cases = list(source.cases())
    acc = source.accounting
    assert [(r.row, r.reason) for r in acc.rejected] == [
        (4, "readers.reject.missing_value"),
        (5, "readers.reject.not_object"),
    ]
    assert not acc.grouped and acc.spilled and acc.balanced
    a, b = cases
    assert [e.row for e in a.events] == [1, 3]
    assert a.events[1].date_only and a.attributes == {"deadline": "2026-12-01"}
    assert b.events[0].timestamp.utcoffset() == timedelta(hours=8)  # naive: the declared zone
    assert source.path is None and source.sha256 is None
    assert len(list(source.cases())) == 2  # a list can be read again


def test_records_generator_is_read_once():
    source = from_records(r for r in RECORDS[:3])
    assert len(list(source.cases())) == 2
    assert "readers.note.spilled_one_pass" in [n.key for n in source.accounting.notes]
    with pytest.raises(RuntimeError):
        list(source.cases())


def test_no_records():
    with pytest.raises(InputError) as err:
        from_records([])
    assert err.value.key == "readers.no_records"


def test_dataframe_matches_the_csv():
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(FIXTURES / "surat-masuk.csv", dtype=str)
    from_frame = list(from_dataframe(frame).cases())
    from_csv = list(open_log(FIXTURES / "surat-masuk.csv").cases())

    def shape(cases):
        return [
            (
                c.case_id,
                dict(c.attributes),
                c.documents,
                [(e.activity, e.timestamp, e.actor, e.documents) for e in c.events],
            )
            for c in cases
        ]

    assert shape(from_frame) == shape(from_csv)


def test_dataframe_with_typed_columns():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "case:concept:name": [1, 1, 2],
            "concept:name": ["x", "y", None],
            "time:timestamp": pd.to_datetime(
                ["2026-11-25 08:00", "2026-11-25 09:00", "2026-11-25 10:00"]
            ).tz_localize("Asia/Jakarta"),
            "cost": [1.5, float("nan"), 3.0],
        }
    )
    source = from_dataframe(frame)
    cases = list(source.cases())
    assert [c.case_id for c in cases] == ["1"]
    first = cases[0].events[0]
    assert type(first.timestamp) is datetime
    assert first.timestamp.utcoffset() == timedelta(hours=7)
    assert first.attributes == {"cost": 1.5} and cases[0].events[1].attributes == {}
    assert [(r.row, r.args["field"]) for r in source.accounting.rejected] == [(3, "activity")]
    naive = pd.DataFrame(
        {"case_id": ["A"], "activity": ["x"], "timestamp": pd.to_datetime(["2026-11-25 08:00"])}
    )
    (case,) = from_dataframe(naive, ReadOptions(timezone="+09:00")).cases()
    assert case.events[0].timestamp.tzinfo == timezone(timedelta(hours=9))


def test_readers_do_not_import_pandas():
    code = (
        "import sys\n"
        "from checker.readers import open_log\n"
        f"list(open_log({str(FIXTURES / 'surat-masuk.csv')!r}).cases())\n"
        "import checker.readers.frame_reader\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
