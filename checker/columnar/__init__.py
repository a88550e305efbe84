"""The columnar engine (checker.columnar.engine): a plain CSV log audited a chunk of columns at a
time, each clean case's report line rendered from the columns; the case-by-case engine audits
the others and one sample case of each kind. Used for the JSON report where plan.plan_for finds
the log and the SOP within its reach; the report is byte for byte the case-by-case engine's."""

from __future__ import annotations

from typing import Any


def engine_for(setup: Any, source: Any, audit_batch: Any) -> Any:
    """An Engine for `source` (a LogSource), or None where the usual engine must read it."""
    if not setup.columnar:
        return None
    from checker.columnar.engine import Engine
    from checker.columnar.plan import plan_for

    plan = plan_for(setup, source)
    if plan is None:
        return None
    from checker.conformance.runner import _WORKER

    return Engine(setup, plan, source, _WORKER["auditor"], audit_batch)
