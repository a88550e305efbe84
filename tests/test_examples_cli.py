"""Example cases beside SOPs (`NAME.cases.yaml`) and `sopcheck test`: the repository's own cases
pass, a deliberately wrong expectation fails with a readable diff, bad files are one located line
and exit 2, and the finding-tree comparison is exact."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import catalogue
from checker.examples import canonical, compare, diff_lines, discover, load_cases, render, run

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"
SEED_CASES = RULES / "magetan" / "penawaran-kerja-sama.cases.yaml"
REV2_CASES = RULES / "magetan" / "penawaran-kerja-sama.rev2.cases.yaml"
WRONG = REPO / "fixtures" / "cases-wrong" / "penawaran-kerja-sama.cases.yaml"


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _codes(findings) -> list[str]:
    out = []
    for item in findings:
        if isinstance(item, str):
            out.append(item.split(" ")[0])
        else:
            out.append(item["code"])
            out.extend(_codes(item.get("consequences", ())))
    return out


# -- the repository's example cases ---------------------------------------------------------------
def test_every_example_case_in_rules_passes(run_cli):
    files = sorted(RULES.rglob("*.cases.yaml"))
    total = sum(len(_yaml(f)["cases"]) for f in files)
    code, out, err = run_cli(["test", "rules/"])
    assert code == 0, out + err
    lines = [line for line in out.splitlines() if line.startswith(("PASS ", "FAIL "))]
    assert len(lines) == total
    assert all(line.startswith("PASS ") for line in lines)
    assert f"{total} example case(s): {total} passed, 0 failed ({len(files)} file(s))" in out


def test_seed_sop_cases_cover_every_branch_and_finding_family():
    data = _yaml(SEED_CASES)
    cases = data["cases"]
    assert len(cases) >= 15
    kinds = {c["attributes"].get("jenis_kerja_sama") for c in cases}
    assert kinds >= {"KSDD", "KSDPK", "Instansi Vertikal", None}  # None: no branch (CS003)
    families = {catalogue.get(code).family for c in cases for code in _codes(c["expect"]["findings"])}
    assert families >= {"flow", "actor", "document", "time", "case"}
    statuses = {c["expect"].get("status") for c in cases}
    assert statuses >= {"complete", "in_progress", "overdue", "ended_early"}
    assert any(not c["expect"]["findings"] for c in cases)
    # The delegate branch of step 8 (Kepala OPD Teknis with a surat kuasa), with and without it.
    delegated = [c for c in cases if any("kepala_opd_teknis" in str(e) for e in c["events"])]
    assert {bool(c["expect"]["findings"]) for c in delegated} == {True, False}


def test_revision_two_cases_judge_with_both_revisions():
    loaded = load_cases(REV2_CASES)
    assert sorted(s.revision for s in loaded.revisions) == ["1", "2"]
    outcomes = run(loaded)
    assert outcomes and all(o.passed for o in outcomes)
    judged = {o.result.sop_revision for o in outcomes}
    assert judged == {"1", "2"}
    for outcome in outcomes:
        assert outcome.result.sop_revision == outcome.example.revision


def test_changing_any_expectation_makes_the_case_fail():
    """The comparison is exact: drop a finding, add one, or nest one differently, and it fails."""
    for path in (SEED_CASES, REV2_CASES):
        loaded = load_cases(path)
        for outcome in run(loaded):
            example = outcome.example
            extra = ("FL003", None, ())
            variants = [(*example.expected, extra)]
            if example.expected:
                variants.append(example.expected[1:])
                code, step, children = example.expected[0]
                variants.append(((code, step, (*children, extra)), *example.expected[1:]))
            for expected in variants:
                changed = replace(example, expected=canonical(expected))
                assert not compare(loaded, changed, outcome.result).passed, (path.name, example.name)


# -- a deliberately wrong expectation -------------------------------------------------------------
def test_wrong_expectation_fails_with_a_readable_diff(run_cli):
    code, out, err = run_cli(["test", str(WRONG)])
    assert code == 1, out + err
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith("PASS ") and lines[0].endswith(": benar-lengkap")
    fail = next(i for i, line in enumerate(lines) if line.endswith(": salah-langkah-yang-dilewati"))
    assert lines[fail].startswith("FAIL ")
    block = lines[fail + 1 : fail + 5]
    assert block[0].strip() == "findings (- expected, + actual):"
    assert block[1].strip() == "- FL001 rapat_naskah"
    assert block[2].strip() == "+ FL001 disposisi"
    assert block[3].strip() == "status: expected in_progress, got complete"
    assert any(line.strip() == "judged by revision: expected 2, got 1" for line in lines)
    assert lines[-1] == "3 example case(s): 1 passed, 2 failed (1 file(s))"


def test_wrong_expectation_in_indonesian(run_cli):
    code, out, _ = run_cli(["test", str(WRONG), "--lang", "id"])
    assert code == 1
    assert "GAGAL " in out and "LULUS " in out
    assert "status: diharapkan in_progress, hasil complete" in out


def test_junit_has_one_testcase_per_case_and_the_diff_in_each_failure(run_cli, tmp_path):
    target = tmp_path / "junit.xml"
    code, out, _ = run_cli(["test", str(WRONG), "--format", "junit", "-o", str(target)])
    assert code == 1 and out == ""
    root = ET.parse(target).getroot()
    assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "2"
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["benar-lengkap", "salah-langkah-yang-dilewati", "salah-revisi"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert "- FL001 rapat_naskah" in failure.text and "+ FL001 disposisi" in failure.text
    assert "revision: expected 2, got 1" in cases[2].find("failure").get("message")
    assert all(c.get("classname") == "magetan/penawaran-kerja-sama" for c in cases)


def test_output_is_deterministic(run_cli):
    first = run_cli(["test", "rules/", "--format", "junit"])
    second = run_cli(["test", "rules/", "--format", "junit"])
    assert first.stdout == second.stdout and first.code == 0


def test_json_report(run_cli):
    import json

    code, out, _ = run_cli(["test", str(WRONG), "--format", "json"])
    assert code == 1
    doc = json.loads(out)
    assert doc["summary"] == {"cases": 3, "passed": 1, "failed": 2}
    wrong = doc["files"][0]["cases"][1]
    assert wrong["expected"] == ["FL001 rapat_naskah"] and wrong["actual"] == ["FL001 disposisi"]
    assert wrong["status"] == {"expected": "in_progress", "actual": "complete"}


# -- choosing what to run -------------------------------------------------------------------------
def test_filter_by_name(run_cli):
    code, out, _ = run_cli(["test", "rules/", "-k", "dilewati", "-k", "r2-*-dprd"])
    assert code == 0
    names = sorted(line.rsplit(": ", 1)[1] for line in out.splitlines() if line.startswith("PASS "))
    assert names == [
        "disposisi-dilewati",
        "legal-drafting-dilewati",
        "r2-ksdd-apbd-dengan-persetujuan-dprd",
        "r2-ksdd-apbd-tanpa-persetujuan-dprd",
        "r2-ksdpk-minta-persetujuan-dprd",
    ]


def test_filter_matching_nothing_is_an_input_error(run_cli):
    code, out, err = run_cli(["test", "rules/", "-k", "no-such-case"])
    assert code == 2 and out == ""
    assert err.strip() == "sopcheck: no example case matches: no-such-case"


def test_an_sop_file_brings_the_cases_that_judge_with_it():
    rev1 = str(RULES / "magetan" / "penawaran-kerja-sama.yaml")
    rev2 = str(RULES / "magetan" / "penawaran-kerja-sama.rev2.yaml")
    cases, lonely = discover([rev1])
    assert sorted(Path(c).name for c in cases) == [SEED_CASES.name, REV2_CASES.name]
    assert lonely == []
    cases, lonely = discover([rev2])
    assert [Path(c).name for c in cases] == [REV2_CASES.name]


def test_sop_without_cases_is_listed_and_fails_with_require_cases(run_cli, tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(RULES / "magetan" / "penawaran-kerja-sama.yaml", folder / "a.yaml")
    shutil.copy(RULES / "magetan" / "penawaran-kerja-sama.yaml", folder / "b.yaml")
    cases = _yaml(SEED_CASES)
    cases["cases"] = cases["cases"][:2]
    (folder / "a.cases.yaml").write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    code, out, _ = run_cli(["test", str(folder)])
    assert code == 0
    assert f"SOP without example cases: {folder / 'b.yaml'}" in out
    assert "2 example case(s): 2 passed, 0 failed (1 file(s))" in out
    code, _, _ = run_cli(["test", str(folder), "--require-cases"])
    assert code == 1


# -- bad input: one located line, exit 2 ----------------------------------------------------------
def _cases_file(tmp_path: Path, text: str) -> Path:
    shutil.copy(RULES / "magetan" / "penawaran-kerja-sama.yaml", tmp_path / "sop.yaml")
    path = tmp_path / "sop.cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_CASE = """\
