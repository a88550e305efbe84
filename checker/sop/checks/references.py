"""SOP103 unknown actor, SOP104 unknown document, SOP105 unknown attribute or value (a time zone
included), SOP106 unknown step."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from checker.sop.checks import Problem
from checker.sop.model import END, Sop, Text, normalise_label


def _step(sid: str) -> Text:
    return Text(f"langkah '{sid}'", f"step '{sid}'")


def _deadline(did: str) -> Text:
    return Text(f"tenggat '{did}'", f"deadline '{did}'")


def check(sop: Sop, data: dict[str, Any]) -> Iterator[Problem]:
    actors, docs, steps = set(sop.actor_by_id), set(sop.document_by_id), set(sop.step_by_id)
    for i, step in enumerate(data["steps"]):
        sid = step["id"]
        if step["actor"] not in actors:
            yield Problem("SOP103", ("steps", i, "actor"), {"step": sid, "actor": step["actor"]})
        for j, actor in enumerate(step.get("participants", ())):
            if actor not in actors:
                yield Problem("SOP103", ("steps", i, "participants", j), {"step": sid, "actor": actor})
        for j, delegate in enumerate(step.get("delegates", ())):
            if delegate["actor"] not in actors:
                yield Problem(
                    "SOP103",
                    ("steps", i, "delegates", j, "actor"),
                    {"step": sid, "actor": delegate["actor"]},
                )
            for k, doc in enumerate(delegate.get("requires", ())):
                if doc not in docs:
                    yield Problem(
                        "SOP104",
                        ("steps", i, "delegates", j, "requires", k),
                        {"where": _step(sid), "document": doc},
                    )
        for part in ("inputs", "outputs"):
            for j, ref in enumerate(step.get(part, ())):
                yield from _docref(ref, ("steps", i, part, j), _step(sid), docs, sop)
        nexts = step["next"]
        if isinstance(nexts, dict):
            for j, first in enumerate(nexts["parallel"]):
                if first not in steps:
                    yield Problem("SOP106", ("steps", i, "next", "parallel", j),
                                  {"where": _step(sid), "ref": first})
            if nexts["join"] != END and nexts["join"] not in steps:
                yield Problem("SOP106", ("steps", i, "next", "join"),
                              {"where": _step(sid), "ref": nexts["join"]})
        elif isinstance(nexts, str):
            if nexts != END and nexts not in steps:
                yield Problem("SOP106", ("steps", i, "next"), {"where": _step(sid), "ref": nexts})
        else:
            for j, branch in enumerate(nexts):
                if branch["step"] != END and branch["step"] not in steps:
                    yield Problem(
                        "SOP106",
                        ("steps", i, "next", j, "step"),
                        {"where": _step(sid), "ref": branch["step"]},
                    )
                yield from _condition(branch.get("when"), ("steps", i, "next", j, "when"), _step(sid), sop)
    case = data.get("case", {})
    for j, ref in enumerate(case.get("arrives_with", ())):
        yield from _docref(ref, ("case", "arrives_with", j), "case.arrives_with", docs, sop)
    if "start_attribute" in case:
        yield from _attribute(
            case["start_attribute"], ("case", "start_attribute"), "case.start_attribute", sop
        )
    yield from _condition(case.get("closed_when"), ("case", "closed_when"), "case.closed_when", sop)
    if "timezone" in case:
        yield from _zone(case["timezone"])
    for i, deadline in enumerate(data.get("deadlines", ())):
        where = _deadline(deadline["id"])
        for end in ("from", "to"):
            point = deadline.get(end)
            if isinstance(point, dict) and "step" in point and point["step"] not in steps:
                yield Problem("SOP106", ("deadlines", i, end, "step"), {"where": where, "ref": point["step"]})
            if isinstance(point, dict) and "attribute" in point:
                yield from _attribute(point["attribute"], ("deadlines", i, end, "attribute"), where, sop)
        if "by_attribute" in deadline:
            yield from _attribute(deadline["by_attribute"], ("deadlines", i, "by_attribute"), where, sop)
        yield from _condition(deadline.get("when"), ("deadlines", i, "when"), where, sop,
                              steps_allowed=True)


def _docref(ref: Any, path: tuple, where: str, docs: set[str], sop: Sop) -> Iterator[Problem]:
    doc = ref if isinstance(ref, str) else ref["document"]
    if doc not in docs:
        yield Problem(
            "SOP104",
            path if isinstance(ref, str) else (*path, "document"),
            {"where": where, "document": doc},
        )
    if isinstance(ref, dict):
        yield from _condition(ref.get("when"), (*path, "when"), where, sop)


def _attribute(name: str, path: tuple, where: str, sop: Sop) -> Iterator[Problem]:
    if name not in sop.attribute_by_id:
        yield Problem("SOP105", path, {"where": where, "what": Text("atribut", "attribute"), "name": name})


def _zone(name: str) -> Iterator[Problem]:
    """The audit reads the zone with the same function when it opens the log; a zone it does not
    know must fail here, at its node, not there with no file named."""
    from checker.errors import InputError
    from checker.readers.timeparse import resolve_zone

    try:
        resolve_zone(name)
    except InputError:
        shown = name if name.isprintable() else json.dumps(name, ensure_ascii=False)[1:-1]
        yield Problem(
            "SOP105",
            ("case", "timezone"),
            {"where": "case.timezone", "what": Text("zona waktu", "time zone"), "name": shown},
        )


def _condition(
    cond: Any, path: tuple, where: str, sop: Sop, *, steps_allowed: bool = False
) -> Iterator[Problem]:
    if cond is None:
        return
    for combinator in ("all", "any"):
        if combinator in cond:
            for j, item in enumerate(cond[combinator]):
                yield from _condition(item, (*path, combinator, j), where, sop,
                                      steps_allowed=steps_allowed)
            return
    if "not" in cond:
        yield from _condition(cond["not"], (*path, "not"), where, sop, steps_allowed=steps_allowed)
        return
    if "step" in cond:
        # Whether a step was done is known only after the alignment: deadlines may ask it,
        # branches (decided from attributes before the case is read) may not.
        if not steps_allowed:
            yield Problem("SOP115", (*path, "step"), {"where": where, "ref": cond["step"]})
        elif cond["step"] not in sop.step_by_id:
            yield Problem("SOP106", (*path, "step"), {"where": where, "ref": cond["step"]})
        return
    name = cond["attribute"]
    attribute = sop.attribute_by_id.get(name)
    if attribute is None:
        yield Problem(
            "SOP105",
            (*path, "attribute"),
            {"where": where, "what": Text("atribut", "attribute"), "name": name},
        )
        return
    if not attribute.values:
        return
    allowed = {normalise_label(str(v.value)) for v in attribute.values}
    for op in ("equals", "not_equals", "in", "not_in"):
        if op not in cond:
            continue
        values = cond[op] if isinstance(cond[op], list) else [cond[op]]
        for j, value in enumerate(values):
            if normalise_label(str(value)) not in allowed:
                where_path = (*path, op, j) if isinstance(cond[op], list) else (*path, op)
                yield Problem(
                    "SOP105",
                    where_path,
                    {
                        "where": where,
                        "what": Text(f"nilai '{name}'", f"value of '{name}'"),
                        "name": value,
                    },
                )
