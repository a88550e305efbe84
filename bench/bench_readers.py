"""Peak memory and time of the readers: every case of a log read (open_log + cases()), nothing else.

    python bench/bench_readers.py                 # ../shared/data logs + generated 1M-event logs
    python bench/bench_readers.py --events 200000 # smaller generated logs
    python bench/bench_readers.py --fresh         # generate the logs again

Each log is read in its own process; wall time and CPU time come from the OS (wait4, see
common.py), peak RSS from the process itself (VmHWM in /proc/self/status). The baseline row is
the same interpreter importing checker.readers and reading nothing: the difference is what
reading costs (for XES it includes importing lxml, about 8 MiB). Floors: lxml's iterparse walking the XES with
nothing built, and csv.reader splitting the CSV, in their own processes.

Generated logs (bench/out/, git-ignored): a CSV of about --events events in cases of 5 to 15 events
grouped by case (the usual export), the same rows shuffled (not grouped: read through the sqlite
spill store), and the grouped rows as JSON Lines.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, OUT, run, save, table  # noqa: E402

ACTIVITIES = (
    "Terima Surat",
    "Catat Agenda",
    "Disposisi Pimpinan",
    "Telaah Staf",
    "Paraf Kepala Bagian",
    "Tanda Tangan",
    "Kirim Surat Balasan",
    "Arsip",
)

# VmHWM is the peak resident set of this process image; ru_maxrss would also count the memory of
# the parent it was forked from.
PEAK = """
def peak_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

CHILD = (
    PEAK
    + """
import json, sys, time
from checker.readers import open_log
start = time.perf_counter()
source = open_log(sys.argv[1])
events = 0
for case in source.cases():
    events += len(case.events)
acc = source.accounting
print(json.dumps({
    "seconds": time.perf_counter() - start, "cases": acc.cases, "events_read": acc.events_read,
    "events": events, "rejected": len(acc.rejected), "grouped": acc.grouped, "spilled": acc.spilled,
    "peak": peak_mib(),
}))
"""
)

BASELINE = PEAK + "import checker.readers\n" + "print(peak_mib())\n"

FLOOR_XES = (
    PEAK
    + """
import gzip, sys
from lxml import etree
opener = gzip.open if sys.argv[1].endswith(".gz") else open
with opener(sys.argv[1], "rb") as stream:
    for _, element in etree.iterparse(stream, events=("end",), tag=("{*}event", "{*}trace")):
        element.clear()
print(peak_mib())
"""
)

FLOOR_CSV = (
    PEAK
    + """
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as handle:
    for row in csv.reader(handle):
        pass
print(peak_mib())
"""
)


