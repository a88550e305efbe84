"""sopcheck against PM4Py on the same model and the same log: token-based replay and alignments
on the PNML that `sopcheck export` writes, the full audit's time as a ratio, and a check that
PM4Py's alignment cost of every trace equals the audit's alignment (the plain optimal one; the
report reads a trace that is an exact prefix of an allowed run as an open case, and counts those
apart as `report_cost_differs`).

    python bench/bench_pm4py.py                       # every scenario whose files exist
    python bench/bench_pm4py.py --scenario receipt --limit 1800
    python bench/bench_pm4py.py --sop my.yaml --log my.csv --name mine

The model: the audit aligns each case against the automaton for its branch decisions, so the
cases are grouped by those decisions and each group is given to PM4Py with its own PNML (the
export with the group's attributes; transitions labelled with the log's own spellings). PM4Py
gets exactly the traces the audit read (same events, same order, lifecycle starts paired), so
the costs are comparable trace by trace. PM4Py's times are its conformance call alone (log
objects built beforehand, not timed). Ours are given twice:

- `ours_s`: the whole `sopcheck audit --format json` command, in its own process: start-up,
  reading, every check (flow, actors, documents, time, status), writing the report;
- `ours_align_s`: like for like with PM4Py's call, the audit's control-flow stage alone on the
  same traces (`align_traces` below: the automaton of each group built, each trace mapped to
  steps and aligned, once per variant as the engine does), timed in this process after imports.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import DATA, OUT, ROOT, SEED_SOP, audit_cmd, report_cases, run, save, table  # noqa: E402

SCENARIOS = {
    "receipt": (ROOT / "rules" / "examples" / "wabo-receipt.yaml", DATA / "receipt.csv"),
    "roadtraffic": (
        ROOT / "rules" / "examples" / "road-traffic-fines.yaml",
        DATA / "roadtraffic100traces.xes",
    ),
    "bpic2012": (ROOT / "rules" / "examples" / "bpic2012-loan.yaml", DATA / "bpic2012.xes.gz"),
    "running-example": (
        ROOT / "rules" / "examples" / "running-example.yaml",
        DATA / "running-example.xes",
    ),
    "generated-10k": (SEED_SOP, OUT / "gen-10000.csv"),
    "generated-100k": (SEED_SOP, OUT / "gen-100000.csv"),
}
GENERATED = {"generated-10k": 10_000, "generated-100k": 100_000}  # events asked of `sopcheck generate`


def prepare(name: str, sop_path: Path, log_path: Path) -> tuple[Path, int, int]:
    """Group the cases by the automaton the audit uses, write a PNML per group and the traces."""
    from checker.api import open_source
    from checker.conformance import automaton as automata
    from checker.export.pnml import export_pnml, labels_from_activities
    from checker.sop.load import require_sop

    sop = require_sop(sop_path)
    groups: dict[object, dict] = {}
    activities: set[str] = set()
    events = 0
    for case in open_source(str(log_path)).cases():
        key, complete = automata.decisions(sop, case.attributes)
        group_key = key if complete else None
        group = groups.setdefault(group_key, {"attributes": dict(case.attributes), "cases": []})
        names = [e.activity for e in case.events]
        activities.update(names)
        events += len(names)
        group["cases"].append([case.case_id, names])
    labels = labels_from_activities(sop, sorted(activities))
    spec = []
    for i, (group_key, group) in enumerate(sorted(groups.items(), key=lambda kv: str(kv[0]))):
        pnml = OUT / f"pm4py-{name}-{i}.pnml"
        attrs = group["attributes"] if group_key is not None else None
        pnml.write_text(export_pnml(sop, attrs, labels), encoding="utf-8")
        spec.append({"pnml": str(pnml), "cases": group["cases"], "attributes": attrs})
    path = OUT / f"pm4py-{name}-traces.json"
    # A case attribute may be a date (an XES log's typed values): written as str(), which is how
    # a condition compares a value with the SOP's text (model._same).
    path.write_text(json.dumps({"groups": spec}, default=str), encoding="utf-8")
    return path, sum(len(g["cases"]) for g in spec), events


def align_traces(sop_path: Path, traces_path: Path) -> tuple[float, dict[str, int]]:
    """The audit's alignment stage on the traces PM4Py gets: (seconds, cost per case)."""
    import time

    from checker.conformance import automaton as automata
    from checker.conformance.align import UNKNOWN, align
    from checker.sop.load import require_sop
    from checker.sop.model import normalise_label

    sop = require_sop(sop_path)
    spec = json.loads(traces_path.read_text(encoding="utf-8"))
    groups = [group["cases"] for group in spec["groups"]]
    # A group's attributes give its branch decisions (None: the branches stay choices).
    attributes = [group.get("attributes") for group in spec["groups"]]
    costs: dict[str, int] = {}
    start = time.perf_counter()
    symbol = {label: sop.steps.index(sop.step_by_id[step]) + 1 for label, step in sop.step_for_label.items()}
    # Each distinct activity mapped to its step once, as the audit does (Auditor._state).
    states: dict[str, int] = {}
    for cases, attrs in zip(groups, attributes, strict=True):
        key, complete = automata.decisions(sop, attrs or {})
        auto = automata.build(sop, key if complete and attrs is not None else None)
        done: dict[tuple[int, ...], int] = {}
        for case_id, activities in cases:
            trace = tuple([
                states[a] if a in states else states.setdefault(a, symbol.get(normalise_label(a), UNKNOWN))
                for a in activities
            ])
            cost = done.get(trace)
            if cost is None:
                # The plain optimal alignment, PM4Py's; the audit reads a trace that is an exact
                # prefix of an allowed run as an open case instead (its report cost can be lower).
                cost = done[trace] = align(auto, trace, open_prefixes=False).cost
            costs[case_id] = cost
    return time.perf_counter() - start, costs


