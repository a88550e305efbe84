"""Semantic checks of an SOP beyond its JSON Schema: one module per family, each a generator of
minimal Problems (code, path into the YAML, arguments). The engine (checker.sop.load) stamps the
location and severity. The registry below is explicit, in the order the checks run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from checker.sop.model import Sop


@dataclass(frozen=True)
class Problem:
    code: str
    path: tuple[str | int, ...]
    args: dict[str, Any] = field(default_factory=dict)
    key: bool = False  # point at the key rather than the value


def run_all(sop: Sop, data: dict[str, Any]) -> Iterator[Problem]:
    from checker.sop.checks import branches, documents, graph, identifiers, references, timing

    for module in (identifiers, references, graph, branches, documents, timing):
        yield from module.check(sop, data)
