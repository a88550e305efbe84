"""Rendering a finding's message from the catalogue, in Indonesian or English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checker import catalogue
from checker.sop.model import Text


def render_args(args: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Arguments ready for a template: bilingual ones (Text) in `lang`, numbers tidied."""
    out: dict[str, Any] = {}
    for key, value in args.items():
        if isinstance(value, Text):
            value = value.get(lang)
        elif isinstance(value, dict) and set(value) <= {"id", "en"} and "en" in value:
            value = value.get(lang) or value["en"]
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, float):
            value = round(value, 2)
        out[key] = value
    return out


class _Args(dict):
    """Template arguments; a missing one shows as '-' rather than failing a whole report."""

    def __missing__(self, key: str) -> str:
        return "-"


def message(code: str, args: Mapping[str, Any], lang: str) -> str:
    return catalogue.get(code).message.get(lang).format_map(_Args(render_args(args, lang)))
