"""JSON Schema validation of a loaded YAML document, each error located at its node."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from checker.errors import Location
from checker.resources import load_schema
from checker.sop.yamlload import YamlDocument


@dataclass(frozen=True)
class SchemaError:
    """One schema error: where, which message key, and its arguments."""

    location: Location
    key: str
    args: dict[str, Any]


@cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def iter_schema_errors(doc: YamlDocument, schema: str) -> Iterator[SchemaError]:
    """Schema errors of `doc`, the most specific one for each failing node, in file order."""
    errors = []
    for error in validator(schema).iter_errors(doc.data):
        if error.context:
            # A oneOf/anyOf failure: show the sub-error a person should read first.
            error = best_match([error]) or error
        errors.append(_describe(doc, error))
    unique = {(e.location.line, e.location.column, e.key, repr(e.args)): e for e in errors}
    yield from (unique[k] for k in sorted(unique, key=lambda k: (k[0] or 0, k[1] or 0, k[2], k[3])))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(doc: YamlDocument, error: ValidationError) -> SchemaError:
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        return SchemaError(doc.locate(path), "schema.required", {"name": missing[0] if missing else "?"})
    if kind == "additionalProperties":
        # YAML keys need not be strings (`1:`, `null:`); positions are recorded by key text.
        extra = sorted(map(str, set(error.instance) - set(error.schema.get("properties", {}))))
        name = extra[0] if extra else "?"
        return SchemaError(doc.locate((*path, name), key=True), "schema.additional", {"name": name})
    location = doc.locate(path)
    value = _short(error.instance)
    if kind == "type":
        expected = error.validator_value
        expected = " / ".join(expected) if isinstance(expected, list) else expected
        return SchemaError(location, "schema.type", {"value": value, "expected": expected})
    if kind in ("enum", "const"):
        allowed = error.validator_value if kind == "enum" else [error.validator_value]
        return SchemaError(location, "schema.enum", {"value": value, "allowed": ", ".join(map(str, allowed))})
    if kind == "pattern":
        return SchemaError(location, "schema.pattern", {"value": value, "pattern": error.validator_value})
    if kind == "format":
        return SchemaError(location, "schema.format", {"value": value, "format": error.validator_value})
    if kind == "minItems":
        return SchemaError(location, "schema.min_items", {"limit": error.validator_value})
    if kind in ("minimum", "exclusiveMinimum"):
        return SchemaError(location, "schema.minimum", {"value": value, "limit": error.validator_value})
    if kind == "uniqueItems":
        return SchemaError(location, "schema.unique", {})
    if kind in ("oneOf", "anyOf", "not", "minProperties", "maxProperties"):
        where = next((p for p in reversed(path) if isinstance(p, str)), "")
        return SchemaError(location, "schema.shape", {"value": value, "where": where})
    return SchemaError(location, "schema.other", {"detail": error.message})
