"""The columnar engine (checker.columnar.engine): a plain CSV or a Parquet log audited a chunk of
columns at a time, the report's texts of each case whose kind a sample has shown rendered from
the columns; the case-by-case engine audits the others and the samples. Used for the JSON
report where plan.plan_for finds the log and the SOP within its reach; the report is byte for
byte the case-by-case engine's."""

from __future__ import annotations

from typing import Any


class NotPlain(Exception):
    """A chunk of a file read before its pre-scan holds a quote, a NUL, a bare CR or an overlong
    line: the file must be read the usual way (checker.conformance.runner starts over)."""


def engine_for(
    setup: Any, source: Any, auditor: Any, audit_batch: Any, *, unchecked: bool = False
) -> Any:
    """An Engine for `source` (a LogSource), or None where the usual engine must read it.
    `auditor` and `audit_batch` are the usual engine and runner._audit, for the cases it does
    not render itself. `unchecked`: the file's pre-scan is not made (whether it is plain and
    grouped is left to the engine's verdict, Engine.verdict); if the engine cannot read it, the
    pre-scan is made."""
    if not setup.columnar:
        return None
    from checker.columnar.engine import Engine
    from checker.columnar.plan import plan_for

    plan = plan_for(setup, source, checked=not unchecked)
    if plan is None and unchecked:
        plan, unchecked = plan_for(setup, source), False
    if plan is None:
        return None
    return Engine(plan, source, setup.render, auditor, audit_batch, unchecked=unchecked)


class _NoPandas:
    """An import finder that refuses pandas (see without_pandas)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("pandas is not imported by an audit worker")
        return None


def without_pandas() -> None:
    """For a worker process that runs the columnar engine and nothing else: pyarrow imports
    pandas, when it is installed, on its first conversion of a Python value (about 40 MB of
    memory in each process, for nothing the engine uses). Not for a process that may want pandas
    later (the main process, the Python API's caller)."""
    import sys

    if "pandas" not in sys.modules and not any(isinstance(f, _NoPandas) for f in sys.meta_path):
        sys.meta_path.insert(0, _NoPandas())
