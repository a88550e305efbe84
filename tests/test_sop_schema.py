"""The SOP file format: the JSON Schema itself, schema errors located at their node, and the
positioned YAML loader underneath (duplicate keys, aliases, encodings) on hostile input."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for

from checker.errors import InputError
from checker.resources import load_schema
from checker.sop.load import load_sop
from checker.sop.schema import iter_schema_errors
from checker.sop.yamlload import MAX_NODES, load_yaml

REPO = Path(__file__).resolve().parent.parent
SCHEMA_PATH = REPO / "schemas" / "sop.schema.json"
SEED = REPO / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
RULES = sorted(
    p for p in (REPO / "rules").rglob("*.y*ml") if not p.name.endswith((".cases.yaml", ".cases.yml"))
)

MINIMAL = """\
sopcheck: 1
id: test/minimal
revision: "1"
identity:
  title: Minimal
actors:
  - id: bupati
    name: Bupati
steps:
  - id: terima
    number: 1
    name: Terima surat
    actor: bupati
    next: end
"""


def schema_findings(tmp_path: Path, text: str) -> list[tuple[int | None, int | None, str]]:
    """(line, column, English message) of every SOP101 finding of `text`."""
    path = tmp_path / "sop.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_sop(path)
    assert loaded.sop is None, "expected a schema failure"
    assert {f.code for f in loaded.findings} == {"SOP101"}
    return [(f.location.line, f.location.column, f.message("en")) for f in loaded.findings]


# --- the schema document -------------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert validator_for(schema) is Draft202012Validator
    Draft202012Validator.check_schema(schema)  # raises SchemaError if not a valid 2020-12 schema


def test_packaged_schema_is_the_repository_schema() -> None:
    assert load_schema("sop.schema.json") == json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not ref:
        return node
    assert ref.startswith("#/"), f"only local references are expected, got {ref}"
    target: Any = schema
    for part in ref[2:].split("/"):
        target = target[part]
    return target


def _properties(node: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    """Every (pointer, subschema) that describes a named property, anywhere in the schema."""
    found = []
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            found.append((f"{where}/properties/{name}", sub))
        for key, value in node.items():
            found += _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _properties(value, f"{where}/{index}")
    return found


def test_every_property_has_a_description() -> None:
    """Editors show these descriptions on hover: an SOP author must never meet a bare key. A
    property that is only a `$ref` gets its description from the definition it points to."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    properties = _properties(schema, "#")
    assert len(properties) > 100  # the walk really went through the whole schema
    missing = [
        pointer
        for pointer, sub in properties
        if not str(sub.get("description") or _resolve(schema, sub).get("description") or "").strip()
    ]
    assert missing == []
    undocumented_defs = [name for name, sub in schema["$defs"].items() if not sub.get("description")]
    assert undocumented_defs == []
    assert schema.get("description")


