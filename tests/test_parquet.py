"""Parquet input: the same events, cases, accounting and audit as the same log in CSV.

Row numbers differ by design: a CSV row is its physical line (the header is line 1), a Parquet
row its 1-based index, so a CSV row r is Parquet row r - 1 when the CSV has one header line.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow", reason="pyarrow is in the `parquet` extra")
pacsv = pytest.importorskip("pyarrow.csv")
pq = pytest.importorskip("pyarrow.parquet")

from checker.api import audit  # noqa: E402
from checker.errors import InputError  # noqa: E402
from checker.readers import open_log  # noqa: E402
from checker.reporters.records import report_records  # noqa: E402
from tests.conftest import counted_peak, run_cli  # noqa: E402
from tests.examples_support import DATA  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
FIXTURE = ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"


def as_parquet(csv_path: Path, out: Path, typed: bool = False, row_group: int = 1000) -> Path:
    """The CSV as Parquet: every column a string (typed=False), or pyarrow's inferred types."""
    if typed:
        options = pacsv.ConvertOptions(strings_can_be_null=False)
    else:
        with open(csv_path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle))
        options = pacsv.ConvertOptions(column_types={name: pa.string() for name in header})
    pq.write_table(pacsv.read_csv(csv_path, convert_options=options), out, row_group_size=row_group)
    return out


def records(log, shift: int = 0) -> dict:
    """The report as records, without the log's path and digest, CSV rows shifted to indexes."""
    data = report_records(audit(SEED, log, as_of="2026-11-25"), "en")
    data["provenance"].pop("log_path")
    data["provenance"].pop("log_sha256")
    if shift:
        text = json.dumps(data)
        data = json.loads(text)
        _shift_rows(data, shift)
    return data


def _shift_rows(node, shift: int) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "row" and isinstance(value, int):
                node[key] = value - shift
            else:
                _shift_rows(value, shift)
    elif isinstance(node, list):
        for item in node:
            _shift_rows(item, shift)


def test_string_parquet_audits_exactly_like_the_csv(tmp_path):
    parquet = as_parquet(FIXTURE, tmp_path / "log.parquet", row_group=7)  # cases span row groups
    assert records(parquet) == records(FIXTURE, shift=1)


def test_typed_parquet_gives_the_same_judgement(tmp_path):
    parquet = as_parquet(FIXTURE, tmp_path / "typed.parquet", typed=True)
    assert pq.read_schema(parquet).field("case:tanggal_surat_masuk").type == pa.date32()
    ours, theirs = records(parquet), records(FIXTURE)

    def verdicts(data):
        return [
            (c["case_id"], c["status"], c["cost"], c["fitness"], [e["activity"] for e in c["events"]])
            for c in data["cases"]
        ]

    assert verdicts(ours) == verdicts(theirs)
    assert [(f["case_id"], f["code"], f["step"]) for f in ours["findings"]] == [
        (f["case_id"], f["code"], f["step"]) for f in theirs["findings"]
    ]


def test_ungrouped_parquet_is_regrouped(tmp_path, monkeypatch):
    from checker.readers import parquet_reader

    monkeypatch.setattr(parquet_reader, "BATCH_ROWS", 5)
    table = pacsv.read_csv(FIXTURE)
    order = list(range(table.num_rows))
    random.Random(8).shuffle(order)
    shuffled = tmp_path / "shuffled.parquet"
    pq.write_table(table.take(order), shuffled)
    source = open_log(shuffled)
    cases = {c.case_id: [e.activity for e in c.events] for c in source.cases()}
    assert source.accounting.grouped is False and source.accounting.spilled
    expected = {c.case_id: [e.activity for e in c.events] for c in open_log(FIXTURE).cases()}
    assert cases == expected
    assert source.accounting.rows_read == table.num_rows