sopcheck: 1
cases:
  - name: satu
    attributes: {jenis_kerja_sama: KSDD}
    events:
      - [terima_penawaran, "2025-02-04", bupati]
    expect: {findings: []}
"""


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        ("    attributes:", "    atribut:", "unknown property 'atribut'", 4),
        ('"2025-02-04"', '"2025-02-30"', "'2025-02-30' is not a readable date or timestamp", 6),
        # Regression: a traceback (OverflowError) from the calendar; the readers reject these too.
        ('"2025-02-04"', '"0001-01-01T00:00:00+14:00"', "is outside the supported years 1900 to 2199", 6),
        ('"2025-02-04"', '"9999-12-31"', "'9999-12-31' is outside the supported years", 6),
        ("findings: []", "findings: [FL999 disposisi]", "'FL999' is not a finding code for logs", 7),
        ("findings: []", "findings: [SOP101]", "'SOP101' is not a finding code for logs", 7),
        ("findings: []", "findings: [FL001 disposisii]", "step 'disposisii' is not in the SOP", 7),
        ("sopcheck: 1\n", "sopcheck: 1\nsop: nowhere.yaml\n", "no SOP for these example cases", 2),
    ],
)
def test_bad_cases_file_is_one_located_line(run_cli, tmp_path, old, new, message, line):
    text = GOOD_CASE.replace(old, new, 1)
    path = _cases_file(tmp_path, text)
    code, out, err = run_cli(["test", str(path)])
    assert code == 2, out + err
    assert out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"sopcheck: {path}:{line}:"), err
    assert message in err


def test_duplicate_case_name_is_refused_at_the_second(run_cli, tmp_path):
    block = GOOD_CASE.split("cases:\n", 1)[1]
    path = _cases_file(tmp_path, GOOD_CASE + block)
    code, out, err = run_cli(["test", str(path)])
    assert code == 2 and out == ""
    assert err.strip() == (f"sopcheck: {path}:8:11: example case name 'satu' is already used on line 3")


def test_good_cases_file_of_the_bad_input_test_passes(run_cli, tmp_path):
    code, out, err = run_cli(["test", str(_cases_file(tmp_path, GOOD_CASE))])
    assert code == 0, out + err


def test_missing_path_and_empty_folder(run_cli, tmp_path):
    code, out, err = run_cli(["test", str(tmp_path / "nothing.cases.yaml")])
    assert code == 2 and "file not found" in err and "Traceback" not in err
    code, out, err = run_cli(["test", str(tmp_path)])
    assert code == 2 and err.strip() == f"sopcheck: no example-case files (*.cases.yaml) found in: {tmp_path}"


def test_a_case_file_naming_two_different_sops_is_refused(run_cli, tmp_path):
    examples = sorted((RULES / "examples").glob("*.yaml")) if (RULES / "examples").is_dir() else []
    other = next((p for p in examples if not p.name.endswith(".cases.yaml")), None)
    if other is None:
        pytest.skip("no second SOP in rules/examples to mix with")
    shutil.copy(other, tmp_path / "other.yaml")
    path = _cases_file(
        tmp_path, GOOD_CASE.replace("sopcheck: 1\n", "sopcheck: 1\nsop: [sop.yaml, other.yaml]\n")
    )
    code, _, err = run_cli(["test", str(path)])
    assert code == 2 and "not revisions of one SOP" in err


# -- the comparison itself ------------------------------------------------------------------------
CODES = ("FL001", "FL005", "DC001", "TM001", "TM004", "AC001")
STEPS = (None, "terima_penawaran", "disposisi", "rapat_naskah", "arsip")
ORDER = {s: i for i, s in enumerate(STEPS) if s}

nodes = st.recursive(
    st.tuples(st.sampled_from(CODES), st.sampled_from(STEPS), st.just(())),
    lambda children: st.tuples(
        st.sampled_from(CODES), st.sampled_from(STEPS), st.lists(children, max_size=3).map(tuple)
    ),
    max_leaves=8,
)
forests = st.lists(nodes, max_size=5).map(tuple)


def _deep_canonical(forest):
    return canonical((c, s, _deep_canonical(k)) for c, s, k in forest)


@settings(max_examples=200)
@given(forests, st.randoms(use_true_random=False))
def test_order_of_findings_never_matters(forest, rnd):
    shuffled = list(forest)
    rnd.shuffle(shuffled)
    assert render(_deep_canonical(forest), ORDER) == render(_deep_canonical(tuple(shuffled)), ORDER)
    assert diff_lines(render(forest, ORDER), render(tuple(shuffled), ORDER)) == ()


@settings(max_examples=200)
@given(forests, forests)
def test_diff_is_empty_exactly_when_trees_are_equal_and_rebuilds_both_sides(a, b):
    left, right = render(_deep_canonical(a), ORDER), render(_deep_canonical(b), ORDER)
    lines = diff_lines(left, right)
    assert (lines == ()) == (_deep_canonical(a) == _deep_canonical(b))
    if lines:
        assert [x[2:] for x in lines if x[0] in "- "] == left
        assert [x[2:] for x in lines if x[0] in "+ "] == right


def test_example_times_are_read_in_the_sops_time_zone(tmp_path):
    data = _yaml(RULES / "magetan" / "penawaran-kerja-sama.yaml")
    data.setdefault("case", {})["timezone"] = "WITA"
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "s.cases.yaml").write_text(
        GOOD_CASE.replace('"2025-02-04"', '"2025-02-04T09:00"'), encoding="utf-8"
    )
    loaded = load_cases(tmp_path / "s.cases.yaml")
    stamp = loaded.cases[0].case.events[0].timestamp
    assert stamp.isoformat() == "2025-02-04T09:00:00+08:00"


def test_the_cases_schema_is_a_valid_json_schema():
    from jsonschema import Draft202012Validator

    from checker.resources import load_schema

    Draft202012Validator.check_schema(load_schema("cases.schema.json"))


@pytest.mark.parametrize(
    ("content", "where"),
    [(b"\x00\xfa\xd0binary", ":1:2:"), (b"- a list\n", ":1:1:")],
)
def test_a_named_file_that_is_no_sop_is_one_line_and_exit_2(run_cli, tmp_path, content, where):
    # Named on the command line, it is not quietly taken for an SOP without example cases.
    path = tmp_path / "not-an-sop.yaml"
    path.write_bytes(content)
    result = run_cli(["test", str(path)])
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"sopcheck: {path}{where}") and result.stderr.count("\n") == 1
