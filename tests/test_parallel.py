"""Parallel threads (AND-split and join): every interleaving conforms, a missing thread step is
one finding, and each step's clock starts when its own input arrived, not at the other thread."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from checker.api import audit_cases
from checker.conformance import automaton as automata
from checker.conformance.align import align
from checker.events import Case, Event
from checker.sop.load import require_sop

SOP = require_sop(Path(__file__).resolve().parents[1] / "fixtures" / "sops" / "parallel.yaml")
JKT = ZoneInfo("Asia/Jakarta")
NAMES = {s.id: s.name.id for s in SOP.steps}
ACTORS = {s.id: SOP.actor_by_id[s.actor].name.id for s in SOP.steps}


def case(steps: list[tuple[str, str]], case_id: str = "c") -> Case:
    events = tuple(
        Event(case_id, NAMES[step], datetime.fromisoformat(day).replace(hour=10, tzinfo=JKT),
              ACTORS[step], row=i + 2)
        for i, (step, day) in enumerate(steps)
    )
    return Case(case_id, events)


def roots(c: Case) -> list[tuple[str, str | None]]:
    result = audit_cases(SOP, [c], as_of="2026-12-31")[c.case_id]
    return [(f.code, f.step) for f in result.findings]


@pytest.mark.parametrize(
    "order",
    [
        ["terima", "cek", "saran", "putus"],
        ["terima", "saran", "cek", "putus"],
        ["terima", "cek", "revisi", "saran", "cek", "putus"],
        ["terima", "cek", "revisi", "cek", "revisi", "cek", "saran", "putus"],
    ],
)
def test_every_interleaving_conforms(order: list[str]) -> None:
    days = ["2026-02-02", "2026-02-03", "2026-02-04", "2026-02-04", "2026-02-05", "2026-02-05",
            "2026-02-06", "2026-02-09"]
    c = case(list(zip(order, days, strict=False)))
    assert roots(c) == []


def test_a_missing_thread_step_is_one_finding() -> None:
    c = case([("terima", "2026-02-02"), ("cek", "2026-02-03"), ("putus", "2026-02-04")])
    assert roots(c) == [("FL001", "saran")]


def test_the_join_before_a_thread_ends_is_out_of_order() -> None:
    c = case([("terima", "2026-02-02"), ("cek", "2026-02-03"), ("putus", "2026-02-04"),
              ("saran", "2026-02-05")])
    assert [code for code, _ in roots(c)] == ["FL002"]


def test_a_threads_clock_starts_at_the_fork_not_at_the_other_thread() -> None:
    # saran is 6 working days after terima (allowed 5) but only 4 after cek: late.
    c = case([("terima", "2026-02-02"), ("cek", "2026-02-04"), ("saran", "2026-02-10"),
              ("putus", "2026-02-11")])
    assert roots(c) == [("TM001", "saran")]
    # and on time when it is 5 working days after terima, however late cek came
    ok = case([("terima", "2026-02-02"), ("cek", "2026-02-04"), ("saran", "2026-02-09"),
               ("putus", "2026-02-10")])
    assert roots(ok) == []


def test_the_join_waits_for_the_last_thread() -> None:
    # putus is allowed 1 working day from the later of the threads' ends: saran on the 9th, not
    # cek on the 4th (from which the 10th would be 4 working days).
    c = case([("terima", "2026-02-02"), ("cek", "2026-02-04"), ("saran", "2026-02-09"),
              ("putus", "2026-02-10")])
    assert roots(c) == []
    late = case([("terima", "2026-02-02"), ("cek", "2026-02-04"), ("saran", "2026-02-09"),
                 ("putus", "2026-02-12")])
    assert roots(late) == [("TM001", "putus")]


def test_fitness_denominator_is_the_shortest_complete_path() -> None:
    auto = automata.build(SOP, automata.decisions(SOP, {})[0])
    assert auto.shortest_path == 4  # terima, cek, saran, putus
    index = {s.id: i + 1 for i, s in enumerate(SOP.steps)}
    result = align(auto, tuple(index[s] for s in ["terima", "cek", "putus"]))
    assert result.cost == 1
    assert result.fitness == pytest.approx(1 - 1 / (3 + 4))