def test_bad_rows_are_rejected_with_their_index(tmp_path):
    table = pa.table(
        {
            "case_id": ["A", "A", None, "B", None],
            "activity": ["x", "y", "z", "x", None],
            "timestamp": ["2025-01-02T08:00:00+07:00", "not a time", "2025-01-02T09:00:00+07:00",
                          "2025-01-03T08:00:00+07:00", None],
        }
    )
    path = tmp_path / "bad.parquet"
    pq.write_table(table, path)
    source = open_log(path)
    cases = list(source.cases())
    acc = source.accounting
    assert [(r.row, r.reason) for r in acc.rejected] == [
        (2, "readers.reject.bad_timestamp"),
        (3, "readers.reject.missing_value"),
    ]
    assert acc.blank_rows == 1  # row 5 has no value at all
    assert acc.rows_read == acc.accepted + len(acc.rejected) == 4
    assert [(c.case_id, [e.row for e in c.events]) for c in cases] == [("A", [1]), ("B", [4])]


def test_typed_timestamps_keep_their_instant(tmp_path):
    from datetime import datetime, timedelta, timezone

    moment = datetime(2025, 3, 4, 1, 30, tzinfo=UTC)
    naive = datetime(2025, 3, 4, 8, 30)
    table = pa.table(
        {
            "case_id": pa.array([1, 1], pa.int64()),
            "activity": ["a", "b"],
            "timestamp": pa.array([moment, moment + timedelta(hours=1)], pa.timestamp("us", tz="UTC")),
            "start_timestamp": pa.array([naive, None], pa.timestamp("us")),
        }
    )
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    (case,) = open_log(path).cases()
    assert case.case_id == "1"
    assert case.events[0].timestamp == moment
    # A naive timestamp is read in the log's zone (default WIB, +07:00).
    assert case.events[0].start == naive.replace(tzinfo=timezone(timedelta(hours=7)))


_text = st.text(alphabet="abcdeXYZ 0123-_/", min_size=1, max_size=8).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["K1", "K2", "K3"]),
            _text,
            st.integers(0, 10**6),
            st.one_of(st.none(), _text),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_parquet_reads_like_csv(tmp_path, rows):
    columns = ["case_id", "activity", "timestamp", "actor"]
    values = [
        [case, activity, _stamp(seconds), actor or ""]
        for case, activity, seconds, actor in rows
    ]
    csv_path = tmp_path / "p.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(values)
    parquet = tmp_path / "p.parquet"
    pq.write_table(pa.table({c: [v[i] for v in values] for i, c in enumerate(columns)}), parquet)

    def read(path, shift):
        source = open_log(path)
        cases = [
            (c.case_id, [(e.activity, e.timestamp, e.actor, e.row - shift) for e in c.events])
            for c in source.cases()
        ]
        acc = source.accounting
        return cases, acc.rows_read, acc.accepted, len(acc.rejected), acc.grouped, len(acc.duplicates)

    assert read(parquet, 0) == read(csv_path, 1)


def _stamp(seconds: int) -> str:
    from datetime import datetime, timedelta

    return (datetime(2025, 1, 1) + timedelta(seconds=seconds)).isoformat() + "+07:00"


@pytest.mark.skipif(not (DATA / "receipt.csv").exists(), reason="../shared/data is not here")
def test_real_log_as_parquet(tmp_path):
    parquet = as_parquet(DATA / "receipt.csv", tmp_path / "receipt.parquet", row_group=4096)
    source = open_log(parquet)
    cases = {c.case_id: [e.activity for e in c.events] for c in source.cases()}
    expected = {c.case_id: [e.activity for e in c.events] for c in open_log(DATA / "receipt.csv").cases()}
    assert cases == expected and len(cases) == 1434
    assert source.accounting.rows_read == 8577


def test_cli_refuses_unusable_parquet_in_one_line(tmp_path):
    fake, empty, nocol, _ = _unusable(tmp_path)
    for path, words in ((fake, "Parquet"), (empty, "no data rows"), (nocol, "timestamp")):
        code, out, err = run_cli(["audit", SEED, path])
        assert code == 2, err
        assert out == "" and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1 and words in err
        assert str(path) in err


