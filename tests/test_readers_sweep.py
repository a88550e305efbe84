"""Bad input found by a sweep of the readers: each is one line on stderr and exit status 2 (never
a traceback), with its location and its message in both languages, or a counted rejected row."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.messages import t
from checker.readers import from_dataframe, from_records, open_log
from tests.conftest import input_error, run_cli

ROOT = Path(__file__).resolve().parents[1]
SOP = ROOT / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
LOG = ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"


one_line = input_error


def head(key: str, lang: str) -> str:
    """The fixed start of a message (up to its first placeholder), to find it in a line."""
    return t(key, lang, **dict.fromkeys(_placeholders(key), "\0")).split("\0")[0].strip()


def _placeholders(key: str) -> set[str]:
    from string import Formatter

    from checker.messages import MESSAGES

    return {name for _, name, _, _ in Formatter().parse(MESSAGES[key]["en"]) if name}


def summary(*args) -> dict:
    code, out, err = run_cli(["inspect", *args, "--format", "json"])
    assert code == 0, err
    data = json.loads(out)
    assert data["rows_read"] == data["accepted"] + data["rejected"]  # every row counted
    return data


def reasons(data: dict) -> list[tuple[int, str]]:
    return [(r["row"], r["reason"]) for r in data["rejected_rows"]]


# -- V1: a date format with a directive twice ----------------------------------------------------


@pytest.mark.parametrize("date_format", ["%d%d", "%Y-%m-%d %Y", "%H %H"])
def test_a_date_format_with_a_directive_twice_is_one_line(date_format):
    for lang in ("en", "id"):
        line = one_line(run_cli(["inspect", LOG, "--date-format", date_format, "--lang", lang]))
        assert f"'{date_format}'" in line
        assert head("readers.bad_date_format", lang) in line


def test_a_mapping_file_date_format_with_a_directive_twice_is_located(tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text('columns:\n  activity: activity\ndate_format: "%d%d"\n', encoding="utf-8")
    line = one_line(run_cli(["inspect", LOG, "--mapping", mapping]), f"{mapping}:3:14:", "'%d%d'")
    assert head("readers.bad_date_format", "en") in line


def test_parsing_with_an_unchecked_date_format_is_the_users_error_not_a_regex_error():
    from checker.readers.timeparse import parse_timestamp

    with pytest.raises(InputError) as caught:
        parse_timestamp("01/02/2026", "UTC", "%d%d")
    assert caught.value.key == "readers.bad_date_format"


# -- V2: an encoding name the codec lookup refuses with ValueError -------------------------------


@pytest.mark.parametrize("name", ["utf\udcff", "utf\x00"])  # an invalid byte on the command line; NUL
def test_an_encoding_name_the_lookup_cannot_take_is_unknown(name):
    from checker.readers.textfile import encoding_info, line_offsets, lookup_codec

    for call in (lookup_codec, encoding_info, lambda name: line_offsets(str(LOG), name, [2])):
        with pytest.raises(InputError) as caught:
            call(name)
        assert caught.value.key == "readers.bad_encoding_name"


def test_an_invalid_byte_in_the_encoding_option_is_one_line():
    # "utf\udcff" reaches the child as the bytes utf\xff (os.fsencode), as a shell would pass them.
    for lang in ("en", "id"):
        line = one_line(run_cli(["inspect", LOG, "--encoding", "utf\udcff", "--lang", lang]))
        assert head("readers.bad_encoding_name", lang) in line


def test_a_mapping_file_encoding_the_lookup_cannot_take_is_located(tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text('columns:\n  activity: activity\nencoding: "utf\\0"\n', encoding="utf-8")
    for lang in ("en", "id"):
        line = one_line(run_cli(["inspect", LOG, "--mapping", mapping, "--lang", lang]), f"{mapping}:3:11:")
        assert head("readers.bad_encoding_name", lang) in line
    # A lone surrogate (\udcff) is one line at the value too, whichever layer refuses it first.
    mapping.write_text('columns:\n  activity: activity\nencoding: "utf\\udcff"\n', encoding="utf-8")
    one_line(run_cli(["inspect", LOG, "--mapping", mapping]), f"{mapping}:3:11:")


def test_the_codec_is_looked_up_in_one_place():
    sources = [*sorted((ROOT / "checker" / "readers").glob("*.py")), ROOT / "checker" / "distributed.py"]
    bare = [p.name for p in sources for line in p.read_text("utf-8").splitlines() if "codecs.lookup(" in line]
    assert bare == ["textfile.py"]  # lookup_codec itself


# -- V3: a Parquet text column holding bytes that are not UTF-8 ----------------------------------

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def bad_parquet(
    path: Path, rows: int = 5, bad_row: int = 4, column: str = "activity", null: bool = False
) -> Path:
    """A grouped log whose text column `column` holds the bytes A\\xff at 1-based row `bad_row`
    (pyarrow stores a string column's bytes unchecked); with `null`, a null in that column too."""
    cells = {
        "case_id": [f"C{i // 2:03d}".encode() for i in range(rows)],
        "activity": [b"Menerima Surat Penawaran"] * rows,
        "actor": [b"Sekretariat"] * rows,
    }
    cells[column][bad_row - 1] = b"A\xff"
    if null:
        cells[column][0 if bad_row != 1 else 1] = None
    start = datetime(2025, 1, 20, 8, tzinfo=UTC)
    table = pa.table(
        {
            **{name: pa.array(values, pa.binary()).view(pa.string()) for name, values in cells.items()},
            "timestamp": pa.array([start + timedelta(hours=i) for i in range(rows)]),
        }
    )
    pq.write_table(table, path, row_group_size=50)
    return path


@pytest.mark.parametrize(
    ("column", "null"),
    [("activity", False), ("activity", True), ("actor", False), ("case_id", False)],
)
def test_a_parquet_cell_that_is_not_utf8_names_the_file_column_and_row(tmp_path, column, null):
    log = bad_parquet(tmp_path / "bad.parquet", column=column, null=null)
    for lang in ("en", "id"):
        line = one_line(run_cli(["inspect", log, "--lang", lang]), f"{log}:4:", f"'{column}'", "0xff")
        assert head("readers.parquet_bad_text", lang) in line
        assert ("row 4" if lang == "en" else "baris 4") in line


def test_a_parquet_cell_that_is_not_utf8_stops_audit_and_export(tmp_path):
    log = bad_parquet(tmp_path / "bad.parquet")
    report = tmp_path / "report.json"
    one_line(run_cli(["audit", SOP, log, "--format", "json", "-o", report]), f"{log}:4:", "'activity'")
    assert not report.exists()
    one_line(run_cli(["export", SOP, "--labels-from", log]), f"{log}:4:", "'activity'")


@pytest.mark.usefixtures("workers_for_small_logs")
def test_a_parquet_cell_that_is_not_utf8_stops_an_audit_in_shares(tmp_path):
    from checker.api import audit

    log = bad_parquet(tmp_path / "bad.parquet", rows=400, bad_row=302)
    assert open_log(log).shares(2) is not None  # the shared read is what runs
    with pytest.raises(InputError) as caught:
        audit(SOP, log, jobs=2)
    assert caught.value.key == "readers.parquet_bad_text"
    assert str(caught.value.location) == f"{log}:302"
    assert caught.value.args_["column"] == "activity"


def test_the_dask_engine_names_a_parquet_cell_that_is_not_utf8_the_same_way(tmp_path):
    pytest.importorskip("dask.dataframe", reason="dask is in the `dask` extra")
    pytest.importorskip("distributed", reason="dask is in the `dask` extra")
    log = bad_parquet(tmp_path / "bad.parquet")
    line = one_line(run_cli(["audit", SOP, log, "--engine", "dask"], timeout=180), f"{log}:4:", "'activity'")
    assert head("readers.parquet_bad_text", "en") in line


# -- V6: a JSON array without the required columns, or of no objects -----------------------------


def test_a_json_array_without_the_columns_names_its_file(tmp_path):
    log = tmp_path / "log.json"
    log.write_text('[{"a": 1}]', encoding="utf-8")
    for lang in ("en", "id"):
        line = one_line(run_cli(["inspect", log, "--lang", lang]), f"{log}:1:")
        assert head("readers.missing_columns", lang) in line


@pytest.mark.parametrize("content", ["[1, 2]", '["a", [1]]'])
def test_a_json_array_of_no_objects_says_so(tmp_path, content):
    log = tmp_path / "log.json"
    log.write_text(content, encoding="utf-8")
    for lang in ("en", "id"):
        line = one_line(run_cli(["inspect", log, "--lang", lang]), f"{log}:1:")
        assert t("readers.reject.not_object", lang) in line


def test_an_empty_json_array_names_its_file(tmp_path):
    log = tmp_path / "log.json"
    log.write_text("[]", encoding="utf-8")
    one_line(run_cli(["inspect", log]), f"{log}:1:", head("readers.no_records", "en"))


def test_records_of_no_objects_say_so():
    with pytest.raises(InputError) as caught:
        from_records([1, 2])
    assert caught.value.key == "readers.reject.not_object"


# -- V11: XES elements nested where they cannot be -----------------------------------------------

EVENT = (
    '<event><string key="concept:name" value="{0}"/>'
    '<date key="time:timestamp" value="2026-11-0{1}T08:00:00+07:00"/></event>'
)


def test_a_trace_inside_a_trace_is_refused_at_the_inner_trace(tmp_path):
    log = tmp_path / "nested.xes"
    log.write_text(
        "\n".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<log xes.version="1.0">',
                '<trace><string key="concept:name" value="T1"/>',
                EVENT.format("A", 2),
                '<trace><string key="concept:name" value="T2"/>',
                EVENT.format("B", 3),
                "</trace>",
                EVENT.format("C", 4),
                "</trace>",
                "</log>",
            ]
        ),
        encoding="utf-8",
    )
    for lang in ("en", "id"):
        line = one_line(run_cli(["inspect", log, "--lang", lang]), f"{log}:5:")
        assert t("readers.xes_nested_trace", lang) in line
    one_line(run_cli(["audit", SOP, log]), f"{log}:5:", t("readers.xes_nested_trace", "en"))


