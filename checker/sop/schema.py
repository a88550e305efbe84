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
from checker.sop.yamlload import YamlDocument, plain, show


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
        errors.append(describe(doc, error))
    unique = {(e.location.line, e.location.column, e.key, repr(e.args)): e for e in errors}
    yield from (unique[k] for k in sorted(unique, key=lambda k: (k[0] or 0, k[1] or 0, k[2], k[3])))


# The message of each validator keyword that fails on its own (value: the instance as YAML writes
# it; limit: the keyword's value). Keywords that only apply subschemas ($ref, properties, items
# with a schema, allOf, propertyNames, ...) fail through their subschemas' keywords, which are
# here. tests/test_sop_sweep.py checks that every keyword our schemas use is covered, so that no
# schema problem reaches a user in jsonschema's English.
MESSAGE_FOR: dict[str, str] = {
    "required": "schema.required",
    "additionalProperties": "schema.additional",
    "type": "schema.type",
    "enum": "schema.enum",
    "const": "schema.enum",
    "pattern": "schema.pattern",
    "format": "schema.format",
    "minLength": "schema.min_length",
    "maxLength": "schema.max_length",
    "minItems": "schema.min_items",
    "maxItems": "schema.max_items",
    "items": "schema.max_items",  # `items: false` after prefixItems: no more items than those
    "uniqueItems": "schema.unique",
    "contains": "schema.contains",
    "minContains": "schema.contains",
    "maxContains": "schema.max_contains",
    "minimum": "schema.minimum",
    "maximum": "schema.maximum",
    "exclusiveMinimum": "schema.exclusive_minimum",
    "exclusiveMaximum": "schema.exclusive_maximum",
    "multipleOf": "schema.multiple_of",
    "minProperties": "schema.min_properties",
    "maxProperties": "schema.max_properties",
    "dependentRequired": "schema.dependent_required",
    "oneOf": "schema.shape",
    "anyOf": "schema.shape",
    "not": "schema.shape",
}


def describe(doc: YamlDocument, error: ValidationError) -> SchemaError:
    """One jsonschema error as a message key with its arguments, located at its node."""
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        return SchemaError(doc.locate(path), "schema.required", {"name": missing[0] if missing else "?"})
    if kind == "additionalProperties":
        # YAML keys need not be text (`1:`, `null:`); positions are recorded by the key as loaded.
        known = error.schema.get("properties", {})
        extra = [k for k in error.instance if k not in known]
        if not extra:
            return SchemaError(doc.locate(path), "schema.additional", {"name": "?"})

        def where(key: Any) -> tuple[int, int]:
            found = doc.locate((*path, key), key=True)
            return (found.line or 0, found.column or 0)

        key = min(extra, key=lambda k: (where(k), plain(k)))  # the first in the file
        return SchemaError(doc.locate((*path, key), key=True), "schema.additional", {"name": plain(key)})
    if "propertyNames" in error.relative_schema_path:
        # The key itself fails (its instance is the key): point at it, not at its mapping.
        location = doc.locate((*path, error.instance), key=True)
    else:
        location = doc.locate(path)
    value = show(error.instance)
    limit = error.validator_value
    if kind == "type":
        expected = " / ".join(limit) if isinstance(limit, list) else limit
        return SchemaError(location, "schema.type", {"value": value, "expected": expected})
    if kind in ("enum", "const"):
        allowed = limit if kind == "enum" else [limit]
        shown = ", ".join(map(plain, allowed))
        return SchemaError(location, "schema.enum", {"value": value, "allowed": shown})
    if kind == "pattern":
        return SchemaError(location, "schema.pattern", {"value": value, "pattern": limit})
    if kind == "format":
        return SchemaError(location, "schema.format", {"value": value, "format": limit})
    if kind == "minLength":
        if limit == 1:
            return SchemaError(location, "schema.empty_text", {})
        return SchemaError(location, "schema.min_length", {"value": value, "limit": limit})
    if kind == "items":  # `items: false`: no items beyond prefixItems
        limit = len(error.schema.get("prefixItems", ()))
        return SchemaError(location, "schema.max_items", {"limit": limit})
    if kind in ("maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
        return SchemaError(location, MESSAGE_FOR[kind], {"value": value, "limit": limit})
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        return SchemaError(location, MESSAGE_FOR[kind], {"value": value, "limit": show(limit)})
    if kind == "uniqueItems":
        return SchemaError(location, "schema.unique", {})
    if kind in ("contains", "minContains", "maxContains"):
        return SchemaError(location, MESSAGE_FOR[kind], {"limit": 1 if kind == "contains" else limit})
    if kind == "dependentRequired":
        given = [k for k in limit if k in (error.instance or {})]
        pairs = [(k, n) for k in given for n in limit[k] if n not in error.instance]
        key, name = pairs[0] if pairs else ("?", "?")
        return SchemaError(location, "schema.dependent_required", {"name": name, "key": plain(key)})
    if kind in ("oneOf", "anyOf", "not"):
        where = next((p for p in reversed(path) if isinstance(p, str)), "")
        return SchemaError(location, "schema.shape", {"value": value, "where": where})
    return SchemaError(location, "schema.other", {"detail": error.message})
