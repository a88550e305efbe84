"""`sopcheck diff`: a semantic diff of two SOP revisions (exactly the changes made, nothing for a
reformatted file) and, with --log, the cases whose verdict or findings change."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.api import audit
from checker.commands.diff import timeless
from checker.sop import build, model
from checker.sop.load import require_sop
from checker.sopdiff import COMPARED, IGNORED, diff, impact

REPO = Path(__file__).resolve().parent.parent
REV1 = REPO / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
REV2 = REPO / "rules" / "magetan" / "penawaran-kerja-sama.rev2.yaml"
DEMO_LOG = REPO / "fixtures" / "logs" / "revisions-demo.csv"

# Revision 2 is revision 1 plus exactly these changes (its revision_note says so). When this test
# fails after an edit of revision 1, make the same edit in revision 2 (or list the new change).
REV2_CHANGES = {
    ("sop", "changed", "revision", None),
    ("sop", "added", "revision_note", None),
    ("identity", "added", "dates.revised", None),
    ("identity", "added", "dates.effective", None),
    ("identity", "added", "legal_basis", None),
    ("actors", "added", "dprd", None),
    ("documents", "added", "persetujuan_dprd", None),
    ("attributes", "added", "membebani_apbd", None),
    ("steps", "changed", "rapat_naskah", "time"),
    ("steps", "added", "ttd_naskah", "next"),
    ("steps", "changed", "ttd_naskah", "next"),
    ("steps", "added", "persetujuan_dprd", None),
    ("steps", "added", "susun_pks", "inputs"),
    ("steps", "renumbered", "susun_pks", "number"),
    ("steps", "renumbered", "legal_pks", "number"),
    ("steps", "renumbered", "ttd_pks", "number"),
    ("steps", "renumbered", "arsip", "number"),
}


def _key(change):
    return (change.section, change.kind, change.subject, change.field)


@pytest.fixture(scope="module")
def revisions():
    return require_sop(REV1), require_sop(REV2)


def test_diff_of_the_two_revisions_lists_exactly_the_changes_made(revisions):
    result = diff(*revisions)
    keys = [_key(c) for c in result.changes]
    assert len(keys) == len(set(keys))
    assert set(keys) == REV2_CHANGES
    by_key = {_key(c): c for c in result.changes}
    time = by_key[("steps", "changed", "rapat_naskah", "time")]
    assert (time.old, time.new, time.number) == ("7 working_days", "5 working_days", 3)
    assert by_key[("steps", "renumbered", "susun_pks", "number")].old == "6"
    assert by_key[("steps", "renumbered", "arsip", "number")].new == "10"
    assert by_key[("identity", "added", "dates.effective", None)].new == "2026-01-05"
    assert by_key[("identity", "added", "legal_basis", None)].new.startswith("PP No. 28 Tahun 2018")
    branch = by_key[("steps", "changed", "ttd_naskah", "next")]
    assert branch.old == "susun_pks when jenis_kerja_sama in [KSDD, KSDPK]"
    assert "membebani_apbd = false" in branch.new
    assert result.counts() == {"added": 10, "removed": 0, "renumbered": 4, "changed": 3}


def test_reverse_diff_mirrors_the_forward_one(revisions):
    forward = {_key(c): c for c in diff(*revisions).changes}
    backward = {_key(c): c for c in diff(*reversed(revisions)).changes}
    flip = {"added": "removed", "removed": "added", "changed": "changed", "renumbered": "renumbered"}
    assert {(s, flip[k], subj, f) for s, k, subj, f in forward} == set(backward)
    for (section, kind, subject, field), change in forward.items():
        other = backward[(section, flip[kind], subject, field)]
        assert (other.old, other.new) == (change.new, change.old)


def test_a_reformatted_file_has_no_semantic_change(revisions, tmp_path):
    """Key order, flow style, comments, quoting and list order of aliases do not matter."""
    data = yaml.safe_load(REV2.read_text(encoding="utf-8"))
    for step in data["steps"]:
        if "aliases" in step:
            step["aliases"] = list(reversed(step["aliases"]))
    data["actors"] = list(reversed(data["actors"]))
    again = tmp_path / "rev2-reformatted.yaml"
    again.write_text(yaml.safe_dump(data, sort_keys=True, allow_unicode=True, width=60), encoding="utf-8")
    assert diff(revisions[1], require_sop(again)).changes == ()
    assert diff(revisions[0], revisions[0]).changes == ()


def test_every_kind_of_condition_is_rendered():
    import typing

    from checker.sopdiff import CONDITIONS, condition_text

    assert set(typing.get_args(model.Condition)) == set(CONDITIONS)
    test = model.AttributeTest("jenis_kerja_sama", "in", ("KSDD", "KSDPK"))
    assert condition_text(test) == "jenis_kerja_sama in [KSDD, KSDPK]"
    assert condition_text(model.Not(model.StepTest("arsip", True))) == "not arsip done"
    both = model.AllOf((test, model.AttributeTest("membebani_apbd", "equals", True)))
    assert condition_text(both) == "(jenis_kerja_sama in [KSDD, KSDPK] and membebani_apbd = true)"


def test_the_diff_compares_every_field_of_the_model():
    """A field added to the SOP model must be compared by the diff (or ignored on purpose)."""
    for name, covered in COMPARED.items():
        cls = getattr(model, name)
        fields = {f.name for f in dataclasses.fields(cls)}
        missing = fields - set(covered) - set(IGNORED.get(name, ()))
        assert not missing, f"sopdiff does not compare {name}.{sorted(missing)}"


# -- one edit, one change (property) --------------------------------------------------------------
BASE = yaml.safe_load(REV1.read_text(encoding="utf-8"))
STEP_COUNT = len(BASE["steps"])


def _build(data):
    return build.sop(data, path="x.yaml")


@settings(max_examples=60, deadline=None)
@given(
    index=st.integers(0, STEP_COUNT - 1),
    edit=st.sampled_from(["time", "alias", "participant", "actor", "number", "remove_input", "name"]),
    amount=st.integers(2, 30),
    word=st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=3, max_size=12).map(str.strip).filter(bool),
)
def test_one_edit_of_a_step_is_exactly_one_change(index, edit, amount, word):
    data = copy.deepcopy(BASE)
    step = data["steps"][index]
    expected: tuple
    if edit == "time":
        if step["time"]["amount"] == amount:
            amount += 1
        step["time"] = {"amount": amount, "unit": "working_days"}
        expected = ("steps", "changed", step["id"], "time")
    elif edit == "alias":
        step.setdefault("aliases", []).append(f"Alias {word}")
        expected = ("steps", "added", step["id"], "aliases")
    elif edit == "participant":
        present = set(step.get("participants", ())) | {step["actor"]}
        extra = next(a["id"] for a in data["actors"] if a["id"] not in present)
        step.setdefault("participants", []).append(extra)
        expected = ("steps", "added", step["id"], "participants")
    elif edit == "actor":
        step["actor"] = next(a["id"] for a in data["actors"] if a["id"] != step["actor"])
        expected = ("steps", "changed", step["id"], "actor")
    elif edit == "number":
        step["number"] = 100 + amount
        expected = ("steps", "renumbered", step["id"], "number")
    elif edit == "remove_input":
        if not step.get("inputs"):
            step["inputs"] = ["arsip"]
            expected = ("steps", "added", step["id"], "inputs")
        else:
            step["inputs"] = step["inputs"][1:]
            expected = ("steps", "removed", step["id"], "inputs")
    else:
        step["name"] = {"id": f"Langkah {word}", "en": step["name"]["en"]}
        expected = ("steps", "changed", step["id"], "name")
    changes = diff(_build(BASE), _build(data)).changes
    assert [_key(c) for c in changes] == [expected]


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["made", "revised", "effective"]), st.dates().map(lambda d: d.isoformat()))
def test_identity_dates_are_reported(which, day):
    data = copy.deepcopy(BASE)
    data["identity"].setdefault("dates", {})[which] = day
    changes = diff(_build(BASE), _build(data)).changes
    assert [(_key(c), c.new) for c in changes] == [(("identity", "added", f"dates.{which}", None), day)]


# -- the command ----------------------------------------------------------------------------------
def test_text_output_and_exit_code(run_cli):
    code, out, err = run_cli(["diff", str(REV1), str(REV2)])
    assert code == 0 and err == ""
    assert out.splitlines()[0] == "SOP magetan/penawaran-kerja-sama: revision 1 -> 2"
    assert "  ~ 3 rapat_naskah time: 7 working_days -> 5 working_days" in out
    assert (
        "  + 6 persetujuan_dprd: DPRD approves the cooperation plan that burdens the regional budget" in out
    )
    assert "  ~ 7 susun_pks: renumbered 6 -> 7" in out
    assert "  + dates.effective: 2026-01-05" in out
    assert out.splitlines()[-1] == "17 change(s): 10 added, 0 removed, 4 renumbered, 3 changed"
    assert run_cli(["diff", str(REV1), str(REV2), "--exit-code"]).code == 1
    same = run_cli(["diff", str(REV1), str(REV1), "--exit-code"])
    assert same.code == 0 and same.stdout.splitlines()[-1] == "no semantic change"


def test_json_and_markdown(run_cli):
    code, out, _ = run_cli(["diff", str(REV1), str(REV2), "--format", "json"])
    assert code == 0
    doc = json.loads(out)
    assert {(c["section"], c["kind"], c["subject"], c["field"]) for c in doc["changes"]} == REV2_CHANGES
    assert doc["old"]["revision"] == "1" and doc["new"]["revision"] == "2" and doc["impact"] is None
    code, out, _ = run_cli(["diff", str(REV1), str(REV2), "--format", "md", "--lang", "id"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "### SOP magetan/penawaran-kerja-sama: revisi 1 -> 2"
    table = [line for line in lines if line.startswith("| ")]
    assert table[0] == "| Perubahan | Bagian | Apa | Sifat | Lama | Baru |"
    assert len(table) == 1 + 17
    assert "| nomor berubah | Langkah | 7 susun_pks | number | 6 | 7 |" in table
    assert all(line.count(" | ") == 5 for line in table)  # no cell breaks the table


def test_markdown_cells_escape_pipes():
    from checker.commands.diff import _cell

    assert _cell("a | b\nc") == "a \\| b c"


# -- impact on a log ------------------------------------------------------------------------------
def test_log_impact_lists_the_cases_whose_verdict_changes(run_cli):
    code, out, err = run_cli(["diff", str(REV1), str(REV2), "--log", str(DEMO_LOG), "--format", "json"])
    assert code == 0, err
    found = json.loads(out)["impact"]
    assert found["cases"] == 6 and found["effective_dates_respected"] is False
    changed = {c["case_id"]: c for c in found["changed"]}
    # RV-03 (Instansi Vertikal) and RV-04 (KSDD not burdening the budget) do not change.
    assert sorted(changed) == ["RV-01", "RV-02", "RV-05", "RV-06"]
    assert all(c["verdict_changed"] for c in changed.values())
    keys = {
        cid: ({(f["code"], f["step"]) for f in c["added"]}, {(f["code"], f["step"]) for f in c["removed"]})
        for cid, c in changed.items()
    }
    assert keys["RV-01"] == ({("FL005", "ttd_naskah"), ("FL001", "persetujuan_dprd")}, set())
    assert keys["RV-02"] == ({("TM001", "rapat_naskah")}, set())
    assert keys["RV-05"] == (set(), {("FL003", None), ("TM001", "susun_pks")})
    assert changed["RV-05"]["old"]["compliant"] is False and changed["RV-05"]["new"]["compliant"] is True
    by_code = {c["code"]: (c["old"], c["new"], c["added"], c["removed"]) for c in found["by_code"]}
    assert by_code["FL003"] == (1, 0, 0, 1)
    assert by_code["TM001"] == (1, 2, 2, 1)


def test_log_impact_respecting_effective_dates(run_cli):
    code, out, _ = run_cli(
        ["diff", str(REV1), str(REV2), "--log", str(DEMO_LOG), "--format", "json", "--respect-effective"]
    )
    assert code == 0
    changed = {c["case_id"]: c for c in json.loads(out)["impact"]["changed"]}
    # RV-06 started in December 2025: revision 2 alone does not judge it.
    assert changed["RV-06"]["new"]["status"] == "not_judged"
    assert [(f["code"], f["step"]) for f in changed["RV-06"]["added"]] == [("CS002", None)]


def test_log_impact_agrees_with_two_audits_on_the_example_log(revisions):
    log = REPO / "fixtures" / "logs" / "penawaran-kerja-sama.csv"
    if not log.is_file():
        pytest.skip("the example log of issue 4 is not there")
    old, new = (audit(timeless(s), str(log), as_of="2026-11-25") for s in revisions)
    result = impact(old, new)
    old_by, new_by = {c.case_id: c for c in old.cases}, {c.case_id: c for c in new.cases}

    def summary(c):
        return (c.status, c.compliant, sorted((f.code, f.step or "") for f in c.all_findings()))

    differing = sorted(cid for cid in old_by if summary(old_by[cid]) != summary(new_by[cid]))
    assert [c.case_id for c in result.changed] == differing
    assert differing  # step 3 shortened: some past cases become late
    assert all(new_by[c.case_id].sop_revision == "2" for c in result.changed)
    # The log has no case:membebani_apbd column: under revision 2 no branch applies to its KSDD
    # cases at step 5 (CS003), which the impact makes visible before approval.
    ksdd = [c for c in new.cases if c.attributes.get("jenis_kerja_sama") == "KSDD"]
    assert ksdd and all(any(f.code == "CS003" for f in c.findings) for c in ksdd)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere.yaml", str(REV2)], "nowhere.yaml: file not found"),
        ([str(REV1), str(REV2), "--log", "nowhere.csv"], "nowhere.csv"),
    ],
)
def test_bad_input_is_one_line(run_cli, args, message):
    code, out, err = run_cli(["diff", *args])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert message in err


def test_an_invalid_sop_is_refused(run_cli):
    bad = sorted((REPO / "fixtures" / "invalid-sops").glob("sop10*.yaml"))
    if not bad:
        pytest.skip("no invalid SOP fixtures")
    code, _, err = run_cli(["diff", str(REV1), str(bad[0])])
    assert code == 2 and err.startswith(f"sopcheck: {bad[0]}:")


def test_deadlines_and_case_rules_are_compared(revisions):
    old = revisions[0]
    deadline = model.Deadline(
        "lapor",
        model.Endpoint("end"),
        start=model.Endpoint("step", "terima_penawaran"),
        within=model.Duration(30, "working_days"),
    )
    with_deadline = dataclasses.replace(old, deadlines=(deadline,))
    longer = dataclasses.replace(
        old, deadlines=(dataclasses.replace(deadline, within=model.Duration(40, "working_days")),)
    )
    assert [_key(c) for c in diff(old, with_deadline).changes] == [("deadlines", "added", "lapor", None)]
    changes = diff(with_deadline, longer).changes
    assert [(_key(c), c.old, c.new) for c in changes] == [
        (("deadlines", "changed", "lapor", "within"), "30 working_days", "40 working_days")
    ]
    other_start = dataclasses.replace(old, case=dataclasses.replace(old.case, start_attribute=None))
    assert [_key(c) for c in diff(old, other_start).changes] == [
        ("case", "changed", "case", "start_attribute")
    ]


def test_parallel_threads_are_compared(revisions):
    old = revisions[0]
    steps = list(old.steps)
    steps[1] = dataclasses.replace(steps[1], fork=model.Fork(("rapat_naskah", "legal_naskah"), "ttd_naskah"))
    forked = dataclasses.replace(old, steps=tuple(steps))
    changes = diff(old, forked).changes
    assert [(_key(c), c.new) for c in changes] == [
        (("steps", "changed", "disposisi", "fork"), "parallel [rapat_naskah, legal_naskah] join ttd_naskah")
    ]