def test_log_format_parquet_reads_a_file_named_otherwise(tmp_path):
    export = as_parquet(FIXTURE, tmp_path / "log.parquet").rename(tmp_path / "export.dat")
    code, out, err = run_cli(["inspect", export, "--format", "json"])
    assert code == 2 and "export.dat" in err  # no extension to go by
    code, out, err = run_cli(["inspect", export, "--log-format", "parquet", "--format", "json"])
    assert code == 0, err
    summary = json.loads(out)
    assert summary["cases"] == 44 and summary["rejected"] == 0


def test_without_pyarrow_one_clear_error(monkeypatch, tmp_path):
    parquet = as_parquet(FIXTURE, tmp_path / "log.parquet")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # import fails as if not installed
    with pytest.raises(InputError) as caught:
        open_log(parquet)
    assert caught.value.key == "parquet.needs_pyarrow"
    assert "sopcheck[parquet]" in caught.value.render("id")


def test_reading_holds_one_row_group_at_a_time(tmp_path):
    """A 4x larger file must not need much more memory to read: given every row group at once,
    pyarrow pre-buffers all their column chunks (a 10M-event file took 332 MB to stream)."""
    import os

    def make(rows: int) -> Path:
        path = tmp_path / f"big{rows}.parquet"
        rng = random.Random(rows)
        table = pa.table(
            {
                "case_id": [f"C{i // 8:07d}" for i in range(rows)],
                "activity": [f"step {i % 8}" for i in range(rows)],
                "timestamp": ["2026-11-25T08:00:00+07:00"] * rows,
                "note": [os.urandom(48).hex() if rng.random() < 2 else "" for _ in range(rows)],
            }
        )
        pq.write_table(table, path, row_group_size=2000)
        return path

    peaks = []
    for rows in (60_000, 240_000):
        count, peak = counted_peak("sum(batch.num_rows for batch in source._reader._batches())", make(rows))
        assert count == rows
        peaks.append(peak)  # kilobytes
    # The incompressible column alone is 5.8 MB at 60k rows and 23 MB at 240k.
    assert peaks[1] - peaks[0] < 8 * 1024, peaks


