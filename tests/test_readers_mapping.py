"""Column mapping: canonical names, PM4Py / XES names, --map, mapping files."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.commands.logopts import options_from, read_options
from checker.errors import InputError
from checker.readers import ReadOptions, from_records, open_log
from checker.readers.mapping import load_mapping_file, parse_map_items, resolve_plan, split_documents

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "logs"


def test_canonical_names():
    plan = resolve_plan(
        ["case_id", "activity", "timestamp", "actor", "start_timestamp", "documents", "case:deadline", "x"],
        {},
        None,
    )
    assert plan.fields["actor"] == "actor"
    assert plan.fields["start_timestamp"] == "start_timestamp"
    assert plan.case_attributes == (("case:deadline", "deadline"),)
    assert plan.event_attributes == (("x", "x"),)


def test_pm4py_names():
    columns = [
        "case:concept:name",
        "concept:name",
        "time:timestamp",
        "org:resource",
        "org:group",
        "lifecycle:transition",
        "case:channel",
        "case:documents",
    ]
    plan = resolve_plan(columns, {}, None)
    assert plan.fields == {
        "case_id": "case:concept:name",
        "activity": "concept:name",
        "timestamp": "time:timestamp",
        "actor": "org:resource",
        "lifecycle": "lifecycle:transition",
        "case_documents": "case:documents",
    }
    assert ("org:group", "org:group") in plan.event_attributes
    assert plan.case_attributes == (("case:channel", "channel"),)


def test_exact_xes_name_beats_case_insensitive_canonical():
    plan = resolve_plan(["case:concept:name", "concept:name", "Activity", "time:timestamp"], {}, None)
    assert plan.fields["activity"] == "concept:name"


def test_case_insensitive_canonical_names():
    plan = resolve_plan(["Case_ID", "Activity", "Timestamp"], {}, None)
    assert plan.fields["case_id"] == "Case_ID"


def test_actor_falls_back_to_group_with_a_note():
    plan = resolve_plan(["case_id", "activity", "timestamp", "org:group"], {}, None)
    assert plan.fields["actor"] == "org:group"
    assert [n.key for n in plan.notes] == ["readers.note.actor_fallback"]


def test_map_items():
    assert parse_map_items(["activity=Kegiatan", "case_id=No. Agenda", "concept:name=Kegiatan"]) == {
        "activity": "Kegiatan",
        "case_id": "No. Agenda",
    }
    with pytest.raises(InputError) as err:  # the field and its XES alias, two columns
        parse_map_items(["activity=Kegiatan", "concept:name=X"])
    assert err.value.key == "readers.mapping_twice" and err.value.args_["field"] == "activity"
    assert parse_map_items(["case:deadline=Batas = Waktu"]) == {"case:deadline": "Batas = Waktu"}
    with pytest.raises(InputError) as err:
        parse_map_items(["Kegiatan"])
    assert err.value.key == "readers.mapping_bad_item"
    with pytest.raises(InputError) as err:
        parse_map_items(["kegiatan=Kegiatan"])
    assert err.value.key == "readers.mapping_unknown_field"


def test_explicit_mapping_and_case_attribute():
    plan = resolve_plan(
        ["No Agenda", "Kegiatan", "Waktu", "Batas"],
        {"case_id": "No Agenda", "activity": "Kegiatan", "timestamp": "Waktu", "case:deadline": "Batas"},
        None,
    )
    assert plan.fields["case_id"] == "No Agenda"
    assert plan.case_attributes == (("Batas", "deadline"),)
    assert plan.event_attributes == ()


def test_missing_columns_names_what_was_found():
    with pytest.raises(InputError) as err:
        resolve_plan(["No Agenda", "Kegiatan"], {}, None)
    assert err.value.key == "readers.missing_columns"
    assert err.value.args_["found"] == "No Agenda, Kegiatan"
    assert err.value.args_["missing"] == "case_id, activity, timestamp"
    assert "--map" in err.value.render("en") and "--mapping" in err.value.render("id")


def test_mapped_column_not_found():
    with pytest.raises(InputError) as err:
        resolve_plan(["case_id", "activity", "timestamp"], {"actor": "Petugas"}, None)
    assert err.value.key == "readers.mapping_column_not_found"


def test_mapping_file_and_command_line_precedence():
    mapping = str(FIXTURES / "buku-agenda.mapping.yaml")
    options = options_from(mapping_file=mapping)
    assert options.mapping["activity"] == "Kegiatan"
    assert options.date_format == "%d/%m/%Y %H:%M"
    assert options.timezone == "WIB"
    options = options_from(mapping_file=mapping, timezone="WITA", map_items=("actor=Berkas",))
    assert options.timezone == "WITA" and options.mapping["actor"] == "Berkas"
    assert options_from().timezone is None and options_from().zone_name == "Asia/Jakarta"
    options, roster, rejects = read_options(mapping_file=mapping, rejects="r.csv")
    assert roster is None and rejects == "r.csv"


def test_mapping_file_errors_are_located(tmp_path):
    bad = tmp_path / "m.yaml"
    bad.write_text("columns:\n  activity: Kegiatan\n  kegiatan: Kegiatan\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        options_from(mapping_file=str(bad))
    assert err.value.key == "readers.mapping_unknown_field"
    assert err.value.location.line == 3
    bad.write_text("columns:\n  activity: Kegiatan\ntimezon: WIB\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        options_from(mapping_file=str(bad))
    assert err.value.key == "schema.additional" and err.value.location.line == 3


def test_mapped_log_reads(tmp_path):
    source = open_log(
        FIXTURES / "buku-agenda.csv",
        options_from(mapping_file=str(FIXTURES / "buku-agenda.mapping.yaml")),
    )
    cases = list(source.cases())
    assert [c.case_id for c in cases] == ["001/UM/2026", "002/UM/2026"]
    by_activity = {e.activity: e for e in cases[0].events}
    assert by_activity["Surat diterima"].documents == ("Surat Masuk",)
    logged = by_activity["Dicatat di agenda"]
    assert logged.date_only and logged.timestamp.hour == 0
    # a date-only event is local midnight, but keeps its place among its day's timed events:
    # the agenda book wrote "recorded" after "received 08:05" (docs/time.md, "Time order")
    order = [e.activity for e in cases[0].events]
    assert order == ["Surat diterima", "Dicatat di agenda", "Disposisi pimpinan"]


def test_split_documents():
    assert split_documents("Surat Masuk; Lembar Disposisi|KTP") == ("Surat Masuk", "Lembar Disposisi", "KTP")
    assert split_documents(["a", " ", None, "b"]) == ("a", "b")
    assert split_documents("") == ()
    assert split_documents(None) == ()


def test_records_use_the_same_mapping():
    records = [{"No": "1", "Kegiatan": "Terima", "Waktu": "2026-11-25"}]
    source = from_records(
        records, ReadOptions(mapping={"case_id": "No", "activity": "Kegiatan", "timestamp": "Waktu"})
    )
    (case,) = list(source.cases())
    assert case.events[0].activity == "Terima"


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("timezone: Mars", "readers.bad_timezone"),
        ("date_format: nope", "readers.bad_date_format"),
        ("encoding: rot13", "readers.unusable_encoding"),
        ("encoding: klingon", "readers.bad_encoding_name"),
        ("delimiter: ab", "readers.bad_delimiter"),
    ],
)
def test_a_bad_value_in_a_mapping_file_is_named_at_its_line(tmp_path, line, key):

    path = tmp_path / "map.yaml"
    path.write_text(f"columns:\n  case_id: case_id\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_mapping_file(str(path))
    assert caught.value.key == key
    assert (caught.value.location.path, caught.value.location.line) == (str(path), 3)
    assert caught.value.location.column == len(line.split(":")[0]) + 3
