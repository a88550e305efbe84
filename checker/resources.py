"""Where the shipped JSON Schemas are: inside the wheel (checker/schemas), or the repository's
top-level schemas/ folder in a source checkout (the single source of truth)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any


def schema_dir() -> Path:
    packaged = Path(__file__).parent / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "schemas"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema `name` (e.g. "sop.schema.json")."""
    with open(schema_dir() / name, encoding="utf-8") as handle:
        return json.load(handle)
