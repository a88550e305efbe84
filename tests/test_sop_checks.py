"""The semantic checks of an SOP (SOP101..SOP116): one small failing SOP per check under
fixtures/invalid-sops/, each finding asserted by code, line and column; and SOPs that must pass."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from checker import catalogue
from checker.sop.load import LoadedSop, load_sop

REPO = Path(__file__).resolve().parent.parent
INVALID = REPO / "fixtures" / "invalid-sops"
RULES = sorted(
    p for p in (REPO / "rules").rglob("*.y*ml") if not p.name.endswith((".cases.yaml", ".cases.yml"))
)

# (fixture file, code, line, column): every finding each fixture gives, and nothing else.
FINDINGS: list[tuple[str, str, int, int]] = [
    ("sop101-unknown-property.yaml", "SOP101", 15, 5),  # the key `nama`
    ("sop101-missing-required.yaml", "SOP101", 17, 5),  # the step that lacks `actor`
    ("sop101-wrong-type.yaml", "SOP101", 13, 13),  # the value `satu`
    ("sop102-duplicate-id.yaml", "SOP102", 13, 9),  # the second `id: bupati`
    ("sop103-unknown-actor.yaml", "SOP103", 18, 12),  # `bupatii`
    ("sop104-unknown-document.yaml", "SOP104", 24, 26),  # `nota_dinas` in the outputs
    ("sop105-unknown-attribute.yaml", "SOP105", 23, 27),  # `jenis_kerjasama`
    ("sop105-unknown-value.yaml", "SOP105", 25, 22),  # `KSDX` in the `in` list
    ("sop106-unknown-step.yaml", "SOP106", 17, 15),  # `arsipp`
    ("sop107-duplicate-number.yaml", "SOP107", 23, 13),  # the second `number: 2`
    ("sop108-unreachable-step.yaml", "SOP108", 17, 9),  # the id of `arsip`
    ("sop109-loop-without-exit.yaml", "SOP109", 23, 11),  # periksa -> revisi
    ("sop109-loop-without-exit.yaml", "SOP109", 28, 11),  # revisi -> periksa
    ("sop110-overlapping-branches.yaml", "SOP110", 26, 15),  # the second branch's `when`
    ("sop111-value-without-branch.yaml", "SOP111", 23, 7),  # the branches of ttd_naskah
    ("sop112-input-on-one-branch.yaml", "SOP112", 46, 31),  # `naskah_legal` in the inputs
    ("sop113-non-positive-time.yaml", "SOP113", 22, 20),  # amount 0
    ("sop113-fractional-working-days.yaml", "SOP113", 17, 15),  # amount 1.5 working days
    ("sop114-alias-on-two-steps.yaml", "SOP114", 24, 9),  # the second "Penandatanganan"
    ("sop115-step-condition-in-branch.yaml", "SOP115", 18, 22),  # `step:` inside a branch `when`
    ("sop116-threads-share-a-step.yaml", "SOP116", 16, 11),  # both threads run into 'putus'
]

SOP_CODES = sorted(c.code for c in catalogue.CODES if c.family == "sop")


@cache
def loaded(name: str) -> LoadedSop:
    return load_sop(INVALID / name)


def found(name: str) -> set[tuple[str, int | None, int | None]]:
    return {(f.code, f.location.line, f.location.column) for f in loaded(name).findings}


@pytest.mark.parametrize(
    ("name", "code", "line", "column"), FINDINGS, ids=[f"{r[0]}:{r[2]}" for r in FINDINGS]
)
def test_invalid_sop_gives_its_finding(name: str, code: str, line: int, column: int) -> None:
    findings = found(name)
    assert (code, line, column) in findings
    expected = {(c, ln, col) for n, c, ln, col in FINDINGS if n == name}
    assert findings == expected, "a fixture must show its own problem and nothing else"
    assert not loaded(name).ok
    for finding in loaded(name).findings:
        assert finding.location.path == str(INVALID / name)
        assert finding.severity == catalogue.ERROR


def test_every_sop_code_has_a_fixture() -> None:
    assert [f"SOP{n}" for n in range(101, 117)] == SOP_CODES
    assert sorted({code for _, code, _, _ in FINDINGS}) == SOP_CODES


def test_every_fixture_is_in_the_table() -> None:
    on_disk = sorted(p.name for p in INVALID.glob("*.yaml"))
    assert on_disk == sorted({name for name, *_ in FINDINGS})


def test_fixture_names_say_their_code() -> None:
    for name, code, *_ in FINDINGS:
        assert name.startswith(code.lower() + "-")


# --- messages ------------------------------------------------------------------------------------


def test_unknown_actor_message_reads_like_a_compiler_error(run_cli) -> None:
    rel = "fixtures/invalid-sops/sop103-unknown-actor.yaml"
    code, out, err = run_cli(["validate", rel])
    assert code == 1 and err == ""
    assert (
        out.splitlines()[0]
        == f"{rel}:18:12: error SOP103 step 'tanda_tangan_pks' names unknown actor 'bupatii'"
    )


def test_messages_name_what_is_wrong() -> None:
    """The arguments of each message carry the offending names (asserted as data, not wording)."""
    args = {f.code: dict(f.args) for name, *_ in FINDINGS for f in loaded(name).findings}
    assert args["SOP102"]["id"] == "bupati"
    assert args["SOP103"] == {"step": "tanda_tangan_pks", "actor": "bupatii"}
    assert args["SOP104"]["document"] == "nota_dinas"
    assert args["SOP106"]["ref"] == "arsipp"
    assert args["SOP107"] == {"number": 2, "step": "arsip", "other": "disposisi"}
    assert args["SOP108"] == {"step": "arsip"}
    assert (args["SOP110"]["first"], args["SOP110"]["second"]) == ("susun_pks", "arsip")
    assert args["SOP110"]["case"].en == "jenis_kerja_sama=KSDPK"
    assert args["SOP111"]["case"].en == "jenis_kerja_sama=KSDPK"
    assert args["SOP112"] == {"step": "ttd_naskah", "document": "naskah_legal"}
    assert (args["SOP114"]["first"], args["SOP114"]["second"]) == ("ttd_naskah", "ttd_pks")
    values = {f.args["name"] for f in loaded("sop105-unknown-value.yaml").findings}
    assert values == {"KSDX"}


@pytest.mark.parametrize("name", sorted({n for n, *_ in FINDINGS}))
def test_every_finding_renders_in_both_languages(name: str) -> None:
    for finding in loaded(name).findings:
        en, id_ = finding.message("en"), finding.message("id")
        assert en and id_ and "{" not in en + id_


# --- SOPs that must pass ---------------------------------------------------------------------------

FREE_CHOICE = """\
sopcheck: 1
id: test/free-choice
revision: "1"
identity:
  title: Pilihan bebas dan cabang otherwise
