"""`sopcheck selftest SOP...`: do the checker and the SOP agree on cases generated from it?

For each SOP: every branch can be taken by some case; every path it allows (its flow, in the order
its minimum waits impose) can be followed (some timing keeps every time rule, every input is
produced); a case that follows it gives no finding
(finished, or still open on the audit date); and for each deviation the SOP can show
(checker.mutations), a case with it gives exactly its finding at the right step. The properties
run under Hypothesis within a time budget; a disagreement is shrunk to the smallest case that
shows it and printed as the CSV rows of a log, with what was expected and what the audit gave.

Exit status 1 when some property fails (an SOP that cannot be followed, a branch no case can
take, or a checker bug), 0 when all hold, 2 for unusable input (or Hypothesis missing).
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from checker.cli import lang_option
from checker.errors import EXIT_FINDINGS, EXIT_OK, InputError, Location
from checker.output import FilePath

ROUND = 5  # examples per Hypothesis run; runs repeat (new seeds) while a property's share lasts
GRACE = 1.0  # seconds a failure may take to shrink beyond its property's share
# Values an example draws from Hypothesis (which shrinks them); the rest come from a plain Random
# it seeds. One case takes some 50-250; an SOP few cases can follow makes a draw retry ten builds
# (thousands of values), and Hypothesis's shrinking, whose cost grows with the square of that
# number and which runs without calling the test, then takes minutes.
DRAWN = 200


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


Property = Callable[[float, int, str], Outcome]


@click.command()
@click.argument("paths", nargs=-1, required=True, type=FilePath())
@click.option(
    "--budget",
    type=click.FloatRange(min=1.0),
    default=60.0,
    show_default=True,
    help="Seconds to spend in all, shared among the SOPs and their properties (each runs 5 examples at "
    "least).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the first Hypothesis run.")
@lang_option
def command(paths: tuple[str, ...], budget: float, seed: int, lang: str) -> int:
    """Check that the checker and each SOP agree on cases generated from the SOP.

    Exit status: 0 every property holds, 1 a disagreement (printed with the smallest case that
    shows it), 2 unusable input.
    """
    try:
        import hypothesis  # noqa: F401
    except ImportError:
        raise InputError("testing.needs_hypothesis", None, {"what": "sopcheck selftest"}) from None
    from checker.casegen import GenerationError
    from checker.messages import t
    from checker.reporters.validation import sop_files
    from checker.sop.load import require_sop

    files = sop_files(paths)
    if not files:
        raise InputError("selftest.no_files", None, {"paths": ", ".join(paths)})
    plans = []
    for path in files:
        try:  # an SOP no case can be built for (e.g. effective after the last start): as generate
            plans.append((path, *_properties(require_sop(path))))
        except GenerationError as err:
            raise InputError(err.key, Location(path), err.args_) from None
    began = time.monotonic()
    total = sum(len(props) for _, _, props in plans)
    failed = 0
    ran = 0
    for path, builder, props in plans:
        sop = builder.sop
        click.echo(t("selftest.sop", lang, sop=sop.id, revision=sop.revision, path=path))
        followable = True
        for kind, prop in props:
            # What is left of the budget, shared among the properties left: one that ran over
            # (a failure shrinking) takes from the others, so that the whole run keeps to it.
            share = max(0.0, budget - (time.monotonic() - began)) / (total - ran)
            ran += 1
            if kind == "violating" and not followable:
                prop.lang = lang
                outcome = Outcome(prop.name, skipped=t("selftest.not_followable", lang))
            else:
                try:
                    outcome = prop(share, seed, lang)
                except GenerationError as err:  # the properties report their own; never a traceback
                    raise InputError(err.key, Location(path), err.args_) from None
            if kind == "conforming" and outcome.failure is not None:
                followable = False  # deviations from cases that cannot conform prove nothing
            failed += outcome.failure is not None
            click.echo("\n".join(_render(outcome, builder, lang)))
    seconds = round(time.monotonic() - began, 1)
    click.echo(t("selftest.summary", lang, sops=len(plans), properties=total, failed=failed, seconds=seconds))
    return EXIT_FINDINGS if failed else EXIT_OK


# -- the properties ----------------------------------------------------------------------------


def _properties(sop: Any) -> tuple[Any, list[tuple[str, Any]]]:
    """The case builder of an SOP and the properties to run on it, each with its kind."""
    from checker import catalogue
    from checker.casegen import Builder
    from checker.mutations import MUTATIONS, why_not

    # Cases that take decades (long minimum waits) start early enough to finish by the audit date.
    builder = Builder(sop, long_cases=True)
    props: list[tuple[str, Any]] = [
        ("branches", _Prop("selftest.prop.branches", lambda share, seed, lang: _branches(builder, lang))),
        ("paths", _Prop("selftest.prop.paths", lambda share, seed, lang: _paths(builder, share, seed, lang))),
        (
            "conforming",
            _Prop(
                "selftest.prop.conforming",
                lambda share, seed, lang: _conforming(builder, share, seed, lang, in_progress=False),
            ),
        ),
        (
            "conforming",
            _Prop(
                "selftest.prop.in_progress",
                lambda share, seed, lang: _conforming(builder, share, seed, lang, in_progress=True),
            ),
        ),
    ]
    for code in (c.code for c in catalogue.CODES if c.scope == "log"):
        if code in MUTATIONS and why_not(builder, code) is None:
            run = _Prop(
                "selftest.prop.violating",
                lambda share, seed, lang, code=code: _violating(builder, code, share, seed, lang),
                code=code,
            )
            props.append(("violating", run))
    return builder, props


class _Prop:
    """A property to run: its name (a message key and its arguments) and how to run it."""

    def __init__(self, key: str, run: Property, **args: Any) -> None:
        self.key, self.run, self.args = key, run, args

    @property
    def name(self) -> str:
        from checker.messages import t

        return t(self.key, self.lang, **self.args)

    def __call__(self, share: float, seed: int, lang: str) -> Outcome:
        self.lang = lang
        return self.run(share, seed, lang)


def _audit(builder: Any, case: Any) -> Any:
    from checker.api import audit_cases

    results = audit_cases(
        builder.sop,
        [case.to_case()],
        as_of=builder.as_of,
        calendar=builder.calendar,
        track_documents=True,
        case_documents=True,
    )
    return results[case.case_id]


def _describe(status: str, findings: Any) -> str:
    ordered = sorted(findings, key=lambda f: (f[0], f[1] or ""))
    return f"{status}; " + (", ".join(f"{code} {step or '-'}" for code, step in ordered) or "-")


def _judge(builder: Any, case: Any, status: str, expected: list[tuple[str, str | None]], lang: str) -> None:
    """Raise Disagreement unless the audit of `case` gives `status` and exactly `expected`."""
    from checker.messages import t

    want = _describe(status, expected)
    try:
        result = _audit(builder, case)
    except Exception as err:  # the audit crashing on a generated case is a disagreement too
        text = f"{type(err).__name__}: {err}"
        raise Disagreement(case, want, "-", t("selftest.raised", lang, error=text)) from err
    actual = _describe(result.status, [(f.code, f.step) for f in result.findings])
    if actual != want:
        raise Disagreement(case, want, actual)


class _Capped(random.Random):
    """A Random whose first `limit` values come from `source` (Hypothesis's, which shrinks them)
    and the rest from a plain Random seeded by one more value of `source`: what Hypothesis
    records of an example stays small whatever the draw does."""

    def __init__(self, source: random.Random, limit: int = DRAWN) -> None:
        super().__init__(0)
        self.source, self.left, self.plain = source, limit, None

    def _next(self) -> random.Random:
        if self.left > 0:
            self.left -= 1
            return self.source
        if self.plain is None:
            self.plain = random.Random(self.source.getrandbits(64))
        return self.plain

    def random(self) -> float:
        return self._next().random()

    def getrandbits(self, k: int) -> int:
        return self._next().getrandbits(k)

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        return self._next().randrange(start, stop, step)

    def randint(self, a: int, b: int) -> int:
        return self._next().randint(a, b)

    def choice(self, seq: Any) -> Any:
        return self._next().choice(seq)

    def shuffle(self, x: Any) -> None:
        self._next().shuffle(x)


class _OutOfTime(BaseException):
    """Raised inside a Hypothesis run once its property's time is up: a BaseException, which
    Hypothesis does not take for a failure of the test, so it ends the run (shrinking included)
    at once instead of going on trying candidates."""


def _run(
    name: str, draw: Callable[[Any], Any], check: Callable[[Any], None], share: float, seed: int, lang: str
) -> Outcome:
    """Run `check` on what `draw` builds from a Hypothesis-controlled Random, in rounds until
    `share` seconds are spent (one round at least). Past twice the share (and a second of
    grace) the run ends where it stands: a failure being shrunk is reported as the smallest
    case shrinking had reached. Shrinking replays and simulates every candidate, and on an SOP
    whose cases draw many values (long waits, many retries) it would otherwise take minutes."""
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings
    from hypothesis import seed as fixed_seed
    from hypothesis import strategies as st
    from hypothesis.errors import Unsatisfiable

    from checker.messages import t

    outcome = Outcome(name)
    began = time.monotonic()
    stop = began + 2 * share + GRACE
    smallest: list[Disagreement] = []  # the last failure seen: shrinking keeps only smaller ones

    def bounded(value: Any) -> None:
        if time.monotonic() > stop:
            raise _OutOfTime
        try:
            check(value)
        except Disagreement as failure:
            smallest[:] = [failure]
            raise

    strategy = st.randoms(use_true_random=False).map(lambda rng: draw(_Capped(rng)))
    rounds = 0
    while True:
        counted = [0]
        runner = fixed_seed(seed + rounds)(
            settings(
                max_examples=ROUND,
                deadline=None,
                database=None,
                verbosity=Verbosity.quiet,
                suppress_health_check=list(HealthCheck),
                report_multiple_bugs=False,
                # No explain phase: its report is not shown, and it replays the failure many times.
                phases=(Phase.explicit, Phase.generate, Phase.shrink),
            )(given(strategy)(_counting(bounded, counted)))
        )
        try:
            runner()
        except Disagreement as failure:
            outcome.failure = failure
            outcome.examples += counted[0]
            return outcome
        except _OutOfTime:
            outcome.failure = smallest[0] if smallest else None
            outcome.examples += counted[0]
            return outcome
        except Unsatisfiable:
            if outcome.examples == 0:
                outcome.skipped = t("selftest.unsatisfiable", lang)
            return outcome
        outcome.examples += counted[0]
        rounds += 1
        if time.monotonic() >= began + share:
            return outcome


def _counting(check: Callable[[Any], None], counted: list[int]) -> Callable[[Any], None]:
    def prop(value: Any) -> None:
        counted[0] += 1
        check(value)

    return prop


def _no_case(err: Any, lang: str) -> Disagreement:
    from checker.messages import t

    return Disagreement(None, "-", "-", t("selftest.no_case", lang, error=t(err.key, lang, **err.args_)))


def _conforming(builder: Any, share: float, seed: int, lang: str, *, in_progress: bool) -> Outcome:
    """A case that follows the SOP gives no finding (and is complete, or in progress)."""
    from checker.casegen import GenerationError
    from checker.messages import t

    def draw(rng: Any) -> Any:
        try:
            return builder.conforming(rng, "KASUS-1", in_progress=in_progress, draws=10)
        except GenerationError as err:
            return err

    def check(sample: Any) -> None:
        if isinstance(sample, GenerationError):
            raise _no_case(sample, lang)
        _judge(builder, sample.case, sample.truth.status, [], lang)

    key = "selftest.prop.in_progress" if in_progress else "selftest.prop.conforming"
    return _run(t(key, lang), draw, check, share, seed, lang)


def _paths(builder: Any, share: float, seed: int, lang: str) -> Outcome:
    """Every path the SOP allows can be followed: some timing keeps every time rule on it, and
    each input is produced on it. A path that does the step a minimum wait ends at before the
    one it counts from is not one the SOP allows: the wait orders the two (see
    Builder.against_waits)."""
    from hypothesis import assume

    from checker.casegen import GenerationError
    from checker.messages import t

    def draw(rng: Any) -> Any:
        try:
            return builder.build(rng, "KASUS-1")
        except GenerationError as err:
            return err

    def check(case: Any) -> None:
        if isinstance(case, GenerationError):
            raise _no_case(case, lang)
        if not builder.problems(case):
            return
        assume(not builder.against_waits(case))
        result = _audit(builder, case)
        actual = _describe(result.status, [(f.code, f.step) for f in result.findings])
        raise Disagreement(case, _describe("complete", []), actual, t("selftest.unfollowable", lang))

    return _run(t("selftest.prop.paths", lang), draw, check, share, seed, lang)


def _violating(builder: Any, code: str, share: float, seed: int, lang: str) -> Outcome:
    """A case with one deviation gives exactly the findings the deviation must give."""
    from hypothesis import assume

    from checker.casegen import GenerationError
    from checker.messages import t
    from checker.mutations import mutate

    def draw(rng: Any) -> Any:
        try:
            return mutate(builder, code, rng, "KASUS-1", tries=3, draws=10)
        except GenerationError as err:  # no conforming case to deviate from: as in _conforming
            return err

    def check(result: Any) -> None:
        if isinstance(result, GenerationError):
            raise _no_case(result, lang)
        assume(result is not None)
        truth = result.truth
        _judge(builder, result.case, truth.status, [(f.code, f.step) for f in truth.findings], lang)

    return _run(t("selftest.prop.violating", lang, code=code), draw, check, share, seed, lang)


def _branches(builder: Any, lang: str) -> Outcome:
    """Every branch with a condition can be taken: some attribute values open it."""
    from checker.casegen import all_branches
    from checker.messages import t

    outcome = Outcome(t("selftest.prop.branches", lang))
    branches = list(all_branches(builder.sop))
    if not branches:
        outcome.skipped = t("selftest.no_branches", lang)
    for step, index in branches:
        outcome.examples += 1
        if builder.branch_values(step, index):
            continue
        target = step.next[index].step
        case = _through(builder, step.id, target)
        actual = "-"
        if case is not None:
            result = _audit(builder, case)
            actual = _describe(result.status, [(f.code, f.step) for f in result.findings])
        reason = t("selftest.dead_branch", lang, step=step.id, target=target)
        outcome.failure = Disagreement(case, "-", actual, reason)
        return outcome
    return outcome


def _through(builder: Any, step_id: str, target: str) -> Any:
    """A short case that goes from `step_id` down the branch to `target` (to show a dead branch)."""
    import random

    from checker.casegen import GenerationError
    from checker.conformance import automaton as automata
    from checker.mutations import walk_from
    from checker.sop.model import END

    rng = random.Random(0)
    try:
        attrs = builder.draw_attributes(rng)
    except GenerationError:
        attrs = {}
    auto = automata.build(builder.sop, None)  # every branch open: a way to the branching step
    goal = next((t for t in range(1, auto.size) if auto.steps[t - 1] == step_id), None)
    if goal is None or auto.dist[0][goal] >= automata.INF:
        return None
    path: list[str] = []
    state = goal
    while state != 0:  # back along shortest predecessors
        path.insert(0, auto.steps[state - 1])
        state = min(
            (p for p in range(auto.size) if state in auto.succ[p] and auto.dist[0][p] < auto.dist[0][state]),
            key=lambda p: auto.dist[0][p],
        )
    rest = [] if target == END else (walk_from(builder, rng, target, attrs) or [target])
    try:
        return builder.build(rng, "KASUS-1", attributes=attrs, path=path + rest, date_only=False)
    except (GenerationError, KeyError):
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