def test_a_trace_inside_a_later_trace_is_refused_while_reading(tmp_path):
    # The first trace decides the columns (the peek stops there): the nesting is found reading.
    first = f'<trace><string key="concept:name" value="T0"/>{EVENT.format("A", 1)}</trace>'
    inner = f'<trace><string key="concept:name" value="T2"/>{EVENT.format("B", 3)}</trace>'
    outer = f'<trace><string key="concept:name" value="T1"/>{EVENT.format("A", 2)}\n{inner}</trace>'
    log = tmp_path / "nested.xes"
    log.write_text(f'<log xes.version="1.0">\n{first}\n{outer}\n</log>\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(open_log(log).cases())
    assert caught.value.key == "readers.xes_nested_trace"
    assert str(caught.value.location) == f"{log}:4"


def test_an_event_inside_an_event_is_a_counted_row_with_its_own_reason(tmp_path):
    log = tmp_path / "nested.xes"
    outer = EVENT.format("A", 2).replace("</event>", "\n" + EVENT.format("B", 3) + "</event>")
    log.write_text(
        f'<log xes.version="1.0">\n<trace><string key="concept:name" value="T1"/>\n{outer}\n'
        "</trace>\n</log>\n",
        encoding="utf-8",
    )
    data = summary(log)
    assert (data["rows_read"], data["accepted"]) == (2, 1)
    assert reasons(data) == [(4, "readers.reject.event_in_event")]
    assert list(data["activities"]) == ["A"]


# -- V12: typed cells that are not identifiers ---------------------------------------------------


def typed_parquet(path: Path, field: str, values: list) -> Path:
    """Three rows of one case (C1, or `values` as the case ids): `field` holds `values`."""
    start = datetime(2025, 1, 20, 8, tzinfo=UTC)
    columns = {
        "case_id": ["C1"] * 3,
        "activity": ["Menerima Surat Penawaran"] * 3,
        "actor": ["Sekretariat"] * 3,
        "timestamp": [start + timedelta(hours=i) for i in range(3)],
    }
    columns[field] = values
    pq.write_table(pa.table(columns), path)
    return path


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([["A"], ["A"], ["B"]], ['["A"]', '["A"]', '["B"]']),  # list
        ([{"x": 1}, {"x": 1}, {"x": 2}], ['{"x": 1}', '{"x": 1}', '{"x": 2}']),  # struct
        (pa.array([[("k", "v")]] * 3, pa.map_(pa.string(), pa.string())), ['[["k", "v"]]'] * 3),  # map
        ([True, False, True], ["true", "false", "true"]),
        ([1.5, 2.25, 3.5], ["1.5", "2.25", "3.5"]),
    ],
)
@pytest.mark.parametrize("field", ["case_id", "activity", "actor"])
def test_a_parquet_identifier_that_is_not_text_or_an_integer_is_rejected(tmp_path, field, values, shown):
    data = summary(typed_parquet(tmp_path / "log.parquet", field, values))
    assert (data["rows_read"], data["accepted"]) == (3, 0)
    assert reasons(data) == [(row, "readers.reject.not_identifier") for row in (1, 2, 3)]
    messages = [r["message"] for r in data["rejected_rows"]]
    key = "readers.reject.not_identifier"
    assert messages == [t(key, "en", field=field, value=v, column=field) for v in shown]


