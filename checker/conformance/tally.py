"""Report totals kept while results are filed, so that a large report needs one pass over its
cases, not one per total (a spilled case store unpickles every case on each pass)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields

from checker.conformance.results import NOT_JUDGED, CaseResult

# What a total needs of one case: status, compliant, fitness in millionths (results round it to 6
# places: integer sums are exact in any order), the roots as (code, severity, step) and every
# finding's (code, severity). Small, so workers send it beside the pickled result.
Digest = tuple[str, bool, int, tuple[tuple[str, str, str | None], ...], tuple[tuple[str, str], ...]]


CLEAN: Digest = ("complete", True, 1_000_000, (), ())  # digest() of a complete case without findings


def digest(result: CaseResult) -> Digest:
    return (
        result.status,
        result.compliant,
        round(result.fitness * 1_000_000),
        tuple((f.code, f.severity, f.step) for f in result.findings),
        tuple((f.code, f.severity) for f in result.all_findings()),
    )


@dataclass
class Tally:
    cases: int = 0
    compliant: int = 0
    fitness_millionths: int = 0  # of the judged cases: a case not judged (CS002) was never aligned
    judged: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)
    by_code_all: Counter[str] = field(default_factory=Counter)
    by_step: Counter[str] = field(default_factory=Counter)
    by_severity: Counter[str] = field(default_factory=Counter)
    by_severity_all: Counter[str] = field(default_factory=Counter)

    def add(self, d: Digest) -> None:
        self.add_many(d, 1)

    def add_many(self, d: Digest, count: int) -> None:
        """add(d) `count` times (the columnar engine's cases rendered from one template)."""
        status, compliant, fitness, roots, every = d
        self.cases += count
        self.compliant += compliant * count
        if status != NOT_JUDGED:
            self.judged += count
            self.fitness_millionths += fitness * count
        self.statuses[status] += count
        for code, severity, step in roots:
            self.by_code[code] += count
            self.by_severity[severity] += count
            if step:
                self.by_step[step] += count
        for code, severity in every:
            self.by_code_all[code] += count
            self.by_severity_all[severity] += count

    def merge(self, other: Tally) -> None:
        """Adds another tally's totals (a worker's): the sums are the same in any order."""
        for name in (f.name for f in fields(self)):
            mine = getattr(self, name)
            if isinstance(mine, Counter):
                mine.update(getattr(other, name))
            else:
                setattr(self, name, mine + getattr(other, name))

    @property
    def roots(self) -> int:
        return sum(self.by_code.values())

    @property
    def findings(self) -> int:
        return sum(self.by_code_all.values())

    @classmethod
    def of(cls, results) -> Tally:
        tally = cls()
        for result in results:
            tally.add(digest(result))
        return tally


def tally_of(cases) -> Tally:
    """The cases' totals: kept by a case store as it was filled, else counted in one pass."""
    kept = getattr(cases, "tally", None)
    return kept if kept is not None else Tally.of(cases)