def generate(events: int, fresh: bool) -> dict[str, Path]:
    """A grouped CSV, the same rows shuffled, and the grouped rows as JSON Lines."""
    label = f"{events // 1000}k" if events < 1_000_000 else f"{events / 1_000_000:g}M"
    paths = {
        "grouped": OUT / f"readers-{label}.csv",
        "shuffled": OUT / f"readers-{label}-shuffled.csv",
        "jsonl": OUT / f"readers-{label}.jsonl",
    }
    if not fresh and all(p.exists() for p in paths.values()):
        return paths
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261125)
    header = ["case_id", "activity", "timestamp", "actor", "documents", "case:deadline", "case:channel"]
    rows: list[list[str]] = []
    base = datetime(2025, 1, 1, 8, 0)
    case = 0
    while len(rows) < events:
        case += 1
        moment = base + timedelta(minutes=rng.randint(0, 600_000))
        deadline = (moment + timedelta(days=14)).date().isoformat()
        channel = rng.choice(("e-office", "loket", "pos"))
        for step in range(rng.randint(5, 15)):
            if len(rows) >= events:
                break
            moment += timedelta(minutes=rng.randint(5, 3000))
            rows.append(
                [
                    f"SM-{case:07d}",
                    ACTIVITIES[step % len(ACTIVITIES)],
                    moment.strftime("%Y-%m-%dT%H:%M:%S+07:00"),
                    f"pegawai-{rng.randint(1, 120):03d}",
                    "Surat Masuk;Lembar Disposisi" if step % 3 == 0 else "",
                    deadline,
                    channel,
                ]
            )
    with paths["grouped"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    with paths["jsonl"].open("w", encoding="utf-8") as handle:
        for row in rows:
            record = dict(zip(header, row, strict=True))
            record["documents"] = [d for d in record["documents"].split(";") if d]
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    rng.shuffle(rows)
    with paths["shuffled"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return paths


def measure(name: str, path: Path, baseline: float) -> dict:
    measured = run([sys.executable, "-c", CHILD, str(path)], timeout=3600)
    if measured.returncode != 0:
        sys.exit(f"bench: reading {path} failed:\n{measured.stderr}")
    result = json.loads(measured.stdout)
    return {
        "log": name,
        "size MB": path.stat().st_size / 1e6,
        "cases": result["cases"],
        "events read": result["events_read"],
        "rejected": result["rejected"],
        "grouped": "yes" if result["grouped"] else "no (spilled)",
        "wall s": measured.wall,
        "cpu s": measured.cpu,
        "peak RSS MiB": result["peak"],
        "over baseline MiB": result["peak"] - baseline,
        "events/s": result["events_read"] / measured.wall,
    }


def floor(name: str, code: str, path: Path) -> dict:
    measured = run([sys.executable, "-c", code, str(path)], timeout=3600)
    peak = float(measured.stdout.split()[-1])
    return {"log": name, "wall s": measured.wall, "cpu s": measured.cpu, "peak RSS MiB": peak}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000, help="events in each generated log")
    parser.add_argument("--fresh", action="store_true", help="generate the logs again")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.generate_only:
        generate(args.events, args.fresh)
        return
    started = time.perf_counter()
    # in a child process, so that this one stays small for the processes it forks
    command = [sys.executable, __file__, "--generate-only", "--events", str(args.events)]
    if subprocess.run([*command, *(["--fresh"] if args.fresh else [])], check=False).returncode:
        sys.exit("bench: generating the logs failed")
    generated = generate(args.events, False)
    print(f"generated logs ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    base = run([sys.executable, "-c", BASELINE])
    baseline = float(base.stdout.split()[-1])
    rows = [
        {"log": "baseline: imports only", "peak RSS MiB": baseline, "wall s": base.wall, "cpu s": base.cpu}
    ]
    real = [DATA / n for n in ("bpic2012.xes.gz", "receipt.xes.gz", "receipt.csv")]
    for path in real:
        if path.exists():
            rows.append(measure(f"../shared/data/{path.name}", path, baseline))
    label = f"{args.events:,} events"
    rows.append(measure(f"generated CSV, {label}, grouped", generated["grouped"], baseline))
    rows.append(measure(f"generated CSV, {label}, shuffled", generated["shuffled"], baseline))
    rows.append(measure(f"generated JSON Lines, {label}", generated["jsonl"], baseline))
    floors = []
    if real[0].exists():
        floors.append(floor("lxml iterparse only: bpic2012.xes.gz", FLOOR_XES, real[0]))
    floors.append(floor(f"csv.reader only: generated CSV, {label}", FLOOR_CSV, generated["grouped"]))
    columns = [
        "log",
        "size MB",
        "cases",
        "events read",
        "rejected",
        "grouped",
        "wall s",
        "cpu s",
        "peak RSS MiB",
        "over baseline MiB",
        "events/s",
    ]
    print(table(rows, columns, "Readers: time and peak memory (open_log + every case)"))
    print(table(floors, ["log", "wall s", "cpu s", "peak RSS MiB"], "Floors: parsing alone"))
    saved = save("readers", {"rows": rows, "floors": floors})
    print(f"saved {saved}", file=sys.stderr)


if __name__ == "__main__":
    main()
