"""What the tests on the real logs, the example SOPs and the PNML export share: where the real
logs are, a trace as the automaton's symbols, the steps allowed after a step, and PM4Py (the
`bench` extra; the `pm4py` fixture is in conftest.py) reading and aligning on a PNML."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"  # the real public logs, if here



def symbols(sop, activities: list[str]) -> tuple[int, ...]:
    """The log's activity labels as the automaton's symbols (each step's 1-based index)."""
    index = {step.id: i + 1 for i, step in enumerate(sop.steps)}
    return tuple(index[sop.step_for_label[" ".join(a.split()).casefold()]] for a in activities)


def successors(auto, step_id: str) -> set[str]:
    """The steps the SOP allows right after `step_id` in some state (`end` when a case may end)."""
    states = [s for s in auto.reachable if s and auto.steps[s - 1] == step_id]
    out = {auto.steps[t - 1] for s in states for t in auto.succ[s]}
    return out | ({"end"} if any(s in auto.final for s in states) else set())


def pm4py_cost(labels: list[str], net, im, fm) -> int:
    """PM4Py's optimal alignment cost of a trace of `labels` on the net, in moves."""
    from pm4py.algo.conformance.alignments.petri_net import algorithm as alignments
    from pm4py.objects.log.obj import Event, Trace

    trace = Trace([Event({"concept:name": label}) for label in labels])
    return alignments.apply(trace, net, im, fm)["cost"] // 10000  # 10000 a move, 1 a silent step


def assert_net_is_automaton(net, im, fm, auto) -> None:
    """PM4Py's reading of an exported PNML has the automaton's shape: a place per reachable state
    and the end, the start and end markings, a silent transition per final state."""
    assert len(net.places) == len(auto.reachable) + 1
    assert [p.name for p in im] == ["start"] and [p.name for p in fm] == ["end"]
    assert sum(1 for t in net.transitions if t.label is None) == len(auto.final)
