"""Optimal alignment of a trace with an SOP automaton (costs: log move 1, model move 1, sync 0).

Exact, not greedy: a backward pass computes, for every trace position i and state s, the least
cost h[i][s] to finish. Because model moves obey the triangle inequality, one layer costs
O(S * k), k the states sharing a label (1 for a sequential SOP):
    h[i][s] = min(1 + h[i+1][s],                          # log move of event i
                  min over t labelled a: enter[s][t] + h[i+1][t])  # model moves, then sync into t
with a the step of event i. A forward walk then picks, among optimal moves, sync before model
before log, so that ties resolve the same way every time: a repeated step is the later event, a
step done late is blamed on the step (model move first, log move after). After the walk's last
sync only log moves and the model moves to an end are left, and any order of them costs the same:
the log moves go first, so that the model moves read as what the case has still to do (a case
whose last event is an unknown activity or a repeat is open, or ended early, not complete with
its remaining steps skipped).

A trace that follows an allowed run exactly but stops where the SOP does not end is read as it
is, a case still open, with the shortest way to an end as its tail of model moves: even when a
complete run with deviations would cost less (a case waiting after a loop-back step, or on the
longer of two branches, is in progress, not out of order). `open_prefixes=False` gives the plain
optimal alignment (PM4Py's).

Moves are (kind, step symbol, event index or -1): the symbol of a step is its position in the SOP
plus one, UNKNOWN for a label the SOP does not know.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.conformance.automaton import INF, Automaton, step_to

SYNC, LOG, MODEL = "sync", "log", "model"
UNKNOWN = -1  # the symbol of an event whose label matches no step: it can never sync


@dataclass(frozen=True, slots=True)
class Alignment:
    moves: tuple[tuple[str, int, int], ...]  # (kind, step symbol, event index or -1)
    cost: int
    fitness: float


def align(auto: Automaton, trace: tuple[int, ...], *, open_prefixes: bool = True) -> Alignment:
    n = len(trace)
    if open_prefixes:
        state = _replay(auto, trace)
        if state is not None and auto.to_final[state] < INF:
            return _prefix(auto, trace, state)
    succ, label = auto.succ, auto.label
    pairs = auto.enter_by_label
    h: list[list[int]] = [[]] * (n + 1)
    h[n] = list(auto.to_final)
    for i in range(n - 1, -1, -1):
        nxt = h[i + 1]
        layer = [v + 1 for v in nxt]
        for s, t, cost in pairs.get(trace[i], ()):  # UNKNOWN has none: a log move only
            value = cost + nxt[t]
            if value < layer[s]:
                layer[s] = value
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
            target = next((t for t in succ[s] if label[t] == a and h[i + 1][t] == here), None)
            if target is not None:
                moves.append((SYNC, a, i))
                i, s = i + 1, target
                continue
        target = next((t for t in succ[s] if h[i][t] + 1 == here), None)
        if target is not None:
            moves.append((MODEL, label[target], -1))
            s = target
            continue
        # Only a log move is left (it must be optimal: h is exact).
        moves.append((LOG, trace[i], i))
        i += 1
    _logs_before_end(moves)
    return _alignment(auto, moves, n, total)


def _logs_before_end(moves: list[tuple[str, int, int]]) -> None:
    """Reorder, in place, the moves after the last sync: log moves (in event order), then model
    moves (in path order). Log moves do not move the automaton, so this is still an alignment, of
    the same cost; no log move there shares a step with a model move there (a sync would be
    cheaper), so no move changes what it is paired with."""
    last = len(moves) - 1
    while last >= 0 and moves[last][0] != SYNC:
        last -= 1
    rest = moves[last + 1 :]
    moves[last + 1 :] = [mv for mv in rest if mv[0] == LOG] + [mv for mv in rest if mv[0] == MODEL]


def _replay(auto: Automaton, trace: tuple[int, ...]) -> int | None:
    """The state a trace leads to when every event is allowed where it stands (else None)."""
    state = 0
    for symbol in trace:
        nxt = step_to(auto, state, symbol) if symbol != UNKNOWN else None
        if nxt is None:
            return None
        state = nxt
    return state


def _prefix(auto: Automaton, trace: tuple[int, ...], state: int) -> Alignment:
    """A trace that follows the automaton to `state`: its events in sync, then the shortest way
    to an end (the first successor in SOP order on it, as the forward walk of `align` picks)."""
    moves = [(SYNC, symbol, i) for i, symbol in enumerate(trace)]
    while state not in auto.final:
        left = auto.to_final[state]
        state = next(t for t in auto.succ[state] if auto.to_final[t] + 1 == left)
        moves.append((MODEL, auto.label[state], -1))
    return _alignment(auto, moves, len(trace), len(moves) - len(trace))


def _alignment(auto: Automaton, moves: list[tuple[str, int, int]], n: int, cost: int) -> Alignment:
    denominator = n + auto.shortest_path
    fitness = 1.0 - cost / denominator if denominator else 1.0
    return Alignment(tuple(moves), cost, max(0.0, fitness))
