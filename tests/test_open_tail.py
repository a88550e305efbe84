"""A case whose last event is a log move (an unknown activity, a repeated step) after its last
synced step has steps still to do: it is open (in progress or overdue) or, when the log says it
was closed, ended early (FL006); never complete with those steps reported skipped (FL001).

Among equal-cost alignments the forward walk puts model moves before log moves; after its last
sync that would put the steps still to do before the trailing log move, where the flow check
reads them as skips. The walk emits the log moves there first, at the same cost."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.api import audit_cases
from checker.casegen import optimal_cost
from checker.conformance import automaton as automata
from checker.conformance.align import LOG, MODEL, SYNC, UNKNOWN, align
from checker.conformance.results import COMPLETE, ENDED_EARLY, IN_PROGRESS, OVERDUE
from checker.events import Case, Event
from checker.sop.load import require_sop

REPO = Path(__file__).resolve().parents[1]
ZONE = ZoneInfo("Asia/Jakarta")

SEQ = """
sopcheck: 1
id: uji/ekor-terbuka
revision: "1"
identity: {title: Tiga langkah}
actors: [{id: a, name: A}, {id: b, name: B}]
attributes:
  - {id: masuk, type: date}
  - {id: status, type: string}
case:
  start_attribute: masuk
  closed_when: {attribute: status, in: [ditutup]}
steps:
  - {id: s1, number: 1, name: S1, actor: a, time: {amount: 1, unit: working_days}, next: s2}
  - {id: s2, number: 2, name: S2, actor: a, time: {amount: 3, unit: working_days}, next: s3}
  - {id: s3, number: 3, name: S3, actor: b, time: {amount: 1, unit: working_days}, next: end}
