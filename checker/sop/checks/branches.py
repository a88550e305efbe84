"""SOP110 overlapping branch conditions, SOP111 attribute values left with no way forward.

Checked exhaustively over the declared values of the attributes a choice tests; a choice that
tests an attribute without a closed list of values cannot be enumerated and is left alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from checker.sop.checks import Problem
from checker.sop.model import Branch, Sop, Text

MAX_COMBINATIONS = 10_000


def assignments(sop: Sop, names: frozenset[str]) -> list[dict[str, Any]] | None:
    """Every combination of declared values of `names`, or None if some has no closed list."""
    pools = []
    for name in sorted(names):
        attribute = sop.attribute_by_id.get(name)
        if attribute is None or not attribute.values:
            return None
        pools.append([(name, v.value) for v in attribute.values])
    combos = 1
    for pool in pools:
        combos *= len(pool)
    if combos > MAX_COMBINATIONS:
        return None
    return [dict(combo) for combo in itertools.product(*pools)]


def allowed_branches(branches: tuple[Branch, ...], attributes: Mapping[str, Any]) -> list[Branch]:
    """The branches a case with `attributes` may take: unconditioned ones (free choices), those
    whose condition holds, and the `otherwise` ones when no condition holds."""
    free = [b for b in branches if b.when is None and not b.otherwise]
    chosen = [b for b in branches if b.when is not None and b.when.holds(attributes)]
    if not chosen:
        chosen = [b for b in branches if b.otherwise]
    return free + chosen


def describe(attributes: Mapping[str, Any]) -> Text:
    listed = ", ".join(f"{k}={v}" for k, v in sorted(attributes.items()))
    return Text(listed, listed) if listed else Text("setiap kasus", "every case")


def check(sop: Sop, data: dict[str, Any]) -> Iterator[Problem]:
    for index, step in enumerate(sop.steps):
        conditioned = [b for b in step.next if b.when is not None]
        if not conditioned:
            continue
        names = frozenset().union(*(b.when.attributes() for b in conditioned))
        combos = assignments(sop, names)
        if combos is None:
            continue
        has_default = any(b.otherwise or b.when is None for b in step.next)
        reported: set[tuple[str, str]] = set()
        gap_reported = False
        for attributes in combos:
            holding = [b for b in conditioned if b.when.holds(attributes)]
            for first, second in itertools.combinations(holding, 2):
                pair = (first.step, second.step)
                if pair not in reported:
                    reported.add(pair)
                    j = step.next.index(second)
                    yield Problem(
                        "SOP110",
                        ("steps", index, "next", j, "when"),
                        {
                            "step": step.id,
                            "first": first.step,
                            "second": second.step,
                            "case": describe(attributes),
                        },
                    )
            if not holding and not has_default and not gap_reported:
                gap_reported = True
                yield Problem(
                    "SOP111",
                    ("steps", index, "next"),
                    {"step": step.id, "case": describe(attributes)},
                )
