"""Cost per case against trace length: one case of n events audited (every check), for n from 10
to 10,000, in three shapes:

- `rework`: bench/sops/rework.yaml, a legal rework loop (`Perbaiki berkas` repeated n - 3 times):
  fits, cost 0;
- `repeat`: the seed SOP done in order with step 3 repeated: every extra event is a log move;
- `noise`: the seed SOP's steps in random order: the alignment's worst case.

    python bench/bench_long_case.py
    python bench/bench_long_case.py --lengths 10 100 1000 --repeat 5

Times are in-process (time.perf_counter), the median of --repeat runs, each with a fresh
Auditor (no alignment cache), through checker.api.audit_cases plus the report record of the case.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH, ROOT, SEED_SOP, save, table  # noqa: E402

ZONE = timezone(timedelta(hours=7))


def case(shape: str, n: int, sop, seed: int):
    from checker.events import Case, Event

    if shape == "rework":
        names = ["Terima berkas", "Periksa berkas"] + ["Perbaiki berkas"] * max(0, n - 3) + ["Setujui"]
        attributes = {"jalur": "biasa"}
    else:
        steps = [s.name.id for s in sop.steps if s.id not in ("susun_pks", "legal_pks", "ttd_pks")]
        attributes = {"jenis_kerja_sama": "Instansi Vertikal"}
        if shape == "repeat":
            names = steps[:2] + [steps[2]] * max(1, n - len(steps) + 1) + steps[3:]
        else:
            rng = random.Random(seed)
            names = [rng.choice(steps) for _ in range(n)]
    start = datetime(2025, 1, 6, 8, 0, tzinfo=ZONE)
    events = tuple(
        Event("C1", name, start + timedelta(minutes=10 * i), row=i + 2) for i, name in enumerate(names[:n])
    )
    return Case("C1", events, attributes)


def timed(sop, the_case, repeat: int) -> tuple[float, int]:
    from checker.api import audit_cases
    from checker.reporters.records import case_record

    times = []
    cost = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = audit_cases(sop, [the_case], as_of="2026-01-01")["C1"]
        case_record(result, "en")
        times.append(time.perf_counter() - start)
        cost = result.cost
    return statistics.median(times), cost


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lengths", type=int, nargs="*", default=[10, 30, 100, 300, 1000, 3000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from checker.sop.load import require_sop

    sops = {"rework": require_sop(BENCH / "sops" / "rework.yaml"), "seed": require_sop(SEED_SOP)}
    rows = []
    for n in args.lengths:
        row = {"events": n}
        for shape in ("rework", "repeat", "noise"):
            sop = sops["rework" if shape == "rework" else "seed"]
            seconds, cost = timed(sop, case(shape, n, sop, seed=n), args.repeat)
            row[f"{shape}_ms"] = seconds * 1000
            row[f"{shape}_us_per_event"] = seconds * 1e6 / n
            row[f"{shape}_cost"] = cost
        rows.append(row)
    columns = ["events"] + [f"{s}_{k}" for s in ("rework", "repeat", "noise") for k in ("ms", "us_per_event")]
    print(table(rows, columns, "One case of n events: audit time (ms) and per event (us)"))
    print(table(rows, ["events", "rework_cost", "repeat_cost", "noise_cost"], "Alignment cost of each case"))
    path = save("long-case", {"rows": rows, "repeat": args.repeat})
    print(f"results: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
