"""`sopcheck export --format pnml`: the net is the automaton the audit aligns against.

Checked three ways: the structure (places, transitions, markings) against the automaton; a
token game on the parsed PNML accepts exactly the traces the audit aligns at cost 0; and, when
PM4Py is installed, PM4Py's alignment cost of every trace equals the audit's.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.conformance.align import UNKNOWN, align
from checker.conformance.automaton import build, decisions
from checker.export.pnml import automaton_for, export_pnml, labels_from_activities, petri_net
from checker.sop.load import require_sop
from tests.conftest import run_cli
from tests.examples_support import assert_net_is_automaton, pm4py_cost

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
REWORK = ROOT / "bench" / "sops" / "rework.yaml"
PARALLEL = ROOT / "fixtures" / "sops" / "parallel.yaml"  # threads: the product automaton


@pytest.fixture(scope="module")
def seed():
    return require_sop(SEED)


@pytest.fixture(scope="module")
def rework():
    return require_sop(REWORK)


@pytest.fixture(scope="module")
def parallel():
    return require_sop(PARALLEL)


def parse(text: str) -> dict:
    """The PNML as plain data: places, initial marking, transitions (label or None), arcs, final."""
    root = ET.fromstring(text.encode("utf-8"))
    page = root.find("net/page")
    places = {}
    initial = {}
    for place in page.findall("place"):
        places[place.get("id")] = place.findtext("name/text")
        marking = place.findtext("initialMarking/text")
        if marking:
            initial[place.get("id")] = int(marking)
    transitions = {}
    for tr in page.findall("transition"):
        silent = any(ts.get("activity") == "$invisible$" for ts in tr.findall("toolspecific"))
        transitions[tr.get("id")] = None if silent else tr.findtext("name/text")
    pre: dict[str, list[str]] = {}
    post: dict[str, list[str]] = {}
    for arc in page.findall("arc"):
        src, dst = arc.get("source"), arc.get("target")
        if src in transitions:
            post.setdefault(src, []).append(dst)
        else:
            pre.setdefault(dst, []).append(src)
    final = {p.get("idref"): int(p.findtext("text")) for p in root.findall("net/finalmarkings/marking/place")}
    return {
        "places": places,
        "initial": initial,
        "transitions": transitions,
        "pre": pre,
        "post": post,
        "final": final,
    }


def accepts(net: dict, labels: list[str]) -> bool:
    """Token game: can the net fire `labels` (visible transitions, silent ones anywhere) from the
    initial marking and end in exactly the final marking? Markings are sets of single tokens
    here, since every transition has one input and one output place (a state machine)."""

    def closure(marks: set[str]) -> set[str]:
        out, todo = set(marks), list(marks)
        while todo:
            place = todo.pop()
            for tid, label in net["transitions"].items():
                if label is None and net["pre"][tid] == [place]:
                    for target in net["post"][tid]:
                        if target not in out:
                            out.add(target)
                            todo.append(target)
        return out

    assert all(n == 1 for n in net["initial"].values()) and len(net["initial"]) == 1
    current = closure(set(net["initial"]))
    for label in labels:
        nxt = set()
        for tid, tlabel in net["transitions"].items():
            if tlabel == label and net["pre"][tid][0] in current:
                nxt.update(net["post"][tid])
        current = closure(nxt)
    (final,) = net["final"]
    return final in current


def state_trace(sop, labels: list[str]) -> tuple[int, ...]:
    index = {step.id: i + 1 for i, step in enumerate(sop.steps)}
    out = []
    for label in labels:
        step = sop.step_for_label.get(" ".join(label.split()).casefold())
        out.append(UNKNOWN if step is None else index[step])
    return tuple(out)


def test_structure_matches_automaton(seed):
    auto = build(seed, None)
    net = parse(export_pnml(seed))
    assert set(net["places"]) == {"start", "end"} | {f"p{s}_{auto.steps[s - 1]}" for s in auto.reachable if s}
    assert net["initial"] == {"start": 1}
    assert net["final"] == {"end": 1}
    edges = sum(len(auto.succ[s]) for s in auto.reachable)
    visible = [t for t, label in net["transitions"].items() if label is not None]
    silent = [t for t, label in net["transitions"].items() if label is None]
    assert len(visible) == edges
    assert len(silent) == len(auto.final & auto.reachable)
    for tid in net["transitions"]:
        assert len(net["pre"][tid]) == 1 and len(net["post"][tid]) == 1
    for tid in silent:
        assert net["post"][tid] == ["end"]
    # Every visible transition into a step's place carries that step's name.
    for tid in visible:
        (target,) = net["post"][tid]
        step = seed.step_by_id[net["places"][target]]
        assert net["transitions"][tid] == step.name.id


def test_parallel_threads_export_every_interleaving(parallel):
    auto = build(parallel, None)
    net = parse(export_pnml(parallel))
    assert len(net["places"]) == len(auto.reachable) + 1
    assert len(auto.reachable) > len(parallel.steps) + 1  # product states exist
    assert sum(1 for label in net["transitions"].values() if label) == sum(
        len(auto.succ[s]) for s in auto.reachable
    )


def test_attributes_resolve_branches_like_the_audit(seed):
    vertical = petri_net(seed, {"jenis_kerja_sama": "Instansi Vertikal"})
    ksdd = petri_net(seed, {"jenis_kerja_sama": "KSDD"})
    free = petri_net(seed)
    assert vertical.restricted and ksdd.restricted and not free.restricted
    vertical_places = {p for p, _ in vertical.places}
    assert "p6_susun_pks" not in vertical_places  # Instansi Vertikal ends after the MoU
    assert "p6_susun_pks" in {p for p, _ in ksdd.places}
    key, complete = decisions(seed, {"jenis_kerja_sama": "KSDD"})
    assert complete and automaton_for(seed, {"jenis_kerja_sama": "KSDD"})[0] == build(seed, key)
    # A value no branch takes: the audit keeps every branch, and so does the export.
    odd = petri_net(seed, {"jenis_kerja_sama": "lain"})
    assert not odd.complete and not odd.restricted
    assert odd.transitions == free.transitions


def test_label_kinds_and_log_spellings(seed):
    by_id = parse(export_pnml(seed, label_kind="id"))
    assert {label for label in by_id["transitions"].values() if label} == {s.id for s in seed.steps}
    labels = labels_from_activities(seed, ["Tanda Tangan PKS", "penandatanganan pks", "tidak dikenal"])
    assert labels == {"ttd_pks": ("Tanda Tangan PKS", "penandatanganan pks")}
    net = parse(export_pnml(seed, labels=labels))
    spelled = [t for t, label in net["transitions"].items() if label in labels["ttd_pks"]]
    assert len(spelled) == 2
    assert net["pre"][spelled[0]] == net["pre"][spelled[1]]
    assert net["post"][spelled[0]] == net["post"][spelled[1]]


def _words(sop):
    names = [s.name.id for s in sop.steps] + ["Kegiatan lain"]
    return st.lists(st.sampled_from(names), max_size=14)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_net_accepts_exactly_the_cost_zero_traces(seed, rework, parallel, data):
    sop = data.draw(st.sampled_from([seed, rework, parallel]))
    attrs = data.draw(st.sampled_from([None, {"jenis_kerja_sama": "KSDD"}, {"jalur": "biasa"}]))
    labels = data.draw(_words(sop))
    auto, _ = automaton_for(sop, attrs)
    net = parse(export_pnml(sop, attrs))
    assert accepts(net, labels) == (align(auto, state_trace(sop, labels)).cost == 0)


def test_rework_loop_is_a_self_loop(rework):
    net = parse(export_pnml(rework, {"jalur": "biasa"}))
    loops = [t for t in net["transitions"] if net["pre"][t] == net["post"][t]]
    assert [net["transitions"][t] for t in loops] == ["Perbaiki berkas"]
    assert accepts(net, ["Terima berkas", "Periksa berkas"] + ["Perbaiki berkas"] * 50 + ["Setujui"])
    assert not accepts(net, ["Terima berkas", "Periksa berkas", "Setujui"])


# -- PM4Py reads the file and aligns with the same costs ---------------------------------------


pytestmark_pm4py = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")


def _pm4py_costs(pm4py, pnml_path: Path, traces: list[list[str]]) -> list[int]:
    net, im, fm = pm4py.read_pnml(str(pnml_path))
    return [pm4py_cost(labels, net, im, fm) for labels in traces]


@pytestmark_pm4py
def test_pm4py_loads_the_net(pm4py, seed, tmp_path):
    path = tmp_path / "seed.pnml"
    path.write_text(export_pnml(seed), encoding="utf-8")
    net, im, fm = pm4py.read_pnml(str(path))
    auto = build(seed, None)
    assert_net_is_automaton(net, im, fm, auto)


@pytestmark_pm4py
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_pm4py_alignment_costs_equal_ours(pm4py, seed, rework, parallel, tmp_path, data):
    sop = data.draw(st.sampled_from([seed, rework, parallel]))
    attrs = data.draw(st.sampled_from([None, {"jenis_kerja_sama": "Instansi Vertikal"}, {"jalur": "biasa"}]))
    traces = data.draw(st.lists(_words(sop), min_size=1, max_size=4))
    path = tmp_path / "net.pnml"
    path.write_text(export_pnml(sop, attrs), encoding="utf-8")
    auto, _ = automaton_for(sop, attrs)
    ours = [align(auto, state_trace(sop, labels), open_prefixes=False).cost for labels in traces]
    assert _pm4py_costs(pm4py, path, traces) == ours


# -- the command ---------------------------------------------------------------------------------


def test_cli_writes_the_same_bytes_twice(tmp_path):
    first, second = tmp_path / "a.pnml", tmp_path / "b.pnml"
    for out in (first, second):
        code, _, err = run_cli(["export", SEED, "--format", "pnml", "-a", "jenis_kerja_sama=KSDD", "-o", out])
        assert code == 0, err
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8") == export_pnml(require_sop(SEED), {"jenis_kerja_sama": "KSDD"})


@pytest.mark.parametrize(
    "args",
    [["-a", "jenis_kerja_sama"], ["-a", "tidak_ada=1"], ["-a", "=KSDD"]],
)
def test_cli_bad_options_exit_2_in_one_line(args):
    code, out, err = run_cli(["export", SEED, *args])
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_note_when_no_branch_matches():
    code, out, err = run_cli(["export", SEED, "-a", "jenis_kerja_sama=lain", "--lang", "id"])
    assert code == 0
    assert out.startswith("<?xml")
    assert "CS003" in err


def test_cli_labels_from_the_log(tmp_path):
    log = ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"
    out = tmp_path / "labelled.pnml"
    code, _, err = run_cli(["export", SEED, "--labels-from", log, "-o", out])
    assert code == 0, err
    net = parse(out.read_text(encoding="utf-8"))
    from checker.readers import open_log

    activities = {e.activity for c in open_log(log).cases() for e in c.events}
    labels = {label for label in net["transitions"].values() if label is not None}
    seed = require_sop(SEED)
    # Every transition label is a spelling the log uses (or the name of a step the log never has).
    used_steps = set(labels_from_activities(seed, sorted(activities)))
    for label in labels:
        assert label in activities or label in {s.name.id for s in seed.steps if s.id not in used_steps}
    assert labels & activities
