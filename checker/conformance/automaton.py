"""The SOP's allowed behaviour for one case, as a small automaton over steps.

State 0 is "before the first step". Every other state is entered by doing one step, its label:
states 1..N are "step i just done" for the SOP's N steps in order (a sequential SOP needs no
others), and parallel threads add product states ("these threads stand here, and this step was
just done"), so that every interleaving of the threads is a path. Branch conditions are resolved
against the case's attributes: an automaton is built once per combination of branch decisions.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from checker.sop.checks.branches import allowed_branches
from checker.sop.checks.graph import thread_steps
from checker.sop.model import END, Sop, Step

INF = 1 << 30


@dataclass(frozen=True)
class Automaton:
    steps: tuple[str, ...]  # state t (t >= 1) is entered by doing step steps[t - 1]
    label: tuple[int, ...]  # label[t]: the symbol of that step (its position in the SOP + 1)
    succ: tuple[tuple[int, ...], ...]  # successors of each state, in SOP order
    final: frozenset[int]  # states from which the case may end
    reachable: frozenset[int]  # states reachable from 0
    reachable_labels: frozenset[int]  # symbols of the steps a case can do here
    label_succ: Mapping[int, frozenset[int]]  # symbol -> symbols that may directly follow it
    dist: tuple[tuple[int, ...], ...]  # dist[s][t]: fewest model moves from s to t
    enter: tuple[Mapping[int, tuple[tuple[int, int], ...]], ...]
    # enter[s][a]: every (state t labelled a, fewest model moves from s before syncing into t)
    to_final: tuple[int, ...]  # fewest model moves from s to an end
    shortest_path: int  # fewest steps of a complete case (PM4Py's model cost for fitness)
    restricted: bool  # False when branches could not be resolved (all taken as choices)

    @property
    def size(self) -> int:
        return len(self.succ)

    @cached_property
    def enter_by_label(self) -> Mapping[int, tuple[tuple[int, int, int], ...]]:
        """enter, turned around: for symbol a, every (s, t, cost) with (t, cost) in enter[s][a].
        The alignment's inner loop walks this list, not every state (most enter no t)."""
        out: dict[int, list[tuple[int, int, int]]] = {}
        for s, by_symbol in enumerate(self.enter):
            for a, targets in by_symbol.items():
                out.setdefault(a, []).extend((s, t, cost) for t, cost in targets)
        return {a: tuple(pairs) for a, pairs in out.items()}


def _conditional(step: Step) -> bool:
    return step.fork is None and not (len(step.next) == 1 and step.next[0].when is None)


def decisions(sop: Sop, attributes: Mapping[str, Any]) -> tuple[tuple[bool, ...], bool]:
    """Which branches are open for these attributes (a cache key), and whether every choice
    point has at least one way forward (False: some branch condition matched nothing)."""
    key: list[bool] = []
    complete = True
    for step in sop.steps:
        if not _conditional(step):
            continue
        allowed = allowed_branches(step.next, attributes)
        complete &= bool(allowed)
        key.extend(branch in allowed for branch in step.next)
    return tuple(key), complete


def _open_nexts(sop: Sop, open_branches: tuple[bool, ...] | None) -> dict[str, list[str]]:
    """Each step's open successors (step ids or END) under these branch decisions."""
    flags = iter(open_branches or ())
    out: dict[str, list[str]] = {}
    for step in sop.steps:
        targets: list[str] = []
        conditional = _conditional(step)
        for branch in step.next:
            is_open = next(flags) if (conditional and open_branches is not None) else True
            if is_open and (branch.step == END or branch.step in sop.step_by_id):
                targets.append(branch.step)
        if step.repeatable and step.id not in targets:
            targets.append(step.id)
        out[step.id] = list(dict.fromkeys(targets))
    return out