def test_every_object_closes_its_properties() -> None:
    """A misspelt key must be an error (SOP101), not silently ignored."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

    def walk(node: Any, where: str) -> list[str]:
        out = []
        if isinstance(node, dict):
            if "properties" in node and node.get("additionalProperties") is not False:
                out.append(where)
            for key, value in node.items():
                out += walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                out += walk(value, f"{where}/{index}")
        return out

    assert walk(schema, "#") == []


# --- the seed and every shipped SOP ----------------------------------------------------------------


def test_schema_accepts_the_seed_sop() -> None:
    doc = load_yaml(str(SEED))
    assert list(Draft202012Validator(load_schema("sop.schema.json")).iter_errors(doc.data)) == []
    assert list(iter_schema_errors(doc, "sop.schema.json")) == []


@pytest.mark.parametrize("path", RULES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_shipped_sop_matches_the_schema(path: Path) -> None:
    assert list(iter_schema_errors(load_yaml(str(path)), "sop.schema.json")) == []


def test_rules_folder_is_not_empty() -> None:
    assert SEED in RULES


# --- schema errors are located at the offending node ---------------------------------------------


def test_unknown_property_points_at_its_key(tmp_path: Path) -> None:
    text = MINIMAL.replace("    actor: bupati\n", "    actor: bupati\n    pelaksana: bupati\n")
    assert schema_findings(tmp_path, text) == [(14, 5, "unknown property 'pelaksana'")]


def test_missing_required_points_at_the_object(tmp_path: Path) -> None:
    text = MINIMAL.replace("    number: 1\n", "")
    assert schema_findings(tmp_path, text) == [(10, 5, "missing required property 'number'")]


def test_wrong_type_points_at_the_value(tmp_path: Path) -> None:
    text = MINIMAL.replace('revision: "1"', "revision: 1")
    assert schema_findings(tmp_path, text) == [(3, 11, "value 1 must be of type string")]


def test_unknown_time_unit_points_at_the_unit(tmp_path: Path) -> None:
    text = MINIMAL.replace("    next: end\n", "    time: {amount: 3, unit: hari}\n    next: end\n")
    [(line, column, _)] = schema_findings(tmp_path, text)
    assert (line, column) == (14, 29)


def test_condition_that_is_code_is_refused(tmp_path: Path) -> None:
    """Conditions are data; an expression string is not a condition. Regression: the error inside
    a list of branches was reported as "`next` must be a string" on the line of `next`."""
    text = MINIMAL.replace(
        "    next: end\n",
        "    next:\n      - step: end\n        when: \"jenis_kerja_sama == 'KSDD'\"\n",
    )
    [(line, column, message)] = schema_findings(tmp_path, text)
    assert (line, column) == (16, 15)
    assert "'when'" in message


def test_error_inside_a_conditional_document_points_at_it(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "    next: end\n",
        "    outputs:\n      - document: {nama: surat}\n        when: {attribute: a, equals: 1}\n"
        "    next: end\n",
    )
    [(line, column, _)] = schema_findings(tmp_path, text)
    assert (line, column) == (15, 19)


def test_deadline_needs_either_within_or_by_attribute(tmp_path: Path) -> None:
    text = MINIMAL + (
        "deadlines:\n"
        "  - id: tenggat\n"
        "    from: {step: terima}\n"
        "    to: end\n"
        "    within: {amount: 3, unit: working_days}\n"
        "    by_attribute: batas_waktu\n"
    )
    [(line, column, _)] = schema_findings(tmp_path, text)
    assert (line, column) == (16, 5)


def test_non_string_keys_are_reported_not_crashed_on(tmp_path: Path) -> None:
    """Regression: a mapping with an int key and a string key among its unknown properties made
    the schema reporter compare int with str (TypeError)."""
    text = MINIMAL.replace("    next: end\n", "    next: end\n    3: tiga\n    zz: x\n")
    findings = schema_findings(tmp_path, text)
    assert findings and all(line is not None for line, _, _ in findings)


# --- the positioned YAML loader --------------------------------------------------------------------


def load_error(text: str | bytes, tmp_path: Path) -> InputError:
    path = tmp_path / "bad.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    with pytest.raises(InputError) as info:
        load_sop(path)
    return info.value


def test_positions_of_values_and_keys() -> None:
    doc = load_yaml("x.yaml", "a:\n  b: [1, {c: 2}]\n")
    assert doc.locate(("a", "b", 1, "c")).line == 2 and doc.locate(("a", "b", 1, "c")).column == 14
    assert (doc.locate(("a", "b"), key=True).line, doc.locate(("a", "b"), key=True).column) == (2, 3)
    # A path that does not exist falls back to its nearest ancestor.
    assert (doc.locate(("a", "b", 7)).line, doc.locate(("a", "b", 7)).column) == (2, 6)


def test_dates_stay_strings() -> None:
    """JSON Schema checks the `date` format on strings; YAML would make them date objects."""
    assert load_yaml("x.yaml", "made: 2024-01-31\n").data == {"made": "2024-01-31"}


def test_duplicate_key_names_the_second_key_and_the_first_line(tmp_path: Path) -> None:
    err = load_error("a: 1\nb:\n  c: 2\n  c: 3\n", tmp_path)
    assert err.key == "yaml.duplicate_key"
    assert (err.location.line, err.location.column) == (4, 3)
    assert err.args_ == {"key": "c", "first": 3}


def test_merge_key_may_be_overridden(tmp_path: Path) -> None:
    """Regression: a key written next to `<<: *anchor` overrides the merged one (YAML merge); it
    was reported as a duplicate of the anchor's key."""
    doc = load_yaml("x.yaml", "base: &b {x: 1, y: 1}\nother:\n  <<: *b\n  x: 2\n")
    assert doc.data["other"] == {"x": 2, "y": 1}
    err = load_error("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n  y: 3\n", tmp_path)
    assert err.key == "yaml.duplicate_key" and err.location.line == 5


def test_tab_indentation_has_its_own_message(tmp_path: Path) -> None:
    """Regression: PyYAML's "found character '\\t'" was not recognised as a tab problem."""
    err = load_error("identity:\n  title: x\n\tnumber: y\n", tmp_path)
    assert err.key == "yaml.tab"
    assert (err.location.line, err.location.column) == (3, 1)


