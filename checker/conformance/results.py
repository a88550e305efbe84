"""What an audit produces: frozen records that every reporter reads (none re-derives findings)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from checker import catalogue
from checker.findings import message

COMPLETE, IN_PROGRESS, OVERDUE, ENDED_EARLY, NOT_JUDGED = (
    "complete",
    "in_progress",
    "overdue",
    "ended_early",
    "not_judged",
)
STATUSES = (COMPLETE, IN_PROGRESS, OVERDUE, ENDED_EARLY, NOT_JUDGED)


class Evidence(NamedTuple):
    """An event of the log that shows a finding: where it is (row or line) and what it says.
    (Named tuples: a report holds one per event, and they are many times cheaper to make.)"""

    row: int
    activity: str
    timestamp: str
    actor: str | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    case_id: str
    step: str | None
    step_number: int | None
    args: Mapping[str, Any]
    evidence: tuple[Evidence, ...] = ()
    consequences: tuple[Finding, ...] = ()

    @property
    def family(self) -> str:
        return catalogue.get(self.code).family

    @property
    def clause(self) -> str | None:
        return catalogue.get(self.code).clause

    def message(self, lang: str = "en") -> str:
        return message(self.code, self.args, lang)

    def sort_key(self) -> tuple:
        first_row = self.evidence[0].row if self.evidence else 0
        return (self.case_id, self.step_number or 0, first_row, self.code)

    def __reduce__(self) -> tuple:
        # Plain tuples pickle in C; a named tuple goes through Python code (see CaseResult).
        return (
            _finding,
            (
                self.code,
                self.severity,
                self.case_id,
                self.step,
                self.step_number,
                self.args,
                tuple(map(tuple, self.evidence)),
                self.consequences,
            ),
        )


class Move(NamedTuple):
    """One move of the alignment: `sync` (event matches the step), `log` (event the SOP does not
    allow there), `model` (step the SOP needs that no event matches)."""

    kind: str
    step: str | None
    event: int | None  # index into the case's events


class StepTime(NamedTuple):
    """Time a step took against the time allowed, in the SOP's unit (None when not measurable)."""

    step: str
    row: int
    elapsed: float | None
    allowed: float | None
    unit: str | None


@dataclass(frozen=True)
class CaseResult:
    case_id: str
    status: str
    fitness: float
    cost: int
    sop_revision: str | None
    attributes: Mapping[str, Any]
    events: tuple[Evidence, ...]
    moves: tuple[Move, ...]
    times: tuple[StepTime, ...]
    findings: tuple[Finding, ...]
    started: str | None
    ended: str | None

    @property
    def compliant(self) -> bool:
        return not any(f.severity == catalogue.ERROR for f in self.findings)

    def __reduce__(self) -> tuple:
        # A large audit pickles every case result (to cross from a worker, to spill to disk):
        # as plain tuples it costs a third of the default, where each named tuple and the frozen
        # dataclass's state go through Python code.
        return (
            _case_result,
            (
                self.case_id,
                self.status,
                self.fitness,
                self.cost,
                self.sop_revision,
                self.attributes,
                tuple(map(tuple, self.events)),
                tuple(map(tuple, self.moves)),
                tuple(map(tuple, self.times)),
                self.findings,
                self.started,
                self.ended,
            ),
        )

    def all_findings(self) -> list[Finding]:
        """Roots and their consequences, flattened."""
        out: list[Finding] = []
        stack = list(reversed(self.findings))
        while stack:
            finding = stack.pop()
            out.append(finding)
            stack.extend(reversed(finding.consequences))
        return out


_evidence = partial(tuple.__new__, Evidence)
_move = partial(tuple.__new__, Move)
_time = partial(tuple.__new__, StepTime)


def _finding(code, severity, case_id, step, number, args, evidence, consequences) -> Finding:
    return Finding(code, severity, case_id, step, number, args, tuple(map(_evidence, evidence)), consequences)


def _case_result(
    case_id, status, fitness, cost, revision, attributes, events, moves, times, findings, started, ended
) -> CaseResult:
    return CaseResult(
        case_id,
        status,
        fitness,
        cost,
        revision,
        attributes,
        tuple(map(_evidence, events)),
        tuple(map(_move, moves)),
        tuple(map(_time, times)),
        findings,
        started,
        ended,
    )


@dataclass(frozen=True)
class Rows:
    """Row accounting carried from the reader: nothing is lost silently."""

    read: int
    accepted: int
    rejected: int
    rejected_rows: tuple[Mapping[str, Any], ...] = ()
    duplicates: int = 0
    events_read: int = 0


@dataclass(frozen=True)
class Provenance:
    sop_id: str
    sop_revisions: tuple[str, ...]
    sop_paths: tuple[str, ...]
    sop_sha256: tuple[str, ...]
    log_path: str | None
    log_sha256: str | None
    tool_version: str
    as_of: str
    calendar: str
    lang: str


@dataclass(frozen=True)
class Report:
    provenance: Provenance
    rows: Rows
    cases: Sequence[CaseResult]  # sorted by case id; a CaseStore for large logs (iterate it)
    perspectives: Mapping[str, bool] = field(default_factory=dict)
    traces: bool = True  # reports carry each case's events, alignment and step times

    @property
    def findings(self) -> list[Finding]:
        return [f for case in self.cases for f in case.findings]

    def fail(self, threshold: str) -> bool:
        """Whether some finding reaches `threshold` (error, warning, info; none never fails)."""
        if threshold == "none":
            return False
        from checker.conformance.tally import tally_of

        rank = {catalogue.ERROR: 0, catalogue.WARNING: 1, catalogue.INFO: 2}
        return any(rank[s] <= rank[threshold] for s, n in tally_of(self.cases).by_severity_all.items() if n)
