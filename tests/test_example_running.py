"""The running example of van der Aalst's Process Mining (rules/examples/running-example.yaml) and
its real log, ../shared/data/running-example.xes (six requests for compensation, 42 events).

The SOP is checked on its own (it validates; its steps, actors and flow are the book's); then the
log is audited and every case is checked against the book's own traces (section 2.3, Table 2.2 of
the 2nd edition: abdeh, adceg, ...) and against the hand-checked table of docs/examples.md;
deviations made from the real cases (a decision left out, a second examination, a wrong actor)
must be caught with their codes and steps; and PM4Py's optimal alignments on the exported PNML
must cost what ours do, trace by trace.

Tests that need the log skip when it is absent; those that need PM4Py (the `bench` extra) skip
when it is not installed.
"""

from __future__ import annotations

import json
import re

import pytest

import checker
from checker.conformance.align import align
from checker.conformance.automaton import build
from checker.sop.load import require_sop
from tests.conftest import REPO_ROOT, run_cli
from tests.examples_support import DATA, assert_net_is_automaton, pm4py_cost, successors, symbols

LOG = DATA / "running-example.xes"
SOP = REPO_ROOT / "rules" / "examples" / "running-example.yaml"
DOC = REPO_ROOT / "docs" / "examples.md"

needs_log = pytest.mark.skipif(not LOG.exists(), reason=f"the running example log is not here ({LOG})")

# The book's letters for the eight activities (Table 2.2 of the 2nd edition) and the SOP step of
# each: the two examinations are one step (a parallel thread cannot start with a choice).
LETTER = {
    "register request": "a", "examine thoroughly": "b", "examine casually": "c",
    "check ticket": "d", "decide": "e", "reinitiate request": "f",
    "pay compensation": "g", "reject request": "h",
}
STEP = {
    "register request": "daftar_permohonan", "examine thoroughly": "periksa_permohonan",
    "examine casually": "periksa_permohonan", "check ticket": "periksa_tiket",
    "decide": "putuskan", "reinitiate request": "ulangi_permohonan",
    "pay compensation": "bayar_kompensasi", "reject request": "tolak_permohonan",
}
# The book's six traces (Table 2.2): every one fits its model.
BOOK_TRACES = {
    "1": "abdeh", "2": "adceg", "3": "acdefbdeg", "4": "adbeh", "5": "acdefdcefcdeh", "6": "acdeg",
}
# The book's roles (section 2.3) and the people the log names.
ROLES = {"Pete": "asisten", "Mike": "asisten", "Ellen": "asisten", "Sue": "ahli", "Sean": "ahli",
         "Sara": "manajer"}


@pytest.fixture(scope="module")
def sop():
    return require_sop(SOP)


@pytest.fixture(scope="module")
def auto(sop):
    return build(sop, None)


def _fits(sop, auto, activities: list[str]) -> bool:
    return align(auto, symbols(sop, activities), open_prefixes=False).cost == 0


# -- The SOP on its own ----------------------------------------------------------------------------


def test_sop_validates_without_findings():
    code, out, err = run_cli(["validate", SOP, "--format", "json"])
    assert code == 0, out + err
    report = json.loads(out)
    assert report["unreadable"] == []
    assert [f for file in report["files"] for f in file["findings"]] == []


def test_steps_actors_and_no_time(sop):
    assert [s.id for s in sop.steps] == [
        "daftar_permohonan", "periksa_permohonan", "periksa_tiket", "putuskan",
        "ulangi_permohonan", "bayar_kompensasi", "tolak_permohonan",
    ]
    # Every log label is one step's alias, and maps to the step the book's model has for it.
    assert {alias for step in sop.steps for alias in step.aliases} == set(STEP)
    for activity, step in STEP.items():
        assert sop.step_for_label[activity] == step
    # The people of the log are aliases of the book's roles.
    for person, role in ROLES.items():
        assert sop.actor_for_label[person.casefold()] == role
    actor = {s.id: s.actor for s in sop.steps}
    assert actor == {
        "daftar_permohonan": "asisten", "periksa_permohonan": "ahli", "periksa_tiket": "asisten",
        "putuskan": "manajer", "ulangi_permohonan": "manajer", "bayar_kompensasi": "asisten",
        "tolak_permohonan": "asisten",
    }
    assert [d.actor for d in sop.step_by_id["periksa_permohonan"].delegates] == ["asisten"]
    assert all(not s.delegates for s in sop.steps if s.id != "periksa_permohonan")
    # No time limits: the book gives none.
    assert all(step.time is None for step in sop.steps)
    assert not sop.deadlines
    assert not any(step.repeatable for step in sop.steps)


