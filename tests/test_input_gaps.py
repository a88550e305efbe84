"""Small input-handling gaps (a sweep's minor observations): each is one line on stderr and exit
status 2, a counted row or a note, in both languages, never a silent change or a Python repr.

- the Dask engine rejects a list, struct or map cell as a case id, activity or actor, as the
  local engine does (the shuffle would have made it text such as "{'x': 1}");
- one field given two columns by --map; two fields on one column; a field mapped to the column
  a required field is read from by default;
- a calendar file's zone may be an offset (+14:00, -12:00), as --timezone's;
- --sheet (or a mapping file's sheet) for a log that has no sheets;
- typed values in rejections and notes: 0:00:01, 01:02:00, and "no value", not reprs;
- `explain` with a huge argument echoes a bounded part of it.
"""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.messages import MESSAGES, t
from checker.readers import ReadOptions, open_log
from checker.readers.mapping import parse_map_items, resolve_plan
from tests.conftest import input_error, run_cli

ROOT = Path(__file__).resolve().parents[1]
SOP = ROOT / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
LOG = ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"
NEW_KEYS = (
    "readers.mapping_twice",
    "readers.mapping_shared_column",
    "readers.mapping_default_taken",
    "readers.note.default_taken",
    "readers.sheet_not_excel",
    "readers.note.xes_no_value",
)


def inspect_json(*args) -> dict:
    code, out, err = run_cli(["inspect", *args, "--format", "json"])
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("key", NEW_KEYS)
def test_new_messages_exist_in_both_languages(key):
    texts = MESSAGES[key]
    assert texts["id"] and texts["en"] and texts["id"] != texts["en"]


# -- 1. the Dask engine and cells that are no identifier ---------------------------------------


def nested_parquet(path: Path, field: str, values) -> Path:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    start = datetime(2025, 1, 20, 8, tzinfo=UTC)
    count = len(values)
    columns = {
        "case_id": [f"C{i % 3}" for i in range(count)],
        "activity": ["Menerima Surat Penawaran"] * count,
        "actor": ["Sekretariat"] * count,
        "timestamp": [start + timedelta(hours=i) for i in range(count)],
    }
    columns[field] = values
    pq.write_table(pa.table(columns), path, row_group_size=4)
    return path