def variants(traces_path: Path) -> int:
    spec = json.loads(traces_path.read_text(encoding="utf-8"))
    return len({(i, tuple(acts)) for i, g in enumerate(spec["groups"]) for _, acts in g["cases"]})


def scenario(name: str, sop: Path, log: Path, limit: float) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    report = OUT / f"pm4py-{name}-audit.json"
    cmd, via = audit_cmd(sop, log, report)
    # Before this process reads the log (prepare): a child's peak RSS (wait4) starts at its
    # parent's.
    ours = run(cmd)
    if ours.returncode != 0:
        sys.exit(f"bench: sopcheck audit failed:\n{ours.stderr}")
    traces, cases, events = prepare(name, sop, log)
    our_cases = {c["case_id"]: c for c in report_cases(report)}
    align_s, align_costs = min((align_traces(sop, traces) for _ in range(3)), key=lambda r: r[0])
    worker = str(Path(__file__).resolve().parent / "pm4py_worker.py")
    results = {}
    for mode in ("tbr", "align"):
        result_path = OUT / f"pm4py-{name}-{mode}.json"
        result_path.unlink(missing_ok=True)
        measured = run(
            [sys.executable, worker, mode, str(traces), str(result_path), str(limit)],
            timeout=limit * 1.5 + 120,
        )
        data = json.loads(result_path.read_text()) if result_path.exists() else None
        results[mode] = (measured, data)
    tbr_measured, tbr = results["tbr"]
    al_measured, al = results["align"]
    row = {
        "scenario": name,
        "sop": str(sop.relative_to(ROOT)) if sop.is_relative_to(ROOT) else str(sop),
        "log": log.name,
        "cases": cases,
        "events": events,
        "variants": variants(traces),
        "limit_s": limit,
        "audit_via": via,
        "ours_s": ours.wall,
        "ours_align_s": align_s,
        "ours_rss_mb": ours.peak_rss_mb,
        "ours_unfit": sum(1 for c in our_cases.values() if c["cost"] > 0),
    }
    if tbr is not None:
        row.update(
            tbr_s=tbr["seconds"],
            tbr_rss_mb=tbr_measured.peak_rss_mb,
            tbr_unfit=sum(1 for c in tbr["cases"].values() if not c["fit"]),
            tbr_ratio=tbr["seconds"] / ours.wall,
            tbr_ratio_align=tbr["seconds"] / align_s,
        )
    else:
        row.update(
            tbr_s=None, tbr_note="did not finish" if tbr_measured.timed_out else tbr_measured.stderr[-500:]
        )
    if al is not None:
        finished = {k: v for k, v in al["cases"].items() if v is not None}
        mismatches = [
            (k, v["cost"], align_costs[k]) for k, v in sorted(finished.items()) if v["cost"] != align_costs[k]
        ]
        # Open cases read as exact prefixes: the report's cost is the prefix's, by design.
        report_differs = sorted(
            (k, align_costs[k], our_cases[k]["cost"], our_cases[k]["status"])
            for k in finished
            if our_cases[k]["cost"] != align_costs[k]
        )
        row.update(
            align_s=al["seconds"],
            align_rss_mb=al_measured.peak_rss_mb,
            align_cases_done=len(finished),
            align_unfinished=al["unfinished"],
            align_ratio=al["seconds"] / ours.wall,
            align_ratio_align=al["seconds"] / align_s,
            costs_equal=len(finished) - len(mismatches),
            cost_mismatches=len(mismatches),
            mismatch_examples=mismatches[:10],
            report_cost_differs=len(report_differs),
            report_cost_differs_examples=report_differs[:10],
        )
    else:
        row.update(
            align_s=None,
            align_note="killed at the limit" if al_measured.timed_out else al_measured.stderr[-500:],
        )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scenario", action="append", choices=sorted(SCENARIOS), help="default: all available"
    )
    parser.add_argument("--sop", type=Path)
    parser.add_argument("--log", type=Path)
    parser.add_argument("--name", default="custom")
    parser.add_argument("--limit", type=float, default=1800, help="PM4Py's time limit per method, seconds")
    parser.add_argument("--row-to", type=Path, help=argparse.SUPPRESS)  # one scenario's row, as JSON
    args = parser.parse_args()
    if args.sop or args.log:
        if not (args.sop and args.log):
            parser.error("--sop and --log go together")
        chosen = {args.name: (args.sop, args.log)}
    else:
        names = args.scenario or sorted(SCENARIOS)
        chosen = {n: SCENARIOS[n] for n in names}
    rows = []
    for name, (sop, log) in chosen.items():
        if name in GENERATED and not log.exists():
            from bench_audit import generate  # as bench_audit.py makes it, reused when present

            generate(GENERATED[name], False, 8)
        if not sop.exists() or not log.exists():
            print(f"skip {name}: {sop if not sop.exists() else log} not found", file=sys.stderr)
            continue
        if args.row_to:  # one scenario, in a process of its own (see below)
            args.row_to.write_text(json.dumps(scenario(name, sop, log, args.limit), default=str))
            return
        print(f"running {name} ...", file=sys.stderr)
        if len(chosen) == 1:
            rows.append(scenario(name, sop, log, args.limit))
            continue
        # Each scenario in a process of its own: this one reads each log and its traces, and a
        # child's peak RSS (wait4) starts at its parent's resident set when it forks, so every
        # audit after the first would show this process's size instead of its own.
        row_path = OUT / f"pm4py-{name}-row.json"
        cmd = [sys.executable, __file__, "--sop", str(sop), "--log", str(log), "--name", name]
        one = run([*cmd, "--limit", str(args.limit), "--row-to", str(row_path)], timeout=args.limit * 4 + 600)
        if one.returncode != 0 or not row_path.exists():
            sys.exit(f"bench: scenario {name} failed:\n{one.stderr[-2000:]}")
        rows.append(json.loads(row_path.read_text()))
    if not rows:
        sys.exit("bench: no scenario could run")
    print(
        table(
            rows,
            [
                "scenario",
                "cases",
                "events",
                "variants",
                "ours_s",
                "ours_align_s",
                "tbr_s",
                "tbr_ratio",
                "tbr_ratio_align",
                "align_s",
                "align_ratio",
                "align_ratio_align",
                "align_cases_done",
                "costs_equal",
                "cost_mismatches",
                "report_cost_differs",
            ],
            "sopcheck vs PM4Py (same PNML, same traces)",
        )
    )
    print(
        table(
            rows,
            ["scenario", "ours_rss_mb", "tbr_rss_mb", "align_rss_mb", "ours_unfit", "tbr_unfit"],
            "Peak RSS (MiB) and traces judged unfit",
        )
    )
    path = save("pm4py" if len(rows) > 1 else f"pm4py-{rows[0]['scenario']}", {"rows": rows})
    print(f"results: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
