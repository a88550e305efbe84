"""Runs of report text (checker.conformance.textruns): read back, or merged into one run, they
give every case's text in the order a k-way merge of the runs gives (equal case ids: the earlier
run first, memory last), whether the runs' ranges are disjoint or interleaved."""

from __future__ import annotations

import heapq
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.conformance import textruns

# Few distinct ids, so that runs share ids and interleave; texts with characters beyond ASCII
# (their byte lengths are not their lengths).
case_ids = st.sampled_from(["a", "b", "bb", "c", "é", "ü1", "z"])
texts = st.tuples(st.text(max_size=6), st.text(max_size=4))
items = st.lists(st.tuples(case_ids, texts), max_size=12).map(lambda xs: sorted(xs, key=lambda x: x[0]))


def _text(pieces) -> str:
    return b"".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in pieces).decode("utf-8")


@settings(max_examples=150, deadline=None)
@given(st.lists(items.filter(bool), max_size=5), items, st.integers(1, 4), st.integers(1, 5))
def test_runs_read_back_in_merge_order(tmp_path_factory, runs_items, memory, batch, group) -> None:
    folder: Path = tmp_path_factory.mktemp("runs")
    original = textruns.INDEX_BATCH, textruns.WRITE_GROUP
    # Stretches cut at batch ends too; texts written a group at a time.
    textruns.INDEX_BATCH, textruns.WRITE_GROUP = batch, group
    try:
        runs = [textruns.write_run(str(folder / f"r{n}"), xs, 2) for n, xs in enumerate(runs_items)]
    finally:
        textruns.INDEX_BATCH, textruns.WRITE_GROUP = original
    expected = list(heapq.merge(*runs_items, memory, key=lambda x: x[0]))
    for k in (0, 1):
        assert _text(textruns.stream(runs, memory, k)) == "".join(t[k] for _, t in expected)
    if runs:
        merged = textruns.merge_runs(str(folder / "m"), runs, 2)
        without_memory = list(heapq.merge(*runs_items, key=lambda x: x[0]))
        for k in (0, 1):
            assert _text(textruns.stream([merged], [], k)) == "".join(t[k] for _, t in without_memory)
        assert not any(Path(run.path(0)).exists() for run in runs)  # the merged runs are gone


def test_a_merge_holds_a_batch_of_each_run_not_every_case_id(tmp_path: Path) -> None:
    """Reading many runs back holds one index batch of each at a time: memory does not grow with
    the cases in the runs (a 10M-event report comes in some 200 runs)."""
    import tracemalloc

    runs_count, per_run = 40, 2_000
    runs = []
    for n in range(runs_count):
        # Interleaved ids: every run is cut at every case, the most work for the merge.
        items = [(f"case-{i:07d}-{n:03d}", (f"<{i}>", "")) for i in range(per_run)]
        runs.append(textruns.write_run(str(tmp_path / f"r{n}"), items, 2))
    tracemalloc.start()
    indexes = [textruns._read_index(run.base + ".idx") for run in runs]
    every_id = [case_id for index in indexes for batch in index for case_id in batch[0]]
    held_all = tracemalloc.get_traced_memory()[0]
    del every_id
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    total = sum(len(piece) for piece in textruns.stream(runs, [], 0))
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    assert total == sum(len(f"<{i}>") for i in range(per_run)) * runs_count
    assert peak < held_all / 2, (peak, held_all)
