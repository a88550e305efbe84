"""Who did each step: AC001 wrong actor, AC002 delegation without its document, AC003 a person
the roster does not know on that date, AC004 a mode the step does not allow."""

from __future__ import annotations

from collections.abc import Iterator

from checker.conformance.checks.documents import present_at
from checker.conformance.context import CaseContext, Hit
from checker.sop.model import Text, normalise_label


def resolve(ctx: CaseContext, raw: str, event_index: int) -> str | None:
    """The SOP actor id for a log's actor value: an actor's id, name or alias, or a person the
    roster maps to a role on the event's date; None when neither knows it."""
    actor = ctx.sop.actor_for_label.get(normalise_label(raw))
    if actor is not None:
        return actor
    if ctx.roster is not None:
        day = ctx.calendar.local_date(ctx.case.events[event_index].timestamp)
        return ctx.roster.role(raw, day)
    return None


def check(ctx: CaseContext) -> Iterator[Hit]:
    for _, step_id, e in ctx.syncs():
        event = ctx.case.events[e]
        step = ctx.sop.step_by_id[step_id]
        mode = event.attributes.get("mode") if event.attributes else None
        if mode and step.modes and normalise_label(mode) not in {normalise_label(x) for x in step.modes}:
            yield Hit("AC004", step_id, {"mode": mode, "allowed": ", ".join(step.modes)}, (e,))
        if not event.actor:
            continue
        actor = resolve(ctx, event.actor, e)
        if actor is None:
            # Logs name people where SOPs name roles: an unknown name is not proof of a wrong
            # actor, so it is a warning, not an AC001.
            day = ctx.calendar.local_date(event.timestamp).isoformat()
            roster = (
                Text(f"tidak ada di daftar pegawai pada {day}", f"not in the roster on {day}")
                if ctx.roster is not None
                else Text("tidak ada daftar pegawai (--roster) untuk memetakannya",
                          "no roster (--roster) to map it to a role")
            )
            yield Hit("AC003", step_id, {"actual": event.actor, "date": day, "roster": roster}, (e,))
            continue
        if actor == step.actor:
            continue
        delegate = next((d for d in step.delegates if d.actor == actor), None)
        if delegate is None:
            yield Hit("AC001", step_id, {"actual": actor, "expected": step.actor}, (e,))
            continue
        if not ctx.track_documents:
            continue  # the log cannot show the delegation document either way
        present = present_at(ctx, e)
        missing = [doc for doc in delegate.requires if doc not in present]
        if missing:
            yield Hit("AC002", step_id, {"actual": actor, "document": missing[0]}, (e,))
