"""Generated traces against every SOP in rules/ (found when the tests run): a case that follows
the SOP gives no finding; a case with one deviation gives exactly the root findings the deviation
must give, its own at the step it is blamed on and nothing unrelated; the audit never raises on a
generated case. The mutation catalogue covers every code a log can trigger.

The cases come from checker.casegen and checker.mutations through Hypothesis-controlled Randoms
(st.randoms), so that a failure shrinks to a short case. `Zeros` replays the smallest draws
Hypothesis shrinks to (they once left the attribute draw with no valid value at all); the seeded
examples are cases that failed while the generator was written.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import example, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from checker import catalogue  # noqa: E402
from checker.casegen import COMPLETE, IN_PROGRESS, Builder, Expected, Truth, optimal_cost  # noqa: E402
from checker.conformance.results import STATUSES  # noqa: E402
from checker.mutations import MUTATIONS, NOT_GENERATED, apply, mutate, why_not  # noqa: E402
from checker.reporters.validation import sop_files  # noqa: E402
from checker.sop.load import require_sop  # noqa: E402
from checker.testing import audit_case, conforming_cases, violating_cases  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RULES = sorted(sop_files([str(REPO / "rules")])) if (REPO / "rules").is_dir() else []
EXAMPLES = sorted(sop_files([str(REPO / "fixtures" / "testing-sops")]))
LOG_CODES = [c.code for c in catalogue.CODES if c.scope == "log"]

# Properties that an SOP in rules/ is known to break because of the checker, each with the test
# that pins the disagreement down (strict xfail there: fixing the engine turns it into a failure
# that says to remove the entry here).
KNOWN: dict[tuple[str, str], str] = {}

_BUILDERS: dict[str, Builder] = {}


def builder(path: str) -> Builder:
    if path not in _BUILDERS:
        _BUILDERS[path] = Builder(require_sop(path))
    return _BUILDERS[path]


def ident(path: str) -> str:
    return Path(path).relative_to(REPO).as_posix() if Path(path).is_absolute() else path


class Zeros(random.Random):
    """The smallest draws: Hypothesis shrinks a Random towards these."""

    def random(self) -> float:
        return 0.0

    def getrandbits(self, k: int) -> int:
        return 0


def audited(b: Builder, case) -> Truth:
    result = audit_case(b.sop, case.to_case(), as_of=b.as_of, calendar=b.calendar)
    return Truth(result.status, tuple(Expected(f.code, f.step) for f in result.findings))


def skip_reason(path: str, code: str) -> str | None:
    """Why a deviation cannot be tested on an SOP: the SOP cannot show it at all, or no case of
    twenty drawn with fixed seeds admits it (e.g. every swap of two steps is also allowed)."""
    b = builder(path)
    reason = why_not(b, code)
    if reason:
        return f"{code} cannot be generated for {b.sop.id}: {reason}"
    if not any(mutate(b, code, random.Random(k), "K", tries=1) is not None for k in range(20)):
        return f"no case drawn for {b.sop.id} admits {code} (20 tried)"
    return None


def params(paths: list[str], codes: list[str]) -> list:
    out = []
    for path in paths:
        for code in codes:
            reason = skip_reason(path, code)
            marks = [pytest.mark.skip(reason=reason)] if reason else []
            out.append(pytest.param(path, code, id=f"{ident(path)}-{code}", marks=marks))
    return out


def known(paths: list[str], prop: str) -> list:
    """The SOP paths, with the known disagreements of `prop` marked skipped with their reason."""
    out = []
    for path in paths:
        reason = KNOWN.get((builder(path).sop.id, prop))
        marks = [pytest.mark.skip(reason=reason)] if reason else []
        out.append(pytest.param(path, id=ident(path), marks=marks))
    return out


@pytest.mark.skipif(not RULES, reason="no SOP in rules/")
@pytest.mark.parametrize("path", RULES, ids=ident)
@given(rng=st.randoms(use_true_random=False))
@example(rng=Zeros())
def test_a_conforming_case_gives_no_finding(path: str, rng: random.Random) -> None:
    b = builder(path)
    sample = b.conforming(rng, "KASUS-1", in_progress=False)
    assert not b.problems(sample.case), "the SOP lets no drawn case conform: run sopcheck selftest"
    assert audited(b, sample.case) == Truth(COMPLETE)


@pytest.mark.skipif(not RULES, reason="no SOP in rules/")
@pytest.mark.parametrize("path", known(RULES, "in_progress"))
@given(rng=st.randoms(use_true_random=False))
@example(rng=Zeros())
def test_a_conforming_case_still_open_is_in_progress_with_no_finding(path: str, rng: random.Random) -> None:
    b = builder(path)
    # Cases drawn to start in the last weeks before the audit date, so that many are still open.
    start = b.draw_start(rng, b.as_of_day.replace(month=11, day=1), b.as_of_day)
    sample = b.conforming(rng, "KASUS-1", start=start)
    assert sample.truth.status in (COMPLETE, IN_PROGRESS)
    assert audited(b, sample.case) == sample.truth


@pytest.mark.skipif(not RULES, reason="no SOP in rules/")
@pytest.mark.parametrize(("path", "code"), params(RULES, LOG_CODES))
@given(rng=st.randoms(use_true_random=False))
@example(rng=Zeros())
@example(rng=random.Random("7:FL001:109"))  # skipping DPRD approval: a wrong branch, not FL001
@example(rng=random.Random("7:FL004:0"))  # a repeat inside a loop: read as the loop's other step
def test_a_deviation_gives_exactly_its_finding(path: str, code: str, rng: random.Random) -> None:
    b = builder(path)
    result = mutate(b, code, rng, "KASUS-1", tries=3)
    hypothesis.assume(result is not None)
    assert result.expected.code == code
    got = audited(b, result.case)
    assert got.key() == result.truth.key(), (got, result.truth)


@pytest.mark.skipif(not RULES, reason="no SOP in rules/")
@pytest.mark.parametrize("path", RULES, ids=ident)
@given(rng=st.randoms(use_true_random=False), codes=st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=3))
def test_the_audit_never_raises_on_a_generated_case(path: str, rng: random.Random, codes: list[str]) -> None:
    """Deviations piled on one another (where they still apply): whatever the case, the audit
    gives a status and findings, never an exception."""
    b = builder(path)
    case = b.conforming(rng, "KASUS-1").case
    for code in codes:
        result = apply(b, code, case, rng) if why_not(b, code) is None else None
        case = result.case if result is not None else case
    if not case.events:
        return
    result = audit_case(b.sop, case.to_case(), as_of=b.as_of, calendar=b.calendar)
    assert result.status in STATUSES
    for finding in result.all_findings():
        assert finding.code in catalogue.BY_CODE


def test_every_code_a_log_can_trigger_has_a_mutation_or_a_reason() -> None:
    assert set(MUTATIONS) | set(NOT_GENERATED) == set(LOG_CODES)
    assert not set(MUTATIONS) & set(NOT_GENERATED)
    assert all(isinstance(reason, str) and len(reason) > 20 for reason in NOT_GENERATED.values())


def test_every_code_is_generated_for_some_sop() -> None:
    """Each mutation applies to at least one SOP of the repository (rules/ or the example SOPs
    of the generated-trace tests): none is dead code."""
    paths = RULES + EXAMPLES
    applicable = {code for path in paths for code in MUTATIONS if why_not(builder(path), code) is None}
    assert applicable == set(MUTATIONS)


# -- the same properties on the example SOPs that exercise what rules/ may not ----------------


@pytest.mark.parametrize("path", EXAMPLES, ids=ident)
@given(rng=st.randoms(use_true_random=False))
@example(rng=Zeros())
def test_example_sops_conforming(path: str, rng: random.Random) -> None:
    b = builder(path)
    sample = b.conforming(rng, "KASUS-1")
    assert audited(b, sample.case) == sample.truth


@pytest.mark.parametrize(("path", "code"), params(EXAMPLES, sorted(MUTATIONS)))
@given(rng=st.randoms(use_true_random=False))
@example(rng=Zeros())
def test_example_sops_deviations(path: str, code: str, rng: random.Random) -> None:
    b = builder(path)
    result = mutate(b, code, rng, "KASUS-1", tries=3)
    hypothesis.assume(result is not None)
    assert audited(b, result.case).key() == result.truth.key()


# -- the public strategies ----------------------------------------------------------------------


MAGETAN = REPO / "rules" / "magetan" / "penawaran-kerja-sama.yaml"


@pytest.mark.skipif(not MAGETAN.exists(), reason="the Magetan SOP is not in rules/")
@given(case=conforming_cases(str(MAGETAN), date_only=True))
def test_conforming_cases_strategy(case) -> None:
    result = audit_case(str(MAGETAN), case)
    assert result.status == COMPLETE and not result.findings
    assert all(e.date_only for e in case.events)


@pytest.mark.skipif(not MAGETAN.exists(), reason="the Magetan SOP is not in rules/")
@given(v=violating_cases(str(MAGETAN), code="FL002"))
def test_violating_cases_strategy(v) -> None:
    result = audit_case(str(MAGETAN), v.case, as_of=v.as_of)
    assert [(f.code, f.step) for f in result.findings] == [(v.code, v.step)]
    assert result.status == v.status


def test_violating_cases_refuses_a_code_the_sop_cannot_show() -> None:
    with pytest.raises(hypothesis.errors.InvalidArgument, match="TM002"):
        violating_cases(str(MAGETAN), code="TM002")
    with pytest.raises(hypothesis.errors.InvalidArgument, match="SOP101"):
        violating_cases(str(MAGETAN), code="SOP101")


# -- how prefixes are read: the independent alignment cost ---------------------------------------


def test_optimal_cost_agrees_with_the_engine_alignment() -> None:
    """casegen's plain shortest-path alignment cost equals checker.conformance.align's on cases with
    deviations: two implementations, one answer."""
    from checker.conformance.align import align

    b = builder(str(EXAMPLES[0]))
    rng = random.Random(5)
    for i in range(60):
        result = mutate(b, sorted(MUTATIONS)[i % len(MUTATIONS)], rng, "K")
        if result is None:
            continue
        auto = b.automaton(result.case.attributes)
        labels = tuple(b.label.get(s, -1) if s else -1 for s in result.case.steps)
        assert optimal_cost(auto, result.case.steps) == align(auto, labels).cost


# -- disagreements with the engine, pinned down ---------------------------------------------------
# Each is a case whose right reading follows from the SOP and the documented semantics, and that
# the engine reads otherwise. Strict xfail: when the engine is fixed these pass, and the xfail (and
# its KNOWN entry above, if any) must go.

LOOP = REPO / "fixtures" / "testing-sops" / "contoh-tanpa-waktu.yaml"


def test_a_case_waiting_after_a_loop_back_is_in_progress() -> None:
    """An open case whose last step loops back (reinitiate) waits for the loop to run again: in
    progress, though reading it as a complete run with deviations would cost less."""
    b = builder(str(LOOP))
    path = ["register", "examine", "check", "decide", "reinitiate"]
    case = b.build(random.Random(1), "K", attributes={}, path=path, date_only=False)
    auto = b.automaton({})
    assert optimal_cost(auto, case.steps) < auto.to_final[b.label["reinitiate"]]  # why it once erred
    assert audited(b, case) == Truth(IN_PROGRESS)


OPTIONAL_DEADLINE = """
sopcheck: 1
id: contoh/tenggat-opsional
revision: "1"
identity: {title: Denda dengan banding opsional}
actors: [{id: polisi, name: Polisi}, {id: pelanggar, name: Pelanggar}]
steps:
  - {id: notifikasi, number: 1, name: Notifikasi, actor: polisi, next: [{step: bayar}, {step: banding}]}
  - {id: bayar, number: 2, name: Bayar, actor: pelanggar, next: end}
  - {id: banding, number: 3, name: Banding, actor: pelanggar, next: end}
