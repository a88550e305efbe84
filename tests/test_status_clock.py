"""CS001 (overdue): an open case's clock and the steps it may do next.

The clock of a pending step starts where TM001 starts it (its latest synced predecessor: the fork
for the first step of a thread, the step before it in a loop), not at the case's last event. And
the verdict weighs every step the case may do next, not the one the alignment happened to put
first: among free choices the latest due date counts and a choice without a time limit keeps the
case in progress, whatever order the SOP lists them in; a late step of a parallel thread makes the
case overdue whatever the other threads may still do."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from checker.api import audit_cases
from checker.conformance.results import IN_PROGRESS, OVERDUE
from checker.events import Case, Event
from checker.sop.load import require_sop

REPO = Path(__file__).resolve().parents[1]
PARALLEL = REPO / "fixtures" / "sops" / "parallel.yaml"  # terima forks to cek (2 wd) and saran (5 wd)
ZONE = ZoneInfo("Asia/Jakarta")

HEAD = """
sopcheck: 1
id: uji/jam-status
revision: "1"
identity: {title: Jam langkah berikutnya}
actors: [{id: a, name: A}]
steps:
"""

# S1 then a free choice between two of S2, S3, S4, listed in the given order; S4 leads to S2 (it
# hands S2 its input again).
CHOICE = {
    "s2": "  - {id: s2, number: 2, name: S2, actor: a, time: {amount: 1, unit: working_days}, next: end}\n",
    "s3": "  - {{id: s3, number: 3, name: S3, actor: a,{s3_time} next: end}}\n",
    "s4": "  - {id: s4, number: 4, name: S4, actor: a, time: {amount: 10, unit: working_days}, next: s2}\n",
}

# A fork whose threads are listed (and numbered) in the given order; the join ends the case.
FORK = """
  - {{id: terima, number: 1, name: Terima, actor: a, next: {{parallel: [{first}, {second}], join: putus}}}}
  - {{id: {first}, number: 2, name: {first}, actor: a,{first_time} next: putus}}
  - {{id: {second}, number: 3, name: {second}, actor: a,{second_time} next: putus}}
  - {{id: putus, number: 4, name: Putus, actor: a, time: {{amount: 1, unit: working_days}}, next: end}}
"""

REPEAT = """
  - {{id: s1, number: 1, name: S1, actor: a, next: bayar}}
  - {{id: bayar, number: 2, name: Bayar, actor: a,{repeat} next: terbitkan}}
  - {{id: terbitkan, number: 3, name: Terbitkan, actor: a, next: end,
     time: {{amount: 3, unit: calendar_days}}}}
