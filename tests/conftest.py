"""Shared test fixtures: where the repository is, and running the command line as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


class CliResult(NamedTuple):
    """What one run of `python -m checker` gave; unpacks as (code, stdout, stderr)."""

    code: int
    stdout: str
    stderr: str


def run_cli(
    args: Sequence[str | os.PathLike[str]],
    cwd: str | os.PathLike[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
    timeout: float = 120,
) -> CliResult:
    """Run `python -m checker ARGS` in a subprocess (in `cwd`, by default the repository root).

    The child sees the repository first on its import path, English messages unless `env` says
    otherwise (SOPCHECK_LANG is removed), and UTF-8 streams. `timeout` seconds is a hard limit: a
    hang fails the test with subprocess.TimeoutExpired instead of stalling the suite.
    """
    child_env = {k: v for k, v in os.environ.items() if k != "SOPCHECK_LANG"}
    child_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    child_env["PYTHONUTF8"] = "1"
    child_env["PYTHONIOENCODING"] = "utf-8"
    child_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "checker", *map(str, args)],
        cwd=str(cwd) if cwd is not None else str(REPO_ROOT),
        env=child_env,
        input=input.encode("utf-8") if input is not None else None,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return CliResult(
        proc.returncode,
        proc.stdout.decode("utf-8", errors="replace"),
        proc.stderr.decode("utf-8", errors="replace"),
    )


def input_error(result: Sequence[Any], *fragments: str) -> str:
    """The one stderr line of a run refused as unusable input (exit 2, no traceback, a line that
    starts `sopcheck: `), with each fragment in it; returned whole."""
    code, out, err = result
    assert "Traceback" not in out + err, err
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("sopcheck: "), err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top folder (holds rules/, schemas/, fixtures/, docs/)."""
    return REPO_ROOT


@pytest.fixture
def workers_for_small_logs(monkeypatch):
    """--jobs starts worker processes even for the fixture logs, far below the size where it
    would (checker.conformance.runner.SMALL): tests then compare real workers with one process."""
    from checker.conformance import runner

    monkeypatch.setattr(runner, "SMALL", 0)


@pytest.fixture(scope="module")
def pm4py():
    """PM4Py (the `bench` extra), or the test skips."""
    sys._pm4py_welcome_shown = True  # PM4Py prints a banner on import otherwise
    return pytest.importorskip("pm4py", reason="pm4py is in the `bench` extra")


@pytest.fixture(scope="session", name="run_cli")
def run_cli_fixture() -> Callable[..., CliResult]:
    """`run_cli(args, cwd=None, *, env=None, input=None, timeout=120) -> (code, stdout, stderr)`."""
    return run_cli


def read_in_shares(shares: Sequence[Any]) -> tuple[dict[str, Any], list[Any]]:
    """Every case the shares give, by case id (asserting each is whole, in one share only), and
    the shares' accountings in share order (what LogSource.absorb adds up)."""
    seen: dict[str, Any] = {}
    parts: list[Any] = []
    for share in shares:
        source = share.open()
        for case in source.cases():
            assert case.case_id not in seen  # every case whole, in one share
            seen[case.case_id] = case
        parts.append(source.accounting)
    return seen, parts


def counted_peak(count_expression: str, log: Path) -> tuple[int, int]:
    """In a fresh process: open `log`, evaluate `count_expression` (over `source`, the opened
    log), and return (that count, the process's peak resident memory in KiB). The peak is VmHWM,
    not ru_maxrss: a child's ru_maxrss starts at its parent's (the test process)."""
    script = (
        "import sys\n"
        "from checker.readers import open_log\n"
        "source = open_log(sys.argv[1])\n"
        f"count = {count_expression}\n"
        "peak = next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
        "print(count, peak)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(log)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    ).stdout.split()
    return int(out[0]), int(out[1])
