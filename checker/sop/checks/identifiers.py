"""SOP102 duplicate ids, SOP107 duplicate step numbers, SOP114 a log label used twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.sop.checks import Problem
from checker.sop.model import Sop, Text, normalise_label

_KINDS = {
    "steps": Text("langkah", "step"),
    "actors": Text("pelaksana", "actor"),
    "documents": Text("dokumen", "document"),
    "attributes": Text("atribut", "attribute"),
    "deadlines": Text("tenggat", "deadline"),
}


def check(sop: Sop, data: dict[str, Any]) -> Iterator[Problem]:
    for section, kind in _KINDS.items():
        seen: set[str] = set()
        for index, item in enumerate(data.get(section, ())):
            if item["id"] in seen:
                yield Problem("SOP102", (section, index, "id"), {"kind": kind, "id": item["id"]})
            seen.add(item["id"])
    numbers: dict[int, str] = {}
    for index, step in enumerate(sop.steps):
        if step.number in numbers:
            yield Problem(
                "SOP107",
                ("steps", index, "number"),
                {"number": step.number, "step": step.id, "other": numbers[step.number]},
            )
        numbers.setdefault(step.number, step.id)
    for section, items in (
        ("steps", sop.steps),
        ("actors", sop.actors),
        ("documents", sop.documents),
    ):
        owner: dict[str, str] = {}
        for index, item in enumerate(items):
            for label in item.labels:
                norm = normalise_label(label)
                first = owner.setdefault(norm, item.id)
                if first != item.id:
                    yield Problem(
                        "SOP114",
                        (section, index, *_label_path(data[section][index], label)),
                        {
                            "label": label,
                            "kind": _KINDS[section],
                            "first": first,
                            "second": item.id,
                        },
                    )


def _label_path(item: dict[str, Any], label: str) -> tuple[str | int, ...]:
    """Where `label` is written in an item (its id, name or an alias), to point at that node."""
    if item.get("id") == label:
        return ("id",)
    name = item.get("name")
    if name == label:
        return ("name",)
    if isinstance(name, dict):
        for lang in ("id", "en"):
            if name.get(lang) == label:
                return ("name", lang)
    for k, alias in enumerate(item.get("aliases", ())):
        if alias == label:
            return ("aliases", k)
    return ()
