"""Control flow from the alignment: FL001 skipped, FL002 out of order, FL003 unknown activity,
FL004 repeated, FL005 wrong branch. Tail model moves (steps not yet done) are left to `status`."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from checker.conformance.align import LOG, MODEL, SYNC, UNKNOWN
from checker.conformance.context import CaseContext, Hit
from checker.sop.model import Text


def check(ctx: CaseContext) -> Iterator[Hit]:
    moves = ctx.moves
    done = ctx.variant.get("done")
    if done is None:  # each step's first synced event: the same for every case of the variant
        done = ctx.variant["done"] = {}
        for _, step_id, event in ctx.syncs():
            done.setdefault(step_id, event)
    ctx.done = done  # shared by the variant's cases: read, never written, by the other checks
    synced = set(done)
    if ctx.alignment.cost == 0:
        ctx.scratch["tail"] = []
        return
    last_consumed = max((m for m, mv in enumerate(moves) if mv[0] != MODEL), default=-1)
    ctx.scratch["tail"] = [m for m in range(last_consumed + 1, len(moves))]
    # Each log move of a step pairs with the first model move of that step not yet paired (an
    # out-of-order step is one FL002, not a skip and an extra). Queues per step keep this linear
    # in the trace: a long unfit case used to take quadratic time here.
    unpaired: dict[int, deque[int]] = {}
    for k, (kind, state, _) in enumerate(moves):
        if kind == MODEL:
            unpaired.setdefault(state, deque()).append(k)
    paired: dict[int, int] = {}  # model move -> log move of the same step
    for m, (kind, state, _) in enumerate(moves):
        if kind != LOG or state == UNKNOWN:
            continue
        waiting = unpaired.get(state)
        if waiting:
            paired[waiting.popleft()] = m
    yield from _log_moves(ctx, paired, synced)
    yield from _model_moves(ctx, paired, set(ctx.scratch["tail"]))


def _log_moves(ctx: CaseContext, paired: dict[int, int], synced: set[str]) -> Iterator[Hit]:
    moves = ctx.moves
    log_partner = {log: model for model, log in paired.items()}
    run_root: tuple | None = None
    for m, (kind, state, event) in enumerate(moves):
        if kind != LOG:
            run_root = None
            continue
        key = ("move", m)
        step = ctx.step_id(state) if state != UNKNOWN else None
        if m in log_partner:
            ctx.move_root[m] = ctx.move_root[log_partner[m]] = key
            yield Hit("FL002", step, {}, (event,), key=key)
            run_root = None
        elif step is None:
            ctx.move_root[m] = key
            yield Hit("FL003", None, {"activity": ctx.case.events[event].activity}, (event,), key=key)
            run_root = None
        elif state not in ctx.automaton.reachable_labels:
            # A step of a branch closed to this case: one root at the step where the case chose
            # the branch, each step of the run attached to it.
            if run_root is None:
                run_root = ("move", m, "branch")
                branching = _previous_sync_step(ctx, m) or step
                yield Hit("FL005", branching, {"attributes": _deciding(ctx, branching)}, (event,),
                          key=run_root)
            yield Hit("FL005", step, {"attributes": _deciding(ctx, None)}, (event,), key=key,
                      cause=run_root)
            ctx.move_root[m] = run_root
        elif step in synced and not ctx.sop.step_by_id[step].repeatable:
            ctx.move_root[m] = key
            yield Hit("FL004", step, {}, (event,), key=key)
            run_root = None
        else:
            ctx.move_root[m] = key
            yield Hit("FL002", step, {}, (event,), key=key)
            run_root = None


def _model_moves(ctx: CaseContext, paired: dict[int, int], tail: set[int]) -> Iterator[Hit]:
    moves = ctx.moves
    m = 0
    while m < len(moves):
        if moves[m][0] != MODEL or m in paired or m in tail:
            m += 1
            continue
        run = [m]
        while (
            run[-1] + 1 < len(moves)
            and moves[run[-1] + 1][0] == MODEL
            and run[-1] + 1 not in paired
            and run[-1] + 1 not in tail
        ):
            run.append(run[-1] + 1)
        after = next((k for k in range(run[-1] + 1, len(moves)) if moves[k][0] != MODEL), None)
        evidence = (moves[after][2],) if after is not None else ()
        branch_root = _closed_edge(ctx, run[0], after)
        if branch_root is not None:
            step = ctx.step_id(moves[branch_root][1])
            key = ("move", run[0], "branch")
            yield Hit("FL005", step, {"attributes": _deciding(ctx, step)}, evidence, key=key)
            for k in run:
                ctx.move_root[k] = key
                yield Hit("FL001", ctx.step_id(moves[k][1]), {}, evidence, key=("move", k), cause=key)
        else:
            for k in run:
                ctx.move_root[k] = ("move", k)
                yield Hit("FL001", ctx.step_id(moves[k][1]), {}, evidence, key=("move", k))
        m = run[-1] + 1


def _closed_edge(ctx: CaseContext, first_model: int, after: int | None) -> int | None:
    """If the skipped run sits between two synced steps A and B that the SOP links by a branch
    closed to this case, the move index of A's sync (the case took the wrong branch at A)."""
    moves = ctx.moves
    before = first_model - 1
    if before < 0 or after is None or moves[before][0] != SYNC or moves[after][0] != SYNC:
        return None
    a_step = ctx.sop.step_by_id[ctx.step_id(moves[before][1])]
    b_id = ctx.step_id(moves[after][1])
    if (
        any(branch.step == b_id for branch in a_step.next)
        and moves[after][1] not in ctx.automaton.label_succ.get(moves[before][1], ())
    ):
        return before
    return None


def _previous_sync_step(ctx: CaseContext, move: int) -> str | None:
    for k in range(move - 1, -1, -1):
        if ctx.moves[k][0] == SYNC:
            return ctx.step_id(ctx.moves[k][1])
    return None


def _deciding(ctx: CaseContext, step_id: str | None) -> Text:
    """The case attributes that decide the branches at `step_id` (or every branch attribute)."""
    steps = [ctx.sop.step_by_id[step_id]] if step_id in ctx.sop.step_by_id else ctx.sop.steps
    names: set[str] = set()
    for step in steps:
        for branch in step.next:
            if branch.when is not None:
                names |= branch.when.attributes()
    attrs = ctx.case.attributes
    listed = ", ".join(f"{n}={attrs.get(n, '-')}" for n in sorted(names))
    return Text(listed or "kasus ini", listed or "this case")