def build(sop: Sop, open_branches: tuple[bool, ...] | None) -> Automaton:
    """The automaton with only `open_branches` (from `decisions`), or all branches when None."""
    index = {step.id: i + 1 for i, step in enumerate(sop.steps)}
    nexts = _open_nexts(sop, open_branches)
    threads = {
        step.id: [frozenset(thread_steps(sop, first, step.fork.join)) for first in step.fork.threads]
        for step in sop.steps if step.fork is not None
    }
    # Configurations: ("seq", step) for states 1..N, ("par", fork step, positions, last step)
    # for states inside parallel threads; a position is None (not started) or the thread's last
    # step done.
    states: list[tuple] = [("start",)] + [("seq", step.id) for step in sop.steps]
    number = {conf: i for i, conf in enumerate(states)}

    def state_of(conf: tuple) -> int:
        if conf not in number:
            number[conf] = len(states)
            states.append(conf)
        return number[conf]

    succ: dict[int, list[int]] = {}
    final: set[int] = set()
    queue = deque([0])
    seen = {0}
    while queue:
        s = queue.popleft()
        conf = states[s]
        targets: list[tuple] = []
        if conf[0] == "start":
            targets = [("seq", sop.start.id)]
        elif conf[0] == "seq":
            step = sop.step_by_id[conf[1]]
            if step.fork is not None:
                positions = tuple(None for _ in step.fork.threads)
                for i, first in enumerate(step.fork.threads):
                    moved = tuple(first if j == i else p for j, p in enumerate(positions))
                    targets.append(("par", step.id, moved, first))
            else:
                targets = [("seq", t) for t in nexts[step.id] if t != END]
                if END in nexts[step.id]:
                    final.add(s)
        else:
            _, fork_id, positions, _ = conf
            fork = sop.step_by_id[fork_id].fork
            ended = [p is not None and fork.join in nexts[p] for p in positions]
            for i, pos in enumerate(positions):
                options = [fork.threads[i]] if pos is None else [
                    t for t in nexts[pos] if t not in (END, fork.join) and t in threads[fork_id][i]
                ]
                for t in options:
                    moved = tuple(t if j == i else p for j, p in enumerate(positions))
                    targets.append(("par", fork_id, moved, t))
            if all(ended):
                if fork.join == END:
                    final.add(s)
                else:
                    targets.append(("seq", fork.join))
        out = []
        for target in targets:
            t = state_of(target)
            if t not in out:
                out.append(t)
            if t not in seen:
                seen.add(t)
                queue.append(t)
        succ[s] = out
    size = len(states)
    succ_list = [succ.get(s, []) for s in range(size)]
    steps = tuple(conf[1] if conf[0] == "seq" else conf[3] for conf in states[1:])
    label = (0, *(index[step] for step in steps))
    dist = [_bfs(succ_list, s) for s in range(size)]
    pred: list[list[int]] = [[] for _ in range(size)]
    for s in range(size):
        for t in succ_list[s]:
            pred[t].append(s)
    enter = []
    for s in range(size):
        # The fewest moves from s to a predecessor of t: for t != s a shortest path to t ends
        # with one edge from such a predecessor, so it is dist - 1 (O(S^2), where taking the
        # minimum over predecessors for every pair took a fifth of a large SOP's audit).
        row = dist[s]
        by_label: dict[int, list[tuple[int, int]]] = {}
        for t in range(1, size):
            if t == s:
                cost = min((row[p] for p in pred[t]), default=INF)
            else:
                cost = row[t] - 1 if row[t] < INF else INF
            if cost < INF:
                by_label.setdefault(label[t], []).append((t, cost))
        enter.append({a: tuple(v) for a, v in by_label.items()})
    to_final = [min((dist[s][f] for f in final), default=INF) for s in range(size)]
    reachable = frozenset(t for t in range(size) if dist[0][t] < INF)
    label_succ: dict[int, set[int]] = {}
    for s in reachable:
        for t in succ_list[s]:
            label_succ.setdefault(label[s], set()).add(label[t])
    return Automaton(
        steps=steps,
        label=label,
        succ=tuple(tuple(s) for s in succ_list),
        final=frozenset(final),
        reachable=reachable,
        reachable_labels=frozenset(label[t] for t in reachable if t > 0),
        label_succ={a: frozenset(b) for a, b in label_succ.items()},
        dist=tuple(tuple(row) for row in dist),
        enter=tuple(enter),
        to_final=tuple(to_final),
        shortest_path=to_final[0],
        restricted=open_branches is not None,
    )


def step_to(auto: Automaton, state: int, symbol: int) -> int | None:
    """The state entered from `state` by doing the step with this symbol (None: not allowed).
    One at most: the successors of a state are distinct steps, or threads' distinct steps."""
    return next((t for t in auto.succ[state] if auto.label[t] == symbol), None)


def unavoidable(auto: Automaton, state: int, step_id: str) -> bool:
    """Whether every way from `state` to an end does step `step_id`."""
    seen, todo = {state}, [state]
    while todo:
        s = todo.pop()
        if s in auto.final:
            return False
        for t in auto.succ[s]:
            if auto.steps[t - 1] != step_id and t not in seen:
                seen.add(t)
                todo.append(t)
    return True


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