@pytest.mark.parametrize("preset", [None, "mimalloc"])
def test_the_command_reads_with_the_system_allocator_unless_told(preset):
    """mimalloc, pyarrow's default, keeps about 20 MB a process of freed memory; the command's
    processes (and the --jobs workers, who inherit the environment) use the system allocator,
    unless the user chose one."""
    import os
    import subprocess

    code = (
        "from checker.cli import main\n"
        "try:\n    main(['codes'])\nexcept SystemExit:\n    pass\n"
        "import pyarrow, sys\n"
        "sys.stderr.write(pyarrow.default_memory_pool().backend_name)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if preset:
        env["ARROW_DEFAULT_MEMORY_POOL"] = preset
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stderr.strip().endswith(preset or "system")


def test_binary_values_are_text_or_short_hex_never_a_bytes_repr(tmp_path):
    path = tmp_path / "log.parquet"
    pq.write_table(pa.table({
        "case_id": pa.array([b"A", b"A", b"\xff\xfe"], pa.binary()),
        "activity": ["x", "y", "z"],
        "timestamp": pa.array(
            [b"2026-11-25T08:00:00+07:00", b"\xff\xfe", b"2026-11-25T09:00:00+07:00"], pa.large_binary()
        ),
    }), path)
    source = open_log(path)
    cases = list(source.cases())
    acc = source.accounting
    assert [(r.row, r.reason) for r in acc.rejected] == [(2, "readers.reject.bad_timestamp")]
    assert "'0xfffe'" in acc.rejected[0].message() and "b'" not in acc.rejected[0].message()
    assert (acc.rows_read, acc.accepted) == (3, 2)
    assert sorted(c.case_id for c in cases) == ["0xfffe", "A"]


_cell = st.one_of(st.none(), st.sampled_from(["", "  ", "K1", " K2 ", "a;b", "x | y", "Bupati"]))
_stamp_text = st.one_of(
    st.none(),
    st.sampled_from([
        "", "2025-01-20", " 2025-01-20 ", "2025-01-20T08", "2025-01-20 08:40 ", "20250120T0840",
        "2025-01-20T08:40Z", "2025-01-20 08:40 WITA", "1899-12-30T00:00", "not a time",
    ]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(_cell, _cell, _stamp_text, _cell, _cell, st.one_of(st.none(), st.dates()), _stamp_text),
        min_size=1,
        max_size=12,
    )
)
def test_text_columns_take_the_text_path_with_the_typed_paths_result(tmp_path, rows):
    """A file whose fields are all text columns is read on the CSV reader's faster path, its
    nulls given as ""; what it yields (events, rejections with the row as stored) is what the
    typed path, which the Dask engine uses, makes of the same cells; a date column stays a date."""
    from checker.readers.build import ListBuilder
    from checker.readers.options import ReadOptions
    from checker.readers.parquet_reader import ParquetReader

    names = ["case_id", "activity", "timestamp", "actor", "documents", "case:tanggal", "start_timestamp"]
    table = pa.table(
        {name: pa.array([r[i] for r in rows], pa.date32() if name == "case:tanggal" else pa.string())
         for i, name in enumerate(names)}
    )
    path = tmp_path / "mixed.parquet"
    pq.write_table(table, path)
    reader = ParquetReader(str(path), ReadOptions(), UTC)
    assert reader.builder.typed is False
    fast = list(reader.items())
    reader.builder = ListBuilder(reader.columns, reader.plan, UTC, None, typed=True)
    assert fast == list(reader.items())
    for item, row in zip(fast, rows, strict=True):
        if hasattr(item, "case_attributes") and row[5] is not None:
            assert item.case_attributes == {"tanggal": row[5]}
        if hasattr(item, "raw"):
            assert json.loads(item.raw)["case_id"] == row[0]  # a null shown as null, not ""


_ids = st.one_of(st.none(), st.sampled_from(["", " ", "A", " A", "A ", "B", "b", "C", "10"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ids=st.lists(_ids, min_size=1, max_size=60),
    kind=st.sampled_from(["string", "dictionary", "large_string", "binary"]),
    row_group=st.integers(1, 9),
    scan=st.integers(1, 7),
)
def test_the_prescan_reads_case_starts_as_the_rows_would(tmp_path_factory, monkeypatch, ids, kind,
                                                         row_group, scan):
    """The pre-scan compares each row's stored case id with the row before's and reads only the
    rows where it changes: the verdict, the rows counted and the cut candidates are those of
    reading every row's id (a missing, blank or padded id as the builder reads it), whatever the
    row groups and the scan's batches."""
    from checker.readers import parquet_reader
    from checker.readers.build import text
    from checker.readers.grouping import is_grouped
    from checker.readers.share import CutFinder

    column = pa.array(ids, pa.string())
    if kind == "dictionary":
        column = column.dictionary_encode()
    elif kind != "string":
        column = column.cast(getattr(pa, kind)())
    path = tmp_path_factory.mktemp("scan") / "log.parquet"
    n = len(ids)
    table = pa.table({"case_id": column, "activity": ["x"] * n, "timestamp": ["2024-01-02T10:00:00"] * n})
    pq.write_table(table, path, row_group_size=row_group)
    monkeypatch.setattr(parquet_reader, "SCAN_ROWS", scan)
    monkeypatch.setattr(parquet_reader, "BATCH_ROWS", scan)
    try:
        reader = open_log(path)._reader
    except InputError as err:
        assert err.key == "readers.header_only"
        return
    keys = [text(v) for v in ids]
    expected = CutFinder()
    grouped = is_grouped(list(expected.watch((key, i) for i, key in enumerate(keys))))
    assert (reader.grouped, reader.cuts.rows, reader.cuts.cuts) == (grouped, expected.rows, expected.cuts)


def _unusable(tmp_path: Path) -> list[Path]:
    """Parquet files no reader can use: not Parquet, no rows, a required column missing, a
    column named twice."""
    fake = tmp_path / "fake.parquet"
    fake.write_text("case_id,activity\n", encoding="utf-8")
    empty = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"case_id": pa.array([], pa.string()), "activity": pa.array([], pa.string()),
                             "timestamp": pa.array([], pa.string())}), empty)
    nocol = tmp_path / "nocol.parquet"
    pq.write_table(pa.table({"case_id": ["A"], "what": ["x"]}), nocol)
    twice = tmp_path / "twice.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array(["A"])] * 3, names=["case_id", "activity", " case_id"]),
                   twice)
    return [fake, empty, nocol, twice]


