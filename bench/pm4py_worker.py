"""Run PM4Py on the traces the audit read (one process per method, so that the OS reports its
own peak memory): `python bench/pm4py_worker.py {tbr|align} TRACES.json RESULT.json [LIMIT_S]`.

TRACES.json holds groups of cases, each with the PNML of the automaton the audit uses for them.
Building PM4Py's EventLog objects is not timed; the timed part is PM4Py's own conformance call
(token-based replay, or alignments with the default state-equation A* and standard costs), with
PM4Py's own time limit (`max_align_time`) for alignments: variants left unfinished come back as
None and are counted.
"""

from __future__ import annotations

import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")
sys._pm4py_welcome_shown = True  # type: ignore[attr-defined]  # PM4Py's import banner

import pm4py  # noqa: E402
from pm4py.objects.log.obj import Event, EventLog, Trace  # noqa: E402


def event_log(cases: list) -> EventLog:
    log = EventLog()
    for case_id, activities in cases:
        trace = Trace([Event({"concept:name": a}) for a in activities])
        trace.attributes["concept:name"] = case_id
        log.append(trace)
    return log


def main() -> None:
    mode, traces_path, result_path = sys.argv[1:4]
    limit = float(sys.argv[4]) if len(sys.argv) > 4 else None
    with open(traces_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    prepared = []
    for group in spec["groups"]:
        net, im, fm = pm4py.read_pnml(group["pnml"])
        prepared.append((group, event_log(group["cases"]), net, im, fm))
    per_case: dict[str, dict] = {}
    elapsed = 0.0
    unfinished = 0
    for group, log, net, im, fm in prepared:
        start = time.perf_counter()
        if mode == "tbr":
            results = pm4py.conformance_diagnostics_token_based_replay(log, net, im, fm)
            elapsed += time.perf_counter() - start
            for (case_id, _), res in zip(group["cases"], results, strict=True):
                per_case[case_id] = {"fit": bool(res["trace_is_fit"]), "fitness": res["trace_fitness"]}
        else:
            from pm4py.algo.conformance.alignments.petri_net import algorithm as alignments

            params = {}
            if limit is not None:
                left = max(1.0, limit - elapsed)
                params[alignments.Parameters.PARAM_MAX_ALIGN_TIME] = left
            results = alignments.apply(log, net, im, fm, parameters=params)
            elapsed += time.perf_counter() - start
            for (case_id, _), res in zip(group["cases"], results, strict=True):
                if res is None:
                    unfinished += 1
                    per_case[case_id] = None
                else:
                    # Standard costs: 10000 per log or model move, 1 per silent step.
                    per_case[case_id] = {"cost": res["cost"] // 10000, "fitness": res["fitness"]}
    with open(result_path, "w", encoding="utf-8") as out:
        json.dump({"mode": mode, "seconds": elapsed, "unfinished": unfinished, "cases": per_case}, out)


if __name__ == "__main__":
    main()