def test_flow_is_the_books_net(sop, auto):
    succ = {step.id: successors(auto, step.id) for step in sop.steps}
    both = {"periksa_permohonan", "periksa_tiket"}
    assert succ["daftar_permohonan"] == both
    assert succ["ulangi_permohonan"] == both
    # Each of the two is followed by the other or, once both are done, by the decision.
    assert succ["periksa_permohonan"] == {"periksa_tiket", "putuskan"}
    assert succ["periksa_tiket"] == {"periksa_permohonan", "putuskan"}
    assert succ["putuskan"] == {"ulangi_permohonan", "bayar_kompensasi", "tolak_permohonan"}
    assert succ["bayar_kompensasi"] == succ["tolak_permohonan"] == {"end"}
    ends = {step for step, s in succ.items() if "end" in s}
    assert ends == {"bayar_kompensasi", "tolak_permohonan"}
    # The parallel part needs both, each once per round; either order fits.
    a, b, c, d, e, g = ("register request", "examine thoroughly", "examine casually",
                        "check ticket", "decide", "pay compensation")
    assert _fits(sop, auto, [a, b, d, e, g]) and _fits(sop, auto, [a, d, b, e, g])
    assert _fits(sop, auto, [a, c, d, e, g]) and _fits(sop, auto, [a, d, c, e, g])
    assert not _fits(sop, auto, [a, b, e, g])  # no ticket check
    assert not _fits(sop, auto, [a, d, e, g])  # no examination
    assert not _fits(sop, auto, [a, b, c, d, e, g])  # two examinations in one round
    assert not _fits(sop, auto, [a, b, d, d, e, g])  # two ticket checks in one round
    assert not _fits(sop, auto, [a, b, d, g])  # paid without a decision
    assert not _fits(sop, auto, [a, b, d, e, g, "reject request"])  # paid and rejected


def test_export_writes_the_automaton_as_pnml(auto, tmp_path):
    out = tmp_path / "running-example.pnml"
    code, _, err = run_cli(["export", SOP, "--format", "pnml", "-o", out])
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert text.count("<place id=") == len(auto.reachable) + 1  # one per state, and the end
    visible = sum(len(auto.succ[s]) for s in auto.reachable)
    assert text.count("<transition id=") == visible + len(auto.final)  # and one tau per final state


# -- The audit of the log ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def audited():
    """(report, {case id: CaseResult})."""
    if not LOG.exists():
        pytest.skip(f"the running example log is not here ({LOG})")
    report = checker.audit(SOP, LOG)
    return report, {case.case_id: case for case in report.cases}


@needs_log
def test_every_case_and_event_read(audited):
    report, cases = audited
    assert sorted(cases) == ["1", "2", "3", "4", "5", "6"]
    assert report.rows.read == report.rows.accepted == 42 and report.rows.rejected == 0
    assert sum(len(case.events) for case in cases.values()) == 42
    assert {e.activity for case in cases.values() for e in case.events} == set(STEP)
    assert {e.actor for case in cases.values() for e in case.events} == set(ROLES)


@needs_log
def test_the_log_holds_the_books_traces(audited):
    _, cases = audited
    traces = {cid: "".join(LETTER[e.activity] for e in case.events) for cid, case in cases.items()}
    assert traces == BOOK_TRACES


@needs_log
@pytest.mark.parametrize("case_id", sorted(BOOK_TRACES))
def test_each_case_is_complete_and_fits(audited, case_id):
    _, cases = audited
    case = cases[case_id]
    assert (case.status, case.cost, case.fitness, case.compliant) == ("complete", 0, 1.0, True)
    assert case.all_findings() == []
    # Every event is a synchronous move on the step the book's model has for it.
    assert [(m.kind, m.step) for m in case.moves] == [("sync", STEP[e.activity]) for e in case.events]


@needs_log
def test_actors_are_the_books_roles(audited):
    _, cases = audited
    events = [(e.activity, e.actor) for case in cases.values() for e in case.events]
    # Only Sara decides and reinitiates; only Sue and Sean examine thoroughly.
    assert {p for a, p in events if a in ("decide", "reinitiate request")} == {"Sara"}
    assert {p for a, p in events if a == "examine thoroughly"} == {"Sue", "Sean"}
    others = {"register request", "check ticket", "pay compensation", "reject request"}
    assert {p for a, p in events if a in others} == {"Pete", "Mike", "Ellen"}
    # The log has experts examining casually too (case 2: Sean, where the book's table has Pete;
    # case 5: Sue): the examination step is the experts', the assistants as delegates, so no
    # finding either way.
    experts_casual = sorted((cid, e.actor) for cid, case in cases.items() for e in case.events
                            if e.activity == "examine casually" and ROLES[e.actor] == "ahli")
    assert experts_casual == [("2", "Sean"), ("5", "Sue")]


