"""SOP113: time allowed that is not positive, a fraction of a day unit, or more than 100 years."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from checker.sop.checks import Problem
from checker.sop.model import Duration, Sop, Text

DAY_UNITS = ("working_days", "calendar_days")
# About 100 years in each unit (250 working days of 8 working hours a year). No procedure allows
# that much; a larger amount is a typo, and deadlines computed from it leave the calendar's years
# (docs/codes.md, SOP113).
MAXIMUM = {
    "calendar_days": 36_500,
    "working_days": 25_000,
    "working_hours": 200_000,
    "working_minutes": 12_000_000,
    "hours": 876_000,
    "minutes": 52_560_000,
}


def _bad(duration: Duration | None) -> Text | None:
    if duration is None:
        return None
    if not math.isfinite(duration.amount):  # YAML has .nan and .inf; JSON Schema lets them by
        return Text("bukan bilangan terhingga", "not a finite number")
    if duration.amount <= 0:
        return Text("tidak positif", "not positive")
    if duration.unit in DAY_UNITS and duration.amount != int(duration.amount):
        return Text("satuan hari harus bilangan bulat", "day units need whole numbers")
    limit = MAXIMUM.get(duration.unit)
    if limit is not None and duration.amount > limit:
        return Text(f"lebih dari 100 tahun; paling banyak {limit:,}".replace(",", "."),
                    f"more than 100 years; at most {limit:,}")
    return None


def check(sop: Sop, data: dict[str, Any]) -> Iterator[Problem]:
    for index, step in enumerate(sop.steps):
        reason = _bad(step.time)
        if reason:
            yield Problem(
                "SOP113",
                ("steps", index, "time", "amount"),
                {
                    "where": Text(f"langkah '{step.id}'", f"step '{step.id}'"),
                    "amount": data["steps"][index]["time"]["amount"],
                    "unit": step.time.unit,
                    "reason": reason,
                },
            )
    for index, deadline in enumerate(sop.deadlines):
        for part in ("within", "after"):
            duration = getattr(deadline, part)
            reason = _bad(duration)
            if reason:
                yield Problem(
                    "SOP113",
                    ("deadlines", index, part, "amount"),
                    {
                        "where": Text(f"tenggat '{deadline.id}'", f"deadline '{deadline.id}'"),
                        "amount": data["deadlines"][index][part]["amount"],
                        "unit": duration.unit,
                        "reason": reason,
                    },
                )
    reason = _bad(sop.case.total_time)
    if reason:
        yield Problem(
            "SOP113",
            ("case", "total_time", "amount"),
            {
                "where": "case.total_time",
                "amount": data["case"]["total_time"]["amount"],
                "unit": sop.case.total_time.unit,
                "reason": reason,
            },
        )
