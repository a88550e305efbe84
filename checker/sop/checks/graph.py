"""SOP108 steps unreachable from the first step, SOP109 steps from which no end is reachable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.sop.checks import Problem
from checker.sop.model import END, Sop


def successors(sop: Sop) -> dict[str, set[str]]:
    """Every step's possible next steps over all branches (END included), known steps only."""
    return {
        step.id: {b.step for b in step.next if b.step == END or b.step in sop.step_by_id}
        for step in sop.steps
    }


def check(sop: Sop, data: dict[str, Any]) -> Iterator[Problem]:
    succ = successors(sop)
    reached, frontier = {sop.start.id}, [sop.start.id]
    while frontier:
        for nxt in succ.get(frontier.pop(), ()):
            if nxt != END and nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    finishing = {s for s, nexts in succ.items() if END in nexts}
    changed = True
    while changed:
        changed = False
        for s, nexts in succ.items():
            if s not in finishing and nexts & finishing:
                finishing.add(s)
                changed = True
    for index, step in enumerate(sop.steps):
        if step.id not in reached:
            yield Problem("SOP108", ("steps", index, "id"), {"step": step.id})
        elif step.id not in finishing:
            yield Problem("SOP109", ("steps", index, "next"), {"step": step.id})
