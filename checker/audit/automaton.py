"""The SOP's allowed behaviour for one case, as a small automaton over steps.

State 0 is "before the first step"; state i+1 is "step i just done". Moving into state t means
doing step t, so a state is also the label it consumes. Branch conditions are resolved against
the case's attributes: an automaton is built once per combination of branch decisions and cached.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checker.sop.checks.branches import allowed_branches
from checker.sop.model import END, Sop

INF = 1 << 30


@dataclass(frozen=True)
class Automaton:
    steps: tuple[str, ...]  # state t (t >= 1) does steps[t - 1]
    succ: tuple[tuple[int, ...], ...]  # successors of each state, in SOP order
    final: frozenset[int]  # states from which the case may end
    reachable: frozenset[int]  # states reachable from 0
    dist: tuple[tuple[int, ...], ...]  # dist[s][t]: fewest model moves from s to t
    enter: tuple[tuple[int, ...], ...]  # enter[s][a]: fewest model moves from s before doing a
    to_final: tuple[int, ...]  # fewest model moves from s to an end
    shortest_path: int  # fewest steps of a complete case (PM4Py's model cost for fitness)
    restricted: bool  # False when branches could not be resolved (all taken as choices)

    @property
    def size(self) -> int:
        return len(self.steps) + 1


def decisions(sop: Sop, attributes: Mapping[str, Any]) -> tuple[tuple[bool, ...], bool]:
    """Which branches are open for these attributes (a cache key), and whether every choice
    point has at least one way forward (False: some branch condition matched nothing)."""
    key: list[bool] = []
    complete = True
    for step in sop.steps:
        if len(step.next) == 1 and step.next[0].when is None:
            continue
        allowed = allowed_branches(step.next, attributes)
        complete &= bool(allowed)
        key.extend(branch in allowed for branch in step.next)
    return tuple(key), complete


def build(sop: Sop, open_branches: tuple[bool, ...] | None) -> Automaton:
    """The automaton with only `open_branches` (from `decisions`), or all branches when None."""
    index = {step.id: i + 1 for i, step in enumerate(sop.steps)}
    size = len(sop.steps) + 1
    succ: list[list[int]] = [[] for _ in range(size)]
    final: set[int] = set()
    succ[0].append(1)
    flags = iter(open_branches or ())
    for i, step in enumerate(sop.steps):
        state = i + 1
        conditional = not (len(step.next) == 1 and step.next[0].when is None)
        for branch in step.next:
            is_open = next(flags) if (conditional and open_branches is not None) else True
            if not is_open:
                continue
            if branch.step == END:
                final.add(state)
            elif branch.step in index and index[branch.step] not in succ[state]:
                succ[state].append(index[branch.step])
        if step.repeatable and state not in succ[state]:
            succ[state].append(state)
    dist = [_bfs(succ, s) for s in range(size)]
    pred: list[list[int]] = [[] for _ in range(size)]
    for s in range(size):
        for t in succ[s]:
            pred[t].append(s)
    enter = [[min((dist[s][p] for p in pred[a]), default=INF) for a in range(size)] for s in range(size)]
    to_final = [min((dist[s][f] for f in final), default=INF) for s in range(size)]
    reachable = frozenset(t for t in range(size) if dist[0][t] < INF)
    return Automaton(
        steps=tuple(step.id for step in sop.steps),
        succ=tuple(tuple(s) for s in succ),
        final=frozenset(final),
        reachable=reachable,
        dist=tuple(tuple(row) for row in dist),
        enter=tuple(tuple(row) for row in enter),
        to_final=tuple(to_final),
        shortest_path=to_final[0],
        restricted=open_branches is not None,
    )


def _bfs(succ: list[list[int]], source: int) -> list[int]:
    dist = [INF] * len(succ)
    dist[source] = 0
    queue = deque([source])
    while queue:
        s = queue.popleft()
        for t in succ[s]:
            if dist[t] == INF:
                dist[t] = dist[s] + 1
                queue.append(t)
    return dist
