"""Kelengkapan and output: DC001 a required input not present when the step ran, DC002 a
required output the step did not produce. Checked only when the log records documents."""

from __future__ import annotations

from collections.abc import Iterator

from checker.conformance.align import MODEL
from checker.conformance.context import CaseContext, Hit
from checker.sop.model import normalise_label

# Per SOP document table: a log's document labels -> document ids. Keyed by the table's id and
# holding the table itself, so that a new table at a freed one's address is not taken for it.
_RESOLVED: dict[int, tuple[object, dict[tuple[str, ...], frozenset[str]]]] = {}


def _labels_cache(ctx: CaseContext) -> dict[tuple[str, ...], frozenset[str]]:
    table = ctx.sop.document_for_label
    entry = _RESOLVED.get(id(table))
    if entry is None or entry[0] is not table:
        if len(_RESOLVED) > 64:
            _RESOLVED.clear()
        entry = _RESOLVED[id(table)] = (table, {})
    return entry[1]


def _resolve(ctx: CaseContext, labels: tuple[str, ...], cache: dict | None = None) -> frozenset[str]:
    """Document ids for a log's document labels (unknown labels kept, normalised). Cached: a log
    repeats the same few combinations."""
    cache = _labels_cache(ctx) if cache is None else cache
    found = cache.get(labels)
    if found is None:
        found = resolve_labels(ctx.sop.document_for_label, labels)
        if len(cache) > 100_000:
            cache.clear()
        cache[labels] = found
    return found


def resolve_labels(table, labels: tuple[str, ...]) -> frozenset[str]:
    """Document ids for document labels by an SOP's table (unknown labels kept, normalised)."""
    return frozenset(table.get(normalise_label(x), normalise_label(x)) for x in labels)


def prepare(ctx: CaseContext) -> None:
    """The documents of each event, and those present when the case began."""
    attrs = ctx.case.attributes
    if ctx.case_documents:
        initial = _resolve(ctx, ctx.case.documents)
    else:
        # The log does not say what arrived with the case: take the SOP's word for it.
        initial = frozenset(r.document for r in ctx.sop.case.arrives_with if r.applies(attrs))
    cache = _labels_cache(ctx)
    known = cache.get  # inline for the usual hit: one call less per event
    ctx.scratch["docs"] = [
        found if (found := known(event.documents)) is not None else _resolve(ctx, event.documents, cache)
        for event in ctx.case.events
    ]
    ctx.scratch["initial"] = initial


def present_at(ctx: CaseContext, event: int) -> set[str]:
    """The documents present when an event ran: those the case began with, and those of every
    event up to it (itself included)."""
    present = set(ctx.scratch["initial"])
    for item in ctx.scratch["docs"][: event + 1]:
        present |= item
    return present


def check(ctx: CaseContext) -> Iterator[Hit]:
    if not ctx.track_documents:
        return
    attrs = ctx.case.attributes
    docs = ctx.scratch["docs"]
    producers: dict | None = None  # computed only when an input is missing (rare)
    first_missing: dict[str, tuple] = {}
    # What is present grows along the trace; synced events come in trace order.
    present, upto = set(ctx.scratch["initial"]), 0
    for m, step_id, e in ctx.syncs():
        step = ctx.sop.step_by_id[step_id]
        while upto <= e:
            present |= docs[upto]
            upto += 1
        for ref in step.inputs:
            if ref.document not in present and ref.applies(attrs):
                producers = _producers(ctx) if producers is None else producers
                # Explained by the step that should have produced it, else by the first step
                # that already lacked it: one missing document is one root finding.
                cause = producers.get((ref.document, m)) or first_missing.get(ref.document)
                key = ("input", step_id, ref.document, m)
                first_missing.setdefault(ref.document, key)
                yield Hit("DC001", step_id, {"document": ref.document}, (e,), key=key, cause=cause)
        for ref in step.outputs:
            if ref.document not in docs[e] and ref.applies(attrs):
                yield Hit(
                    "DC002", step_id, {"document": ref.document}, (e,), key=("output", step_id, ref.document)
                )


def _producers(ctx: CaseContext) -> dict[tuple[str, int], tuple]:
    """For (document, move), the root that explains its absence there: the flow finding of a
    skipped step that should have produced it, or the DC002 of a step that did not."""
    attrs = ctx.case.attributes
    out: dict[tuple[str, int], tuple] = {}
    blame: dict[str, tuple] = {}
    for m, (kind, state, _) in enumerate(ctx.moves):
        step_id = ctx.step_id(state)
        for doc in list(blame):
            out[(doc, m)] = blame[doc]
        if step_id is None:
            continue
        step = ctx.sop.step_by_id[step_id]
        for ref in step.outputs:
            if not ref.applies(attrs):
                continue
            if kind == MODEL and m in ctx.move_root:
                blame.setdefault(ref.document, ctx.move_root[m])
            elif kind == "sync":
                blame.setdefault(ref.document, ("output", step_id, ref.document))
    return out