def test_a_whole_float_is_still_an_integer_identifier(tmp_path):
    data = summary(typed_parquet(tmp_path / "log.parquet", "case_id", [12.0, 12.0, 13.0]))
    assert (data["rows_read"], data["accepted"], data["rejected"]) == (3, 3, 0)
    assert data["cases"] == 2


def test_the_readers_agree_on_what_is_not_an_identifier(tmp_path):
    """The same rows as JSON Lines, a JSON array, records, a DataFrame and an Excel workbook
    (a Parquet column holds one type: the test above): the same rows rejected, for the same
    reason."""
    stamp = "2025-01-20T08:00:00+07:00"
    rows = [
        {"case_id": "A", "activity": "x", "actor": "s", "timestamp": stamp},
        {"case_id": True, "activity": "x", "actor": "s", "timestamp": stamp},
        {"case_id": "A", "activity": 1.5, "actor": "s", "timestamp": stamp},
        {"case_id": "A", "activity": "x", "actor": False, "timestamp": stamp},
        {"case_id": 7, "activity": "x", "actor": "s", "timestamp": stamp},
        {"case_id": 8.0, "activity": "x", "actor": "s", "timestamp": stamp},
    ]
    expected = [(2, "case_id"), (3, "activity"), (4, "actor")]
    jsonl = tmp_path / "log.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    array = tmp_path / "log.json"
    array.write_text(json.dumps(rows), encoding="utf-8")
    sources = {"jsonl": open_log(jsonl), "json": open_log(array), "records": from_records(rows)}
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(rows, dtype=object)
    sources["dataframe"] = from_dataframe(frame)
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    xlsx = tmp_path / "log.xlsx"
    book.save(xlsx)
    sources["xlsx"] = open_log(xlsx)
    shift = {"xlsx": 1}  # a worksheet row counts its header
    for name, source in sources.items():
        cases = {case.case_id for case in source.cases()}
        acc = source.accounting
        got = [(r.row - shift.get(name, 0), r.reason, r.args["field"]) for r in acc.rejected]
        assert got == [(row, "readers.reject.not_identifier", field) for row, field in expected], name
        assert (acc.rows_read, acc.accepted) == (6, 3), name
        assert cases == {"A", "7", "8"}, name


def test_an_xes_trace_name_that_is_not_an_identifier_rejects_its_events(tmp_path):
    log = tmp_path / "log.xes"
    log.write_text(
        f'<log xes.version="1.0">\n<trace><boolean key="concept:name" value="true"/>\n'
        f'{EVENT.format("A", 2)}\n</trace>\n<trace><string key="concept:name" value="T2"/>\n'
        f'{EVENT.format("B", 3)}\n</trace>\n</log>\n',
        encoding="utf-8",
    )
    data = summary(log)
    assert (data["rows_read"], data["accepted"]) == (2, 1)
    assert reasons(data) == [(3, "readers.reject.not_identifier")]


def test_the_csv_text_path_does_no_identifier_check():
    # CSV cells are text: the check would be per-row work on the hot path of large audits.
    import inspect

    from checker.readers.build import ListBuilder

    assert "identifier" not in inspect.getsource(ListBuilder._build_text)