"""

TIMES = {
    "cek": " time: {amount: 2, unit: working_days},",
    "saran": " time: {amount: 5, unit: working_days},",
    "arsip": "",
}


def _sop(tmp_path: Path, name: str, steps: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(HEAD + steps, encoding="utf-8")
    return require_sop(path)


def _choice(tmp_path: Path, first: str, second: str, s3_time: str = ""):
    text = f"  - {{id: s1, number: 1, name: S1, actor: a, next: [{{step: {first}}}, {{step: {second}}}]}}\n"
    for step in sorted({first, second, "s2"}):
        text += CHOICE[step].format(s3_time=s3_time) if step == "s3" else CHOICE[step]
    return _sop(tmp_path, f"choice-{first}-{second}", text)


def _fork(tmp_path: Path, first: str, second: str):
    text = FORK.format(first=first, second=second, first_time=TIMES[first], second_time=TIMES[second])
    return _sop(tmp_path, f"fork-{first}-{second}", text)


def _case(case_id: str, events: list[tuple[str, str]]) -> Case:
    """events: (activity, local 'YYYY-MM-DD HH:MM'), in order."""
    return Case(
        case_id,
        tuple(
            Event(case_id, activity, datetime.fromisoformat(when).replace(tzinfo=ZONE), "A", row=i + 1)
            for i, (activity, when) in enumerate(events)
        ),
        {},
    )


def _audit(sop, as_of: str, *cases: Case):
    return audit_cases(sop, list(cases), as_of=as_of, track_documents=False)


def _overdue(result) -> list[tuple[str | None, str]]:
    return [(f.step, f.args["due"]) for f in result.findings if f.code == "CS001"]


# -- the clock starts where its input arrived (as TM001 counts) ---------------------------------


def test_a_thread_step_counts_from_the_fork_not_from_the_other_thread() -> None:
    """Terima Mon 6 April forks; saran done Fri 10 April; cek (2 working days) was due Wed 8
    April. Counted from saran it would be due Tue 14 April, and the case in progress on the 13th."""
    sop = require_sop(PARALLEL)
    case = _case("P1", [("Terima berkas", "2026-04-06 09:00"), ("Minta saran", "2026-04-10 09:00")])
    result = _audit(sop, "2026-04-13", case)["P1"]
    assert result.status == OVERDUE
    assert _overdue(result) == [("cek", "2026-04-08")]


def test_a_step_after_a_loop_back_counts_from_the_loop_step() -> None:
    """cek, revisi (back to cek), then saran on the other thread: the second cek counts from
    revisi (Wed 8 April: due Fri 10 April), not from saran (Mon 13 April)."""
    sop = require_sop(PARALLEL)
    case = _case("L1", [
        ("Terima berkas", "2026-04-06 09:00"),
        ("Cek kelengkapan", "2026-04-07 09:00"),
        ("Revisi berkas", "2026-04-08 09:00"),
        ("Minta saran", "2026-04-13 09:00"),
    ])
    result = _audit(sop, "2026-04-14", case)["L1"]
    assert result.status == OVERDUE
    assert _overdue(result) == [("cek", "2026-04-10")]


@pytest.mark.parametrize("late_by", [0, 1])
def test_the_overdue_date_is_the_date_tm001_judges_the_step_by(late_by: int) -> None:
    """Done on the date CS001 gives as due, cek is on time (no TM001); a working day later it is
    late by one: the two checks agree about the same step's deadline."""
    sop = require_sop(PARALLEL)
    events = [("Terima berkas", "2026-04-06 09:00"), ("Minta saran", "2026-04-07 09:00")]
    (due,) = _overdue(_audit(sop, "2026-04-30", _case("A", events))["A"])
    assert due == ("cek", "2026-04-08")
    done = "2026-04-08 15:00" if not late_by else "2026-04-09 09:00"
    result = _audit(sop, "2026-04-09", _case("B", [*events, ("Cek kelengkapan", done)]))["B"]
    assert [(f.code, f.step, f.args["overrun"]) for f in result.findings if f.code == "TM001"] == (
        [("TM001", "cek", 1.0)] if late_by else []
    )


# -- every step the case may do next ------------------------------------------------------------


@pytest.mark.parametrize("order", [("s2", "s3"), ("s3", "s2")])
def test_a_free_choice_without_a_time_limit_keeps_the_case_in_progress(tmp_path: Path, order) -> None:
    """S1 then S2 (1 working day) or S3 (no time limit): long after S2's due date the case may
    still take S3, in either listing order."""
    sop = _choice(tmp_path, *order)
    result = _audit(sop, "2026-04-30", _case("X1", [("S1", "2026-04-06 09:00")]))["X1"]
    assert result.status == IN_PROGRESS
    assert _overdue(result) == []