def _values(kind: str):
    pa = pytest.importorskip("pyarrow")
    if kind == "list":
        return [["A"], ["A", "B"], None, ["C"], ["A"], None, ["D"], ["E"]]
    if kind == "struct":
        return [{"x": i, "y": [i, i + 1]} for i in range(8)]  # a list inside: numpy in pandas
    return pa.array([[("k", str(i))] for i in range(8)], pa.map_(pa.string(), pa.string()))


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("dask.dataframe", reason="dask is in the `dask` extra")
    distributed_lib = pytest.importorskip("distributed", reason="dask is in the `dask` extra")
    with distributed_lib.LocalCluster(
        n_workers=1, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local.scheduler_address


@pytest.mark.parametrize(
    ("field", "kind"),
    [("case_id", "list"), ("activity", "struct"), ("actor", "map"), ("actor", "list"), ("case_id", "struct")],
)
def test_the_dask_engine_rejects_what_is_no_identifier_as_the_local_engine(cluster, tmp_path, field, kind):
    from checker import distributed
    from checker.api import audit
    from checker.reporters.records import report_records

    log = nested_parquet(tmp_path / "log.parquet", field, _values(kind))
    local = report_records(audit(SOP, log, as_of="2025-03-01"), "en")
    dask = report_records(distributed.audit(SOP, log, scheduler=cluster, as_of="2025-03-01"), "en")
    reasons = {r["reason"] for r in local["rows"]["rejected_rows"]}
    assert "readers.reject.not_identifier" in reasons  # (a null case id or activity is missing)
    rows = [r["row"] for r in local["rows"]["rejected_rows"]]
    assert [r["row"] for r in dask["rows"]["rejected_rows"]] == rows
    assert dask == local


def test_held_cells_are_what_pyarrow_gives():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    from checker import distributed

    frame = pd.DataFrame(
        {
            "case_id": pd.Series([np.array(["A"], dtype=object), "B", None], dtype=object),
            "activity": pd.Series(["x", {"k": np.array([1, 2])}, "z"], dtype=object),
        }
    )
    held = distributed._held(frame, ("case_id", "activity", "case_id"))
    expected = [{"case_id": ["A"]}, {"activity": {"k": [1, 2]}}, None]
    assert [json.loads(h) if h else None for h in held] == expected


def test_the_dask_engine_refuses_a_sheet_before_starting_a_cluster(tmp_path):
    pytest.importorskip("dask.dataframe", reason="dask is in the `dask` extra")
    pytest.importorskip("distributed", reason="dask is in the `dask` extra")
    from checker import distributed

    with pytest.raises(InputError) as err:
        distributed.audit(SOP, LOG, read_options=ReadOptions(sheet="Data"))  # no scheduler: none started
    assert err.value.key == "readers.sheet_not_excel"
    assert err.value.location.path == str(LOG)


# -- 2. one field mapped twice -----------------------------------------------------------------


def test_one_field_given_two_columns_is_refused_naming_both():
    with pytest.raises(InputError) as err:
        parse_map_items(["activity=x", "case_id=No", "activity=y"])
    assert err.value.key == "readers.mapping_twice"
    assert err.value.args_ == {"field": "activity", "first": "x", "second": "y"}
    assert parse_map_items(["activity=x", "activity=x"]) == {"activity": "x"}  # nothing to choose


def test_one_field_given_two_columns_is_one_line_in_both_languages():
    for lang in ("en", "id"):
        line = input_error(
            run_cli(["inspect", LOG, "--map", "activity=x", "--map", "activity=y", "--lang", lang]),
            "activity",
            "'x'",
            "'y'",
        )
        expected = t("readers.mapping_twice", lang, field="activity", first="x", second="y")
        assert line == "sopcheck: " + expected


# -- 3. a field mapped to another field's column -----------------------------------------------


def test_mapping_a_field_to_a_required_fields_default_column_says_so():
    with pytest.raises(InputError) as err:
        resolve_plan(["case_id", "activity", "timestamp", "Kegiatan"], {"activity": "case_id"}, None)
    assert err.value.key == "readers.mapping_default_taken"
    assert err.value.args_ == {"field": "case_id", "column": "case_id", "target": "activity"}
    with pytest.raises(InputError) as err:
        resolve_plan(["case_id", "activity", "timestamp"], {"case:nomor": "timestamp"}, None)
    assert err.value.args_ == {"field": "timestamp", "column": "timestamp", "target": "case:nomor"}


def test_the_default_column_taken_is_one_line_not_a_self_contradiction():
    for lang in ("en", "id"):
        line = input_error(run_cli(["inspect", LOG, "--map", "activity=case_id", "--lang", lang]), f"{LOG}:1")
        assert "case_id" in line and "activity" in line
        args = {"field": "case_id", "column": "case_id", "target": "activity"}
        expected = t("readers.mapping_default_taken", lang, **args)
        assert line.endswith(expected)
        missing = t("readers.missing_columns", lang, missing="\0", found="\0").split("\0")[0]
        assert missing not in line


MAPPED = {"case_id": "No", "activity": "Kegiatan", "timestamp": "Waktu"}


def test_two_fields_on_one_column_are_refused():
    columns = ["No", "Kegiatan", "Waktu", "Petugas"]
    with pytest.raises(InputError) as err:
        resolve_plan(columns, {**MAPPED, "actor": "No"}, None)
    assert err.value.key == "readers.mapping_shared_column"
    assert err.value.args_ == {"first": "case_id", "second": "actor", "column": "No"}
    with pytest.raises(InputError) as err:  # two case attributes: one would be lost
        resolve_plan(["case_id", "activity", "timestamp", "B"], {"case:a": "B", "case:b": "b"}, None)
    assert err.value.args_ == {"first": "case:a", "second": "case:b", "column": "B"}
    # A field and a case attribute may share a column, as before: nothing is lost.
    plan = resolve_plan(columns, {**MAPPED, "case:nomor": "No"}, None)
    assert plan.fields["case_id"] == "No" and plan.case_attributes == (("No", "nomor"),)


def test_an_optional_field_whose_usual_column_is_mapped_away_gets_a_note():
    columns = ["case_id", "activity", "timestamp", "actor", "Kegiatan"]
    plan = resolve_plan(columns, {"activity": "actor"}, None)
    assert "actor" not in plan.fields
    assert [(n.key, dict(n.args)) for n in plan.notes] == [
        ("readers.note.default_taken", {"field": "actor", "column": "actor", "target": "activity"})
    ]
    assert resolve_plan(["case_id", "activity", "timestamp", "actor"], {}, None).notes == ()


# -- 4. a calendar file's zone as an offset ----------------------------------------------------


@pytest.mark.parametrize(("zone", "hours"), [("+14:00", 14), ("-12:00", -12), ("+05:45", 5.75)])
def test_a_calendar_file_takes_the_offsets_timezone_takes(tmp_path, zone, hours):
    from checker.workcal import WorkCalendar

    path = tmp_path / "cal.yaml"
    path.write_text(f'timezone: "{zone}"\n', encoding="utf-8")
    calendar = WorkCalendar.from_file(path)
    assert calendar.tz.utcoffset(None) == timedelta(hours=hours)
    assert zone in calendar.describe("en") and zone in calendar.describe("id")
    again = pickle.loads(pickle.dumps(calendar))  # sent to --jobs workers and Dask
    assert again.tz == calendar.tz
    noon = datetime(2025, 1, 1, 12, tzinfo=UTC)
    assert noon.astimezone(calendar.tz).utcoffset() == timedelta(hours=hours)


def test_an_audit_with_an_offset_calendar_runs(tmp_path):
    path = tmp_path / "cal.yaml"
    path.write_text('timezone: "+14:00"\n', encoding="utf-8")
    code, out, err = run_cli(["audit", SOP, LOG, "--calendar", path, "--format", "json"])
    assert code in (0, 1) and "Traceback" not in err, err
    assert "+14:00" in json.loads(out)["provenance"]["calendar"]


@pytest.mark.parametrize("zone", ["+24:00", "Mars/Olympus"])
def test_a_calendar_zone_that_is_none_is_still_refused_at_its_line(tmp_path, zone):
    from checker.workcal import WorkCalendar

    path = tmp_path / "cal.yaml"
    path.write_text(f'timezone: "{zone}"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        WorkCalendar.from_file(path)
    assert err.value.key == "calendar.bad_timezone"
    assert (err.value.location.line, err.value.location.column) == (1, 11)
    assert "+07:00" in err.value.render("en") and "+07:00" in err.value.render("id")


def test_an_sop_zone_given_as_an_offset_describes_its_calendar(tmp_path):
    # The SOP's case.timezone may be an offset (docs/sop-format.md): its calendar has no key.
    from checker.api import calendar_for, load_revisions

    text = SOP.read_text(encoding="utf-8")
    assert "\ncase:\n" in text
    sop = tmp_path / "sop.yaml"
    sop.write_text(text.replace("\ncase:\n", '\ncase:\n  timezone: "+07:00"\n', 1), encoding="utf-8")
    calendar = calendar_for(None, load_revisions(sop))
    assert "+07:00" in calendar.describe("en")


# -- 5. --sheet for a log without sheets ------------------------------------------------------


def test_a_sheet_for_a_csv_log_is_refused():
    for lang in ("en", "id"):
        result = run_cli(["inspect", LOG, "--sheet", "Data", "--lang", lang])
        line = input_error(result, str(LOG), "'Data'", "csv")
        assert line.endswith(t("readers.sheet_not_excel", lang, sheet="Data", format="csv"))


def test_a_mapping_files_sheet_for_a_csv_log_is_refused(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {activity: activity}\nsheet: Data\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        open_log(LOG, ReadOptions(sheet="Data"))
    assert err.value.key == "readers.sheet_not_excel"
    input_error(run_cli(["inspect", LOG, "--mapping", mapping]), "'Data'")


def test_a_sheet_for_other_formats_is_refused_and_for_excel_read(tmp_path):
    records = [{"case_id": "C1", "activity": "A", "timestamp": "2025-01-20T08:00:00+07:00"}]
    jsonl = tmp_path / "log.jsonl"
    jsonl.write_text(json.dumps(records[0]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        open_log(jsonl, ReadOptions(sheet="Data"))
    assert err.value.args_ == {"sheet": "Data", "format": "jsonl"}
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append(list(records[0]))
    book.active.append(list(records[0].values()))
    xlsx = tmp_path / "log.xlsx"
    book.save(xlsx)
    source = open_log(xlsx, ReadOptions(sheet="Data"))
    assert [c.case_id for c in source.cases()] == ["C1"]


# -- 5b. CSV options (--delimiter, --encoding) for a log that does not read them ----------------

RECORD = {"case_id": "C1", "activity": "A", "timestamp": "2025-01-20T08:00:00+07:00"}


def log_of(fmt: str, folder: Path) -> Path:
    """A one-event log of the format `fmt`."""
    path = folder / f"log.{fmt}"
    if fmt == "xes":
        path.write_text(
            '<log><trace><string key="concept:name" value="C1"/><event><string key="concept:name" value="A"/>'
            '<date key="time:timestamp" value="2025-01-20T08:00:00+07:00"/></event></trace></log>\n',
            encoding="utf-8",
        )
    elif fmt == "jsonl":
        path.write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps([RECORD]), encoding="utf-8")
    elif fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        book.active.append(list(RECORD))
        book.active.append(list(RECORD.values()))
        book.save(path)
    else:
        pq = pytest.importorskip("pyarrow.parquet")
        pa = pytest.importorskip("pyarrow")
        pq.write_table(pa.Table.from_pylist([RECORD]), path)
    return path


# (format, option, value, the formats that read the option)
UNREAD_OPTIONS = [
    ("xes", "delimiter", ";", "csv"),
    ("jsonl", "delimiter", "tab", "csv"),
    ("json", "delimiter", ";", "csv"),
    ("xlsx", "delimiter", ";", "csv"),
    ("parquet", "delimiter", ";", "csv"),
    ("xes", "encoding", "cp1252", "csv, jsonl, json"),
    ("xlsx", "encoding", "cp1252", "csv, jsonl, json"),
    ("parquet", "encoding", "utf-8", "csv, jsonl, json"),
]


@pytest.mark.parametrize(("fmt", "option", "value", "formats"), UNREAD_OPTIONS)
def test_a_csv_option_for_a_log_that_does_not_read_it_is_refused(tmp_path, fmt, option, value, formats):
    log = log_of(fmt, tmp_path)
    args = {"option": option, "value": value, "formats": formats, "format": fmt}
    with pytest.raises(InputError) as err:
        open_log(log, ReadOptions(**{option: value}))
    assert (err.value.key, err.value.args_, err.value.location.path) == (
        "readers.option_not_for_format", args, str(log)
    )
    for lang in ("en", "id"):
        result = run_cli(["inspect", log, f"--{option}", value, "--lang", lang])
        line = input_error(result, str(log))
        assert line.endswith(t("readers.option_not_for_format", lang, **args))


def test_a_mapping_files_delimiter_for_an_xes_log_is_refused(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {activity: concept:name}\ndelimiter: ';'\n", encoding="utf-8")
    log = log_of("xes", tmp_path)
    input_error(run_cli(["inspect", log, "--mapping", mapping]), str(log), "delimiter", "';'", "xes")
    sop = ROOT / "fixtures" / "sops" / "two-steps.yaml"
    input_error(run_cli(["audit", sop, log, "--encoding", "cp1252"]), str(log), "cp1252", "xes")


def test_csv_options_for_the_formats_that_read_them_are_still_taken(tmp_path):
    jsonl = log_of("jsonl", tmp_path)
    json_array = log_of("json", tmp_path)
    for log in (jsonl, json_array):
        source = open_log(log, ReadOptions(encoding="utf-8"))
        assert [c.case_id for c in source.cases()] == ["C1"]
    tsv = tmp_path / "log.tsv"
    tsv.write_text("\t".join(RECORD) + "\n" + "\t".join(RECORD.values()) + "\n", encoding="cp1252")
    source = open_log(tsv, ReadOptions(delimiter="tab", encoding="cp1252"))
    assert [c.case_id for c in source.cases()] == ["C1"]


def test_csv_options_with_records_or_a_dataframe_are_refused():
    from checker.readers import from_dataframe, from_records

    with pytest.raises(InputError) as err:
        from_records([RECORD], ReadOptions(delimiter=";"))
    assert (err.value.key, err.value.args_["format"]) == ("readers.option_not_for_format", "records")
    pd = pytest.importorskip("pandas")
    with pytest.raises(InputError) as err:
        from_dataframe(pd.DataFrame([RECORD]), ReadOptions(encoding="cp1252"))
    assert err.value.args_["format"] == "dataframe"
    with pytest.raises(InputError) as err:
        from_records([RECORD], ReadOptions(sheet="Data"))
    assert err.value.key == "readers.sheet_not_excel"


def test_the_dask_engine_refuses_an_encoding_for_parquet_before_starting_a_cluster(tmp_path):
    pytest.importorskip("dask.dataframe", reason="dask is in the `dask` extra")
    pytest.importorskip("distributed", reason="dask is in the `dask` extra")
    from checker import distributed

    log = log_of("parquet", tmp_path)
    with pytest.raises(InputError) as err:
        distributed.audit(SOP, log, read_options=ReadOptions(encoding="cp1252"))  # no cluster started
    assert err.value.key == "readers.option_not_for_format"
    assert err.value.location.path == str(log)


# -- 6. typed values shown plainly -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (timedelta(seconds=1), "0:00:01"),
        (time(1, 2), "01:02:00"),
        (timedelta(days=1, hours=2), "1 day, 2:00:00"),
    ],
)
def test_a_parquet_timestamp_of_another_type_is_shown_plainly(tmp_path, value, shown):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "log.parquet"
    pq.write_table(pa.table({"case_id": ["C1"], "activity": ["A"], "timestamp": [value]}), path)
    data = inspect_json(path)
    (rejected,) = data["rejected_rows"]
    assert rejected["reason"] == "readers.reject.bad_timestamp"
    assert rejected["message"] == t(
        "readers.reject.bad_timestamp", "en", field="timestamp", column="timestamp", value=shown
    )
    assert "datetime." not in rejected["message"]


def test_shown_values_are_never_reprs():
    from decimal import Decimal

    from checker.readers.build import short_text

    assert short_text(Decimal("1.50")) == "1.50"
    assert short_text(["A", 1]) == '["A", 1]'
    assert short_text(datetime(9999, 12, 31)) == "9999-12-31T00:00:00"
    assert len(short_text("x" * 500)) == 80
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    assert short_text(pd.Timedelta(seconds=1)) == "0:00:01"  # the Dask engine's, as the local one's
    assert short_text(np.float64(1.5)) == "1.5" and short_text(np.int64(7)) == "7"


def test_an_xes_attribute_without_a_value_is_said_to_have_none(tmp_path):
    log = tmp_path / "log.xes"
    log.write_text(
        '<log xes.version="1.0">\n<trace><string key="concept:name" value="T1"/>\n'
        '<event><string key="concept:name" value="A"/><date key="time:timestamp"/></event>\n'
        '<event><string key="concept:name" value="B"/>'
        '<date key="time:timestamp" value="2025-01-20T08:00:00+07:00"/><int key="n"/></event>\n'
        "</trace>\n</log>\n",
        encoding="utf-8",
    )
    data = inspect_json(log)
    assert [n["key"] for n in data["notes"]] == ["readers.note.xes_no_value"] * 2
    assert [n["message"] for n in data["notes"]] == [
        t("readers.note.xes_no_value", "en", line=3, key="time:timestamp", type="date"),
        t("readers.note.xes_no_value", "en", line=4, key="n", type="int"),
    ]
    assert "None" not in json.dumps(data["notes"])
    assert [(r["row"], r["reason"]) for r in data["rejected_rows"]] == [(3, "readers.reject.missing_value")]


# -- 7. explain with a huge argument -----------------------------------------------------------


def test_explain_echoes_a_bounded_part_of_an_unknown_code():
    for lang in ("en", "id"):
        line = input_error(run_cli(["explain", "X" * 100_000, "--lang", lang]), "XXX...'")
        assert len(line) < 200
    input_error(run_cli(["explain", "NOPE1"]), "'NOPE1'")  # a short one whole