deadlines:
  - id: banding_30
    from: {step: notifikasi}
    to: {step: banding}
    within: {amount: 30, unit: calendar_days}
"""


def test_pending_deadline_to_an_optional_step(tmp_path: Path) -> None:
    """An open case past a deadline to a step it may never do (an optional appeal) is not
    overdue: the appeal is a right, not a duty."""
    sop_file = tmp_path / "sop.yaml"
    sop_file.write_text(OPTIONAL_DEADLINE, encoding="utf-8")
    b = Builder(require_sop(sop_file))
    start = b.draw_start(random.Random(2))
    case = b.build(random.Random(1), "K", attributes={}, path=["notifikasi"], start=start)
    assert b.overdue_findings(case) == []  # the truth: waiting, to pay or to appeal
    assert audited(b, case) == Truth(IN_PROGRESS)


ROME = """
sopcheck: 1
id: contoh/zona-roma
revision: "1"
identity: {title: Denda di Roma}
actors: [{id: polisi, name: Polisi}]
attributes: [{id: tanggal_pelanggaran, type: date}]
case: {start_attribute: tanggal_pelanggaran, timezone: Europe/Rome}
steps:
  - {id: kirim, number: 1, name: Kirim, actor: polisi, next: end}
deadlines:
  - id: kirim_90
    from: {attribute: tanggal_pelanggaran}
    to: {step: kirim}
    within: {amount: 90, unit: calendar_days}