"""


@pytest.fixture(scope="module")
def sop(tmp_path_factory):
    path = tmp_path_factory.mktemp("open-tail") / "sop.yaml"
    path.write_text(SEQ, encoding="utf-8")
    return require_sop(path)


def _case(case_id: str, events: list[tuple[str, str, str]], **attributes: str) -> Case:
    """events: (activity, local timestamp 'YYYY-MM-DD HH:MM', actor); the case starts 6 April."""
    return Case(
        case_id,
        tuple(
            Event(case_id, activity, datetime.fromisoformat(when).replace(tzinfo=ZONE), actor, row=i + 1)
            for i, (activity, when, actor) in enumerate(events)
        ),
        {"masuk": "2026-04-06", **attributes},
    )


def _audit(sop, case: Case, as_of: str):
    return audit_cases(sop, [case], as_of=as_of, track_documents=False)[case.case_id]


def _roots(result) -> list[tuple[str, str | None]]:
    return sorted((f.code, f.step) for f in result.findings)


def _codes(result) -> set[str]:
    return {f.code for f in result.all_findings()}


S1 = ("S1", "2026-04-06 09:00", "A")
S2 = ("S2", "2026-04-07 09:00", "A")


# -- the alignment -----------------------------------------------------------------------------


def test_the_trailing_log_move_comes_before_the_steps_still_to_do(sop) -> None:
    auto = automata.build(sop, automata.decisions(sop, {})[0])
    for open_prefixes in (True, False):
        unknown = align(auto, (1, 2, UNKNOWN), open_prefixes=open_prefixes)
        assert unknown.moves == ((SYNC, 1, 0), (SYNC, 2, 1), (LOG, UNKNOWN, 2), (MODEL, 3, -1))
        assert unknown.cost == 2
        repeat = align(auto, (1, 2, 2), open_prefixes=open_prefixes)
        assert repeat.moves == ((SYNC, 1, 0), (SYNC, 2, 1), (LOG, 2, 2), (MODEL, 3, -1))
        assert repeat.cost == 2


def test_a_step_done_late_is_still_blamed_on_the_step(sop) -> None:
    """Before the last sync the tie-break is unchanged: model move first, log move after."""
    auto = automata.build(sop, automata.decisions(sop, {})[0])
    assert align(auto, (1, 3, 2)).moves == ((SYNC, 1, 0), (MODEL, 2, -1), (SYNC, 3, 1), (LOG, 2, 2))


SOPS = [
    REPO / "rules" / "magetan" / "penawaran-kerja-sama.yaml",
    REPO / "fixtures" / "sops" / "parallel.yaml",
    REPO / "fixtures" / "testing-sops" / "contoh-tanpa-waktu.yaml",
]


@cache
def _automata(path: Path):
    """The SOP, and its automata: every branch taken as a choice; the branches open to a case
    without attributes (when that leaves a way to an end)."""
    sop = require_sop(path)
    autos = [automata.build(sop, None), automata.build(sop, automata.decisions(sop, {})[0])]
    return sop, [a for a in autos if a.to_final[0] < automata.INF]


@pytest.mark.parametrize("path", [p for p in SOPS if p.exists()], ids=lambda p: p.name)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_after_the_last_sync_log_moves_come_first(path: Path, data) -> None:
    """On any trace: the moves are an alignment (a run of the automaton to an end, the events in
    order), of optimal cost, and after the last sync no model move precedes a log move."""
    sop, autos = _automata(path)
    auto = data.draw(st.sampled_from(autos))
    n = len(sop.steps)
    trace = tuple(data.draw(st.lists(st.integers(UNKNOWN, n).filter(bool), max_size=8)))
    for open_prefixes in (True, False):
        result = align(auto, trace, open_prefixes=open_prefixes)
        state, read = 0, 0
        for kind, symbol, event in result.moves:
            if kind in (SYNC, LOG):
                assert (event, symbol) == (read, trace[read])
                read += 1
            if kind in (SYNC, MODEL):
                state = next(t for t in auto.succ[state] if auto.label[t] == symbol)
        assert read == len(trace) and state in auto.final
        assert result.cost == sum(kind != SYNC for kind, _, _ in result.moves)
        syncs = [m for m, (kind, _, _) in enumerate(result.moves) if kind == SYNC]
        rest = [kind for kind, _, _ in result.moves[syncs[-1] + 1 if syncs else 0 :]]
        assert rest == sorted(rest, key=lambda kind: kind == MODEL), result.moves
    steps = [auto.steps[s - 1] if s != UNKNOWN else None for s in trace]
    assert align(auto, trace, open_prefixes=False).cost == optimal_cost(auto, steps)


# -- the audit ---------------------------------------------------------------------------------


def test_an_unknown_activity_after_the_last_step_leaves_the_case_open(sop) -> None:
    case = _case("Q1", [S1, S2, ("Telepon pemohon", "2026-04-07 14:00", "A")])
    result = _audit(sop, case, "2026-04-07")
    assert result.status == IN_PROGRESS
    assert _roots(result) == [("FL003", None)]
    assert [m.kind for m in result.moves] == [SYNC, SYNC, LOG, MODEL]


def test_an_unknown_activity_after_the_last_step_past_the_next_deadline_is_overdue(sop) -> None:
    case = _case("Q1", [S1, S2, ("Telepon pemohon", "2026-04-20 09:00", "A")])
    result = _audit(sop, case, "2026-04-30")
    assert result.status == OVERDUE
    assert _roots(result) == [("CS001", "s3"), ("FL003", None)]
    assert "FL001" not in _codes(result) and "TM004" not in _codes(result)


def test_an_unknown_activity_then_closed_ended_early(sop) -> None:
    case = _case("K2", [S1, S2, ("Telepon pemohon", "2026-04-08 09:00", "A")], status="ditutup")
    result = _audit(sop, case, "2026-04-30")
    assert result.status == ENDED_EARLY
    assert _roots(result) == [("FL003", None), ("FL006", "s3")]
    assert "FL001" not in _codes(result)


def test_a_repeated_last_step_leaves_the_case_open(sop) -> None:
    case = _case("K3", [S1, S2, ("S2", "2026-04-08 09:00", "A")])
    result = _audit(sop, case, "2026-04-30")
    assert result.status == OVERDUE
    assert _roots(result) == [("CS001", "s3"), ("FL004", "s2")]
    assert "FL001" not in _codes(result)


def test_a_repeat_then_closed_ended_early(sop) -> None:
    case = _case("K4", [S1, S2, ("S2", "2026-04-08 09:00", "A")], status="ditutup")
    result = _audit(sop, case, "2026-04-30")
    assert result.status == ENDED_EARLY
    assert _roots(result) == [("FL004", "s2"), ("FL006", "s3")]


def test_an_unknown_activity_after_the_last_step_of_a_finished_case(sop) -> None:
    """Nothing left to do: complete, the unknown activity its only finding (as before)."""
    s3 = ("S3", "2026-04-08 09:00", "B")
    case = _case("Q2", [S1, S2, s3, ("Telepon pemohon", "2026-04-08 10:00", "A")])
    result = _audit(sop, case, "2026-04-30")
    assert result.status == COMPLETE
    assert _roots(result) == [("FL003", None)]
