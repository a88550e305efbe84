"""Everything the checks of one case need, computed once: the case, its SOP automaton, the
alignment, resolved step/actor/document ids, and the audit options. Pure data; no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from checker.conformance.align import LOG, SYNC, Alignment
from checker.conformance.automaton import Automaton, step_to, unavoidable
from checker.events import Case
from checker.sop.model import Sop
from checker.timeparse import to_instant
from checker.workcal import WorkCalendar


def step_of(sop: Sop, symbol: int) -> str | None:
    """The step of a move's symbol (its position in the SOP + 1), None for UNKNOWN."""
    return sop.steps[symbol - 1].id if 0 < symbol <= len(sop.steps) else None


@dataclass(frozen=True)
class Hit:
    """A minimal result from a check; the engine completes it into a Finding.

    `key` names this hit so that others can hang under it; `cause` is the key of the root it is a
    consequence of (if that root exists in the case)."""

    code: str
    step: str | None
    args: Mapping[str, Any]
    events: tuple[int, ...] = ()
    key: tuple | None = None
    cause: tuple | None = None


@dataclass
class CaseContext:
    sop: Sop
    case: Case
    calendar: WorkCalendar
    automaton: Automaton
    alignment: Alignment
    steps: tuple[str | None, ...]  # the SOP step of each event (None: unknown label)
    roster: Any | None = None
    track_documents: bool = False  # the log records documents, so they can be checked
    case_documents: bool = False  # the log records documents arriving with the case
    start: datetime | None = None  # when the case's input arrived (start attribute)
    start_date_only: bool = False
    zone: tzinfo | None = None  # the log's zone: a case attribute's time without an offset is in it
    # Filled by the flow analysis, read by the other checks:
    move_root: dict[int, tuple] = field(default_factory=dict)  # move index -> root hit key
    done: dict[str, int] = field(default_factory=dict)  # step id -> event index of its sync
    scratch: dict[str, Any] = field(default_factory=dict)
    # Shared by every case of the same variant (SOP automaton and trace): what the checks derive
    # from the alignment alone, computed for the first case of the variant.
    variant: dict[str, Any] = field(default_factory=dict)

    @property
    def moves(self) -> tuple[tuple[str, int, int], ...]:
        return self.alignment.moves

    def attribute_instant(self, name: str) -> tuple[datetime | None, bool]:
        """A case attribute as an instant: a time without an offset in the log's zone, a date
        alone at midnight in the calendar's (timeparse.to_instant)."""
        tz = self.calendar.tz
        return to_instant(self.case.attributes.get(name), self.zone or tz, tz)

    def step_id(self, symbol: int) -> str | None:
        return step_of(self.sop, symbol)

    def syncs(self) -> list[tuple[int, str, int]]:
        """(move index, step id, event index) of every synchronous move, in order."""
        found = self.variant.get("syncs")
        if found is None:
            found = self.variant["syncs"] = [
                (m, self.step_id(s), e) for m, (kind, s, e) in enumerate(self.moves) if kind == SYNC
            ]
        return found

    def still_to_do(self, step_id: str) -> bool:
        """Whether an open case must still do `step_id`: every way on from where it stands (the
        state after its last event, as aligned) goes through it. A step only some ways on lead
        to (an optional appeal) is not."""
        tail = self.scratch.get("tail") or ()
        state = 0
        for kind, symbol, _ in self.moves[: tail[0] if tail else None]:
            if kind != LOG:
                state = step_to(self.automaton, state, symbol)
        return unavoidable(self.automaton, state, step_id)
