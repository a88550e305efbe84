"""`sopcheck selftest` keeps to its budget, and holds, on SOPs whose cases run for decades.

Regression: with a minimum wait of about 100 years (24,000 working days; SOP113 allows 25,000)
`selftest --budget 5` ran for 40 s to 90 s and more. Each example that could not conform made
the generator retry ten builds, so Hypothesis recorded thousands of values per example, and its
shrinking (which simulates candidates without calling the test, so the time check never ran)
took minutes. On an SOP such cases can follow it also failed: every case started in 2024-2027
and could not finish by the audit date (2027-12-31), so "a conforming case gives no finding"
failed and every deviation property was skipped.
"""

from __future__ import annotations

import random
import re
import time
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("hypothesis")

REPO = Path(__file__).resolve().parents[1]
MAGETAN = REPO / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
BUDGET = 5.0
BOUND = BUDGET * 3 + 20  # a guard against a run that goes on for minutes, not a benchmark

pytestmark = pytest.mark.skipif(not MAGETAN.exists(), reason="the Magetan SOP is not in rules/")


def _with_time(text: str, step: str, amount: int) -> str:
    """`text` with the time allowed of `step` set to `amount` working days."""
    start = text.index(f"  - id: {step}\n", text.index("\nsteps:"))
    at = text.index("time:", start)
    end = text.index("\n", at)
    return text[:at] + f"time: {{amount: {amount}, unit: working_days}}" + text[end:]


def long_wait_sop(tmp_path: Path, *, rapat_time: int, waits: int = 1, name: str = "wait.yaml") -> Path:
    """The Magetan SOP with a minimum wait of 24,000 working days (about 96 years) from the
    disposition to the TKKSD meeting (and, with `waits=2`, another from the meeting to the legal
    drafting), the meeting allowed `rapat_time` working days."""
    text = _with_time(MAGETAN.read_text(encoding="utf-8"), "rapat_naskah", rapat_time)
    pairs = [("disposisi", "rapat_naskah"), ("rapat_naskah", "legal_naskah")][:waits]
    if waits > 1:
        text = _with_time(text, "legal_naskah", 25_000)
    assert "\ndeadlines:" not in text
    text += "\ndeadlines:\n"
    for i, (a, b) in enumerate(pairs):
        text += (
            f"  - id: tunggu_{i}\n"
            f"    from: {{step: {a}}}\n"
            f"    to: {{step: {b}}}\n"
            "    after: {amount: 24000, unit: working_days}\n"
        )
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def timed_selftest(run_cli, sop: Path, *extra: str):
    began = time.monotonic()
    result = run_cli(["selftest", str(sop), "--budget", str(BUDGET), *extra], timeout=BOUND + 90)
    return result, time.monotonic() - began


def test_a_century_long_wait_the_sop_lets_cases_keep(run_cli, tmp_path: Path) -> None:
    """The meeting may take as long as the wait: every property holds, deviations included."""
    sop = long_wait_sop(tmp_path, rapat_time=25_000)
    assert run_cli(["validate", str(sop)]).code == 0
    result, elapsed = timed_selftest(run_cli, sop)
    assert result.code == 0, result.stdout
    assert "FAIL" not in result.stdout and "skip" not in result.stdout
    assert re.search(r"pass +a conforming case gives no finding", result.stdout)
    assert re.search(r"pass +a TM005 deviation is found as TM005", result.stdout)
    assert elapsed < BOUND, f"{elapsed:.1f} s for --budget {BUDGET}"


def test_a_century_long_wait_the_steps_cannot_keep_fails_within_the_budget(run_cli, tmp_path: Path) -> None:
    """The meeting is allowed 7 working days after the disposition but must wait 24,000: the SOP
    cannot be followed (exit 1, TM001 at the meeting), and the failures shrink within the budget."""
    sop = long_wait_sop(tmp_path, rapat_time=7)
    assert run_cli(["validate", str(sop)]).code == 0
    result, elapsed = timed_selftest(run_cli, sop)
    assert result.code == 1
    assert re.search(r"FAIL +every path the SOP allows can be followed", result.stdout)
    assert re.search(r"FAIL +a conforming case gives no finding", result.stdout)
    assert "TM001 rapat_naskah" in result.stdout
    assert re.search(r"skip +a FL001 deviation", result.stdout)
    assert "Traceback" not in result.stderr, result.stderr
    assert elapsed < BOUND, f"{elapsed:.1f} s for --budget {BUDGET}"