@pytest.mark.parametrize("order", [("s2", "s3"), ("s3", "s2")])
@pytest.mark.parametrize(
    ("as_of", "status", "overdue"),
    [
        ("2026-04-07", IN_PROGRESS, []),  # neither due date has passed
        ("2026-04-10", IN_PROGRESS, []),  # S2's (7 April) has, S3's (13 April) not yet
        ("2026-04-13", IN_PROGRESS, []),  # due on the audit date is not late
        ("2026-04-14", OVERDUE, [("s3", "2026-04-13")]),  # the latest due date counts
    ],
)
def test_free_choices_both_timed_are_overdue_when_the_latest_due_date_passed(
    tmp_path: Path, order, as_of: str, status: str, overdue: list
) -> None:
    sop = _choice(tmp_path, *order, s3_time=" time: {amount: 5, unit: working_days},")
    result = _audit(sop, as_of, _case("X1", [("S1", "2026-04-06 09:00")]))["X1"]
    assert (result.status, _overdue(result)) == (status, overdue)


def test_cases_of_one_variant_are_judged_on_their_own_dates(tmp_path: Path) -> None:
    """What the check keeps per variant (the same steps in the same order) is not its due dates."""
    sop = _choice(tmp_path, "s2", "s3", s3_time=" time: {amount: 5, unit: working_days},")
    old, new = _case("OLD", [("S1", "2026-04-06 09:00")]), _case("NEW", [("S1", "2026-04-10 09:00")])
    results = _audit(sop, "2026-04-14", old, new)
    assert (results["OLD"].status, _overdue(results["OLD"])) == (OVERDUE, [("s3", "2026-04-13")])
    assert (results["NEW"].status, _overdue(results["NEW"])) == (IN_PROGRESS, [])


@pytest.mark.parametrize("order", [("s2", "s4"), ("s4", "s2")])
@pytest.mark.parametrize(
    ("as_of", "status", "overdue"),
    [("2026-04-10", IN_PROGRESS, []), ("2026-04-21", OVERDUE, [("s4", "2026-04-20")])],
)
def test_a_choice_that_hands_a_late_step_its_input_again_restarts_its_clock(
    tmp_path: Path, order, as_of: str, status: str, overdue: list
) -> None:
    """S1 then S2 (1 working day), or S4 (10 working days) and S2 after it. S2 was due 7 April,
    but the case may still do S4 (due 20 April) and then S2, whose clock then counts from S4."""
    sop = _choice(tmp_path, *order)
    result = _audit(sop, as_of, _case("X1", [("S1", "2026-04-06 09:00")]))["X1"]
    assert (result.status, _overdue(result)) == (status, overdue)


@pytest.mark.parametrize(
    ("first", "second"), [("cek", "saran"), ("saran", "cek"), ("cek", "arsip"), ("arsip", "cek")]
)
def test_a_late_thread_is_overdue_whatever_the_other_thread_may_still_do(
    tmp_path: Path, first: str, second: str
) -> None:
    """Forked on Mon 6 April: cek (2 working days) was due 8 April. The other thread (saran, due
    13 April, or arsip, with no time limit) does not make it any less due: both must be done."""
    sop = _fork(tmp_path, first, second)
    result = _audit(sop, "2026-04-09", _case("F1", [("Terima", "2026-04-06 09:00")]))["F1"]
    assert result.status == OVERDUE
    assert _overdue(result) == [("cek", "2026-04-08")]


@pytest.mark.parametrize(("repeat", "status"), [(" repeatable: true,", IN_PROGRESS), ("", OVERDUE)])
def test_a_step_that_may_be_repeated_without_a_time_limit(tmp_path: Path, repeat: str, status: str) -> None:
    """After a payment (no time limit) the permit is due in 3 calendar days. Where payment may be
    repeated, the case may still pay again, which restarts the permit's clock (as TM001 would
    count it): in progress. Where it may not, the permit is overdue."""
    sop = _sop(tmp_path, f"repeat{bool(repeat)}", REPEAT.format(repeat=repeat))
    case = _case("R1", [("S1", "2026-04-06 09:00"), ("Bayar", "2026-04-06 10:00")])
    result = _audit(sop, "2026-04-30", case)["R1"]
    assert result.status == status
    assert _overdue(result) == ([("terbitkan", "2026-04-09")] if status == OVERDUE else [])
