"""The Dask engine gives the local engine's report: a local distributed cluster of two worker
processes over loopback, the same SOP and log, and report_records compared whole."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

pytest.importorskip("dask.dataframe", reason="dask is in the `dask` extra")
distributed_lib = pytest.importorskip("distributed", reason="dask is in the `dask` extra")

from checker import distributed  # noqa: E402
from checker.api import audit  # noqa: E402
from checker.errors import InputError  # noqa: E402
from checker.reporters.records import report_records  # noqa: E402
from tests.conftest import run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
FIXTURE = ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"


@pytest.fixture(scope="module")
def cluster():
    with distributed_lib.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local.scheduler_address


def both(log: Path, address: str, **options) -> tuple[dict, dict]:
    local = report_records(audit(SEED, log, **options), "en")
    dask = report_records(distributed.audit(SEED, log, scheduler=address, blocksize=4096, **options), "en")
    return local, dask


def messy_log(tmp_path: Path) -> Path:
    """The fixture's rows shuffled (not grouped by case), with rows to reject, an exact
    duplicate, a lifecycle start/complete pair and blank-valued cells."""
    with open(FIXTURE, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    rows = [r + ["complete"] for r in rows]
    random.Random(8).shuffle(rows)
    first = list(rows[0])
    rows.insert(5, list(first))  # an exact duplicate
    start = list(rows[10])
    start[-1] = "start"
    rows.insert(3, start)  # a start paired with its complete
    bad_time = list(rows[20])
    bad_time[2] = "31/31/2025"
    rows.insert(20, bad_time)
    no_case = list(rows[30])
    no_case[0] = ""
    rows.insert(30, no_case)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header + ["lifecycle:transition"])
    writer.writerows(rows)
    path = tmp_path / "messy.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_fixture_log_same_report(cluster):
    local, dask = both(FIXTURE, cluster)
    assert local["summary"]["cases"] == 44
    assert dask == local


def test_fixed_audit_date_same_report(cluster):
    local, dask = both(FIXTURE, cluster, as_of="2025-03-01")
    assert local["provenance"]["as_of"].startswith("2025-03-01")
    assert dask == local


def test_ungrouped_log_with_bad_rows_same_report(cluster, tmp_path):
    log = messy_log(tmp_path)
    local, dask = both(log, cluster)
    assert local["rows"]["rejected"] == 2 and local["rows"]["duplicates"] >= 1
    assert dask == local


def test_parquet_files_same_judgement(cluster, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pacsv = pytest.importorskip("pyarrow.csv")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pacsv.read_csv(
        FIXTURE, convert_options=pacsv.ConvertOptions(column_types={"case:tanggal_surat_masuk": pa.string()})
    )
    single = tmp_path / "one.parquet"
    pq.write_table(table, single, row_group_size=50)
    local, dask = both(single, cluster)
    assert dask == local
    # The same rows in two files (a partitioned export): rows are numbered per file.
    folder = tmp_path / "parts"
    folder.mkdir()
    pq.write_table(table.slice(0, 150), folder / "part-0.parquet")
    pq.write_table(table.slice(150), folder / "part-1.parquet")
    split = report_records(distributed.audit(SEED, str(folder / "*.parquet"), scheduler=cluster), "en")

    def verdicts(data):
        return [
            (c["case_id"], c["status"], c["cost"], c["findings"], [e["activity"] for e in c["events"]])
            for c in data["cases"]
        ]

    assert verdicts(split) == verdicts(local)
    assert split["rows"]["read"] == local["rows"]["read"] == table.num_rows


def test_log_files_are_found_and_checked(tmp_path):
    (tmp_path / "a.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "b.parquet").write_bytes(b"")
    with pytest.raises(InputError) as mixed:
        distributed.log_files(str(tmp_path))
    assert mixed.value.key == "dask.mixed_formats"
    with pytest.raises(InputError) as none:
        distributed.log_files(str(tmp_path / "*.jsonl"))
    assert none.value.key == "dask.no_files"
    assert distributed.log_files(str(tmp_path / "*.csv")) == ([str(tmp_path / "a.csv")], "csv")


def test_unreachable_scheduler_is_one_line(monkeypatch):
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", "2s")
    with pytest.raises(InputError) as caught:
        distributed.audit(SEED, FIXTURE, scheduler="tcp://127.0.0.1:9")
    assert caught.value.key == "dask.scheduler_unreachable"
    assert "127.0.0.1:9" in caught.value.render("en")


def _cli_has_engine() -> bool:
    from checker.commands.audit import command

    return any(p.name == "engine" for p in command.params)


def test_cli_engine_dask_writes_the_local_bytes(cluster, tmp_path):
    if not _cli_has_engine():
        pytest.skip("sopcheck audit has no --engine option in this checkout")
    outputs = []
    for extra in (["--engine", "local"], ["--engine", "dask", "--scheduler", cluster]):
        out = tmp_path / f"{extra[1]}.json"
        code, _, err = run_cli(["audit", SEED, FIXTURE, "--format", "json", "-o", out, *extra], timeout=300)
        assert code in (0, 1), err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    code, out, err = run_cli(["audit", SEED, FIXTURE, "--scheduler", cluster])
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_csv_rows_of_another_width_rejected_as_locally(cluster, tmp_path):
    # A row with an extra field, a short one, a blank line, and quoted line breaks that small
    # blocks cut through (such a file is read whole): the local accounting, row for row.
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines[40] += ",extra"
    lines[41] = ",".join(lines[41].split(",")[:3])
    lines.insert(60, "")
    for i in range(100, 300, 9):
        lines[i] = lines[i].replace(",", ',"a\nb",', 1)
    log = tmp_path / "widths.csv"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    local = report_records(audit(SEED, log), "en")
    for size in (1024, None):
        dask = report_records(distributed.audit(SEED, log, scheduler=cluster, blocksize=size), "en")
        assert dask == local
    assert [r["reason"] for r in local["rows"]["rejected_rows"]][:2] == ["readers.reject.field_count"] * 2


def test_empty_csv_is_the_local_error(cluster, tmp_path):
    log = tmp_path / "empty.csv"
    log.write_text("", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        distributed.audit(SEED, log, scheduler=cluster)
    assert caught.value.key == "file.empty" and caught.value.location.path == str(log)


@pytest.mark.parametrize("size", [1024, None])
def test_a_quote_never_closed_is_the_local_error(cluster, tmp_path, size):
    # A stray quote would swallow every row after it into one field: refused with its place,
    # whether the quote's block is the file's last or an earlier one.
    lines = FIXTURE.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5].replace(",", ',"', 1)
    log = tmp_path / "quote.csv"
    log.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as local:
        audit(SEED, log)
    with pytest.raises(InputError) as dask:
        distributed.audit(SEED, log, scheduler=cluster, blocksize=size)
    assert local.value.key == dask.value.key == "readers.csv_open_quote"
    assert dask.value.location == local.value.location
    assert local.value.location.line == 6


def test_corrupt_parquet_is_one_line_naming_the_file(cluster, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    pacsv = pytest.importorskip("pyarrow.csv")
    folder = tmp_path / "parts"
    folder.mkdir()
    pq.write_table(pacsv.read_csv(FIXTURE), folder / "a.parquet", row_group_size=50)
    data = bytearray((folder / "a.parquet").read_bytes())
    (folder / "c.parquet").write_bytes(bytes(data[: len(data) // 2]))  # truncated: no footer
    data[len(data) // 3 : len(data) // 3 + 200] = b"\xab" * 200  # garbage in a column chunk
    (folder / "b.parquet").write_bytes(bytes(data))
    # b.parquet's footer is sound: its error comes back from a worker, mid-audit.
    code, _, err = run_cli(["audit", SEED, folder / "b.parquet", "--engine", "dask", "--scheduler", cluster])
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "b.parquet" in err and "Parquet" in err
    with pytest.raises(InputError) as caught:
        distributed.audit(SEED, folder, scheduler=cluster)
    assert caught.value.key == "parquet.unreadable"
    assert caught.value.location.path == str(folder / "b.parquet")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_file_that_is_not_parquet_is_the_local_line(cluster, tmp_path, lang):
    # pyarrow's reason in the user's language, as the local reader gives it.
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1garbage")
    lines = []
    for engine in (["--engine", "dask", "--scheduler", cluster], []):
        code, _, err = run_cli(["audit", SEED, bad, "--lang", lang, *engine])
        assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
        lines.append(err)
    assert lines[0] == lines[1]


def test_parquet_binary_cells_are_the_local_text(cluster, tmp_path):
    # Ids and names stored as bytes (binary, large_binary, dictionary) read as the local reader
    # reads them: UTF-8 text, a cell that is not UTF-8 as short hex; never b'...'.
    import json

    pa = pytest.importorskip("pyarrow")
    pacsv = pytest.importorskip("pyarrow.csv")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pacsv.read_csv(
        FIXTURE, convert_options=pacsv.ConvertOptions(column_types={"case:tanggal_surat_masuk": pa.string()})
    )

    def as_bytes(name: str, kind, bad: int | None = None):
        cells = [None if v is None else v.encode("utf-8") for v in table.column(name).to_pylist()]
        if bad is not None:
            cells[bad] = b"\xff\xfe"
        return pa.array(cells, kind)

    columns = {
        "case_id": as_bytes("case_id", pa.binary(), bad=7),
        "activity": as_bytes("activity", pa.large_binary()),
        "timestamp": as_bytes("timestamp", pa.binary(), bad=12),
        "actor": as_bytes("actor", pa.binary(), bad=3).dictionary_encode(),
    }
    for name, cells in columns.items():
        table = table.set_column(table.schema.get_field_index(name), name, cells)
    log = tmp_path / "binary.parquet"
    pq.write_table(table, log, row_group_size=50)
    local, dask = both(log, cluster)
    assert dask == local
    assert [r["row"] for r in local["rows"]["rejected_rows"]] == [13]
    shown = json.dumps(dask, ensure_ascii=False)
    assert "b'" not in shown and "0xfffe" in shown
    events = [e for c in dask["cases"] for e in c["events"]]
    assert "0xfffe" in {c["case_id"] for c in dask["cases"]}
    assert "Menerima Surat Penawaran" in {e["activity"] for e in events}
    assert {"Bupati", "0xfffe"} <= {e.get("actor") for e in events}