@needs_log
def test_cli_audit_is_clean(tmp_path):
    out = tmp_path / "re.json"
    code, _, err = run_cli(["audit", SOP, LOG, "--format", "json", "-o", out])
    assert code == 0, err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"]["cases"] == report["summary"]["compliant"] == 6
    assert report["summary"]["findings"] == 0 and report["summary"]["mean_fitness"] == 1.0
    assert report["summary"]["by_status"]["complete"] == 6
    assert report["rows"]["read"] == 42


# -- Deviations made from the real cases ---------------------------------------------------------------


def _records(cases, edits: dict[str, list[tuple[str, str, str]]]) -> list[dict[str, str]]:
    """The real cases as records, with some cases' events replaced by `edits`."""
    rows = []
    for cid, case in sorted(cases.items()):
        events = edits.get(cid, [(e.activity, e.actor, e.timestamp) for e in case.events])
        rows.extend({"case_id": cid, "activity": a, "org:resource": p, "timestamp": t} for a, p, t in events)
    return rows


def _events(case) -> list[tuple[str, str, str]]:
    return [(e.activity, e.actor, e.timestamp) for e in case.events]


def _without(case, activity: str) -> list[tuple[str, str, str]]:
    """The case without the first event of `activity`."""
    events = _events(case)
    del events[[a for a, _, _ in events].index(activity)]
    return events


def _variants(cases) -> dict[str, tuple[str, list[tuple[str, str, str]], list[tuple[str, str | None]]]]:
    """name -> (case id, its edited events, the root findings expected as (code, step))."""
    c1, c2, c3, c4, c6 = (cases[k] for k in ("1", "2", "3", "4", "6"))
    extra_exam = _events(c6)
    extra_exam.insert(2, ("examine thoroughly", "Sean", extra_exam[1][2]))
    paid_after_reject = [*_events(c4), ("pay compensation", "Ellen", c4.events[-1].timestamp)]
    wrong_actor = [(a, "Mike" if a == "decide" else p, t) for a, p, t in _events(c6)]
    unknown_person = [(a, "Zoe" if a == "check ticket" else p, t) for a, p, t in _events(c1)]
    return {
        "paid-without-decision": ("2", _without(c2, "decide"), [("FL001", "putuskan")]),
        "decided-without-ticket-check": ("1", _without(c1, "check ticket"), [("FL001", "periksa_tiket")]),
        "reinitiated-without-decision": ("3", _without(c3, "decide"), [("FL001", "putuskan")]),
        "two-examinations-in-one-round": ("6", extra_exam, [("FL004", "periksa_permohonan")]),
        "paid-after-rejection": ("4", paid_after_reject, [("FL002", "bayar_kompensasi")]),
        "assistant-decides": ("6", wrong_actor, [("AC001", "putuskan")]),
        "person-not-known": ("1", unknown_person, [("AC003", "periksa_tiket")]),
    }


@pytest.fixture(scope="module")
def variants(audited):
    _, cases = audited
    return _variants(cases)


@needs_log
@pytest.mark.parametrize("name", [
    "paid-without-decision", "decided-without-ticket-check", "reinitiated-without-decision",
    "two-examinations-in-one-round", "paid-after-rejection", "assistant-decides", "person-not-known",
])
def test_a_deviation_is_caught_at_its_step(audited, variants, name):
    _, cases = audited
    case_id, events, expected = variants[name]
    report = checker.audit(SOP, _records(cases, {case_id: events}))
    results = {case.case_id: case for case in report.cases}
    changed = results[case_id]
    assert [(f.code, f.step) for f in changed.findings] == expected
    assert changed.compliant == (expected[0][0] == "AC003")  # a person not known is a warning
    assert changed.status == "complete"
    # The other five cases are judged as before.
    for cid, case in results.items():
        if cid != case_id:
            assert (case.status, case.cost, case.findings) == ("complete", 0, ())


@needs_log
def test_a_log_without_the_decision_of_case_6_is_caught(tmp_path):
    """The raw XES with one event taken out: case 6 pays compensation without a decision."""
    text = LOG.read_text(encoding="utf-8")
    trace = re.search(r'<trace>\s*<string key="concept:name" value="6"/>.*?</trace>', text, re.S)
    decide = re.search(r'\s*<event>\s*<string key="concept:name" value="decide"/>.*?</event>', trace[0], re.S)
    assert decide and trace[0].count("<event>") == 5
    mutated = tmp_path / "running-example-no-decision.xes"
    mutated.write_text(text[: trace.start() + decide.start()] + text[trace.start() + decide.end():],
                       encoding="utf-8")
    out = tmp_path / "report.json"
    code, _, err = run_cli(["audit", SOP, mutated, "--format", "json", "-o", out])
    assert code == 1, err  # a finding of severity error
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["rows"]["read"] == 41
    assert [(f["case_id"], f["code"], f["step"]) for f in report["findings"]] == [("6", "FL001", "putuskan")]
    # The evidence is the payment that came without a decision, at its line in the mutated file.
    evidence = report["findings"][0]["evidence"]
    assert [(e["activity"], e["actor"]) for e in evidence] == [("pay compensation", "Mike")]
    by_id = {case["case_id"]: case for case in report["cases"]}
    assert (by_id["6"]["status"], by_id["6"]["cost"], by_id["6"]["compliant"]) == ("complete", 1, False)
    assert report["summary"]["compliant"] == 5


