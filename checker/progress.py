"""A progress line on stderr for audits longer than a moment, only when stderr is a terminal.

Quiet in CI and in pipes: nothing is written when stderr is not a TTY, when $CI is set, when
$TERM is "dumb", or when $SOPCHECK_NO_PROGRESS is set. Nothing is written either before `delay`
seconds have passed, so short audits print nothing at all. The line is redrawn at most every
`interval` seconds and wiped at the end (the report itself goes to stdout or a file).

Use: `with Progress(lang) as progress: audit(..., progress=progress)`; the audit calls
`progress(n_events)` as cases are done (once per case, or per batch of cases with --jobs), so the
line counts events, not cases. A negative count takes events back: the audit had to read the log
again another way (a file found not grouped after its workers started).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from checker.messages import t

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def wanted(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Whether a progress line belongs on `stream` at all."""
    env = os.environ if environ is None else environ
    if env.get("CI") or env.get("SOPCHECK_NO_PROGRESS") or env.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Progress:
    """Counts events; draws `Auditing: M events, S s` on one line."""

    def __init__(
        self,
        lang: str = "en",
        stream: TextIO | None = None,
        *,
        enabled: bool | None = None,
        delay: float = 0.5,
        interval: float = 0.1,
        clock=time.monotonic,
    ) -> None:
        self.lang = lang
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.calls = 0
        self.events = 0
        self.started = clock()
        self._last_draw: float | None = None
        self._frame = 0
        self.drawn = False

    def __call__(self, n_events: int) -> None:
        self.calls += 1
        self.events += n_events
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay:
            return
        if self._last_draw is not None and now - self._last_draw < self.interval:
            return
        self._last_draw = now
        self._draw(now)

    def _draw(self, now: float) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)
        text = t(
            "rpt.progress",
            self.lang,
            events=f"{self.events:,}",
            seconds=f"{now - self.started:.1f}",
        )
        self.stream.write(f"\r\x1b[2K{SPINNER[self._frame]} {text}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Wipe the line if one was drawn (the terminal is left as it was)."""
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
