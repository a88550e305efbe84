"""Who did each step: AC001 wrong actor, AC002 delegation without its document, AC003 a person
the roster does not know on that date, AC004 a mode the step does not allow."""

from __future__ import annotations

from collections.abc import Iterator

from checker.conformance.checks.documents import present_at
from checker.conformance.context import CaseContext, Hit
from checker.sop.model import Step, Text, normalise_label


def _judge(ctx: CaseContext, step: Step, held: tuple[str, ...], e: int) -> Hit | None:
    """The finding, if any, for step `step` done by someone holding the roles `held` (newest
    first), none of them the step's actor: compliant under any delegation the step allows to one
    of them whose documents are present; else AC002 for the first such delegation, or AC001
    naming the newest role when the step allows none of them."""
    delegates = [d for role in held for d in step.delegates if d.actor == role]
    if not delegates:
        return Hit("AC001", step.id, {"actual": held[0], "expected": step.actor}, (e,))
    if not ctx.track_documents:
        return None  # the log cannot show the delegation document either way
    present = present_at(ctx, e)
    first: Hit | None = None
    for delegate in delegates:
        missing = [doc for doc in delegate.requires if doc not in present]
        if not missing:
            return None
        if first is None:
            first = Hit("AC002", step.id, {"actual": delegate.actor, "document": missing[0]}, (e,))
    return first


def check(ctx: CaseContext) -> Iterator[Hit]:
    for _, step_id, e in ctx.syncs():
        event = ctx.case.events[e]
        step = ctx.sop.step_by_id[step_id]
        mode = event.attributes.get("mode") if event.attributes else None
        if mode and step.modes and normalise_label(mode) not in {normalise_label(x) for x in step.modes}:
            yield Hit("AC004", step_id, {"mode": mode, "allowed": ", ".join(step.modes)}, (e,))
        if not event.actor:
            continue
        # The SOP's own labels first: a log naming roles never pays for the roster.
        actor = ctx.sop.actor_for_label.get(normalise_label(event.actor))
        if actor is not None:
            if actor != step.actor and (hit := _judge(ctx, step, (actor,), e)) is not None:
                yield hit
            continue
        day = ctx.calendar.local_date(event.timestamp)
        # Every post the roster gives the person that day, newest appointment first: someone
        # acting in a second post (Plt.) beside their own may do the steps of either.
        held = ctx.roster.roles(event.actor, day) if ctx.roster is not None else ()
        if not held:
            # Logs name people where SOPs name roles: an unknown name is not proof of a wrong
            # actor, so it is a warning, not an AC001.
            on = day.isoformat()
            roster = (
                Text(f"tidak ada di daftar pegawai pada {on}", f"not in the roster on {on}")
                if ctx.roster is not None
                else Text("tidak ada daftar pegawai (--roster) untuk memetakannya",
                          "no roster (--roster) to map it to a role")
            )
            yield Hit("AC003", step_id, {"actual": event.actor, "date": on, "roster": roster}, (e,))
            continue
        if step.actor not in held and (hit := _judge(ctx, step, held, e)) is not None:
            yield hit
