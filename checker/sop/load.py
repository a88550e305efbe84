"""Load an SOP file: YAML with positions, the JSON Schema, the model, then the semantic checks.

`load_sop` raises InputError for a file that cannot be read as YAML at all (exit 2); everything
else is a located finding (exit 1)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker import catalogue
from checker.errors import InputError, Location
from checker.findings import message
from checker.messages import t
from checker.sop import build
from checker.sop.checks import run_all
from checker.sop.model import Sop, Text
from checker.sop.schema import iter_schema_errors
from checker.sop.yamlload import load_yaml, read_text


@dataclass(frozen=True)
class SopFinding:
    """A problem in an SOP file, located at its YAML node."""

    code: str
    location: Location
    args: Mapping[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return catalogue.get(self.code).severity

    def message(self, lang: str = "en") -> str:
        return message(self.code, self.args, lang)

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.line or 0, loc.column or 0, self.code, self.message("en"))


@dataclass(frozen=True)
class LoadedSop:
    path: str
    sop: Sop | None  # None when the schema failed: semantic checks need a well-formed SOP
    findings: tuple[SopFinding, ...]

    @property
    def ok(self) -> bool:
        return not any(f.severity == catalogue.ERROR for f in self.findings)


def load_sop(path: str | Path) -> LoadedSop:
    path = str(path)
    text = read_text(path)
    doc = load_yaml(path, text)
    if not isinstance(doc.data, dict):
        raise InputError("yaml.not_mapping", doc.locate(()))
    schema_errors = list(iter_schema_errors(doc, "sop.schema.json"))
    if schema_errors:
        findings = [
            SopFinding(
                "SOP101",
                e.location,
                {"detail": Text(t(e.key, "id", **e.args), t(e.key, "en", **e.args))},
            )
            for e in schema_errors
        ]
        return LoadedSop(path, None, tuple(sorted(findings, key=SopFinding.sort_key)))
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    sop = build.sop(doc.data, path=path, sha256=sha)
    findings = [SopFinding(p.code, doc.locate(p.path, key=p.key), p.args) for p in run_all(sop, doc.data)]
    return LoadedSop(path, sop, tuple(sorted(findings, key=SopFinding.sort_key)))


def require_sop(path: str | Path) -> Sop:
    """The SOP at `path`, or an InputError naming its first problem (for commands that audit)."""
    loaded = load_sop(path)
    errors = [f for f in loaded.findings if f.severity == catalogue.ERROR]
    if loaded.sop is None or errors:
        first = errors[0]
        raise InputError(
            "sop.invalid",
            first.location,
            {
                "code": first.code,
                "detail": Text(first.message("id"), first.message("en")),
                "count": len(errors),
            },
        )
    return loaded.sop
