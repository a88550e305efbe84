"""The audit as `sopcheck audit SOP LOG --format json -o OUT` does it, through the Python API:
`python bench/run_audit.py SOP LOG OUT [--jobs N] [--engine dask]`. Used by the benchmarks only
when the command line cannot run in this checkout (a module of it still being written)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sop")
    parser.add_argument("log")
    parser.add_argument("out")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--engine", default="local")
    parser.add_argument("--scheduler", default=None)
    parser.add_argument(
        "--no-spill",
        action="store_true",
        help="keep every case in memory (works around a case store that cannot read its spill back)",
    )
    args = parser.parse_args()
    if args.no_spill:
        from checker.conformance import store

        store.CaseStore.__init__.__defaults__ = (1 << 62,)
    from checker.output import write_output
    from checker.reporters.audit import FORMATS

    if args.engine == "dask":
        from checker import distributed

        report = distributed.audit(args.sop, args.log, scheduler=args.scheduler)
    else:
        from checker.api import audit

        options = {"jobs": args.jobs} if args.jobs is not None else {}
        report = audit(args.sop, args.log, **options)
    write_output(FORMATS["json"](report, "en"), args.out)


if __name__ == "__main__":
    main()
