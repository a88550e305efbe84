"""The columnar engine on Parquet files (chunks.Frames), against the case-by-case engine, report
for report, as tests/test_columnar.py does for CSV: each test writes a log as Parquet (text
columns, the start date typed as a date, as pyarrow types a column of dates), audits it both
ways and compares the exit statuses, the standard error and the reports' bytes, and checks that
the columnar engine really audited it (or stepped aside where it must)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow", reason="the columnar engine needs pyarrow (the parquet extra)")
pq = pytest.importorskip("pyarrow.parquet")

from checker.columnar import chunks  # noqa: E402
from checker.columnar.columns import Columns  # noqa: E402
from tests import test_columnar  # noqa: E402
from tests.test_columnar import EDITS, MAGETAN, START, Log, audit_both, audit_both_jobs  # noqa: E402

logs = test_columnar.logs  # the generated logs' fixture, one per module

# CSV edits of a line's fields (a row of another width, a blank line): no Parquet row is so.
NOT_ROWS = {"blank line in a case", "too many fields", "too few fields", "trailing delimiter"}


def to_parquet(log: Log, path: Path, *, group: int = 64, text: object = None, dates: object = None,
               nulls: dict[str, set[int]] | None = None, extra: dict[str, object] | None = None,
               lenient: bool = False) -> Path:
    """The log's rows as a Parquet file in row groups of `group` rows: every column text
    (`text`, pa.string() by default), but the start date, typed (`dates`, pa.date32() by default)
    where each of its cells is a date or empty (null), or with `lenient` a null where it is not
    a date; `nulls`: column -> rows (0-based) whose cell is null; `extra`: more columns (name ->
    a pyarrow array)."""
    rows = [row for rows in log.cases for row in rows]
    assert all(len(row) == len(log.header) for row in rows), "a row of another width"
    columns = {}
    for i, name in enumerate(log.header):
        cells: list = [row[i] for row in rows]
        for r in (nulls or {}).get(name, ()):
            cells[r] = None
        array = pa.array(cells, text or pa.string())
        if name == START:
            try:
                read = [_date(c, lenient) for c in cells]
                array = pa.array(read, dates or pa.date32())
            except (TypeError, ValueError):
                pass  # a start that is not a date (an edit): it stays text
        columns[name] = array
    columns.update(extra or {})
    pq.write_table(pa.table(columns), path, row_group_size=group)
    return path


def _date(cell: str | None, lenient: bool) -> date | None:
    if not cell:
        return None
    try:
        return date.fromisoformat(cell)
    except ValueError:
        if lenient:
            return None
        raise


def _typed_start(path: Path) -> bool:
    kind = pq.ParquetFile(path).schema_arrow.field(START).type
    return pa.types.is_date(kind)


@pytest.mark.parametrize("frame", [None, 300])
@pytest.mark.parametrize(("rate", "seed"), [(0.0, 31), (0.1, 32), (0.5, 33)])
def test_generated_logs_as_parquet(logs, tmp_path: Path, rate: float, seed: int, frame: int | None) -> None:
    log = to_parquet(Log.read(logs(cases=200, rate=rate, seed=seed)), tmp_path / "log.parquet", lenient=True)
    assert _typed_start(log)
    outcome = audit_both(MAGETAN, log, tmp_path, frame=frame)
    assert outcome.ran and outcome.fast > 0


@pytest.fixture(scope="module")
def base(logs) -> Path:
    return logs(cases=30, rate=0.0, seed=21)


@pytest.mark.parametrize("frame", [None, 50])
@pytest.mark.parametrize("name", sorted(set(EDITS) - NOT_ROWS))
def test_edge_case_as_parquet(base: Path, tmp_path: Path, name: str, frame: int | None) -> None:
    """Each edit of tests/test_columnar.py that a Parquet row can hold (an empty row is a
    blank one), early, in the middle and at the end of the log."""
    edit, chunk_wide = EDITS[name]
    log = Log.read(base)
    for k in (1, len(log.compliant) // 2, -1):
        edit(log, log.copy(log.donor(k)))
    outcome = audit_both(MAGETAN, to_parquet(log, tmp_path / "log.parquet"), tmp_path, frame=frame,
                         rejects=True)
    assert outcome.ran
    if frame is not None or not chunk_wide:
        assert outcome.fast > 0


@pytest.mark.parametrize(("text", "dates"), [(pa.large_string(), None), (None, pa.date64())])
def test_other_text_and_date_types(logs, tmp_path: Path, text, dates) -> None:
    log = to_parquet(Log.read(logs(cases=120, rate=0.1, seed=34)), tmp_path / "log.parquet",
                     text=text, dates=dates)
    outcome = audit_both(MAGETAN, log, tmp_path, frame=200)
    assert outcome.ran and outcome.fast > 0


def test_null_cells(logs, tmp_path: Path) -> None:
    """Nulls (what a text column's empty cells are in many exports) in the actor, documents,
    an attribute, the start date, the case id and the activity: read as the reader reads them
    (an empty cell)."""
    log = Log.read(logs(cases=120, rate=0.1, seed=35))
    size = sum(map(len, log.cases))
    spread = {name: set(range(k, size, 37)) for k, name in enumerate(
        ["actor", "documents", "case:status", START, "activity"], start=3)}
    spread["case_id"] = {5}  # (a frame with a row without a case id is read one by one)
    path = to_parquet(log, tmp_path / "log.parquet", nulls=spread)
    outcome = audit_both(MAGETAN, path, tmp_path, frame=100, rejects=True)
    assert outcome.ran and outcome.fast > 0


def test_typed_event_attributes_stay_typed_in_the_cases_built_from_the_columns(
    logs, tmp_path: Path, monkeypatch
) -> None:
    """Event attributes of numbers, dates and booleans (none judged) leave the engine the file;
    the cases it builds for the usual engine from the columns (Columns.raw_events) hold them as
    the reader does (a number, a date), nulls left out."""
    log = Log.read(logs(cases=150, rate=0.5, seed=36))
    size = sum(map(len, log.cases))
    extra = {
        "cost": pa.array([None if i % 5 == 0 else i * 1.5 for i in range(size)], pa.float64()),
        "copies": pa.array([i % 3 for i in range(size)], pa.int16()),
        "urgent": pa.array([i % 2 == 0 for i in range(size)], pa.bool_()),
        "due": pa.array([date(2025, 3, 1) + timedelta(days=i % 40) for i in range(size)], pa.date32()),
    }
    built = []
    raw_events = Columns.raw_events

    def watched(self, cases, case_ids):
        out = raw_events(self, cases, case_ids)
        built.extend(raw for _, raws in out for raw in raws)
        return out

    monkeypatch.setattr(Columns, "raw_events", watched)
    path = to_parquet(log, tmp_path / "log.parquet", extra=extra)
    outcome = audit_both(MAGETAN, path, tmp_path, frame=256)
    assert outcome.ran and outcome.fast > 0
    assert built, "no case was built from the columns"
    costs = [raw.attributes.get("cost") for raw in built]
    assert any(isinstance(c, float) for c in costs) and None in costs
    assert all(type(raw.attributes["due"]) is date for raw in built)
    assert {raw.attributes["urgent"] for raw in built} == {True, False}


@pytest.mark.parametrize("kind", ["timestamp", "dictionary", "binary"])
def test_a_column_of_another_type_declines_the_file(logs, tmp_path: Path, kind: str) -> None:
    """Columns whose cells might not convert (times, dictionaries, bytes: the engine leaves the
    cells of the rows it renders unconverted) send the file the usual way."""
    log = Log.read(logs(cases=60, rate=0.1, seed=42))
    size = sum(map(len, log.cases))
    when = datetime(2025, 3, 1, 8, tzinfo=timezone(timedelta(hours=7)))
    column = {
        "timestamp": pa.array([when + timedelta(minutes=i) for i in range(size)], pa.timestamp("s", "UTC")),
        "dictionary": pa.array([f"v{i % 4}" for i in range(size)]).dictionary_encode(),
        "binary": pa.array([b"x"] * size, pa.binary()),
    }[kind]
    path = to_parquet(log, tmp_path / "log.parquet", extra={"note": column})
    outcome = audit_both(MAGETAN, path, tmp_path)
    assert not outcome.ran


# Stored day numbers no Python date has: the year 12921, and two that pyarrow's year function
# wraps round to 1000 and to 1.
OUT_OF_RANGE = [4_000_000, -2_130_705_481, -2_131_070_434]


@pytest.mark.parametrize("column", ["due", START])
@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_a_date_no_python_date_holds_is_one_clear_error_both_ways(logs, tmp_path: Path, day: int,
                                                                  column: str) -> None:
    """A date pyarrow cannot make a Python date of, in an event attribute or the start date: the
    usual reader's error (it was a traceback), row and column named, and the engine's, the same
    (it does not write the date's text into a report)."""
    log = Log.read(logs(cases=60, rate=0.1, seed=43))
    size = sum(map(len, log.cases))
    days = [20_000 + i % 30 for i in range(size)]
    days[300] = day
    dates = pa.array(days, pa.int32()).view(pa.date32())
    path = to_parquet(log, tmp_path / "log.parquet", extra={column: dates})
    assert pq.ParquetFile(path).schema_arrow.names.count(column) == 1
    outcome = audit_both(MAGETAN, path, tmp_path, frame=128)
    assert outcome.ran and outcome.columnar.status == 2
    assert outcome.columnar.stderr.count("\n") == 1 and "Traceback" not in outcome.columnar.stderr
    assert f"{path}:301:" in outcome.columnar.stderr and f"'{column}'" in outcome.columnar.stderr


def test_frames_end_where_the_readers_batches_end() -> None:
    """chunks.FRAME_ROWS is a multiple of the reader's batch (see Frame.rows)."""
    from checker.readers import parquet_reader

    assert chunks.FRAME_ROWS % parquet_reader.BATCH_ROWS == 0


@pytest.mark.parametrize("kind", ["number", "tested date"])
def test_a_typed_case_column_the_engine_cannot_read_declines_the_file(logs, tmp_path: Path,
                                                                      kind: str) -> None:
    """A case attribute of numbers (the report writes a number) or a typed date a condition of
    the SOP reads (MAGETAN's branches read jenis_kerja_sama): the usual engine audits the file."""
    log = Log.read(logs(cases=60, rate=0.1, seed=37))
    size = sum(map(len, log.cases))
    if kind == "number":
        path = to_parquet(log, tmp_path / "log.parquet",
                          extra={"case:priority": pa.array([k // 7 for k in range(size)], pa.int64())})
    else:
        column = log.col("case:jenis_kerja_sama")
        path = to_parquet(log, tmp_path / "log.parquet")
        table = pq.read_table(path)
        dates = pa.array([date(2025, 1, 1 + len(row[column]) % 20) for rows in log.cases for row in rows])
        table = table.set_column(column, "case:jenis_kerja_sama", dates)
        pq.write_table(table, path, row_group_size=64)
    outcome = audit_both(MAGETAN, path, tmp_path)
    assert not outcome.ran


def _with_bytes(path: Path, log: Log, cells: dict[str, dict[int, bytes]], group: int) -> Path:
    """The file with the given cells (column -> 0-based row -> bytes) stored unchecked."""
    table = pq.read_table(path)
    for name, edits in cells.items():
        column = log.col(name)
        values = [c.encode() for c in table.column(column).to_pylist()]
        for row, value in edits.items():
            values[row] = value
        table = table.set_column(column, name, pa.array(values, pa.binary()).view(pa.string()))
    pq.write_table(table, path, row_group_size=group)
    return path


def test_a_text_cell_that_is_not_utf8_stops_both_engines_alike(logs, tmp_path: Path) -> None:
    log = Log.read(logs(cases=60, rate=0.1, seed=38))
    path = _with_bytes(to_parquet(log, tmp_path / "log.parquet"), log,
                       {"actor": {250: b"Sekretariat \xff"}}, group=64)
    outcome = audit_both(MAGETAN, path, tmp_path, frame=100)
    assert outcome.ran and outcome.columnar.status == 2
    assert f"{path}:251:" in outcome.columnar.stderr and "0xff" in outcome.columnar.stderr


def test_the_first_bad_cell_is_the_readers_first(logs, tmp_path: Path, monkeypatch) -> None:
    """Two cells that are not UTF-8 in one frame: a bad actor in an earlier batch of the reader's
    and a bad activity (a column before the actor's) in a later one. The reader names the
    actor (its first batch with one); so must the engine, which converts a frame it cannot take
    a batch of the reader's at a time."""
    from checker.readers import parquet_reader

    monkeypatch.setattr(parquet_reader, "BATCH_ROWS", 64)
    log = Log.read(logs(cases=60, rate=0.1, seed=44))
    path = _with_bytes(to_parquet(log, tmp_path / "log.parquet", group=500), log,
                       {"actor": {69: b"Sekretariat \xff"}, "activity": {149: b"disposisi \xfe"}}, group=500)
    outcome = audit_both(MAGETAN, path, tmp_path, frame=192)  # (three batches of the reader's)
    assert outcome.ran and outcome.columnar.status == 2
    assert f"{path}:70:" in outcome.columnar.stderr and "'actor'" in outcome.columnar.stderr


def test_a_case_of_many_frames_is_read_in_time_linear_in_its_length(logs, tmp_path: Path,
                                                                    monkeypatch) -> None:
    """A rework loop of 3,000 events among ordinary cases: the same report, and its rows are not
    converted again with each frame read (the rows made columns stay within a few times the
    file's)."""
    log = Log.read(logs(cases=60, rate=0.1, seed=39))
    first = log.cases[0][0]
    steps = [row[1] for row in log.cases[0]]
    start = datetime(2025, 1, 20, 8, tzinfo=timezone(timedelta(hours=7)))
    loop = []
    for k in range(3000):
        row = list(first)
        row[0], row[1], row[2] = "LOOP-1", steps[k % len(steps)], (start + timedelta(minutes=k)).isoformat()
        loop.append(row)
    log.cases.insert(len(log.cases) // 2, loop)
    path = to_parquet(log, tmp_path / "log.parquet", group=500)
    converted: list[int] = []
    columns = chunks.Frame.columns

    def counted(self, width):
        converted.append(self.count)
        return columns(self, width)

    monkeypatch.setattr(chunks.Frame, "columns", counted)
    outcome = audit_both(MAGETAN, path, tmp_path, frame=256)
    assert outcome.ran and outcome.fast > 0
    rows = sum(map(len, log.cases))
    assert sum(converted) < 4 * rows, (sum(converted), rows)


@pytest.mark.parametrize("frame", [None, 200])
def test_parquet_in_worker_shares(logs, tmp_path: Path, frame: int | None) -> None:
    """--jobs 2: each worker reads its span of rows (ParquetReader.spans) with the engine."""
    log = to_parquet(Log.read(logs(cases=400, rate=0.1, seed=40)), tmp_path / "log.parquet", group=100)
    outcome = audit_both_jobs(MAGETAN, log, tmp_path, jobs=2, small=0, frame=frame)
    assert outcome.in_workers and outcome.fast > 0


def test_a_parquet_file_is_small_by_its_rows_not_its_bytes(logs, tmp_path: Path, monkeypatch) -> None:
    """runner._small: a Parquet file's bytes are a few times fewer than its rows' as CSV, so it
    is measured by its rows (ROW_BYTES each): a file of 1,000 rows is small under a SMALL of
    1,001 rows' worth, and not under 999 rows' worth, whatever its bytes."""
    from checker.conformance import runner
    from checker.readers import open_log

    log = Log.read(logs(cases=200, rate=0.1, seed=41))
    rows = sum(map(len, log.cases))
    kept, count = [], 0
    for case in log.cases:  # whole cases, 1,000 rows in all (the last one cut)
        kept.append(case[: 1000 - count])
        count += len(kept[-1])
        if count == 1000:
            break
    log.cases = kept
    path = to_parquet(log, tmp_path / "log.parquet", group=100)
    assert rows >= 1000 and path.stat().st_size < 1000 * runner.ROW_BYTES
    source = open_log(path)
    monkeypatch.setattr(runner, "SMALL", 1001 * runner.ROW_BYTES)
    assert runner._small(source)
    monkeypatch.setattr(runner, "SMALL", 999 * runner.ROW_BYTES)
    assert not runner._small(source)
