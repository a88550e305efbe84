"""Optimal alignment of a trace with an SOP automaton (costs: log move 1, model move 1, sync 0).

Exact, not greedy: a backward pass computes, for every trace position i and state s, the least
cost h[i][s] to finish. Because model moves obey the triangle inequality, one layer costs O(S):
    h[i][s] = min(1 + h[i+1][s],                 # log move of event i
                  enter[s][a] + h[i+1][a])       # model moves to a predecessor of a, then sync a
with a the state of event i's step. A forward walk then picks, among optimal moves, sync before
model before log, so that ties resolve the same way every time: a repeated step is the later
event, a step done late is blamed on the step (model move first, log move after).
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.audit.automaton import INF, Automaton

SYNC, LOG, MODEL = "sync", "log", "model"
UNKNOWN = -1  # the state of an event whose label matches no step: it can never sync


@dataclass(frozen=True, slots=True)
class Alignment:
    moves: tuple[tuple[str, int, int], ...]  # (kind, state, event index or -1)
    cost: int
    fitness: float


def align(auto: Automaton, trace: tuple[int, ...]) -> Alignment:
    n = len(trace)
    size = auto.size
    enter, succ = auto.enter, auto.succ
    h = [None] * (n + 1)
    h[n] = list(auto.to_final)
    for i in range(n - 1, -1, -1):
        nxt = h[i + 1]
        a = trace[i]
        if a == UNKNOWN or a >= size:
            h[i] = [v + 1 for v in nxt]
            continue
        via = nxt[a]
        layer = []
        for s in range(size):
            best = nxt[s] + 1
            e = enter[s][a]
            if e < INF and e + via < best:
                best = e + via
            layer.append(best)
        h[i] = layer
    total = h[0][0]
    if total >= INF:
        raise ValueError("the SOP automaton has no complete path")  # validate() forbids this
    moves: list[tuple[str, int, int]] = []
    i, s = 0, 0
    while True:
        here = h[i][s]
        if i == n and here == 0 and s in auto.final:
            break
        if i < n:
            a = trace[i]
            if 0 < a < size and a in succ[s] and h[i + 1][a] == here:
                moves.append((SYNC, a, i))
                i, s = i + 1, a
                continue
        stepped = False
        for t in succ[s]:
            if h[i][t] + 1 == here:
                moves.append((MODEL, t, -1))
                s = t
                stepped = True
                break
        if stepped:
            continue
        # Only a log move is left (it must be optimal: h is exact).
        moves.append((LOG, trace[i], i))
        i += 1
    denominator = n + auto.shortest_path
    fitness = 1.0 - total / denominator if denominator else 1.0
    return Alignment(tuple(moves), total, max(0.0, fitness))
