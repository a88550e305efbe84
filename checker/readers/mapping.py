"""Which source column holds which field of the event model.

Without options, the canonical names (case_id, activity, timestamp, actor, start_timestamp,
documents, case:NAME) and the PM4Py / XES names (case:concept:name, concept:name,
time:timestamp, org:resource, lifecycle:transition, other case:*) are recognised. Anything else is
mapped with `--map FIELD=COLUMN` or a mapping file. Column names match exactly, else ignoring case.

When a log has no actor column (neither `actor` nor `org:resource`), `org:role` and then
`org:group` are used as the actor, with a note: a role or unit is the best actor such a log has.
Remaining `case:NAME` columns become case attributes NAME; all other columns event attributes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from checker.errors import InputError, Location
from checker.readers.accounting import Note

FIELDS = (
    "case_id",
    "activity",
    "timestamp",
    "actor",
    "start_timestamp",
    "documents",
    "lifecycle",
    "case_documents",
)
REQUIRED = ("case_id", "activity", "timestamp")

# Recognised column names per field, in order of preference.
KNOWN: Mapping[str, tuple[str, ...]] = {
    "case_id": ("case_id", "case:concept:name"),
    "activity": ("activity", "concept:name"),
    "timestamp": ("timestamp", "time:timestamp"),
    "actor": ("actor", "org:resource"),
    "start_timestamp": ("start_timestamp",),
    "documents": ("documents",),
    "lifecycle": ("lifecycle:transition", "lifecycle"),
    "case_documents": ("case:documents",),
}
ACTOR_FALLBACK = ("org:role", "org:group")

# Targets a user may name in --map besides FIELDS (XES names as aliases of fields).
TARGET_ALIASES = {
    "case:concept:name": "case_id",
    "concept:name": "activity",
    "time:timestamp": "timestamp",
    "org:resource": "actor",
    "lifecycle:transition": "lifecycle",
    "case:documents": "case_documents",
}

_SPLIT_DOCUMENTS = re.compile(r"[;|]")


@dataclass(frozen=True)
class ColumnPlan:
    """The resolved mapping: `fields` (field -> column), `case_attributes` and
    `event_attributes` ((column, attribute name) pairs), and notes for the auditor."""

    fields: Mapping[str, str]
    case_attributes: tuple[tuple[str, str], ...] = ()
    event_attributes: tuple[tuple[str, str], ...] = ()
    notes: tuple[Note, ...] = ()
    explicit_case: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def column(self, name: str) -> str | None:
        return self.fields.get(name)

    @property
    def used(self) -> frozenset[str]:
        """Columns that feed a field or an explicitly mapped case attribute."""
        return frozenset(self.fields.values()) | frozenset(self.explicit_case)


def normalise_target(target: str) -> str:
    """The field a --map target names, or `case:NAME` for a case attribute; raises InputError."""
    name = target.strip()
    if name in FIELDS:
        return name
    if name in TARGET_ALIASES:
        return TARGET_ALIASES[name]
    if name.startswith("case:") and len(name) > 5:
        return name
    raise InputError(
        "readers.mapping_unknown_field",
        None,
        {"field": target, "fields": ", ".join((*FIELDS, "case:NAME"))},
    )


def parse_map_items(items: Sequence[str]) -> dict[str, str]:
    """`--map FIELD=COLUMN` items as a dict (split at the first `=`). One field named twice
    (or by its XES alias too: activity and concept:name) with two columns is refused
    (readers.mapping_twice): which one was meant cannot be told."""
    result: dict[str, str] = {}
    for item in items:
        target, sep, column = item.partition("=")
        if not sep or not target.strip() or not column.strip():
            raise InputError("readers.mapping_bad_item", None, {"item": item})
        field, column = normalise_target(target), column.strip()
        if result.get(field, column) != column:
            raise InputError(
                "readers.mapping_twice", None, {"field": field, "first": result[field], "second": column}
            )
        result[field] = column
    return result


def _find(columns: Sequence[str], wanted: str, taken: set[str], exact_only: bool = False) -> str | None:
    if wanted in columns and wanted not in taken:
        return wanted
    if exact_only:
        return None
    folded = wanted.casefold()
    for column in columns:
        if column not in taken and column.casefold() == folded:
            return column
    return None


def _recognise(columns: Sequence[str], candidates: Sequence[str], taken: set[str]) -> str | None:
    """The first candidate present exactly, else the first present ignoring case (so an XES
    `concept:name` wins over a free-text `Activity` column)."""
    for exact_only in (True, False):
        for candidate in candidates:
            actual = _find(columns, candidate, taken, exact_only)
            if actual is not None:
                return actual
    return None


def resolve_plan(
    columns: Sequence[str],
    mapping: Mapping[str, str],
    location: Location | None,
) -> ColumnPlan:
    """Resolve the columns a source has against the user's mapping; raise InputError
    `readers.missing_columns` (naming the columns found and the mapping options) when a required
    field has no column, `readers.mapping_default_taken` when that is because its usual column is
    mapped to another field, and `readers.mapping_shared_column` when two fields (or two case
    attributes) are mapped to one column. An optional field whose usual column is mapped to
    another gets a note (readers.note.default_taken)."""
    fields: dict[str, str] = {}
    explicit_case: dict[str, str] = {}
    taken: set[str] = set()
    mapped: dict[str, str] = {}  # column -> the field mapped to it (a case:NAME apart)
    found = ", ".join(columns) if columns else "-"
    for raw_target, column in mapping.items():
        target = normalise_target(raw_target)
        actual = _find(columns, column, set())
        if actual is None:
            raise InputError(
                "readers.mapping_column_not_found",
                location,
                {"column": column, "field": raw_target, "found": found},
            )
        if target.startswith("case:"):
            _refuse_shared(explicit_case, actual, target, location, lambda name: f"case:{name}")
            explicit_case[actual] = target[5:]
        else:
            # Two fields on one column would read one value as both (case ids as activities).
            _refuse_shared(mapped, actual, target, location, str)
            mapped[actual] = target
            fields[target] = actual
        taken.add(actual)
    notes: list[Note] = []
    for name, candidates in KNOWN.items():
        if name in fields:
            continue
        usual = _recognise(columns, candidates, set())
        if usual is not None and (usual in mapped or usual in explicit_case):  # mapped to another
            owner = mapped.get(usual) or f"case:{explicit_case[usual]}"
            args = {"field": name, "column": usual, "target": owner}
            if name in REQUIRED and _recognise(columns, candidates, taken) is None:
                raise InputError("readers.mapping_default_taken", location, args)
            notes.append(Note("readers.note.default_taken", args))
        actual = _recognise(columns, candidates, taken)
        if actual is not None:
            fields[name] = actual
            taken.add(actual)
    if "actor" not in fields:
        actual = _recognise(columns, ACTOR_FALLBACK, taken)
        if actual is not None:
            fields["actor"] = actual
            taken.add(actual)
            notes.append(Note("readers.note.actor_fallback", {"column": actual}))
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        raise InputError(
            "readers.missing_columns",
            location,
            {"missing": ", ".join(missing), "found": found},
        )
    case_attributes = list(explicit_case.items())
    event_attributes = []
    for column in columns:
        if column in taken:
            continue
        if column.startswith("case:") and len(column) > 5:
            case_attributes.append((column, column[5:]))
        else:
            event_attributes.append((column, column))
    return ColumnPlan(
        fields=MappingProxyType(fields),
        case_attributes=tuple(case_attributes),
        event_attributes=tuple(event_attributes),
        notes=tuple(notes),
        explicit_case=MappingProxyType(explicit_case),
    )


def _refuse_shared(
    owners: Mapping[str, str], column: str, target: str, location: Location | None, shown: Any
) -> None:
    """Raise readers.mapping_shared_column when `column` already feeds another target."""
    if column in owners and shown(owners[column]) != target:
        raise InputError(
            "readers.mapping_shared_column",
            location,
            {"first": shown(owners[column]), "second": target, "column": column},
        )


def split_documents(value: Any) -> tuple[str, ...]:
    """A documents value as a tuple: a list as is, a string split at `;` or `|`."""
    if value is None or value == "":
        return ()
    if value.__class__ is str and ";" not in value and "|" not in value:
        value = value.strip()
        return (value,) if value else ()
    if isinstance(value, list | tuple):
        return tuple(s for s in (str(v).strip() for v in value if v is not None) if s)
    return _split_text(str(value))


@lru_cache(maxsize=1 << 14)  # a log repeats a few document lists; bounded for one that doesn't
def _split_text(text: str) -> tuple[str, ...]:
    return tuple(s for s in (p.strip() for p in _SPLIT_DOCUMENTS.split(text)) if s)


def _value_checks() -> dict[str, Any]:
    """The checks of a mapping file's option values, as the command line's are checked."""
    from checker.readers.csv_reader import delimiter_option
    from checker.readers.textfile import encoding_info
    from checker.readers.timeparse import check_date_format, resolve_zone

    return {
        "timezone": resolve_zone,
        "date_format": check_date_format,
        "encoding": encoding_info,
        "delimiter": delimiter_option,
    }


def load_mapping_file(path: str) -> dict[str, Any]:
    """A mapping file (YAML): `columns:` (field -> column) and optionally `timezone`,
    `date_format`, `encoding`, `delimiter`, `sheet`. Validated against
    schemas/mapping.schema.json; errors carry file:line:column."""
    from checker.sop.schema import iter_schema_errors
    from checker.sop.yamlload import load_yaml

    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError("yaml.not_mapping", Location(path, 1, 1))
    for error in iter_schema_errors(doc, "mapping.schema.json"):
        raise InputError(error.key, error.location, error.args)
    columns: dict[str, str] = {}
    for target, column in doc.data.get("columns", {}).items():
        try:
            columns[normalise_target(str(target))] = str(column)
        except InputError as err:
            raise InputError(err.key, doc.locate(("columns", target), key=True), err.args_) from None
    for key, check in _value_checks().items():
        if key in doc.data:
            try:
                check(str(doc.data[key]))
            except InputError as err:  # said at the value in the file, not as a bare option
                raise InputError(err.key, doc.locate((key,)), err.args_) from None
    result: dict[str, Any] = {k: v for k, v in doc.data.items() if k != "columns"}
    result["columns"] = columns
    return result
