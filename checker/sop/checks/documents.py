"""SOP112: an input that neither arrives with the case nor is produced on every path to its step.

A must-analysis (documents available on every path) over the SOP graph, once for each
combination of declared attribute values, since inputs, outputs and branches may depend on them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from checker.sop.checks import Problem
from checker.sop.checks.branches import allowed_branches, assignments
from checker.sop.model import END, Condition, Sop


def _tested(sop: Sop) -> frozenset[str]:
    names: set[str] = set()
    conditions: list[Condition | None] = [sop.case.closed_when]
    for step in sop.steps:
        conditions += [b.when for b in step.next]
        conditions += [r.when for r in (*step.inputs, *step.outputs)]
    conditions += [r.when for r in sop.case.arrives_with]
    for cond in conditions:
        if cond is not None:
            names |= cond.attributes()
    return frozenset(names)


def available_before(sop: Sop, attributes: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """For each step reachable under `attributes`, the documents present on every path to it."""
    arriving = frozenset(r.document for r in sop.case.arrives_with if r.applies(attributes))
    succ = {
        step.id: [
            b.step
            for b in allowed_branches(step.next, attributes)
            if b.step != END and b.step in sop.step_by_id
        ]
        for step in sop.steps
    }
    available: dict[str, frozenset[str]] = {sop.start.id: arriving}
    frontier = [sop.start.id]
    while frontier:
        current = frontier.pop()
        step = sop.step_by_id[current]
        out = available[current] | {r.document for r in step.outputs if r.applies(attributes)}
        for nxt in succ[current]:
            before = available.get(nxt)
            after = out if before is None else before & out
            if after != before:
                available[nxt] = after
                frontier.append(nxt)
    return available


def check(sop: Sop, data: dict[str, Any]) -> Iterator[Problem]:
    combos = assignments(sop, _tested(sop)) or [{}]
    reported: set[tuple[str, str]] = set()
    for attributes in combos:
        available = available_before(sop, attributes)
        for index, step in enumerate(sop.steps):
            if step.id not in available:
                continue
            for j, ref in enumerate(step.inputs):
                if not ref.applies(attributes) or ref.document in available[step.id]:
                    continue
                if (step.id, ref.document) not in reported:
                    reported.add((step.id, ref.document))
                    yield Problem(
                        "SOP112",
                        ("steps", index, "inputs", j),
                        {"step": step.id, "document": ref.document},
                    )
