"""The strategies behind checker.testing: thin wrappers around checker.casegen (cases that follow
an SOP) and checker.mutations (one deviation each), drawing their choices from Hypothesis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from checker.casegen import FIRST_START, LAST_START, Builder, Expected, GenCase
from checker.events import Case
from checker.messages import t
from checker.mutations import MUTATIONS, NOT_GENERATED, mutate, why_not
from checker.sop.model import Sop
from checker.workcal import WorkCalendar

_BUILDERS: dict[tuple, Builder] = {}


@dataclass(frozen=True)
class Violation:
    """A case with one deviation: the finding it must give (`code` at `step`), every root
    finding its audit must give (`expected`: the deviation's own and those it necessarily brings,
    such as each later step that needed a missing document), its status, and the audit date
    (`as_of`) it must be judged on. `generated` is the same case as checker.casegen built it."""

    case: Case
    code: str
    step: str | None
    expected: tuple[tuple[str, str | None], ...]
    status: str
    as_of: datetime
    generated: GenCase


def _sop(sop: Sop | str | Path) -> Sop:
    if isinstance(sop, Sop):
        return sop
    from checker.sop.load import require_sop

    return require_sop(sop)


def builder_for(
    sop: Sop | str | Path,
    *,
    calendar: WorkCalendar | None = None,
    as_of: date | None = None,
    first_start: date = FIRST_START,
    last_start: date = LAST_START,
    date_only_rate: float = 0.2,
) -> Builder:
    """The case builder for an SOP (one per SOP and options, kept for the process)."""
    model = _sop(sop)
    key = (id(model), model.sha256, calendar, as_of, first_start, last_start, date_only_rate)
    builder = _BUILDERS.get(key)
    if builder is None or builder.sop is not model:
        builder = _BUILDERS[key] = Builder(
            model,
            calendar,
            as_of=as_of,
            first_start=first_start,
            last_start=last_start,
            date_only_rate=date_only_rate,
        )
    return builder


def audit_case(
    sop: Sop | str | Path,
    case: Case,
    *,
    as_of: date | datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> Any:
    """The audit of one generated case (a CaseResult), as `sopcheck audit` would judge it in a
    log with documents and `case:documents` columns: on `calendar` (default: the national
    calendar in the SOP's zone) and on the audit date `as_of` (default: the strategies' default
    audit date, the end of 2027)."""
    from checker.api import audit_cases

    builder = builder_for(sop, calendar=calendar)
    results = audit_cases(
        builder.sop,
        [case],
        as_of=as_of or builder.as_of,
        calendar=builder.calendar,
        track_documents=True,
        case_documents=True,
    )
    return results[case.case_id]


def _rate(date_only: bool | None) -> float:
    return 0.2 if date_only is None else (1.0 if date_only else 0.0)


def conforming_cases(
    sop: Sop | str | Path,
    *,
    calendar: WorkCalendar | None = None,
    as_of: date | None = None,
    first_start: date = FIRST_START,
    last_start: date = LAST_START,
    date_only: bool | None = None,
    in_progress: bool = False,
) -> st.SearchStrategy[Case]:
    """Cases that follow `sop` (an Sop or the path of an SOP file) on every perspective.

    Attributes drawn so that every branch is reachable, a path the SOP allows for them, the
    right actors (sometimes a delegate with its document), the required documents, and
    timestamps that keep every step within its time allowed and every deadline and minimum
    wait, on `calendar` (default: the national calendar in the SOP's zone), for cases starting
    between `first_start` and `last_start` (and not before the SOP's effective date).

    `date_only`: True for dates without times (agenda books), False for full timestamps, None
    for both. `in_progress`: also cases still open on the audit date `as_of` (default
    `last_start`): they must be judged on that date and give no finding either.
    """
    builder = builder_for(
        sop,
        calendar=calendar,
        as_of=as_of,
        first_start=first_start,
        last_start=last_start,
        date_only_rate=_rate(date_only),
    )

    @st.composite
    def cases(draw: Any) -> Case:
        rng = draw(st.randoms(use_true_random=False))
        return builder.conforming(rng, "KASUS-1", in_progress=in_progress).case.to_case()

    return cases()


def violating_cases(
    sop: Sop | str | Path,
    *,
    code: str,
    calendar: WorkCalendar | None = None,
    as_of: date | None = None,
    first_start: date = FIRST_START,
    last_start: date = LAST_START,
    date_only: bool | None = None,
) -> st.SearchStrategy[Violation]:
    """Cases that follow `sop` but for one deviation that must give the finding `code`
    (skip a step, swap two, insert an unknown activity, repeat a step, take the wrong branch,
    end early, wrong actor, unknown person, delegation without its document, wrong mode, a
    missing input or output, a step k units late, a deadline missed, a case over its total
    time, a minimum wait not kept, a case left overdue, a case before the SOP took effect, a
    branch attribute missing). Each is a Violation: the case, the code and step, every root
    finding expected, the status, and the audit date.

    Raises InvalidArgument when the SOP cannot show `code` at all (e.g. TM002 without a
    relative deadline); the reason is in the message.
    """
    builder = builder_for(
        sop,
        calendar=calendar,
        as_of=as_of,
        first_start=first_start,
        last_start=last_start,
        date_only_rate=_rate(date_only),
    )
    if code not in MUTATIONS:
        reason = NOT_GENERATED.get(code) or t("testing.unknown_code", "en", code=code)
        raise InvalidArgument(
            t("testing.cannot_generate", "en", code=code, sop=builder.sop.id, reason=reason)
        )
    reason = why_not(builder, code)
    if reason:
        raise InvalidArgument(
            t("testing.cannot_generate", "en", code=code, sop=builder.sop.id, reason=reason)
        )

    @st.composite
    def violations(draw: Any) -> Violation:
        rng = draw(st.randoms(use_true_random=False))
        # Few draws per example: Hypothesis bounds the data an example may use, and drawing
        # another example is how it finds a case the deviation applies to.
        result = mutate(builder, code, rng, "KASUS-1", tries=3, draws=10)
        assume(result is not None)
        truth = result.truth
        return Violation(
            case=result.case.to_case(),
            code=code,
            step=result.expected.step,
            expected=tuple(_pair(f) for f in truth.findings),
            status=truth.status,
            as_of=builder.as_of,
            generated=result.case,
        )

    return violations()


def _pair(expected: Expected) -> tuple[str, str | None]:
    return (expected.code, expected.step)