actors:
  - {id: tapem, name: Bagian Tapem}
  - {id: bupati, name: Bupati}
documents:
  - {id: surat, name: Surat Penawaran}
  - {id: telaah, name: Telaahan Staf}
  - {id: jawaban, name: Surat Jawaban}
attributes:
  - id: jenis_kerja_sama
    values: [{value: KSDD}, {value: KSDPK}, {value: Instansi Vertikal}]
case:
  arrives_with: [surat]
steps:
  - id: terima
    number: 1
    name: Terima surat
    actor: tapem
    inputs: [surat]
    outputs: [telaah]
    next:                      # a free choice: either is right, nothing decides it
      - step: rapat
        label: dengan rapat
      - step: telaah_langsung
        label: tanpa rapat
  - id: rapat
    number: 2
    name: Rapat koordinasi
    actor: tapem
    inputs: [telaah]
    next: putuskan
  - id: telaah_langsung
    number: 3
    name: Telaah langsung
    actor: tapem
    inputs: [telaah]
    next: putuskan
  - id: putuskan
    number: 4
    name: Keputusan Bupati
    actor: bupati
    inputs: [telaah]
    outputs: [jawaban]
    next:
      - step: arsip
        when: {attribute: jenis_kerja_sama, in: [KSDD, KSDPK]}
      - step: end
        otherwise: true
  - id: arsip
    number: 5
    name: Arsip
    actor: tapem
    inputs: [jawaban]
    next: end