"""


def _rome(tmp_path: Path) -> tuple[Path, Path]:
    """The Rome SOP and a date-only log of one case sent on 2024-04-01 for an offence on
    2024-01-01: 91 calendar days, one day late."""
    sop_file = tmp_path / "sop.yaml"
    sop_file.write_text(ROME, encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text(
        "case_id,activity,timestamp,actor,case:tanggal_pelanggaran\nK,kirim,2024-04-01,polisi,2024-01-01\n",
        encoding="utf-8",
    )
    return sop_file, log


def test_date_only_log_of_an_sop_in_another_zone(tmp_path: Path) -> None:
    """Without --timezone, a log's date-only timestamps are read in the SOP's zone (case.timezone):
    in Rome, not at midnight in Jakarta (the day before in Rome)."""
    from checker.api import audit

    sop_file, log = _rome(tmp_path)
    report = audit(str(sop_file), str(log), as_of="2024-12-31")
    assert [(f.code, f.step) for f in report.cases[0].findings] == [("TM002", "kirim")]


def test_the_sop_zone_on_the_command_line_and_an_explicit_timezone_wins(run_cli, tmp_path: Path) -> None:
    """`sopcheck audit` reads the log in the SOP's zone too; --timezone still says otherwise (for
    a time without an offset: a date alone is the same date in any zone, docs/time.md)."""
    import json

    sop_file, log = _rome(tmp_path)
    dated = log.read_text(encoding="utf-8")
    found = {}
    for stamp in ("2024-04-01", "2024-04-01 03:00"):
        log.write_text(dated.replace("2024-04-01", stamp), encoding="utf-8")
        for zone in ((), ("--timezone", "Asia/Jakarta")):
            out = tmp_path / f"report{len(zone)}.json"
            args = ["audit", sop_file, log, "--as-of", "2024-12-31", *zone, "--format", "json", "-o", out]
            code, _, err = run_cli(args)
            assert code in (0, 1), err
            report = json.loads(out.read_text(encoding="utf-8"))
            found[stamp, zone] = [(f["code"], f["step"]) for f in report["findings"]]
    jakarta = ("--timezone", "Asia/Jakarta")
    assert found["2024-04-01", ()] == found["2024-04-01", jakarta] == [("TM002", "kirim")]
    assert found["2024-04-01 03:00", ()] == [("TM002", "kirim")]
    # Read in Jakarta, 1 April 03:00 is 31 March 22:00 in Rome: day 90, on time.
    assert found["2024-04-01 03:00", jakarta] == []


# -- the calendar the cases cross ---------------------------------------------------------------


@pytest.mark.skipif(not MAGETAN.exists(), reason="the Magetan SOP is not in rules/")
def test_generated_cases_cross_weekends_holidays_and_cuti_bersama() -> None:
    """Events fall on Saturdays and Sundays, national holidays and cuti bersama (steps done on a
    day off before their due day are on time), and every such case still conforms."""
    import holidays

    b = builder(str(MAGETAN))
    years = range(2024, 2029)
    national = holidays.country_holidays("ID", years=years, categories=("public",))
    cuti = holidays.country_holidays("ID", years=years, categories=("government",))
    seen = Counter()
    for i in range(1500):
        case = b.conforming(random.Random(f"calendar:{i}"), "K", in_progress=False).case
        days = [b.calendar.local_date(e.timestamp) for e in case.events]
        kinds = {
            "weekend": any(d.weekday() >= 5 for d in days),
            "national": any(d in national for d in days),
            "cuti": any(d in cuti and d not in national for d in days),
        }
        seen.update(k for k, v in kinds.items() if v)
        if any(kinds.values()) and i % 10 == 0:
            assert audited(b, case) == Truth(COMPLETE)
    assert seen["weekend"] > 100 and seen["national"] > 10 and seen["cuti"] > 5, seen
