"""Ground truth of a generated log (`FILE.truth.jsonl`, written by `sopcheck generate`) and how
an audit scores against it: per code, the root findings (code, step) found, missed and extra.

The truth file's first line is a header (the SOP, seed, audit date...); each other line is one
case: {"case_id", "status", "findings": [{"code", "step"}], "deviation"}.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from checker.casegen import Expected, Truth


def read_truth(path: str) -> tuple[dict[str, Any], dict[str, Truth]]:
    """(header, truth by case id) from a truth file."""
    cases: dict[str, Truth] = {}
    with open(path, encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        for line in handle:
            record = json.loads(line)
            found = tuple(Expected(f["code"], f["step"]) for f in record["findings"])
            cases[record["case_id"]] = Truth(record["status"], found)
    return header, cases


def audited_truth(result: Any) -> Truth:
    """What an audit said of a case (a CaseResult), in the truth's terms: status, root findings."""
    return Truth(result.status, tuple(Expected(f.code, f.step) for f in result.findings))


@dataclass(frozen=True)
class Score:
    """Root findings of one code: found (true positives), extra and missed."""

    found: int = 0
    extra: int = 0
    missed: int = 0

    @property
    def precision(self) -> float:
        return self.found / (self.found + self.extra) if self.found + self.extra else 1.0

    @property
    def recall(self) -> float:
        return self.found / (self.found + self.missed) if self.found + self.missed else 1.0


def score(
    expected: Mapping[str, Truth], actual: Iterable[tuple[str, Truth]]
) -> tuple[dict[str, Score], list[str]]:
    """Per code, how the audit's root findings (code, step) compare with the truth, matched case
    by case; and the ids of cases whose status or findings differ at all (or are missing)."""
    counts: dict[str, Counter] = {}
    differ: list[str] = []
    seen: set[str] = set()
    for case_id, got in actual:
        seen.add(case_id)
        want = expected.get(case_id, Truth("absent"))
        if got.key() != want.key():
            differ.append(case_id)
        want_items = Counter((f.code, f.step) for f in want.findings)
        got_items = Counter((f.code, f.step) for f in got.findings)
        for (code, _), n in (want_items & got_items).items():
            counts.setdefault(code, Counter())["found"] += n
        for (code, _), n in (got_items - want_items).items():
            counts.setdefault(code, Counter())["extra"] += n
        for (code, _), n in (want_items - got_items).items():
            counts.setdefault(code, Counter())["missed"] += n
    for case_id in sorted(set(expected) - seen):
        differ.append(case_id)
        for f in expected[case_id].findings:
            counts.setdefault(f.code, Counter())["missed"] += 1
    scores = {code: Score(c["found"], c["extra"], c["missed"]) for code, c in sorted(counts.items())}
    return scores, sorted(differ)
