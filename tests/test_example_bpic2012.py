"""The BPI Challenge 2012 SOP (rules/examples/bpic2012-loan.yaml) and its real log,
../shared/data/bpic2012.xes.gz (13,087 loan and overdraft applications).

The SOP is checked on its own (it validates, its shape is the one docs/examples.md describes, it
is not a "flower" that allows anything, its PNML export loads into PM4Py); then the whole log is
audited once for the module (the Python API, some seconds) and the report is checked against
facts read by hand in the raw log (docs/examples.md, "Loan applications (BPI Challenge 2012)"),
and PM4Py's alignment costs are compared with ours on a sample of the log's traces.

Tests that need the log skip when it is absent; those that need PM4Py (the `bench` extra) skip
when it is not installed.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter

import pytest

import checker
from checker.conformance.align import align
from checker.conformance.automaton import build
from checker.export.pnml import export_pnml
from checker.sop.load import require_sop
from tests.conftest import REPO_ROOT, run_cli
from tests.examples_support import DATA, assert_net_is_automaton, pm4py_cost, successors, symbols

LOG = DATA / "bpic2012.xes.gz"
SOP = REPO_ROOT / "rules" / "examples" / "bpic2012-loan.yaml"
DOC = REPO_ROOT / "docs" / "examples.md"

needs_log = pytest.mark.skipif(not LOG.exists(), reason=f"the BPI Challenge 2012 log is not here ({LOG})")

# The log's 23 activities (after start/complete pairing), each a step of the SOP.
ACTIVITIES = {
    "A_SUBMITTED", "A_PARTLYSUBMITTED", "A_PREACCEPTED", "A_ACCEPTED", "A_FINALIZED",
    "A_APPROVED", "A_REGISTERED", "A_ACTIVATED", "A_DECLINED", "A_CANCELLED",
    "O_SELECTED", "O_CREATED", "O_SENT", "O_SENT_BACK", "O_ACCEPTED", "O_DECLINED", "O_CANCELLED",
    "W_Afhandelen leads", "W_Beoordelen fraude", "W_Completeren aanvraag", "W_Nabellen offertes",
    "W_Valideren aanvraag", "W_Nabellen incomplete dossiers",
}
WORK_ITEMS = {
    "w_afhandelen_leads", "w_beoordelen_fraude", "w_completeren_aanvraag", "w_nabellen_offertes",
    "w_valideren_aanvraag", "w_nabellen_incomplete_dossiers",
}
# The cases with a finding of severity error, each read by hand in the raw log (docs/examples.md).
NOT_COMPLIANT = {"177083", "180310", "184787", "197497", "198310", "205864"}


@pytest.fixture(scope="module")
def sop():
    return require_sop(SOP)


@pytest.fixture(scope="module")
def auto(sop):
    return build(sop, None)


# -- The SOP on its own ----------------------------------------------------------------------------


def test_sop_validates_without_errors():
    code, out, err = run_cli(["validate", SOP, "--format", "json"])
    assert code == 0, out + err
    report = json.loads(out)
    assert report["unreadable"] == []
    assert [f for file in report["files"] for f in file["findings"] if f["severity"] == "error"] == []


def test_steps_are_the_log_activities_with_loops_and_no_time(sop):
    assert len(sop.steps) == 23 and sop.steps[0].id == "a_submitted"
    labels = {alias for step in sop.steps for alias in step.aliases}
    assert labels == ACTIVITIES
    for activity in ACTIVITIES:  # each log label is one step's alias
        assert sop.step_for_label[activity.casefold()]
    # Work items resume and repeat (calls); the application and offer states do not.
    assert {s.id for s in sop.steps if s.repeatable} == WORK_ITEMS
    # No time limits: neither the log nor its description gives one.
    assert all(step.time is None for step in sop.steps)
    assert not sop.deadlines
    # The system (org:resource 112) and employees without a roster.
    assert sop.actor_for_label["112"] == "sistem"
    assert sop.case.actor_field == "org:resource"


def test_flow_is_the_procedure_not_a_flower(sop, auto):
    succ = {step.id: successors(auto, step.id) for step in sop.steps}
    # 140 of the 23 x 23 possible successions (the log's own directly-follows graph has 138).
    assert sum(len(s - {"end"}) for s in succ.values()) == 140
    assert succ["a_submitted"] == {"a_partlysubmitted"}
    assert succ["o_created"] == {"o_sent"}
    assert succ["a_partlysubmitted"] == {"a_preaccepted", "a_declined", "w_afhandelen_leads",
                                         "w_beoordelen_fraude"}
    # The four approval events in any order, then the validation (or call) item ends.
    approval = {"a_approved", "a_registered", "a_activated", "o_accepted"}
    for step in approval:
        assert succ[step] == (approval - {step}) | {"w_valideren_aanvraag", "w_nabellen_incomplete_dossiers"}
    # Loops: new offers replace old ones; validation and calls about incomplete files alternate.
    assert {"o_selected", "o_cancelled"} <= succ["w_nabellen_offertes"]
    assert "o_created" in succ["o_cancelled"] and "o_sent_back" in succ["w_nabellen_offertes"]
    assert "w_valideren_aanvraag" in succ["w_nabellen_incomplete_dossiers"]
    assert "w_nabellen_incomplete_dossiers" in succ["w_valideren_aanvraag"]
    # What it forbids: no approval before validation, no offer before acceptance, no way back
    # from the offer to completing the application.
    assert not approval & (succ["a_preaccepted"] | succ["w_completeren_aanvraag"] | succ["o_sent"])
    assert "o_selected" not in succ["a_preaccepted"] | succ["w_afhandelen_leads"]
    assert "w_completeren_aanvraag" not in succ["w_nabellen_offertes"] | succ["w_valideren_aanvraag"]
    # A case ends after a work item (that closes a decided application), or right after an
    # automatic decline or cancellation; never after an offer is sent or an approval event.
    ends = {step for step, s in succ.items() if "end" in s}
    assert ends == WORK_ITEMS | {"a_declined", "a_cancelled", "o_cancelled"}


def test_export_writes_pnml_with_the_automaton(sop, auto, tmp_path):
    out = tmp_path / "bpic2012.pnml"
    code, _, err = run_cli(["export", SOP, "--format", "pnml", "-o", out])
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert text == export_pnml(sop)  # no branch depends on attributes: nothing to resolve
    assert text.count("<place id=") == len(auto.reachable) + 1  # one per state, and the end


@pytest.fixture(scope="module")
def pm4py_net(pm4py, sop, tmp_path_factory):
    path = tmp_path_factory.mktemp("bpic2012") / "bpic2012.pnml"
    path.write_text(export_pnml(sop), encoding="utf-8")
    return pm4py.read_pnml(str(path))


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_pm4py_loads_the_net(pm4py_net, auto):
    net, im, fm = pm4py_net
    assert_net_is_automaton(net, im, fm, auto)
    assert sum(1 for t in net.transitions if t.label) == sum(len(auto.succ[s]) for s in auto.reachable)


# -- The audit of the whole log, once ----------------------------------------------------------------


@pytest.fixture(scope="module")
def audited():
    """(rows, {case id: (status, cost, [(code, step, severity, actor)], [(activity, actor)])})."""
    if not LOG.exists():
        pytest.skip(f"the BPI Challenge 2012 log is not here ({LOG})")
    report = checker.audit(SOP, LOG)
    cases = {}
    for case in report.cases:
        events = [(e.activity, e.actor) for e in case.events]
        findings = [(f.code, f.step, f.severity, tuple(e.actor for e in f.evidence))
                    for f in case.all_findings()]
        cases[case.case_id] = (case.status, case.cost, findings, events)
    return report.rows, cases


@needs_log
def test_every_case_and_event_read(audited):
    rows, cases = audited
    assert len(cases) == 13087
    assert rows.read == rows.accepted == 262200 and rows.rejected == 0
    # Starts paired with their completes, schedules counted and not audited.
    assert sum(len(events) for _, _, _, events in cases.values()) == 164506
    assert {a for _, _, _, events in cases.values() for a, _ in events} == ACTIVITIES


@needs_log
def test_compliance_figures(audited):
    _, cases = audited
    failing = {cid for cid, (_, _, findings, _) in cases.items() if any(f[2] == "error" for f in findings)}
    assert failing == NOT_COMPLIANT  # 13,081 of 13,087 compliant
    assert Counter(status for status, _, _, _ in cases.values()) == {"complete": 13086, "in_progress": 1}
    assert Counter(cost for _, cost, _, _ in cases.values()) == {0: 13083, 1: 3, 3: 1}
    codes = Counter(f[0] for _, _, findings, _ in cases.values() for f in findings)
    assert codes == {"AC003": 120337, "AC001": 9, "FL001": 5}


@needs_log
def test_warnings_are_the_employees_and_errors_the_system(audited):
    _, cases = audited
    employee_events = sum(1 for _, _, _, events in cases.values() for _, actor in events
                          if actor and actor != "112")
    warnings = [f for _, _, findings, _ in cases.values() for f in findings if f[0] == "AC003"]
    assert len(warnings) == employee_events  # no roster: each employee's event, and nothing else
    assert all(f[2] == "warning" and "112" not in f[3] for f in warnings)
    # The system (112) approved, registered and activated three loans: no one else is AC001.
    wrong = [(cid, f[1], f[3]) for cid, (_, _, findings, _) in cases.items()
             for f in findings if f[0] == "AC001"]
    assert sorted(wrong) == sorted(
        (cid, step, ("112",))
        for cid in ("177083", "180310", "198310")
        for step in ("a_approved", "a_registered", "a_activated")
    )


def _hand_checked() -> list[tuple[str, str, list[str], int]]:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index("<!-- bpic2012-checked:start -->"), text.index("<!-- bpic2012-checked:end -->")
    row = re.compile(r"^\|\s*`(?P<case>\d+)`\s*\|\s*(?P<status>\w+)\s*\|(?P<codes>[^|]*)\|"
                     r"\s*(?P<warnings>[\d,]+)\s*\|")
    rows = []
    for line in text[start:end].splitlines():
        match = row.match(line)
        if match:
            codes = sorted(re.findall(r"[A-Z]{2}\d{3} [a-z0-9_]+", match["codes"]))
            rows.append((match["case"], match["status"], codes, int(match["warnings"].replace(",", ""))))
    return rows


def test_docs_list_hand_checked_cases():
    rows = _hand_checked()
    assert len(rows) >= 8
    assert {case for case, *_ in rows} >= NOT_COMPLIANT


@needs_log
@pytest.mark.parametrize("row", _hand_checked() if DOC.exists() else [], ids=lambda r: r[0])
def test_hand_checked_case_agrees_with_the_audit(audited, row):
    case_id, status, codes, warnings = row
    _, cases = audited
    found_status, _, findings, _ = cases[case_id]
    assert found_status == status
    assert sorted(f"{f[0]} {f[1]}" for f in findings if f[0] != "AC003") == codes
    assert sum(1 for f in findings if f[0] == "AC003") == warnings


@needs_log
def test_shuffled_real_traces_seldom_fit(sop, auto, audited):
    """Not a flower: the order of the events matters. A random shuffle of a real trace with at
    least five events almost never fits, though the traces themselves all but always do."""
    _, cases = audited
    rnd = random.Random(2012)
    long_ones = sorted(cid for cid, (_, _, _, events) in cases.items() if len(events) >= 5)
    fitting = shuffled_fitting = 0
    sample = rnd.sample(long_ones, 500)
    for cid in sample:
        activities = [a for a, _ in cases[cid][3]]
        fitting += align(auto, symbols(sop, activities), open_prefixes=False).cost == 0
        rnd.shuffle(activities)
        shuffled_fitting += align(auto, symbols(sop, activities), open_prefixes=False).cost == 0
    assert fitting >= 499
    assert shuffled_fitting / len(sample) < 0.02


@needs_log
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_pm4py_alignment_costs_equal_ours(pm4py_net, sop, auto, audited):
    """PM4Py's optimal alignment on the exported net costs what ours does: the failing cases, a
    seeded sample of the log's traces, and shuffled short ones (costs above zero)."""
    net, im, fm = pm4py_net
    _, cases = audited
    rnd = random.Random(1849)
    short = sorted(cid for cid, (_, _, _, events) in cases.items() if len(events) <= 40)
    traces = [[a for a, _ in cases[cid][3]] for cid in sorted(NOT_COMPLIANT) + rnd.sample(short, 15)]
    for cid in rnd.sample(short, 12):
        activities = [a for a, _ in cases[cid][3]][:10]
        rnd.shuffle(activities)
        traces.append(activities)
    name = {step.id: step.name.id for step in sop.steps}  # the PNML's transition labels
    for activities in traces:
        trace = symbols(sop, activities)
        theirs = pm4py_cost([name[sop.steps[s - 1].id] for s in trace], net, im, fm)
        assert theirs == align(auto, trace, open_prefixes=False).cost, activities
    # And the report's cost of a complete case is that same plain alignment's.
    for cid in sorted(NOT_COMPLIANT):
        status, cost, _, events = cases[cid]
        if status == "complete":
            assert cost == align(auto, symbols(sop, [a for a, _ in events]), open_prefixes=False).cost
