"""Throughput and memory of the full audit (every check, JSON report), against the floor of just
parsing the same file with pyarrow.

    python bench/bench_audit.py --events 10000 100000 1000000 10000000   # generated, CSV + Parquet
    python bench/bench_audit.py --events 1000000 --formats csv --jobs 1
    python bench/bench_audit.py --real                                   # ../shared/data logs

Generated logs come from `sopcheck generate` for the seed SOP (10% violating cases) and are kept
in bench/out/ (reused when present; --fresh makes them again). The number of cases is chosen
from a probe so that the log has about the asked number of events; the table gives the actual
count. Each measured command runs in its own process: wall time from time.perf_counter around
it, peak RSS from the OS (wait4). The floor runs pyarrow's CSV reader (or its Parquet reader, or
lxml's parser for XES) on the same file in its own process, and the audit's time is given as a
ratio to it.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    BENCH,
    DATA,
    OUT,
    ROOT,
    SEED_SOP,
    audit_cmd,
    have,
    report_cases,
    report_rows_read,
    run,
    save,
    sopcheck,
    table,
)

REAL = [
    ("receipt", ROOT / "rules" / "examples" / "wabo-receipt.yaml", DATA / "receipt.csv"),
    ("receipt-xes", ROOT / "rules" / "examples" / "wabo-receipt.yaml", DATA / "receipt.xes.gz"),
    (
        "roadtraffic",
        ROOT / "rules" / "examples" / "road-traffic-fines.yaml",
        DATA / "roadtraffic100traces.xes",
    ),
    ("bpic2012", ROOT / "rules" / "examples" / "bpic2012-loan.yaml", DATA / "bpic2012.xes.gz"),
    (
        "running-example",
        ROOT / "rules" / "examples" / "running-example.yaml",
        DATA / "running-example.xes",
    ),
]

FLOOR = {
    "csv": "import pyarrow.csv as c, sys; t = c.read_csv(sys.argv[1]); print(t.num_rows)",
    "parquet": "import pyarrow.parquet as p, sys; t = p.read_table(sys.argv[1]); print(t.num_rows)",
    "xes": (
        "import gzip, sys\nfrom lxml import etree\np = sys.argv[1]\n"
        "f = gzip.open(p) if p.endswith('.gz') else open(p, 'rb')\nn = 0\n"
        "for _, el in etree.iterparse(f, tag='{*}event'):\n    n += 1\n    el.clear()\nprint(n)"
    ),
}


NO_SPILL = [False]


def count_rows(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def generate(events: int, fresh: bool, seed: int) -> Path:
    """A generated CSV log of about `events` events for the seed SOP (10% violating cases)."""
    if not have("checker.commands.generate"):
        sys.exit("bench: `sopcheck generate` is not in this checkout yet")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"gen-{events}.csv"
    if path.exists() and not fresh:
        return path
    probe = OUT / "gen-probe.csv"
    made = run(
        sopcheck(
            "generate",
            SEED_SOP,
            "--cases",
            "2000",
            "--violation-rate",
            "0.1",
            "--seed",
            str(seed),
            "-o",
            probe,
        )
    )
    if made.returncode != 0:
        sys.exit(f"bench: sopcheck generate failed:\n{made.stderr}")
    per_case = count_rows(probe) / 2000
    cases = max(1, math.ceil(events / per_case))
    print(f"generating {path.name}: {cases:,} cases ...", file=sys.stderr)
    made = run(
        sopcheck(
            "generate",
            SEED_SOP,
            "--cases",
            str(cases),
            "--violation-rate",
            "0.1",
            "--seed",
            str(seed),
            "-o",
            path,
        )
    )
    if made.returncode != 0:
        sys.exit(f"bench: sopcheck generate failed:\n{made.stderr}")
    return path


GROUP_ROWS = 128 * 1024  # rows of a Parquet row group in the generated files


def to_parquet(csv_path: Path, fresh: bool) -> Path:
    """The same log as Parquet (the types pyarrow infers: a column of dates is typed, the event
    timestamps stay text since the log mixes dates and date-times; row groups of 128k rows),
    written by a process of its own: the audits measured after it are started by this process,
    and a forked child's peak RSS (wait4) starts at its parent's, which the conversion grew to
    some 200 MB (importing pyarrow alone, 70 MB)."""
    path = csv_path.with_suffix(".parquet")
    code = "import sys; from bench_audit import write_parquet; write_parquet(*sys.argv[1:])"
    made = run(
        [sys.executable, "-c", code, str(csv_path), str(path), *(["fresh"] if fresh else [])],
        env={"PYTHONPATH": str(BENCH)},
    )
    if made.returncode != 0:
        sys.exit(f"bench: converting {csv_path.name} to Parquet failed:\n{made.stderr}")
    return path


def write_parquet(csv_path: str, path: str, fresh: str = "") -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if Path(path).exists() and not fresh:
        meta = pq.ParquetFile(path).metadata
        if meta.num_row_groups and meta.row_group(0).num_rows >= min(GROUP_ROWS, meta.num_rows):
            return  # made by this function (an older one wrote a row group per CSV batch)
    # Strings stay strings (case ids like "KS-0001", numbers-as-text); what pyarrow can type, it types.
    reader = pacsv.open_csv(csv_path, convert_options=pacsv.ConvertOptions(strings_can_be_null=False))
    writer = None
    held: list = []
    try:
        # write_batch makes a row group of each batch the CSV reader gives (some 7,000 rows), not
        # of row_group_size rows: batches are gathered to 128k rows first, as an export writes.
        for batch in itertools.chain(reader, [None]):  # None: the end, write what is held
            if batch is not None:
                writer = writer or pq.ParquetWriter(path, batch.schema)
                held.append(batch)
            if held and (batch is None or sum(b.num_rows for b in held) >= GROUP_ROWS):
                writer.write_table(pa.Table.from_batches(held), row_group_size=GROUP_ROWS)
                held = []
    finally:
        if writer is not None:
            writer.close()


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file (a report of some GB: read a block at a time), None if it is not there."""
    import hashlib

    if not path.exists():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def log_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".xes", ".xes.gz")):
        return "xes"
    return "csv"