def test_waits_longer_than_the_supported_years_are_one_line(run_cli, tmp_path: Path) -> None:
    """Two waits of 24,000 working days in a row: no case can finish by the audit date even if it
    starts in 1901. A limit, said in one line (in both languages), not a checker bug."""
    from checker.messages import t

    sop = long_wait_sop(tmp_path, rapat_time=25_000, waits=2)
    assert run_cli(["validate", str(sop)]).code == 0
    for lang in ("en", "id"):
        result, elapsed = timed_selftest(run_cli, sop, "--lang", lang)
        assert result.code == 1
        reason = t("testing.too_long", lang, sop="magetan/penawaran-kerja-sama", first="1901-01-01",
                   as_of="2027-12-31")
        lines = [line for line in result.stdout.splitlines() if reason in line]
        assert len(lines) == 1, result.stdout
        assert elapsed < BOUND, f"{elapsed:.1f} s for --budget {BUDGET}"


def test_long_cases_start_early_enough_to_finish(tmp_path: Path) -> None:
    """With long_cases (selftest), a complete conforming case starts as early as 1901 and
    conforms; without it (generate: cases start in the range given) none can be built."""
    from checker.api import audit_cases
    from checker.casegen import Builder, GenerationError
    from checker.sop.load import require_sop

    sop = require_sop(long_wait_sop(tmp_path, rapat_time=25_000))
    b = Builder(sop, long_cases=True)
    for seed in range(5):
        sample = b.conforming(random.Random(seed), "K", in_progress=False, draws=10)
        case = sample.case
        assert sample.truth.status == "complete" and not b.problems(case)
        assert date(1901, 1, 1) <= b.began(case).date() < date(2024, 1, 1)
        assert case.events[-1].timestamp <= b.as_of
        (result,) = audit_cases(sop, [case.to_case()], as_of=b.as_of, calendar=b.calendar,
                                track_documents=True, case_documents=True).values()
        assert result.status == "complete" and list(result.findings) == []
    with pytest.raises(GenerationError):
        Builder(sop).conforming(random.Random(0), "K", in_progress=False, draws=10)


def test_a_failing_property_shrinks_within_its_time(tmp_path: Path) -> None:
    """The property alone: its share is 0.2 s, so it must end about 1.4 s after it began (plus
    the last example); before, Hypothesis shrank for about a minute."""
    from checker.casegen import Builder
    from checker.commands.selftest import _conforming
    from checker.sop.load import require_sop

    builder = Builder(require_sop(long_wait_sop(tmp_path, rapat_time=7)), long_cases=True)
    began = time.monotonic()
    outcome = _conforming(builder, 0.2, 0, "en", in_progress=False)
    elapsed = time.monotonic() - began
    assert outcome.failure is not None and "TM001 rapat_naskah" in outcome.failure.actual
    assert elapsed < 15, f"{elapsed:.1f} s"


def test_calendar_tables_grown_a_year_at_a_time_are_the_tables_built_at_once() -> None:
    """The working-day tables grow by the years added only (forwards and backwards); what they
    answer is what a table built at once answers."""
    from checker.workcal import WorkCalendar

    whole = WorkCalendar.default()
    whole._table(1940, 2140)
    grown = WorkCalendar.default()
    rng = random.Random(3)
    for _ in range(40):
        a = date(rng.randint(1940, 2140), rng.randint(1, 12), 1)
        b = date(min(2140, a.year + rng.choice((0, 1, 5, 100))), rng.randint(1, 12), 28)
        assert grown.working_days_between(a, b) == whole.working_days_between(a, b)
        assert grown.days_elapsed(a, b, "working_days") == whole.days_elapsed(a, b, "working_days")
        if a.year < 2030:
            assert grown.nth_working_day_after(a, 25_000) == whole.nth_working_day_after(a, 25_000)
    first, last = grown._table(1940, 2140)[:2]
    assert grown._table(first, last) == WorkCalendar.default()._table(first, last)
