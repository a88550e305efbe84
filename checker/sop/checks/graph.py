"""SOP108 steps unreachable from the first step, SOP109 steps from which no end is reachable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checker.sop.checks import Problem
from checker.sop.model import END, Sop, Text


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
    yield from _forks(sop, succ)
    for index, step in enumerate(sop.steps):
        if step.id not in reached:
            yield Problem("SOP108", ("steps", index, "id"), {"step": step.id})
        elif step.id not in finishing:
            yield Problem("SOP109", ("steps", index, "next"), {"step": step.id})


def thread_steps(sop: Sop, first: str, join: str) -> set[str]:
    """The steps of a parallel thread: reachable from its first step without passing the join."""
    succ = successors(sop)
    seen, frontier = {first}, [first]
    while frontier:
        for nxt in succ.get(frontier.pop(), ()):
            if nxt not in (END, join) and nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return seen


def _forks(sop: Sop, succ: dict[str, set[str]]) -> Iterator[Problem]:
    """SOP116: parallel threads must be separate, free of further forks, and all meet at the join."""
    for index, step in enumerate(sop.steps):
        fork = step.fork
        if fork is None or any(t not in sop.step_by_id for t in fork.threads):
            continue
        threads = [thread_steps(sop, first, fork.join) for first in fork.threads]
        reason = None
        for a in range(len(threads)):
            for b in range(a + 1, len(threads)):
                if threads[a] & threads[b]:
                    reason = ("threads share steps", "thread berbagi langkah")
        if any(step.id in t for t in threads):
            reason = ("a thread leads back to the fork", "thread kembali ke percabangan")
        if any(sop.step_by_id[s].fork is not None for t in threads for s in t):
            reason = ("parallel threads inside a thread", "paralel bersarang dalam thread")
        for t in threads:
            if not any(fork.join in succ.get(s, ()) for s in t):
                reason = ("a thread never reaches the join", "thread tidak pernah mencapai join")
        if reason:
            yield Problem("SOP116", ("steps", index, "next"),
                          {"step": step.id, "reason": Text(reason[1], reason[0])})
