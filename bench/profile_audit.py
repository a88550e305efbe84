"""Where the audit's time goes: pyinstrument over the full audit (read, every check, JSON report)
in one process (--jobs 1, so that the engine's own frames are sampled).

    python bench/profile_audit.py --sop rules/magetan/penawaran-kerja-sama.yaml --log bench/out/gen-100000.csv
    python bench/profile_audit.py --log ../shared/data/receipt.csv --sop rules/examples/wabo-receipt.yaml

Writes bench/out/profile-NAME.txt (the call tree) and .html, and prints the functions that take
the most time by themselves (self time), grouped by module: the hot path.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, ROOT, save, table  # noqa: E402


def self_times(session) -> list[tuple[str, float]]:
    """Self time per function (file:function), summed over the call tree."""
    totals: dict[str, float] = defaultdict(float)
    stack = [session.root_frame()]
    while stack:
        frame = stack.pop()
        if frame is None:
            continue
        children = list(frame.children)
        if not frame.is_synthetic:
            # Self time: the frame's time less its real children's (pyinstrument puts the rest
            # in synthetic "[self]" leaves).
            own = frame.time - sum(c.time for c in children if not c.is_synthetic)
            totals[f"{_short(frame.file_path or '?')}:{frame.function}"] += own
        stack.extend(children)
    return sorted(totals.items(), key=lambda kv: -kv[1])


def _short(path: str) -> str:
    if "/checker/" in path:
        return "checker/" + path.split("/checker/", 1)[1]
    if "/site-packages/" in path:
        return path.split("/site-packages/", 1)[1]
    match = re.search(r"/lib/python3\.\d+/(.*)", path)
    return match.group(1) if match else path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sop", type=Path, default=ROOT / "rules" / "magetan" / "penawaran-kerja-sama.yaml")
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--name", default=None)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("bench: pip install pyinstrument")
    from checker.api import audit
    from checker.reporters.audit import FORMATS

    name = args.name or args.log.name.split(".")[0]
    profiler = Profiler(interval=0.005)
    start = time.perf_counter()
    profiler.start()
    report = audit(str(args.sop), str(args.log), jobs=1)
    phase_audit = time.perf_counter() - start
    text = FORMATS["json"](report, "en")
    profiler.stop()
    total = time.perf_counter() - start
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"profile-{name}.txt").write_text(
        profiler.output_text(unicode=True, show_all=False), encoding="utf-8"
    )
    (OUT / f"profile-{name}.html").write_text(profiler.output_html(), encoding="utf-8")
    events = sum(len(c.events) for c in report.cases)
    ranked = self_times(profiler.last_session)
    sampled = sum(t for _, t in ranked) or 1.0
    by_module: dict[str, float] = defaultdict(float)
    for func, seconds in ranked:
        by_module[func.rsplit(":", 1)[0]] += seconds
    rows = [{"function": f, "self_s": s, "share_%": 100 * s / sampled} for f, s in ranked[: args.top]]
    modules = [
        {"module": m, "self_s": s, "share_%": 100 * s / sampled}
        for m, s in sorted(by_module.items(), key=lambda kv: -kv[1])[: args.top]
    ]
    print(
        f"{events:,} events, audit {phase_audit:.2f} s + JSON {total - phase_audit:.2f} s"
        " (under the profiler)"
    )
    print(table(modules, ["module", "self_s", "share_%"], f"Self time by module ({name})"))
    print(table(rows, ["function", "self_s", "share_%"], f"Hottest functions by self time ({name})"))
    path = save(
        f"profile-{name}",
        {
            "events": events,
            "audit_s": phase_audit,
            "total_s": total,
            "text_mb": len(text) / 1e6,
            "modules": modules,
            "functions": rows,
        },
    )
    print(f"results: {path.relative_to(ROOT)}; call tree: bench/out/profile-{name}.txt")


if __name__ == "__main__":
    main()
