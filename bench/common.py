"""Shared by the benchmark scripts: run a command and measure it as the OS sees it (wall time,
CPU time, peak resident memory from wait4), describe the machine, print a table, save JSON.

Run scripts from the repository root, e.g. `python bench/bench_audit.py --events 1000000`.
Everything they write goes to bench/out/ (git-ignored).
"""

from __future__ import annotations

import functools
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
DATA = ROOT.parent / "shared" / "data"
SEED_SOP = ROOT / "rules" / "magetan" / "penawaran-kerja-sama.yaml"


@dataclass(frozen=True)
class Measured:
    """One run of a command: wall seconds, CPU seconds (user + system), peak RSS in MiB of the
    process (the largest of its tree's processes that were waited for), exit status."""

    wall: float
    cpu: float
    peak_rss_mb: float
    returncode: int
    timed_out: bool
    stdout: str = ""
    stderr: str = ""
    # The most the whole process group held at once (main process, forkserver and workers),
    # sampled from /proc every 0.1 s: what --jobs N costs in memory, where peak_rss_mb is the
    # largest single process. RSS summed (shared pages counted in each process) and PSS summed.
    peak_group_rss_mb: float = 0.0
    peak_group_pss_mb: float = 0.0


def group_memory_mb(pgid: int) -> tuple[float, float]:
    """Resident (RSS) and proportional (PSS) memory of every process in process group `pgid`, in
    MiB (Linux /proc). The RSS sum counts the pages processes share (the interpreter and
    pyarrow's libraries, pages a forked worker still shares with its parent) once per process;
    the PSS sum splits each shared page between its sharers, so it is what the group holds."""
    rss = pss = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:  # field 5 of stat, after the command name: pgrp
                continue
            with open(f"/proc/{entry}/statm", encoding="ascii") as handle:
                rss += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{entry}/smaps_rollup", encoding="ascii") as handle:
                pss += next(int(line.split()[1]) for line in handle if line.startswith("Pss:")) * 1024
        except (OSError, IndexError, ValueError, StopIteration):
            continue
    return rss / 2**20, pss / 2**20


@functools.cache
def _compile_checkout() -> None:
    """The checkout's package compiled to bytecode once, as pip does when it installs a package:
    run from the checkout (an editable install) with bytecode writing off (PYTHONDONTWRITEBYTECODE,
    as on this machine), every `sopcheck` process compiled its 160 modules again, 0.1-0.2 s of
    start-up that no installed copy pays."""
    import compileall

    compileall.compile_dir(str(ROOT / "checker"), quiet=1)


def run(cmd: Sequence[str], timeout: float | None = None, env: dict[str, str] | None = None) -> Measured:
    """Run `cmd`; on timeout kill its process group and report timed_out."""
    _compile_checkout()
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **(env or {})}
    out_path = OUT / ".stdout"
    err_path = OUT / ".stderr"
    OUT.mkdir(parents=True, exist_ok=True)
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, env=full_env, start_new_session=True)
        timed_out = False
        group_peak, group_pss, sampled = 0.0, 0.0, 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - sampled >= 0.1:
                rss, pss = group_memory_mb(proc.pid)
                group_peak, group_pss = max(group_peak, rss), max(group_pss, pss)
                sampled = time.perf_counter()
            if timeout is not None and time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            time.sleep(0.01)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        returncode=proc.returncode,
        timed_out=timed_out,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
        peak_group_rss_mb=max(group_peak, usage.ru_maxrss / 1024),
        peak_group_pss_mb=group_pss,
    )


def sopcheck(*args: str | Path) -> list[str]:
    """The command line of `sopcheck ARGS` with this interpreter and this checkout."""
    return [sys.executable, "-m", "checker", *map(str, args)]


def machine() -> dict[str, Any]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for name in ("pyarrow", "pandas", "pm4py", "dask", "distributed"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:  # noqa: BLE001 - not installed
            versions[name] = None
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "versions": versions,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        # Other work on the machine inflates wall times; CPU seconds are steadier.
        "load_average": os.getloadavg(),
    }


def table(rows: list[dict[str, Any]], columns: Sequence[str], title: str = "") -> str:
    """A Markdown table (so that it pastes straight into bench/README.md)."""

    def cell(value: Any) -> str:
        if value is None:
            return "-"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            if value >= 100:
                return f"{value:,.0f}"
            return f"{value:.3g}" if value < 10 else f"{value:.1f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)

    lines = [f"### {title}", ""] if title else []
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    for row in rows:
        lines.append("| " + " | ".join(cell(row.get(c)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def save(name: str, payload: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    payload = {"machine": machine(), **payload}
    path.write_text(json.dumps(payload, indent=1, default=_default) + "\n", encoding="utf-8")
    return path


def _default(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {k: v for k, v in asdict(value).items() if k not in ("stdout", "stderr")}
    return str(value)


def have(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def need_generate() -> None:
    if not have("checker.commands.generate"):
        sys.exit("bench: `sopcheck generate` is not available in this checkout yet")


def disk_free_gb(path: Path) -> float:
    return shutil.disk_usage(path).free / 1e9


def cli_works() -> bool:
    """Whether `sopcheck audit` imports in this checkout (it may be mid-change by a colleague)."""
    probe = subprocess.run(
        [sys.executable, "-c", "import checker.commands.audit"],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return probe.returncode == 0


def audit_cmd(
    sop: str | Path, log: str | Path, out: str | Path, *extra: str, no_spill: bool = False
) -> tuple[list[str], str]:
    """The full audit with a JSON report: the command line, else the same through the API
    (`no_spill`: through the API with every case kept in memory)."""
    if no_spill:
        return [
            sys.executable,
            str(BENCH / "run_audit.py"),
            str(sop),
            str(log),
            str(out),
            "--no-spill",
            *extra,
        ], ("api-no-spill")
    if cli_works():
        return sopcheck("audit", sop, log, "--format", "json", "-o", out, "--fail-on", "none", *extra), "cli"
    return [sys.executable, str(BENCH / "run_audit.py"), str(sop), str(log), str(out), *extra], "api"


def report_cases(path: Path, keep: Sequence[str] = ("case_id", "cost", "status")) -> Iterator[dict[str, Any]]:
    """The cases of a JSON audit report, read a line at a time (each case is one line), with the
    number of events as `events` and only the `keep` fields: loading a 3 GB report whole would
    grow this process to many GB, and every process it starts afterwards would report that peak
    as its own (a forked child starts with its parent's resident set as its high-water mark)."""
    section = None
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(' "'):
                section = line.split('"', 2)[1]
            elif section == "cases" and line.startswith("  {"):
                case = json.loads(line.strip().rstrip(","))
                yield {"events": len(case.get("events", ())), **{k: case[k] for k in keep}}


def report_rows_read(path: Path, key: str = "read") -> int | None:
    """`rows.read` (or another count of `rows`) of a JSON audit report, without loading it."""
    section = None
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(' "'):
                section = line.split('"', 2)[1]
            elif section == "rows" and line.lstrip().startswith(f'"{key}":'):
                return int(line.split(":", 1)[1].strip().rstrip(","))
    return None
