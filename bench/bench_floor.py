"""The floor of a design: how fast the audit could go if it did only the least that each design
must do, on one core. Answers whether 500,000 events/s on two cores (issue 8) is within reach of
a Python audit that touches every event, or every case, or neither.

    python bench/bench_floor.py                      # the 1M-event generated log
    python bench/bench_floor.py --events 10000000

Stages, each in its own process, one thread (pyarrow's CSV reader with use_threads=False), timed
after the imports, on the same generated CSV as bench_audit.py; each includes the ones before it:

- parse: pyarrow's CSV reader, the whole file into typed columns (native code, nothing per row);
- cases: + where each case starts (the case-id column compared with itself shifted, in pyarrow),
  and a check that the file is grouped by case;
- variants: + one Python step per case: its activities' codes (dictionary-encoded by pyarrow)
  as a key, looked up in a dict of variants, each new variant aligned by the audit's own
  automaton and alignment (checker.conformance). The least a design that judges each case in
  Python does;
- events: parse + one Python value per cell (pyarrow's to_pylist, rows zipped): the least a
  design that builds each event in Python does, before any check;
- audit: the real `sopcheck audit --jobs 1 --format json` on the same file.

Each stage runs --repeat times; its time is the best parse of all runs plus the least that the
stage added to its own parse (pyarrow's parse alone moves by 20-40% between runs on this VM).
Two cores can at best double each stage's rate; the table gives that bound too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, SEED_SOP, audit_cmd, run, save, table  # noqa: E402

STAGES = ("parse", "cases", "variants", "events")


def stage(name: str, log: str, sop: str) -> dict:
    """Runs one stage in this process: its counts, and `s`, its time after the imports."""
    import numpy as np
    import pyarrow.compute as pc
    from pyarrow import csv

    from checker.conformance import automaton as automata
    from checker.conformance.align import UNKNOWN, align
    from checker.sop.load import require_sop
    from checker.sop.model import normalise_label

    began = time.perf_counter()
    table_ = csv.read_csv(log, read_options=csv.ReadOptions(use_threads=False))
    events = table_.num_rows
    parsed = time.perf_counter() - began
    if name == "parse":
        return {"events": events, "s": parsed, "parse_s": parsed}
    if name == "events":
        built = 0
        for batch in table_.to_batches():
            for _row in zip(*(column.to_pylist() for column in batch.columns), strict=True):
                built += 1
        return {"events": built, "s": time.perf_counter() - began, "parse_s": parsed}
    ids = table_.column("case_id").combine_chunks()
    changed = pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1))
    starts = np.concatenate(([0], np.flatnonzero(changed.to_numpy(zero_copy_only=False)) + 1, [events]))
    if len(starts) - 1 != pc.count_distinct(ids).as_py():
        sys.exit("bench: the log is not grouped by case")
    if name == "cases":
        cases = len(starts) - 1
        return {"events": events, "cases": cases, "s": time.perf_counter() - began, "parse_s": parsed}
    sop_ = require_sop(Path(sop))
    auto = automata.build(sop_, None)  # the branches as choices: one automaton for every case
    symbol = {
        label: sop_.steps.index(sop_.step_by_id[step]) + 1 for label, step in sop_.step_for_label.items()
    }
    encoded = table_.column("activity").combine_chunks().dictionary_encode()
    labels = [symbol.get(normalise_label(a), UNKNOWN) for a in encoded.dictionary.to_pylist()]
    codes = encoded.indices.to_numpy().astype(np.int16)
    seen: dict[bytes, int] = {}
    unfit = 0
    for start, end in zip(starts[:-1].tolist(), starts[1:].tolist(), strict=True):
        key = codes[start:end].tobytes()
        cost = seen.get(key)
        if cost is None:
            trace = tuple(labels[c] for c in codes[start:end].tolist())
            cost = seen[key] = align(auto, trace).cost
        unfit += cost > 0
    return {
        "events": events, "cases": len(starts) - 1, "variants": len(seen), "unfit": unfit,
        "s": time.perf_counter() - began, "parse_s": parsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sop", type=Path, default=SEED_SOP)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each stage (the best is kept)")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)  # a stage's own process
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, str(args.log), str(args.sop))))
        return
    from bench_audit import generate

    log = generate(args.events, False, 8)
    rows = []
    for name in STAGES:
        print(f"{name} ...", file=sys.stderr)
        best = None
        for _ in range(args.repeat):
            cmd = [sys.executable, __file__, "--stage", name, "--log", str(log), "--sop", str(args.sop)]
            measured = run(cmd)
            if measured.returncode != 0:
                sys.exit(f"bench: stage {name} failed:\n{measured.stderr}")
            row = {"stage": name, "m": measured, **json.loads(measured.stdout)}
            # The best run by what the stage adds to its own parse (pyarrow's parse alone moves
            # by 20-40% between runs on this VM).
            if best is None or row["s"] - row["parse_s"] < best["s"] - best["parse_s"]:
                best = row
        rows.append(best)
    print("audit ...", file=sys.stderr)
    report = OUT / "floor-audit.json"
    cmd, _ = audit_cmd(args.sop, log, report, "--jobs", "1")
    audited = run(cmd)
    report.unlink(missing_ok=True)
    if audited.returncode not in (0, 1):
        sys.exit(f"bench: the audit failed:\n{audited.stderr}")
    parse_s = min(row["parse_s"] for row in rows)  # the best parse of every run
    events = rows[0]["events"]
    out = []
    for row in [*rows, {"stage": "audit", "m": audited, "s": audited.wall}]:
        # A stage's time: the best parse, and what the stage adds to its own parse; the audit's is
        # the whole command, start-up included (about 0.2 s: nothing at a million events).
        added = row["s"] - row["parse_s"] if "parse_s" in row else row["s"]
        total = parse_s + added if "parse_s" in row else row["s"]
        out.append({
            "stage": row["stage"],
            "s": total,
            "beyond_parse_us": added / events * 1e6,
            "events_per_s": events / total,
            "two_cores_at_best": 2 * events / total,
            "x_parse": total / parse_s,
            "peak_rss_mb": row["m"].peak_rss_mb,
            "cases": row.get("cases"),
            "variants": row.get("variants"),
        })
    columns = [
        "stage", "s", "beyond_parse_us", "events_per_s", "two_cores_at_best", "x_parse", "peak_rss_mb",
        "cases", "variants",
    ]
    print(table(out, columns, f"The floor of each design, one core, {log.name} ({events:,} events)"))
    path = save(f"floor-{args.events}", {"rows": out, "log": log.name, "events": events})
    print(f"results: {path.relative_to(path.parents[2])}")


if __name__ == "__main__":
    main()