"""


def write(tmp_path: Path, text: str, name: str = "sop.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_free_choice_and_otherwise_give_no_finding(tmp_path: Path) -> None:
    result = load_sop(write(tmp_path, FREE_CHOICE))
    assert result.findings == ()
    assert result.ok and result.sop is not None
    terima, putuskan = result.sop.step_by_id["terima"], result.sop.step_by_id["putuskan"]
    assert [b.when for b in terima.next] == [None, None] and not any(b.otherwise for b in terima.next)
    assert [b.otherwise for b in putuskan.next] == [False, True]


def test_without_otherwise_the_same_choice_leaves_a_gap(tmp_path: Path) -> None:
    """The control for the test above: drop `otherwise` and Instansi Vertikal has no way on."""
    text = FREE_CHOICE.replace("      - step: end\n        otherwise: true\n", "")
    assert {f.code for f in load_sop(write(tmp_path, text)).findings} == {"SOP111"}


def test_input_produced_on_one_free_branch_only(tmp_path: Path) -> None:
    """A free choice is a choice too: a document made on one of its branches is not there on
    every path."""
    text = (
        FREE_CHOICE.replace("    inputs: [surat]\n    outputs: [telaah]\n", "    inputs: [surat]\n")
        .replace(
            "    name: Rapat koordinasi\n    actor: tapem\n    inputs: [telaah]\n",
            "    name: Rapat koordinasi\n    actor: tapem\n    outputs: [telaah]\n",
        )
        .replace(
            "    name: Telaah langsung\n    actor: tapem\n    inputs: [telaah]\n",
            "    name: Telaah langsung\n    actor: tapem\n",
        )
    )
    findings = load_sop(write(tmp_path, text)).findings
    assert [(f.code, f.args["step"], f.args["document"]) for f in findings] == [
        ("SOP112", "putuskan", "telaah")
    ]


def test_conditional_input_follows_its_branch(tmp_path: Path) -> None:
    """An input needed only for KSDD and KSDPK is fine when those cases' branch produces it."""
    text = FREE_CHOICE.replace(
        "    inputs: [jawaban]\n    next: end\n",
        "    inputs:\n      - jawaban\n      - document: telaah\n"
        "        when: {attribute: jenis_kerja_sama, equals: KSDD}\n    next: end\n",
    )
    assert load_sop(write(tmp_path, text)).findings == ()


@pytest.mark.parametrize("amount", [".nan", ".inf", "-.inf"])
def test_time_that_is_not_a_number_is_a_finding(tmp_path: Path, amount: str) -> None:
    """Regression: YAML's .nan and .inf passed the schema and crashed the SOP113 check (or, with an
    hour unit, were accepted)."""
    for unit in ("working_days", "hours"):
        text = FREE_CHOICE.replace(
            "    name: Rapat koordinasi\n",
            f"    name: Rapat koordinasi\n    time: {{amount: {amount}, unit: {unit}}}\n",
        )
        line = text.splitlines().index(f"    time: {{amount: {amount}, unit: {unit}}}") + 1
        findings = load_sop(write(tmp_path, text)).findings
        assert [(f.code, f.location.line, f.location.column) for f in findings] == [("SOP113", line, 20)]


LIMITS = {"calendar_days": 36_500, "working_days": 25_000, "working_hours": 200_000,
          "working_minutes": 12_000_000, "hours": 876_000, "minutes": 52_560_000}


@pytest.mark.parametrize(("unit", "limit"), sorted(LIMITS.items()))
def test_time_longer_than_100_years_is_a_finding(tmp_path: Path, unit: str, limit: int) -> None:
    """Regression: 100,000,000 working days validated, then generate and selftest crashed with
    "date beyond year 9999". About 100 years in each unit is the most an SOP may allow."""
    for amount, expected in ((limit, []), (limit + 1, ["SOP113"])):
        text = FREE_CHOICE.replace(
            "    name: Rapat koordinasi\n",
            f"    name: Rapat koordinasi\n    time: {{amount: {amount}, unit: {unit}}}\n",
        )
        findings = load_sop(write(tmp_path, text)).findings
        assert [f.code for f in findings] == expected, amount
    (finding,) = findings
    assert "more than 100 years" in finding.message("en")
    assert "lebih dari 100 tahun" in finding.message("id")


@pytest.mark.parametrize("path", RULES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_shipped_sop_is_valid(path: Path) -> None:
    result = load_sop(path)
    assert [(f.code, f.location.line, f.message("en")) for f in result.findings] == []
    assert result.sop is not None