@pytest.mark.parametrize(
    ("value", "tag", "column"),
    [
        ("!!int x", "!!int", 6),
        ("!!float x", "!!float", 6),
        ("!!bool maybe", "!!bool", 6),
        ("!!timestamp 2024-13-45", "!!timestamp", 6),
        ("[1, !!int two]", "!!int", 10),
    ],
)
def test_explicit_tag_the_value_does_not_fit_is_located(
    value: str, tag: str, column: int, tmp_path: Path
) -> None:
    """Regression: PyYAML's constructors raised ValueError / KeyError for these (a traceback)."""
    err = load_error(f"identity:\n  x: {value}\n", tmp_path)
    assert err.key == "yaml.bad_tagged_value"
    assert err.args_["tag"] == tag
    assert (err.location.line, err.location.column) == (2, column)


def test_explicit_tag_that_fits_is_read() -> None:
    assert load_yaml("x.yaml", "a: !!int 12\nb: !!str 5\n").data == {"a": 12, "b": "5"}


def test_alias_bomb_is_refused_before_expansion(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    err = load_error("\n".join(lines) + "\n", tmp_path)
    assert err.key == "yaml.alias_bomb"
    assert err.args_ == {"limit": MAX_NODES}
    assert err.location.line is not None


def test_a_few_aliases_are_fine() -> None:
    doc = load_yaml("x.yaml", "a: &x [1, 2]\nb: *x\nc: *x\n")
    assert doc.data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_recursive_alias_is_an_input_error(tmp_path: Path) -> None:
    assert load_error("a: &a [*a]\n", tmp_path).key == "yaml.too_deep"


def test_deep_nesting_is_an_input_error(tmp_path: Path) -> None:
    assert load_error("a: " + "[" * 3000 + "]" * 3000 + "\n", tmp_path).key == "yaml.too_deep"


def test_non_utf8_byte_column_counts_characters(tmp_path: Path) -> None:
    """Regression: the column counted bytes, so text with é before the bad byte was off by one."""
    err = load_error("a: 1\nnama: Café \xff\n".encode().replace(b"\xc3\xbf", b"\xff"), tmp_path)
    assert err.key == "file.not_utf8"
    assert (err.location.line, err.location.column) == (2, 12)
    assert err.args_ == {"byte": "0xff"}


def test_control_character_is_located(tmp_path: Path) -> None:
    """Regression: PyYAML's ReaderError (unprintable character) escaped as a traceback."""
    err = load_error('a: 1\nb: "x\x07"\n', tmp_path)
    assert err.key == "yaml.syntax"
    assert (err.location.line, err.location.column) == (2, 6)


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert load_sop(path).findings == ()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "file.empty"),
        ("   \n\n", "file.empty"),
        ("# only a comment\n", "file.empty"),
        ("a: 1\n---\nb: 2\n", "yaml.syntax"),
        ("- a\n- b\n", "yaml.not_mapping"),
        ("just text\n", "yaml.not_mapping"),
        ("a: !!python/object/apply:os.system [echo]\n", "yaml.syntax"),
        ("a: *undefined\n", "yaml.syntax"),
        ("? [a, b]\n: c\n", "yaml.unhashable_key"),
        ("a: 1\x00\n", "file.binary"),
    ],
    ids=[
        "empty",
        "blank",
        "comment",
        "two-documents",
        "list",
        "scalar",
        "python-tag",
        "alias",
        "list-key",
        "nul",
    ],
)
def test_unusable_yaml_is_an_input_error(tmp_path: Path, text: str, key: str) -> None:
    assert load_error(text, tmp_path).key == key


# --- robustness: whatever the file says, a located problem and never a crash ----------------------

_SEED_TEXT = SEED.read_text(encoding="utf-8")
_WORDS = [m.span() for m in re.finditer(r"[A-Za-z0-9_.\"'-]+", _SEED_TEXT)]
# Awkward YAML to drop into the seed: special floats, nulls, flow collections, anchors, tags,
# merge keys, a tab, a control character, an impossible date, near-miss names.
_TOKENS = [
    ".nan", ".inf", "-.inf", "-1", "0", "1.5", "1e3", "~", "null", "true", "[]", "{}", "[[", "'",
    "*a", "&a x", "!!set {a}", "!!binary aGk=", "1: x", "? [a]", "<<: {a: 1}", "\t", "\x07",
    "2024-02-30", "{attribute: status}", "[{step: end}]", "end", "bupatii", "working_day", "KSDX",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_TOKENS)), min_size=1, max_size=3))
def test_mutated_seed_never_crashes(tmp_path: Path, edits: list[tuple[tuple[int, int], str]]) -> None:
    """Replace a few words of the real SOP with awkward YAML: the loader gives an InputError or
    located findings in both languages, never another exception."""
    text = _SEED_TEXT
    for (start, end), token in sorted(set(edits), reverse=True):
        text = text[:start] + token + text[end:]
    path = tmp_path / "mutated.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        loaded = load_sop(path)
    except InputError as err:
        assert err.render("en") and err.render("id")
        return
    for finding in loaded.findings:
        assert finding.location.line is not None
        assert finding.message("en") and finding.message("id")