def measure(
    name: str, sop: Path, log: Path, extra: list[str], repeat: int, report_format: str = "json",
    baseline: bool = False,
) -> dict:
    fmt = log_format(log)
    load_before = round(os.getloadavg()[0], 2)
    floor = min(
        (run([sys.executable, "-c", FLOOR[fmt], str(log)]) for _ in range(repeat)), key=lambda m: m.wall
    )
    report = OUT / f"audit-{name}-{fmt}.{report_format}"
    cmd, via = audit_cmd(sop, log, report, *extra, no_spill=NO_SPILL[0])
    if report_format != "json":
        cmd[cmd.index("json")] = report_format
    usual = None
    if baseline:  # the same command with the case-by-case engine only (checker.columnar off)
        runs = [run(cmd, env={"SOPCHECK_COLUMNAR": "0"}) for _ in range(repeat)]
        usual = min(runs, key=lambda m: m.wall)
        usual_digest = file_digest(report)
    report.unlink(missing_ok=True)
    runs = [run(cmd) for _ in range(repeat)]
    best = min(runs, key=lambda m: m.wall)
    if best.returncode not in (0, 1) or not report.exists() or "Traceback" in best.stderr:
        last = best.stderr.strip().splitlines()[-1:] or [f"exit status {best.returncode}"]
        return {
            "log": name,
            "format": fmt,
            "error": last[0],
            "audit_s": best.wall,
            "peak_rss_mb": best.peak_rss_mb,
        }
    if report_format == "json":
        counts = [case["events"] for case in report_cases(report, keep=())]
        events, cases = sum(counts), len(counts)
        if "--no-traces" in extra:  # the case lines list no events: the report's own count
            events = report_rows_read(report, "events_read")
        rows = report_rows_read(report)
    else:  # the lean format: count rows with the floor's parse (generated logs reject nothing)
        events = int(floor.stdout.strip() or 0)
        cases = rows = None
    return {
        "log": name,
        "format": fmt,
        "size_mb": log.stat().st_size / 1e6,
        "events": events,
        "cases": cases,
        "rows": rows,
        "audit_s": best.wall,
        "audit_cpu_s": best.cpu,
        "events_per_s": events / best.wall,
        "events_per_cpu_s": events / best.cpu if best.cpu else None,
        "load_before": load_before,
        "peak_rss_mb": max(r.peak_rss_mb for r in runs),
        "peak_group_rss_mb": max(r.peak_group_rss_mb for r in runs),
        "peak_group_pss_mb": max(r.peak_group_pss_mb for r in runs),
        "parse_s": floor.wall,
        "parse_rss_mb": floor.peak_rss_mb,
        "x_parse": best.wall / floor.wall,
        "report_mb": report.stat().st_size / 1e6,
        "via": via,
        "options": " ".join([*extra, "--format", report_format]),
        **({} if usual is None else {
            "usual_s": usual.wall,
            "usual_pss_mb": usual.peak_group_pss_mb,
            "x_usual": usual.wall / best.wall,
            "same_report": usual_digest == file_digest(report),
        }),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, nargs="*", default=[])
    parser.add_argument("--formats", nargs="*", default=["csv", "parquet"], choices=["csv", "parquet"])
    parser.add_argument("--real", action="store_true", help="the real logs in ../shared/data with their SOPs")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs N to the audit")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (the best time is kept)")
    parser.add_argument("--fresh", action="store_true", help="generate the logs again")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--report-format", default="json", help="json (the target) or text (lean)")
    parser.add_argument(
        "--no-spill",
        action="store_true",
        help="audit through the API with every case in memory (while the case store's spill is broken)",
    )
    parser.add_argument(
        "--no-traces", action="store_true", help="pass --no-traces: a JSON report of cases and findings only"
    )
    parser.add_argument("--keep-reports", action="store_true", help="keep the JSON reports in bench/out")
    parser.add_argument(
        "--baseline", action="store_true",
        help="also run the case-by-case engine alone (SOPCHECK_COLUMNAR=0): its time, the ratio, "
        "and whether the two reports are byte-identical",
    )
    args = parser.parse_args()
    if not args.events and not args.real:
        parser.error("give --events N... and/or --real")
    extra = ["--jobs", str(args.jobs)] if args.jobs is not None else []
    if args.no_traces:
        extra.append("--no-traces")
    NO_SPILL[0] = args.no_spill
    rows = []
    for events in args.events:
        csv_path = generate(events, args.fresh, args.seed)
        for fmt in args.formats:
            log = csv_path if fmt == "csv" else to_parquet(csv_path, args.fresh)
            print(f"auditing {log.name} ...", file=sys.stderr)
            row = measure(f"gen-{events}", SEED_SOP, log, extra, args.repeat, args.report_format,
                          args.baseline)
            rows.append(row)
            if not args.keep_reports:
                (OUT / f"audit-gen-{events}-{fmt}.{args.report_format}").unlink(missing_ok=True)
    if args.real:
        for name, sop, log in REAL:
            if not sop.exists() or not log.exists():
                print(f"skip {name}: {sop if not sop.exists() else log} not found", file=sys.stderr)
                continue
            print(f"auditing {log.name} ...", file=sys.stderr)
            rows.append(measure(name, sop, log, extra, args.repeat, args.report_format, args.baseline))
    columns = [
        "log",
        "format",
        "events",
        "cases",
        "audit_s",
        "audit_cpu_s",
        "events_per_s",
        "events_per_cpu_s",
        "peak_rss_mb",
        "peak_group_rss_mb",
        "peak_group_pss_mb",
        "parse_s",
        "x_parse",
        "report_mb",
        "load_before",
        "via",
        "options",
        *(["usual_s", "usual_pss_mb", "x_usual", "same_report"] if args.baseline else []),
    ]
    print(table(rows, columns, "Full audit (all checks, JSON report) vs the bare parse"))
    tag = "-".join([*(str(e) for e in args.events), *(["real"] if args.real else [])])
    tag += f"-{args.report_format}" + (f"-jobs{args.jobs}" if args.jobs is not None else "")
    tag += "-no-traces" if args.no_traces else ""
    tag += "-baseline" if args.baseline else ""
    path = save(f"audit-{tag}", {"rows": rows, "jobs": args.jobs})
    print(f"results: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
