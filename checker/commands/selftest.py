"""`sopcheck selftest SOP...`: does the checker agree with the SOP on cases generated from it?

For each SOP: every branch can be taken by some case; a case that follows the SOP gives no
finding (finished, or still open on the audit date); and for each deviation the SOP can show
(checker.mutations), a case with it gives exactly its finding at the right step. The properties
run under Hypothesis within a time budget; a disagreement is shrunk to the smallest case that
shows it and printed as CSV rows, with what was expected and what the audit gave. Exit status 1
when some property fails (the SOP cannot be followed, a branch no case can take, or a checker
bug), 0 when all hold, 2 for unusable input (or Hypothesis missing).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from checker.cli import lang_option
from checker.errors import EXIT_FINDINGS, EXIT_OK, InputError

ROUND = 10  # examples per Hypothesis run; runs repeat (new seeds) while the budget lasts


class Disagreement(AssertionError):
    """A generated case on which the audit and the expectation differ (or the audit raised)."""

    def __init__(self, case: Any, expected: str, actual: str, reason: str = "") -> None:
        super().__init__(reason or actual)
        self.case, self.expected, self.actual, self.reason = case, expected, actual, reason


@dataclass
class Outcome:
    name: str
    examples: int = 0
    failure: Disagreement | None = None
    skipped: str | None = None


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--budget",
    type=click.FloatRange(min=1.0),
    default=60.0,
    show_default=True,
    help="Seconds to spend in all (shared among the SOPs and their properties).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the first Hypothesis run.")
@lang_option
def command(paths: tuple[str, ...], budget: float, seed: int, lang: str) -> int:
    """Check that the checker and each SOP agree on generated cases (Hypothesis, shrunk examples).

    Exit status: 0 every property holds, 1 a disagreement (printed with the smallest case that
    shows it), 2 unusable input.
    """
    try:
        import hypothesis  # noqa: F401
    except ImportError:
        raise InputError("testing.needs_hypothesis", None, {"what": "sopcheck selftest"}) from None
    from checker.messages import t
    from checker.reporters.validation import sop_files
    from checker.sop.load import require_sop

    files = sop_files(paths)
    if not files:
        raise InputError("selftest.no_files", None, {"paths": ", ".join(paths)})
    sops = [require_sop(path) for path in files]
    began = time.monotonic()
    plans = [_properties(sop) for sop in sops]
    total = sum(len(props) for _, props in plans)
    share = budget / max(1, total)
    failed = 0
    out = []
    for (builder, props), path in zip(plans, files, strict=True):
        sop = builder.sop
        out.append(t("selftest.sop", lang, sop=sop.id, revision=sop.revision, path=path))
        for prop in props:
            outcome = prop(share, seed, lang)
            failed += outcome.failure is not None
            out.extend(_render(outcome, builder, lang))
    seconds = round(time.monotonic() - began, 1)
    out.append(t("selftest.summary", lang, sops=len(sops), properties=total, failed=failed, seconds=seconds))
    click.echo("\n".join(out))
    return EXIT_FINDINGS if failed else EXIT_OK


# -- the properties ----------------------------------------------------------------------------

Property = Callable[[float, int, str], Outcome]


def _properties(sop: Any) -> tuple[Any, list[Property]]:
    """The case builder of an SOP and the properties to run on it."""
    from checker import catalogue
    from checker.casegen import Builder
    from checker.mutations import MUTATIONS, why_not

    builder = Builder(sop)
    props: list[Property] = [
        lambda share, seed, lang: _branches(builder, lang),
        lambda share, seed, lang: _conforming(builder, share, seed, lang, in_progress=False),
        lambda share, seed, lang: _conforming(builder, share, seed, lang, in_progress=True),
    ]
    for code in (c.code for c in catalogue.CODES if c.scope == "log"):
        if code in MUTATIONS and why_not(builder, code) is None:
            props.append(lambda share, seed, lang, code=code: _violating(builder, code, share, seed, lang))
    return builder, props


def _audit(builder: Any, case: Any, as_of: Any) -> Any:
    from checker.api import audit_cases

    results = audit_cases(
        builder.sop,
        [case.to_case()],
        as_of=as_of,
        calendar=builder.calendar,
        track_documents=True,
        case_documents=True,
    )
    return results[case.case_id]


def _describe(status: str, findings: Any) -> str:
    listed = ", ".join(
        f"{code} {step or '-'}" for code, step in sorted(findings, key=lambda f: (f[0], f[1] or ""))
    )
    return f"{status}; {listed or '-'}"


def _judge(builder: Any, case: Any, status: str, expected: list[tuple[str, str | None]]) -> None:
    """Raise Disagreement unless the audit of `case` gives `status` and exactly `expected`."""
    want = _describe(status, expected)
    try:
        result = _audit(builder, case, builder.as_of)
    except Exception as err:  # a crash of the audit on a generated case is a disagreement too
        raise Disagreement(
            case, want, f"{type(err).__name__}: {err}", f"{type(err).__name__}: {err}"
        ) from err
    got = [(f.code, f.step) for f in result.findings]
    actual = _describe(result.status, got)
    if actual != want:
        raise Disagreement(case, want, actual)


def _run(
    name: str, strategy: Any, check: Callable[[Any], None], share: float, seed: int, lang: str
) -> Outcome:
    """Run `check` on examples of `strategy` in rounds until `share` seconds are spent."""
    from hypothesis import HealthCheck, Verbosity, given, settings
    from hypothesis import seed as fixed_seed
    from hypothesis.errors import Unsatisfiable

    outcome = Outcome(name)
    deadline = time.monotonic() + share
    rounds = 0
    while True:
        counted = [0]
        prop = _counting(check, counted)

        runner = fixed_seed(seed + rounds)(
            settings(
                max_examples=ROUND,
                deadline=None,
                database=None,
                verbosity=Verbosity.quiet,
                suppress_health_check=list(HealthCheck),
            )(given(strategy)(prop))
        )
        try:
            runner()
        except Disagreement as failure:
            outcome.failure = failure
            outcome.examples += counted[0]
            return outcome
        except Unsatisfiable:
            if outcome.examples == 0:
                from checker.messages import t

                outcome.skipped = t("selftest.unsatisfiable", lang)
            return outcome
        outcome.examples += counted[0]
        rounds += 1
        if time.monotonic() >= deadline:
            return outcome


def _counting(check: Callable[[Any], None], counted: list[int]) -> Callable[[Any], None]:
    def prop(value: Any) -> None:
        counted[0] += 1
        check(value)

    return prop


def _conforming(builder: Any, share: float, seed: int, lang: str, *, in_progress: bool) -> Outcome:
    from hypothesis import strategies as st

    from checker.casegen import GenerationError
    from checker.messages import t

    def draw(rng: Any) -> Any:
        try:
            return builder.conforming(rng, "KASUS-1", in_progress=in_progress)
        except GenerationError as err:
            return err

    def check(sample: Any) -> None:
        if isinstance(sample, GenerationError):
            reason = t("selftest.no_case", lang, error=t(sample.key, lang, **sample.args_))
            raise Disagreement(None, "-", "-", reason)
        _judge(builder, sample.case, sample.truth.status, [])

    key = "selftest.prop.in_progress" if in_progress else "selftest.prop.conforming"
    strategy = st.randoms(use_true_random=False).map(draw)
    return _run(t(key, lang), strategy, check, share, seed, lang)


def _violating(builder: Any, code: str, share: float, seed: int, lang: str) -> Outcome:
    from hypothesis import assume
    from hypothesis import strategies as st

    from checker.messages import t
    from checker.mutations import mutate

    def draw(rng: Any) -> Any:
        return mutate(builder, code, rng, "KASUS-1", tries=10)

    def check(result: Any) -> None:
        assume(result is not None)
        truth = result.truth
        _judge(builder, result.case, truth.status, [(f.code, f.step) for f in truth.findings])

    strategy = st.randoms(use_true_random=False).map(draw)
    return _run(t("selftest.prop.violating", lang, code=code), strategy, check, share, seed, lang)


def _branches(builder: Any, lang: str) -> Outcome:
    """Every branch with a condition can be taken: some attribute values open it."""
    from checker.casegen import all_branches
    from checker.messages import t

    outcome = Outcome(t("selftest.prop.branches", lang))
    for step, index in all_branches(builder.sop):
        outcome.examples += 1
        if builder.branch_values(step, index):
            continue
        target = step.next[index].step
        case = _through(builder, step.id, target)
        actual = "-"
        if case is not None:
            result = _audit(builder, case, builder.as_of)
            actual = _describe(result.status, [(f.code, f.step) for f in result.findings])
        reason = t("selftest.dead_branch", lang, step=step.id, target=target)
        outcome.failure = Disagreement(case, "-", actual, reason)
        return outcome
    return outcome


def _through(builder: Any, step_id: str, target: str) -> Any:
    """The shortest case that goes from `step_id` to `target` (for showing a dead branch)."""
    import random

    from checker.audit import automaton as automata
    from checker.casegen import GenerationError
    from checker.mutations import walk_from
    from checker.sop.model import END

    rng = random.Random(0)
    try:
        attrs = builder.draw_attributes(rng)
    except GenerationError:
        attrs = {}
    auto = automata.build(builder.sop, None)  # every branch open: a way to the branching step
    state = builder.label[step_id]
    path: list[str] = []
    while state != 0:  # walk back along shortest predecessors
        path.insert(0, builder.sop.steps[state - 1].id)
        preds = [
            p for p in range(auto.size) if state in auto.succ[p] and auto.dist[0][p] < auto.dist[0][state]
        ]
        state = min(preds, key=lambda p: auto.dist[0][p]) if preds else 0
    rest = [] if target == END else (walk_from(builder, rng, target, attrs) or [target])
    try:
        return builder.build(rng, "KASUS-1", attributes=attrs, path=path + rest, date_only=False)
    except GenerationError:
        return None


# -- output -----------------------------------------------------------------------------------


def _render(outcome: Outcome, builder: Any, lang: str) -> list[str]:
    from checker.messages import t

    if outcome.skipped:
        return [t("selftest.skip", lang, property=outcome.name, reason=outcome.skipped)]
    failure = outcome.failure
    if failure is None:
        return [t("selftest.pass", lang, property=outcome.name, examples=outcome.examples)]
    lines = [t("selftest.fail", lang, property=outcome.name)]
    if failure.reason:
        lines.append(t("selftest.reason", lang, reason=failure.reason))
    if failure.expected != "-":
        lines.append(t("selftest.expected", lang, truth=failure.expected))
    if failure.actual != "-":
        lines.append(t("selftest.actual", lang, truth=failure.actual))
    if failure.case is not None:
        lines.append(t("selftest.example", lang, as_of=builder.as_of_day.isoformat()))
        lines.extend("      " + row for row in _csv(builder, failure.case).splitlines())
    return lines


def _csv(builder: Any, case: Any) -> str:
    """A case as the rows of a log `sopcheck audit` reads (header first)."""
    from checker.writers import CsvWriter

    names = sorted(case.attributes)
    modes = ("mode",) if any("mode" in e.attributes for e in case.events) else ()
    buffer = io.StringIO()
    CsvWriter(buffer, names, modes, builder.sop.case.actor_field or "actor").write(case)
    return buffer.getvalue()