def _facts(footer) -> tuple:
    return footer.names, footer.text, footer.rows, footer.grouped, footer.cuts.rows, footer.cuts.cuts


def test_a_parquet_file_opened_elsewhere_reads_as_one_opened_here(tmp_path, monkeypatch):
    """open_log(elsewhere=True) opens and pre-scans a Parquet file in a process of its own: the
    reader it gives has the columns, kinds, rows, verdict and cut candidates of one opened here,
    reads the same cases, and raises the same one-line error for a file it cannot use."""
    from checker.readers import parquet_reader

    monkeypatch.setattr(parquet_reader, "ELSEWHERE_BYTES", 0)
    typed = as_parquet(FIXTURE, tmp_path / "typed.parquet", typed=True, row_group=7)
    shuffled = tmp_path / "shuffled.parquet"
    table = pq.read_table(typed)
    order = sorted(range(table.num_rows), key=lambda i: (i % 2, i))  # each case cut in two
    pq.write_table(table.take(order), shuffled, row_group_size=5)
    for path in (typed, shuffled):
        here, there = open_log(path), open_log(path, elsewhere=True)
        assert there.reader._opened is None  # not opened in this process
        for found in (here.reader.footer(), there.reader.footer()):
            assert found.rows == table.num_rows  # every row counted
        assert _facts(here.reader.footer()) == _facts(there.reader.footer())
        assert here.reader.columns == there.reader.columns == tuple(table.column_names)
        assert here.reader.builder.typed == there.reader.builder.typed
        assert list(here.cases()) == list(there.cases())
    assert open_log(typed).reader.grouped and not open_log(shuffled, elsewhere=True).reader.grouped
    for path in _unusable(tmp_path):
        with pytest.raises(InputError) as here:
            open_log(path)
        with pytest.raises(InputError) as there:
            open_log(path, elsewhere=True)
        assert (there.value.key, there.value.location, there.value.args_) == (
            here.value.key, here.value.location, here.value.args_)


def test_the_main_process_of_a_parquet_audit_with_workers_never_imports_pyarrow(tmp_path):
    """With --jobs 2 the workers read a Parquet file: the main process only hands it to them
    (its schema and pre-scan read by a process of its own), so it holds no pyarrow (36 MB and
    more); the report is the one of an audit in one process."""
    import subprocess

    log = as_parquet(FIXTURE, tmp_path / "log.parquet", row_group=50)
    script = tmp_path / "main.py"
    script.write_text(
        "import sys\n"
        "from checker.conformance import runner\n"
        "from checker.readers import parquet_reader\n"
        "from checker.cli import main\n"
        "if __name__ == '__main__':\n"
        "    runner.SMALL = parquet_reader.ELSEWHERE_BYTES = 0\n"
        "    try:\n"
        "        main(sys.argv[1:])\n"
        "    finally:\n"
        "        print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyarrow', 'pandas')))\n",
        encoding="utf-8",
    )
    reports = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.json"
        done = subprocess.run(
            [sys.executable, str(script), "audit", str(SEED), str(log), "--as-of", "2026-11-25",
             "--format", "json", "-o", str(out), "--jobs", jobs],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
            env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
        )
        assert done.returncode == 1, done.stderr  # findings
        reports.append(out.read_bytes())
        modules = done.stdout.strip().splitlines()[-1]
        assert (modules == "[]") == (jobs == "2"), modules
    assert reports[0] == reports[1]
