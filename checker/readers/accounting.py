"""Nothing lost: every input row is accounted for.

`rows_read == accepted + len(rejected)`. Accepted rows are events (`events_read`, before
lifecycle pairing); after pairing each becomes an event of a case, the start merged into its
complete (`paired_starts`), an unmatched start (`unpaired_starts`), or an event of another
lifecycle transition such as `schedule` (`lifecycle_other`, by transition). Empty lines and rows
with no value at all are not rows; they are counted in `blank_rows`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from checker.errors import InputError, Location


@dataclass(frozen=True)
class Rejected:
    """A row that could not become an event: where (`row`: line or sheet row), why (`reason`, a
    message key with `args`), and the row as read (`raw`)."""

    row: int
    reason: str
    args: Mapping[str, Any] = field(default_factory=dict)
    raw: str = ""

    def message(self, lang: str = "en") -> str:
        from checker.messages import t

        return t(self.reason, lang, **self.args)


@dataclass(frozen=True)
class Note:
    """Something the reader wants the auditor to know (message key and arguments)."""

    key: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        from checker.messages import t

        return t(self.key, lang, **self.args)


@dataclass
class Accounting:
    """What happened to every row. Complete once LogSource.cases() is exhausted."""

    rows_read: int = 0
    events_read: int = 0
    accepted: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    grouped: bool = True
    spilled: bool = False
    notes: list[Note] = field(default_factory=list)
    blank_rows: int = 0
    cases: int = 0
    events: int = 0
    paired_starts: int = 0
    unpaired_starts: int = 0
    lifecycle_other: dict[str, int] = field(default_factory=dict)
    case_attribute_conflicts: int = 0

    def add_counts(self, part: Any) -> None:
        """Add the counts and rows of a part of the log (a share or a partition read apart)."""
        self.accepted += part.accepted
        self.rejected.extend(part.rejected)
        self.duplicates.extend(part.duplicates)
        self.blank_rows += part.blank_rows
        self.cases += part.cases
        self.events += part.events
        self.paired_starts += part.paired_starts
        self.unpaired_starts += part.unpaired_starts
        for name, count in part.lifecycle_other.items():
            self.lifecycle_other[name] = self.lifecycle_other.get(name, 0) + count
        self.case_attribute_conflicts += part.case_attribute_conflicts

    @property
    def balanced(self) -> bool:
        """The accounting invariants hold."""
        return self.rows_read == self.accepted + len(
            self.rejected
        ) and self.events_read == self.events + self.paired_starts + self.unpaired_starts + sum(
            self.lifecycle_other.values()
        )

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """A JSON-ready summary (rejected rows with their message in `lang`)."""
        return {
            "rows_read": self.rows_read,
            "events_read": self.events_read,
            "accepted": self.accepted,
            "rejected": len(self.rejected),
            "rejected_rows": [
                {"row": r.row, "reason": r.reason, "message": r.message(lang), "raw": r.raw}
                for r in self.rejected
            ],
            "duplicates": len(self.duplicates),
            "duplicate_rows": [{"row": a, "duplicate_of": b} for a, b in self.duplicates],
            "grouped": self.grouped,
            "spilled": self.spilled,
            "blank_rows": self.blank_rows,
            "cases": self.cases,
            "events": self.events,
            "lifecycle": {
                "paired_starts": self.paired_starts,
                "unpaired_starts": self.unpaired_starts,
                "other": dict(sorted(self.lifecycle_other.items())),
            },
            "case_attribute_conflicts": self.case_attribute_conflicts,
            "notes": [{"key": n.key, "message": n.message(lang)} for n in self.notes],
        }


def write_rejects(path: str, rejected: list[Rejected], lang: str = "en") -> None:
    """Write rejected rows as CSV: row, reason (the message in `lang`), raw, code (message key)."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "reason", "raw", "code"])
            for item in rejected:
                writer.writerow([item.row, item.message(lang), item.raw, item.reason])
    except OSError as err:
        from checker.messages.parsers import os_problem

        raise InputError("readers.rejects_unwritable", Location(path), {"reason": os_problem(err)}) from None
