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
