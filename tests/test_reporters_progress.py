"""The progress line: on stderr, only on a terminal, only after a moment, throttled, wiped at the
end; quiet in CI and in pipes."""

from __future__ import annotations

import io

from checker.progress import Progress, wanted
from tests.conftest import REPO_ROOT, run_cli


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_only_a_terminal_outside_ci_wants_it():
    assert wanted(Tty(), {}) is True
    assert wanted(io.StringIO(), {}) is False
    assert wanted(Tty(), {"CI": "true"}) is False
    assert wanted(Tty(), {"TERM": "dumb"}) is False
    assert wanted(Tty(), {"SOPCHECK_NO_PROGRESS": "1"}) is False


def test_nothing_before_the_delay_then_throttled_then_wiped():
    clock, out = Clock(), Tty()
    progress = Progress("en", out, enabled=True, delay=0.5, interval=0.1, clock=clock)
    progress(5)
    clock.now += 0.4
    progress(5)
    assert out.getvalue() == "", "a short audit prints nothing"
    clock.now += 0.2
    progress(7)
    first = out.getvalue()
    assert "17 events" in first and first.startswith("\r")
    clock.now += 0.05
    progress(1)
    assert out.getvalue() == first, "redrawn at most every interval"
    clock.now += 0.1
    progress(1)
    assert "19 events" in out.getvalue()
    progress.close()
    assert out.getvalue().endswith("\r\x1b[2K")
    assert (progress.calls, progress.events) == (5, 19)


def test_in_indonesian():
    clock, out = Clock(), Tty()
    with Progress("id", out, enabled=True, delay=0, interval=0, clock=clock) as progress:
        progress(2)
        assert "Mengaudit: 2 peristiwa" in out.getvalue()


def test_disabled_counts_but_writes_nothing():
    out = Tty()
    progress = Progress("en", out, enabled=False, delay=0)
    for _ in range(100):
        progress(3)
    progress.close()
    assert out.getvalue() == ""
    assert progress.events == 300


def test_the_cli_is_quiet_in_a_pipe():
    log = REPO_ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"
    code, out, err = run_cli(
        [
            "audit",
            "rules/magetan/penawaran-kerja-sama.yaml",
            str(log),
            "--as-of",
            "2026-11-25",
            "--format",
            "md",
        ]
    )
    assert code in (0, 1), err
    assert "\r" not in err and "Auditing" not in err