# -- The hand-checked table of docs/examples.md ----------------------------------------------------------


def _hand_checked() -> list[tuple[str, str, str, list[str]]]:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("<!-- running-example-checked:start -->")
    end = text.index("<!-- running-example-checked:end -->")
    row = re.compile(r"^\|\s*`(?P<case>\d+)`\s*\|\s*(?P<trace>[a-h,]+)\s*\|\s*(?P<status>\w+)\s*\|"
                     r"(?P<codes>[^|]*)\|")
    rows = []
    for line in text[start:end].splitlines():
        match = row.match(line)
        if match:
            codes = sorted(re.findall(r"[A-Z]{2}\d{3} [a-z0-9_]+", match["codes"]))
            rows.append((match["case"], match["trace"].replace(",", ""), match["status"], codes))
    return rows


def test_docs_list_every_case():
    assert sorted(case for case, *_ in _hand_checked()) == sorted(BOOK_TRACES)
    assert {case: trace for case, trace, *_ in _hand_checked()} == BOOK_TRACES


@needs_log
@pytest.mark.parametrize("row", _hand_checked() if DOC.exists() else [], ids=lambda r: r[0])
def test_hand_checked_case_agrees_with_the_audit(audited, row):
    case_id, trace, status, codes = row
    _, cases = audited
    case = cases[case_id]
    assert "".join(LETTER[e.activity] for e in case.events) == trace
    assert case.status == status
    assert sorted(f"{f.code} {f.step}" for f in case.all_findings()) == codes


# -- PM4Py on the exported net ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pm4py_net(pm4py, tmp_path_factory):
    """The PNML `sopcheck export --labels-from LOG` writes, as PM4Py reads it."""
    if not LOG.exists():
        pytest.skip(f"the running example log is not here ({LOG})")
    path = tmp_path_factory.mktemp("running") / "running-example.pnml"
    code, _, err = run_cli(["export", SOP, "--format", "pnml", "--labels-from", LOG, "-o", path])
    assert code == 0, err
    return pm4py.read_pnml(str(path))


@needs_log
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_pm4py_loads_the_net(pm4py_net, auto):
    net, im, fm = pm4py_net
    assert_net_is_automaton(net, im, fm, auto)
    # One transition per spelling: the examination step's edges have two, the others one.
    assert {t.label for t in net.transitions if t.label} == set(STEP)
    examine = sum(1 for s in auto.reachable for t in auto.succ[s]
                  if auto.steps[t - 1] == "periksa_permohonan")
    visible = sum(len(auto.succ[s]) for s in auto.reachable)
    assert sum(1 for t in net.transitions if t.label) == visible + examine


@needs_log
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore:Install the optional requirement:UserWarning")
def test_pm4py_alignment_costs_equal_ours_on_the_log(pm4py, pm4py_net, audited):
    """PM4Py reads the XES itself and aligns all six traces: cost 0 each, as in our report."""
    net, im, fm = pm4py_net
    _, cases = audited
    log = pm4py.read_xes(str(LOG), return_legacy_log_object=True)
    theirs = {trace.attributes["concept:name"]: pm4py_cost([e["concept:name"] for e in trace], net, im, fm)
              for trace in log}
    assert theirs == {cid: case.cost for cid, case in cases.items()}


@needs_log
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_pm4py_alignment_costs_equal_ours_on_deviations(pm4py_net, sop, auto, audited, variants):
    """And on the deviating variants of the real cases, where the costs are above zero."""
    net, im, fm = pm4py_net
    _, cases = audited
    costs = []
    for name, (case_id, events, _) in sorted(variants.items()):
        activities = [a for a, _, _ in events]
        ours = align(auto, symbols(sop, activities), open_prefixes=False).cost
        report = checker.audit(SOP, _records({case_id: cases[case_id]}, {case_id: events}))
        assert report.cases[0].cost == ours, name  # a complete case: the report's cost is the plain one
        assert pm4py_cost(activities, net, im, fm) == ours, name
        costs.append(ours)
    assert sorted(costs) == [0, 0, 1, 1, 1, 1, 1]  # the two actor deviations cost nothing in flow
