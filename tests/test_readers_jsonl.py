"""JSON Lines logs (and .json arrays)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.readers import ReadOptions, open_log

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "logs"


def read(path, **options):
    source = open_log(path, ReadOptions(**options))
    return source, list(source.cases())


def test_fixture():
    source, cases = read(FIXTURES / "surat-masuk.jsonl")
    acc = source.accounting
    assert source.format == "jsonl"
    assert [(r.row, r.reason) for r in acc.rejected] == [
        (6, "readers.reject.bad_json"),
        (7, "readers.reject.not_object"),
        (8, "readers.reject.bad_timestamp"),
    ]
    assert (acc.rows_read, acc.accepted, acc.blank_rows) == (8, 5, 1)
    assert acc.balanced
    first, second, third = cases
    assert [e.row for e in first.events] == [1, 2, 4]
    assert first.events[0].documents == ("Surat Masuk",)
    assert first.events[1].documents == ("Surat Masuk", "Lembar Disposisi")
    assert first.events[1].attributes["nomor_agenda"] == 112
    assert first.events[2].date_only
    assert first.documents == ("Surat Masuk",)
    assert first.attributes["deadline"] == "2026-11-16"
    assert second.events[0].actor is None
    assert third.case_id == "103"


def test_ungrouped_jsonl_is_regrouped(tmp_path):
    lines = [
        {"case_id": "A", "activity": "x", "timestamp": "2026-11-25T08:00:00+07:00"},
        {"case_id": "B", "activity": "x", "timestamp": "2026-11-25T08:00:00+07:00"},
        {"case_id": "A", "activity": "y", "timestamp": "2026-11-25T09:00:00+07:00"},
    ]
    path = tmp_path / "log.ndjson"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    source, cases = read(path)
    assert not source.accounting.grouped
    assert [(c.case_id, len(c.events)) for c in cases] == [("A", 2), ("B", 1)]


def test_json_array(tmp_path):
    path = tmp_path / "log.json"
    path.write_text(
        json.dumps(
            [
                {"case:concept:name": "A", "concept:name": "x", "time:timestamp": "2026-11-25"},
                {"case:concept:name": "A", "concept:name": "y"},
            ]
        ),
        encoding="utf-8",
    )
    source, cases = read(path)
    assert source.format == "json"
    assert [(r.row, r.args["field"]) for r in source.accounting.rejected] == [(2, "timestamp")]
    assert "readers.note.json_array" in [n.key for n in source.accounting.notes]


def test_json_file_of_lines(tmp_path):
    path = tmp_path / "log.json"
    path.write_text('{"case_id": "A", "activity": "x", "timestamp": "2026-11-25"}\n', encoding="utf-8")
    source, cases = read(path)
    assert source.format == "jsonl" and len(cases) == 1


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"", "file.empty"),
        (b"\n\n  \n", "file.empty"),
        (b"this is not json\n", "readers.not_jsonl"),
        (b'{"case": "A", "what": "x"}\n', "readers.missing_columns"),
        (b"\x00\x01\x02 binary", "file.binary"),
    ],
)
def test_unusable_jsonl(tmp_path, content, key):
    path = tmp_path / "log.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.key == key


def test_long_line_is_rejected(tmp_path):
    path = tmp_path / "log.jsonl"
    good = json.dumps({"case_id": "A", "activity": "x", "timestamp": "2026-11-25"})
    big = json.dumps({"case_id": "A", "activity": "y" * (2 << 20), "timestamp": "2026-11-25"})
    path.write_text(f"{good}\n{big}\n{good}\n", encoding="utf-8")
    source, cases = read(path)
    assert [(r.row, r.reason) for r in source.accounting.rejected] == [(2, "readers.reject.line_too_long")]
    assert [e.row for e in cases[0].events] == [1, 3]


def _jsonl(tmp_path, lines: list[str]) -> Path:
    path = tmp_path / "log.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


GOOD = '{"case_id": "A", "activity": "x", "timestamp": "2026-11-25T08:00:00+07:00"}'


def test_a_lone_surrogate_is_a_rejected_row_and_a_pair_is_a_character(tmp_path):
    path = _jsonl(tmp_path, [
        GOOD,
        '{"case_id": "A\\ud800", "activity": "x", "timestamp": "2026-11-25T09:00:00+07:00"}',
        '{"case_id": "A", "note": "\\uDC00", "activity": "y", "timestamp": "2026-11-25T10:00:00+07:00"}',
        '{"case_id": "A", "activity": "\\ud83d\\ude00", "timestamp": "2026-11-25T11:00:00+07:00"}',
    ])
    source, cases = read(path)
    acc = source.accounting
    assert [(r.row, r.reason) for r in acc.rejected] == [
        (2, "readers.reject.lone_surrogate"), (3, "readers.reject.lone_surrogate")
    ]
    assert "\\ud800" in acc.rejected[0].message() and "\\udc00" in acc.rejected[1].message("id")
    assert (acc.rows_read, acc.accepted) == (4, 2)
    assert [e.activity for e in cases[0].events] == ["x", "\U0001f600"]
    json.dumps(acc.to_dict()).encode("utf-8")  # every report can write what was read


def test_a_line_nested_too_deeply_is_invalid_json(tmp_path):
    source, _ = read(_jsonl(tmp_path, [GOOD, "[" * 100_000, "{" * 50_000]))
    acc = source.accounting
    assert [(r.row, r.reason) for r in acc.rejected] == [
        (2, "readers.reject.bad_json"), (3, "readers.reject.bad_json")
    ]
    assert (acc.rows_read, acc.accepted) == (3, 1)


def test_a_json_array_nested_too_deeply_is_one_error(tmp_path):
    path = tmp_path / "log.json"
    path.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.key == "readers.bad_json_file"


def test_every_line_with_a_lone_surrogate_says_so(tmp_path):
    path = _jsonl(tmp_path, ['{"case_id": "A\\ud800", "activity": "x", "timestamp": "2026-11-25"}'])
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.key == "readers.not_jsonl"
    assert "lone surrogate \\ud800" in err.value.render("en")
    assert "surrogate tunggal \\ud800" in err.value.render("id")


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("case_id", "true", "true"),
        ("case_id", '["A"]', '["A"]'),
        ("case_id", "1.5", "1.5"),
        ("activity", '{"a": 1}', '{"a": 1}'),
    ],
)
def test_a_case_id_or_activity_that_is_not_text_or_an_integer_is_rejected(tmp_path, field, value, shown):
    row = {"case_id": '"A"', "activity": '"y"', "timestamp": '"2026-11-25T09:00:00+07:00"', field: value}
    bad = "{" + ", ".join(f'"{k}": {v}' for k, v in row.items()) + "}"
    number = '{"case_id": 7, "activity": "z", "timestamp": "2026-11-25T10:00:00+07:00"}'
    source, cases = read(_jsonl(tmp_path, [GOOD, bad, number]))
    acc = source.accounting
    assert [(r.row, r.reason) for r in acc.rejected] == [(2, "readers.reject.not_identifier")]
    assert acc.rejected[0].message() == f"{field} {shown} (key {field}) is not text or an integer"
    assert (acc.rows_read, acc.accepted) == (3, 2)
    assert sorted(c.case_id for c in cases) == ["7", "A"]
