"""Bad input found by the input sweep, each refused the way the Habits say (docs/architecture.md):
an input error is one located line and exit 2, a problem `validate` can see is a located finding
with its code, and every message exists in Indonesian and English.

- V4: a YAML scalar holding an escaped lone surrogate ("\\ud800") is refused where YAML is loaded
  (SOP, calendar, roster, mapping, example cases), at its line and column.
- V5: an unknown `case.timezone` is a finding of `validate` (SOP105) at its node; the audit then
  refuses the SOP with that location.
- V7: a `null:`, `true:` or `1.5:` key is located at the key and named as YAML writes it; values
  in schema messages are shown as YAML writes them (null, true), never as Python reprs.
- V8: every validator keyword our schemas use has its own message in both languages.
- V14: a folder of revisions with two files of one revision label, or two revisions of one
  effective date (or two with none), is refused, naming both files.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from checker.errors import InputError
from checker.messages import MESSAGES, t
from checker.sop.load import load_sop
from checker.sop.yamlload import YamlDocument, load_yaml
from tests.conftest import input_error

REPO = Path(__file__).resolve().parent.parent
DEADLINES = REPO / "fixtures" / "sops" / "deadlines.yaml"
MAGETAN = REPO / "rules" / "magetan"
REV1 = MAGETAN / "penawaran-kerja-sama.yaml"
REV2 = MAGETAN / "penawaran-kerja-sama.rev2.yaml"
LOG = REPO / "fixtures" / "logs" / "penawaran-kerja-sama.csv"


def template(key: str, lang: str) -> re.Pattern[str]:
    """A catalogue message as a pattern, its {placeholders} matching anything."""
    parts = re.split(r"\{[a-z_]+\}", MESSAGES[key][lang])
    return re.compile(".+".join(map(re.escape, parts)))


def only_error_line(result) -> str:
    """The one line on stderr of an input error, without `sopcheck: `."""
    return input_error(result).removeprefix("sopcheck: ")


def sop_with(tmp_path: Path, old: str, new: str, name: str = "sop.yaml") -> tuple[Path, int]:
    """fixtures/sops/deadlines.yaml with `old` replaced by `new` (once), and the line it is on."""
    text = DEADLINES.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, text[: text.index(old)].count("\n") + 1


def validate_json(run_cli, path: Path, lang: str = "en") -> list[dict[str, Any]]:
    code, out, err = run_cli(["validate", "--format", "json", "--lang", lang, str(path)])
    assert "Traceback" not in err
    assert code == 1, err
    return json.loads(out)["files"][0]["findings"]


# --- V4: lone surrogates ------------------------------------------------------------------------


def test_sop_name_with_lone_surrogate_is_refused_at_its_scalar(run_cli, tmp_path: Path) -> None:
    sop, line = sop_with(tmp_path, "name: Create Fine", 'name: "Create\\ud800Fine"')
    column = DEADLINES.read_text(encoding="utf-8").splitlines()[line - 1].index("name: Create") + 7
    for lang in ("en", "id"):
        got = only_error_line(run_cli(["validate", "--lang", lang, str(sop)]))
        assert got.startswith(f"{sop}:{line}:{column}: ")
        assert template("yaml.lone_surrogate", lang).fullmatch(got.split(": ", 1)[1])
        assert "\\ud800" in got
    # The audit refuses the SOP before any report is written (json crashed on writing before).
    target = tmp_path / "report.json"
    got = only_error_line(
        run_cli(["audit", str(sop), str(LOG), "--format", "json", "-o", str(target), "--lang", "id"])
    )
    assert got.startswith(f"{sop}:{line}:{column}: ")
    assert not target.exists()


def test_lone_surrogate_in_a_key_is_refused_at_the_key(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text('a: 1\n"b\\udc00": 2\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(str(path))
    assert err.value.key == "yaml.lone_surrogate"
    assert (err.value.location.line, err.value.location.column) == (2, 1)
    assert err.value.args_["code"] == "\\udc00"


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\U0000d800", "\\ude00\\ud83d"])
def test_every_lone_surrogate_escape_is_refused(tmp_path: Path, escape: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f'list:\n  - ok\n  - "x{escape}"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(str(path))
    assert err.value.key == "yaml.lone_surrogate"
    assert (err.value.location.line, err.value.location.column) == (3, 5)


def test_an_escaped_surrogate_pair_is_the_character(tmp_path: Path) -> None:
    """JSON tools write a character outside the BMP as a pair of escapes: that is one character."""
    path = tmp_path / "pair.yaml"
    path.write_text('name: "ok \\ud83d\\ude00"\n"\\ud83d\\ude00": 1\n', encoding="utf-8")
    doc = load_yaml(str(path))
    assert doc.data == {"name": "ok \U0001f600", "\U0001f600": 1}
    assert doc.locate(("\U0001f600",), key=True).line == 2


def _calendar(path: Path) -> None:
    from checker.workcal import WorkCalendar

    WorkCalendar.from_file(path)


def _roster(path: Path) -> None:
    from checker.roster import Roster

    Roster.load(str(path))


def _mapping(path: Path) -> None:
    from checker.readers.mapping import load_mapping_file

    load_mapping_file(str(path))


def _cases(path: Path) -> None:
    from checker.examples import load_cases

    load_cases(path)


# (loader, file name, text, column): the surrogate on line 2, in the scalar at `column`.
OTHER_YAML: list[tuple[Callable[[Path], None], str, str, int]] = [
    (_calendar, "cal.yaml", 'days_off:\n  - name: "Libur\\ud800"\n    date: "2026-03-25"\n', 11),
    (_roster, "roster.yaml", 'roster:\n  - actor: "bupati\\ud800"\n    valid_from: "2025-01-01"\n', 12),
    (_mapping, "map.yaml", 'columns:\n  case_id: "Case\\ud800"\n  activity: a\n  timestamp: t\n', 12),
    (_cases, "x.cases.yaml", 'sopcheck: 1\nsop: "sop\\ud800.yaml"\ncases: []\n', 6),
]


@pytest.mark.parametrize(("load", "name", "text", "column"), OTHER_YAML, ids=[r[1] for r in OTHER_YAML])
def test_lone_surrogate_is_refused_in_every_yaml_file(
    tmp_path: Path, load: Callable[[Path], None], name: str, text: str, column: int
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load(path)
    assert err.value.key == "yaml.lone_surrogate"
    where = err.value.location
    assert (where.path, where.line, where.column) == (str(path), 2, column)
    for lang in ("en", "id"):
        assert template("yaml.lone_surrogate", lang).fullmatch(err.value.render(lang).split(": ", 1)[1])


def test_calendar_with_lone_surrogate_is_one_line_in_the_audit(run_cli, tmp_path: Path) -> None:
    calendar = tmp_path / "cal.yaml"
    calendar.write_text('timezone: "Asia/Jakarta\\ud800"\n', encoding="utf-8")
    got = only_error_line(run_cli(["audit", REV1, LOG, "--calendar", calendar, "--lang", "id"]))
    assert got.startswith(f"{calendar}:1:11: ")
    assert template("yaml.lone_surrogate", "id").fullmatch(got.split(": ", 1)[1])


def test_huge_hexadecimal_integer_is_refused_not_a_traceback(run_cli, tmp_path: Path) -> None:
    """Found on the way (same loader): 0xFFF... beyond Python's 4300 decimal digits made jsonschema's
    own message (its repr) raise; a decimal one was already refused as unreadable `!!int`."""
    sop, line = sop_with(tmp_path, "name: Create Fine", "name: 0x" + "F" * 5000)
    for lang in ("en", "id"):
        got = only_error_line(run_cli(["validate", "--lang", lang, sop]))
        assert got.startswith(f"{sop}:{line}:")
        assert template("yaml.bad_tagged_value", lang).fullmatch(got.split(": ", 1)[1])


# --- V5: the SOP's time zone --------------------------------------------------------------------


def test_unknown_case_timezone_is_a_located_finding(run_cli, tmp_path: Path) -> None:
    sop, line = sop_with(tmp_path, "timezone: Europe/Rome", "timezone: Mars/Olympus")
    for lang in ("en", "id"):
        findings = validate_json(run_cli, sop, lang)
        assert [(f["code"], f["line"], f["column"]) for f in findings] == [("SOP105", line, 13)]
        assert "Mars/Olympus" in findings[0]["message"]
    en = run_cli(["validate", str(sop)]).stdout
    id_ = run_cli(["validate", "--lang", "id", str(sop)]).stdout
    assert en != id_
    assert f"{sop}:{line}:13: error SOP105 " in en and f"{sop}:{line}:13: error SOP105 " in id_


@pytest.mark.parametrize("zone", ["Europe/Rome", "WIB", "wita", "UTC", "+07:00", "Asia/Jakarta"])
def test_known_time_zones_pass(tmp_path: Path, zone: str) -> None:
    sop, _ = sop_with(tmp_path, "timezone: Europe/Rome", f'timezone: "{zone}"')
    loaded = load_sop(sop)
    assert loaded.ok and not loaded.findings


@pytest.mark.parametrize("zone", ["Mars/Olympus", "+25:00", "../../etc/passwd", "Asia/Jakarta\\x01"])
def test_unknown_time_zones_are_sop105(tmp_path: Path, zone: str) -> None:
    sop, line = sop_with(tmp_path, "timezone: Europe/Rome", f'timezone: "{zone}"')
    loaded = load_sop(sop)
    assert [(f.code, f.location.line, f.location.column) for f in loaded.findings] == [("SOP105", line, 13)]
    assert not loaded.ok


def test_audit_refuses_the_unknown_zone_at_its_node(run_cli, tmp_path: Path) -> None:
    sop, line = sop_with(tmp_path, "timezone: Europe/Rome", "timezone: Mars/Olympus")
    log = tmp_path / "log.csv"
    log.write_text("case_id,activity,timestamp,org:group\nF1,Create Fine,2024-01-01,polisi\n",
                   encoding="utf-8")
    for lang in ("en", "id"):
        got = only_error_line(run_cli(["audit", str(sop), str(log), "--lang", lang]))
        assert got.startswith(f"{sop}:{line}:13: ")
        assert template("sop.invalid", lang).fullmatch(got.split(": ", 1)[1])
        assert "SOP105" in got and "Mars/Olympus" in got


# --- V7: keys and values as YAML writes them ----------------------------------------------------


@pytest.mark.parametrize(("key", "shown"), [("null", "null"), ("~", "null"), ("true", "true"),
                                            ("False", "false"), ("1.5", "1.5"), ("1", "1")])
def test_non_text_key_is_located_at_the_key_and_named_as_yaml(tmp_path: Path, key: str, shown: str) -> None:
    sop, line = sop_with(tmp_path, "identity:\n", f"{key}: 1\nidentity:\n")
    findings = load_sop(sop).findings
    assert [(f.code, f.location.line, f.location.column) for f in findings] == [("SOP101", line, 1)]
    for lang in ("en", "id"):
        assert findings[0].message(lang) == t("schema.additional", lang, name=shown)


def test_duplicate_null_key_is_named_as_written(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("null: 1\na: 2\n~: 3\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(str(path))
    assert err.value.key == "yaml.duplicate_key"
    assert err.value.args_["key"] in ("~", "null")
    assert "None" not in err.value.render("id")


@pytest.mark.parametrize(
    ("value", "shown", "expected"),
    [
        ("true", "true", "integer"),
        ("null", "null", "integer"),
        ("!!binary aGVsbG8=", "!!binary aGVsbG8=", "integer"),
        ("[1, null]", "[1, null]", "integer"),
        ("{a: false}", "{'a': false}", "integer"),
    ],
)
def test_schema_messages_show_values_as_yaml(tmp_path: Path, value: str, shown: str, expected: str) -> None:
    sop, line = sop_with(tmp_path, "number: 6,", f"number: {value},")
    findings = load_sop(sop).findings
    assert [(f.code, f.location.line) for f in findings] == [("SOP101", line)]
    for lang in ("en", "id"):
        assert findings[0].message(lang) == t("schema.type", lang, value=shown, expected=expected)
    assert not re.search(r"\b(None|True|False)\b|b'", findings[0].message("id"))


def test_cli_shows_the_null_key_at_its_line(run_cli, tmp_path: Path) -> None:
    sop, line = sop_with(tmp_path, "identity:\n", "null: 1\nidentity:\n")
    code, out, err = run_cli(["validate", "--lang", "id", str(sop)])
    assert code == 1 and "Traceback" not in err
    assert f"{sop}:{line}:1: error SOP101 " + t("schema.additional", "id", name="null") in out


# --- V8: every validator keyword of our schemas has its own message -----------------------------

# Keywords whose failures are the failures of their subschemas (jsonschema reports those).
APPLICATORS = {
    "$ref", "$dynamicRef", "properties", "patternProperties", "prefixItems", "allOf", "if", "then",
    "else", "dependentSchemas", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
}
# Keywords whose value is a map of property names to subschemas, and keywords holding subschemas.
_NAMED = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
_ONE = {"items", "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else",
        "unevaluatedItems", "unevaluatedProperties", "additionalItems"}
_MANY = {"allOf", "anyOf", "oneOf", "prefixItems"}


def _keywords(schema: Any) -> Iterator[tuple[str, Any]]:
    """(keyword, value) of every validator keyword in a schema, its subschemas included."""
    if not isinstance(schema, dict):
        return
    for keyword, value in schema.items():
        if keyword in Draft202012Validator.VALIDATORS:
            yield keyword, value
        if keyword in _NAMED and isinstance(value, dict):
            for sub in value.values():
                yield from _keywords(sub)
        elif keyword in _ONE:
            yield from _keywords(value)
        elif keyword in _MANY and isinstance(value, list):
            for sub in value:
                yield from _keywords(sub)


def used_keywords() -> dict[str, list[Any]]:
    used: dict[str, list[Any]] = {}
    for path in sorted((REPO / "schemas").glob("*.json")):
        for keyword, value in _keywords(json.loads(path.read_text(encoding="utf-8"))):
            used.setdefault(keyword, []).append(value)
    return used


def _not_matching(pattern: str) -> str:
    for candidate in ("", " ", "!", "\x00", "a b", "0", "~~"):
        if not re.search(pattern, candidate):
            return candidate
    raise AssertionError(f"no example fails the pattern {pattern}")


def _not_type(types: str | list[str]) -> Any:
    validator = Draft202012Validator({"type": types})
    return next(v for v in (None, True, 7, 1.5, "x", [1], {"a": 1}) if not validator.is_valid(v))


def _not_format(fmt: str) -> str | None:
    """A text that fails the format, or None when this jsonschema does not check it (then it
    never fails, and needs no message)."""
    checker = Draft202012Validator.FORMAT_CHECKER
    for candidate in ("2024-13-45", "not valid", "::", "a b", "http://[x", "\x00"):
        if not checker.conforms(candidate, fmt):
            return candidate
    return None


# keyword -> (its value in a schema) -> (a schema with it, an instance that fails it, or None when
# no instance can)
FAILING: dict[str, Callable[[Any], tuple[dict[str, Any], Any]]] = {
    "type": lambda v: ({"type": v}, _not_type(v)),
    "enum": lambda v: ({"enum": v}, "__not_listed__"),
    "const": lambda v: ({"const": v}, "__not_it__"),
    "pattern": lambda v: ({"pattern": v}, _not_matching(v)),
    "format": lambda v: ({"format": v}, _not_format(v)),
    "minLength": lambda v: ({"minLength": v}, "a" * (v - 1) if v else None),
    "maxLength": lambda v: ({"maxLength": v}, "a" * (v + 1)),
    "minItems": lambda v: ({"minItems": v}, [0] * (v - 1) if v else None),
    "maxItems": lambda v: ({"maxItems": v}, list(range(v + 1))),
    "uniqueItems": lambda v: ({"uniqueItems": v}, [1, 1] if v else None),
    "minimum": lambda v: ({"minimum": v}, v - 1),
    "maximum": lambda v: ({"maximum": v}, v + 1),
    "exclusiveMinimum": lambda v: ({"exclusiveMinimum": v}, v),
    "exclusiveMaximum": lambda v: ({"exclusiveMaximum": v}, v),
    "multipleOf": lambda v: ({"multipleOf": v}, v * 1.5 if v != 0 else 1),
    "required": lambda v: ({"required": v}, {}),
    "dependentRequired": lambda v: ({"dependentRequired": v}, {k: 1 for k in v}),
    "additionalProperties": lambda v: ({"properties": {}, "additionalProperties": {"not": {}}}, {"x": 1}),
    "minProperties": lambda v: ({"minProperties": v}, {} if v else None),
    "maxProperties": lambda v: ({"maxProperties": v}, {str(i): i for i in range(v + 1)}),
    "items": lambda v: ({"prefixItems": [{}], "items": False}, [1, 2]),
    "contains": lambda v: ({"contains": {"const": "__never__"}}, [1]),
    "minContains": lambda v: ({"contains": {"const": 1}, "minContains": v}, [1] * (v - 1) if v else None),
    "maxContains": lambda v: ({"contains": {"const": 1}, "maxContains": v}, [1] * (v + 1)),
    "oneOf": lambda v: ({"oneOf": [{}, {}]}, 1),
    "anyOf": lambda v: ({"anyOf": [{"type": "string"}, {"type": "null"}]}, 1),
    "not": lambda v: ({"not": {}}, 1),
}


def test_every_keyword_of_our_schemas_has_a_message() -> None:
    from checker.sop.schema import describe

    used = used_keywords()
    assert {"minLength", "maxItems", "required"} <= set(used)  # the walk finds them
    for keyword, values in sorted(used.items()):
        if keyword in APPLICATORS:
            continue
        assert keyword in FAILING, f"no failing example for {keyword!r}: add one and a message"
        for value in values:
            schema, instance = FAILING[keyword](value)
            if instance is None:  # `minItems: 0`, a format this jsonschema does not check: never fails
                continue
            errors = list(Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
                          .iter_errors(instance))
            assert errors, (keyword, value, instance)
            doc = YamlDocument("x.yaml", "", instance, {(): (1, 1)}, {})
            for error in errors:
                got = describe(doc, error)
                assert got.key != "schema.other", f"{keyword}={value!r} has no message of its own"
                assert set(MESSAGES[got.key]) == {"id", "en"}
                indonesian = t(got.key, "id", **got.args)
                assert error.message not in indonesian, (keyword, indonesian)
                english = re.search(r"\b(should|is too|is not|does not|None|True|False)\b", indonesian)
                assert not english, indonesian


def test_empty_text_is_refused_in_indonesian(run_cli, tmp_path: Path) -> None:
    sop, line = sop_with(tmp_path, "title: {id: Denda, en: Fines}", 'title: {id: "", en: Fines}')
    findings = validate_json(run_cli, sop, "id")
    assert [(f["code"], f["line"], f["column"]) for f in findings] == [("SOP101", line, 15)]
    assert findings[0]["message"] == t("schema.empty_text", "id")


def test_too_many_weekend_days_is_refused_in_indonesian(run_cli, tmp_path: Path) -> None:
    calendar = tmp_path / "weekend7.yaml"
    calendar.write_text("weekend: [monday, tuesday, wednesday, thursday, friday, saturday, sunday]\n",
                        encoding="utf-8")
    for lang in ("en", "id"):
        got = only_error_line(run_cli(["audit", REV1, LOG, "--calendar", calendar, "--lang", lang]))
        assert got == f"{calendar}:1:10: " + t("schema.max_items", lang, limit=6)


# --- V14: conflicting revisions -----------------------------------------------------------------


def _revisions(tmp_path: Path, rev1: dict[str, str], rev2: dict[str, str]) -> Path:
    """A folder with the Magetan revisions 1 and 2, their texts changed by `rev1` and `rev2`
    (old -> new)."""
    folder = tmp_path / "rv"
    folder.mkdir()
    for source, changes in ((REV1, rev1), (REV2, rev2)):
        text = source.read_text(encoding="utf-8")
        for old, new in changes.items():
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        (folder / source.name).write_text(text, encoding="utf-8")
    return folder


# name -> (changes to revision 1, changes to revision 2, the message key)
CONFLICTS: dict[str, tuple[dict[str, str], dict[str, str], str]] = {
    "same-label": ({}, {'revision: "2"': 'revision: "1"'}, "revisions.duplicate_label"),
    "same-effective": (
        {"\nidentity:\n": '\nidentity:\n  dates: {effective: "2026-01-05"}\n'},
        {},
        "revisions.same_effective",
    ),
    "two-undated": ({}, {'    effective: "2026-01-05"\n': ""}, "revisions.two_undated"),
}


def _conflict(tmp_path: Path, name: str) -> tuple[Path, str]:
    rev1, rev2, key = CONFLICTS[name]
    return _revisions(tmp_path, rev1, rev2), key


@pytest.mark.parametrize("name", sorted(CONFLICTS))
def test_conflicting_revisions_are_refused_naming_both_files(tmp_path: Path, name: str) -> None:
    from checker.api import load_revisions

    folder, key = _conflict(tmp_path, name)
    with pytest.raises(InputError) as err:
        load_revisions(str(folder))
    assert err.value.key == key
    for lang in ("en", "id"):
        text = err.value.render(lang)
        assert str(folder / REV1.name) in text and str(folder / REV2.name) in text
        assert template(key, lang).search(text)


@pytest.mark.parametrize("name", sorted(CONFLICTS))
def test_audit_of_conflicting_revisions_is_one_line(run_cli, tmp_path: Path, name: str) -> None:
    folder, key = _conflict(tmp_path, name)
    for lang in ("en", "id"):
        got = only_error_line(run_cli(["audit", str(folder), str(LOG), "--lang", lang]))
        assert re.match(rf"{re.escape(str(folder))}/[^:]+\.yaml:\d+:\d+: ", got), got
        assert str(folder / REV1.name) in got and str(folder / REV2.name) in got
        assert template(key, lang).search(got)


def test_the_shipped_revisions_and_one_file_given_twice_are_accepted(tmp_path: Path) -> None:
    from checker.api import load_revisions

    assert sorted(s.revision for s in load_revisions(str(MAGETAN))) == ["1", "2"]
    assert [s.revision for s in load_revisions([str(REV1), str(REV1)])] == ["1"]
    copy = tmp_path / "copy.yaml"
    shutil.copy(REV1, copy)
    with pytest.raises(InputError) as err:
        load_revisions([str(REV1), str(copy)])
    assert err.value.key == "revisions.duplicate_label"
