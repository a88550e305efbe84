"""The Python API: `checker.audit(sop, log, **options) -> Report`, the same engine as the CLI.

>>> import checker
>>> report = checker.audit("rules/magetan/penawaran-kerja-sama.yaml",
...                        "fixtures/logs/penawaran-kerja-sama.csv", as_of="2026-11-25")
>>> report.cases[0].status
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from checker import __version__
from checker.conformance.results import Provenance, Report, Rows
from checker.conformance.runner import Setup, default_jobs, run
from checker.errors import InputError, Location
from checker.readers.source import MAX_SHARES
from checker.readers.timeparse import FIRST_YEAR, LAST_YEAR, in_range
from checker.sop.load import require_sop
from checker.sop.model import Sop
from checker.workcal import WorkCalendar


def load_revisions(sop: str | Path | Sop | Sequence[str | Path | Sop]) -> list[Sop]:
    """One SOP, or the revisions of one SOP: files, a folder of them, or Sop objects."""
    items = [sop] if isinstance(sop, str | Path | Sop) else list(sop)
    sops: list[Sop] = []
    for item in items:
        if isinstance(item, Sop):
            sops.append(item)
        elif Path(item).is_dir():
            from checker.reporters.validation import sop_files

            sops.extend(require_sop(p) for p in sop_files([str(item)]))
        else:
            sops.append(require_sop(item))
    if not sops:
        raise InputError("audit.no_sop", Location(str(items[0]) if items else "-"))
    ids = {s.id for s in sops}
    if len(ids) > 1:
        raise InputError("audit.mixed_sops", Location(sops[0].path or "-"), {"ids": ", ".join(sorted(ids))})
    from checker.sop.revisions import distinct_revisions

    # One revision per label and per effective date (docs/revisions.md); a file given twice once.
    return distinct_revisions(sops)


def open_source(log: Any, read_options: Any = None, *, scan: bool = True, elsewhere: bool = False):
    """A LogSource for a path, a DataFrame, an iterable of dicts, or an existing LogSource
    (`scan`, `elsewhere`: see readers.open_log)."""
    from checker import readers

    options = read_options or readers.ReadOptions()
    if isinstance(log, str | Path):
        return readers.open_log(str(log), options, scan=scan, elsewhere=elsewhere)
    if hasattr(log, "cases") and hasattr(log, "accounting"):
        return log
    if type(log).__name__ == "DataFrame":
        return readers.from_dataframe(log, options)
    return readers.from_records(log, options)


def parse_as_of(value: str | date | datetime | None) -> date | datetime | None:
    if value is None:
        return None
    parsed = value
    if not isinstance(value, date):
        try:
            clock = "T" in value or " " in value
            parsed = datetime.fromisoformat(value) if clock else date.fromisoformat(value)
        except ValueError:
            raise InputError("audit.bad_as_of", None, {"value": value}) from None
    # Events outside these years are rejected; an audit date there would overflow the calendar.
    if not in_range(parsed):
        raise InputError("audit.as_of_out_of_range", None,
                         {"value": str(value), "first": FIRST_YEAR, "last": LAST_YEAR})
    return parsed


def check_jobs(jobs: Any) -> int | None:
    """`jobs` as `--jobs` takes it: None or a whole number from 0 to MAX_SHARES (0 and None: one
    worker per core); InputError otherwise. Without it a log not cut into shares (not grouped, not
    CSV or Parquet) started as many worker processes as asked, however many."""
    if jobs is None or (jobs.__class__ is int and 0 <= jobs <= MAX_SHARES):
        return jobs
    raise InputError("audit.bad_jobs", None, {"value": repr(jobs), "max": MAX_SHARES})


def audit(
    sop: str | Path | Sop | Sequence[str | Path | Sop],
    log: Any,
    *,
    as_of: str | date | datetime | None = None,
    calendar: WorkCalendar | str | Path | None = None,
    roster: Any = None,
    read_options: Any = None,
    lang: str = "en",
    progress: Any = None,
    rejects: str | None = None,
    jobs: int | None = 1,
    render: Any = None,
) -> Report:
    """Audit every case of `log` against `sop` (or its revisions) and return the Report.
    `jobs`: worker processes, as `--jobs` (at most MAX_SHARES; 0 or None: one per core).
    `render`: a reporter's rendering of each case, made as it is audited (runner.Setup.render);
    the report's cases are then those renderings only (`report.cases.stream(k)`).
    `progress`: called with a number of events as they are read (checker.progress.Progress); a
    negative number takes back events counted before the log had to be read again another way,
    so the counts always add up to the events read once."""
    as_of_value = parse_as_of(as_of)
    revisions = load_revisions(sop)
    cal = calendar_for(calendar, revisions)
    if isinstance(roster, str | Path):
        from checker.roster import Roster

        roster = Roster.load(str(roster))
    jobs = check_jobs(jobs) or default_jobs()
    options = reading_options(read_options, revisions)
    # Not pre-scanned here: the first reader that needs to know whether the file is grouped makes
    # the pre-scan (the columnar engine, in one process, finds it out as it reads).
    source = open_source(log, options, scan=False, elsewhere=jobs > 1)
    setup = Setup(
        tuple(revisions),
        cal,
        roster=roster,
        track_documents=bool(getattr(source, "has_documents", False)),
        case_documents=bool(getattr(source, "has_case_documents", False)),
        render=render,
        zone=_zone(log, options),
        columnar=os.environ.get("SOPCHECK_COLUMNAR", "1") != "0",
    )
    outcome = run(setup, source, jobs=jobs, as_of=as_of_value, progress=progress)
    if rejects:
        from checker.readers.accounting import write_rejects

        write_rejects(rejects, list(source.accounting.rejected), lang)
    when = outcome.as_of
    cases = outcome.store
    return Report(
        provenance=_provenance(revisions, source, cal, when, lang),
        rows=_rows(source, lang),
        cases=cases,
        perspectives={
            "flow": True,
            "actors": bool(getattr(source, "has_actor", True)),
            "documents": setup.track_documents,
            "time": True,
        },
    )


def calendar_for(calendar: WorkCalendar | str | Path | None, revisions: list[Sop]) -> WorkCalendar:
    """The calendar file given, or the default one in the SOP's time zone (case.timezone)."""
    if isinstance(calendar, WorkCalendar):
        return calendar
    if calendar:
        return WorkCalendar.from_file(calendar)
    zone = revisions[0].case.timezone
    if zone is None:
        return WorkCalendar.default()
    from dataclasses import replace

    from checker.readers.timeparse import resolve_zone

    return replace(WorkCalendar.default(), tz=resolve_zone(zone))


def _zone(log: Any, options: Any) -> Any:
    """The zone the log is read in with these options; None for a source read already (in a
    zone not known here: the calendar's is assumed)."""
    from checker.readers import ReadOptions
    from checker.readers.timeparse import resolve_zone

    if hasattr(log, "cases") and hasattr(log, "accounting"):
        return None
    return resolve_zone((options or ReadOptions()).zone_name)


def reading_options(read_options: Any, revisions: list[Sop]) -> Any:
    """How to read the log for this SOP: its `case.actor_field` as the actor column unless the
    caller mapped one, and its `case.timezone` for timestamps without an offset (date-only ones
    included) unless the caller named a zone."""
    case = revisions[0].case
    if case.actor_field is None and case.timezone is None:
        return read_options
    from dataclasses import replace

    from checker.readers import ReadOptions

    options = read_options or ReadOptions()
    if case.actor_field is not None and "actor" not in options.mapping:
        options = replace(options, mapping={**options.mapping, "actor": case.actor_field})
    if case.timezone is not None and options.timezone is None:
        options = replace(options, timezone=case.timezone)
    return options


def _provenance(
    revisions: list[Sop], source: Any, cal: WorkCalendar, when: datetime, lang: str
) -> Provenance:
    ordered = sorted(revisions, key=lambda s: s.order)
    return Provenance(
        sop_id=ordered[0].id,
        sop_revisions=tuple(s.revision for s in ordered),
        sop_paths=tuple(s.path or "-" for s in ordered),
        sop_sha256=tuple(s.sha256 or "-" for s in ordered),
        log_path=getattr(source, "path", None),
        log_sha256=getattr(source, "sha256", None),
        tool_version=__version__,
        # In the calendar's zone, whose days judge the deadlines: the date it shows is the one
        # overdue cases were judged on, and two latest events at one instant written with
        # different offsets give one text, whichever a process met first.
        as_of=(when if when.tzinfo else when.replace(tzinfo=cal.tz)).astimezone(cal.tz).isoformat(),
        calendar=cal.describe(lang),
        lang=lang,
    )


def _rows(source: Any, lang: str) -> Rows:
    acc = source.accounting
    rejected = tuple({"row": r.row, "reason": r.reason, "message": r.message(lang)} for r in acc.rejected)
    return Rows(
        read=acc.rows_read,
        accepted=acc.accepted,
        rejected=len(acc.rejected),
        rejected_rows=rejected,
        duplicates=len(acc.duplicates),
        events_read=getattr(acc, "events_read", acc.rows_read),
    )


def audit_cases(
    sop: Sop | Sequence[Sop],
    cases: Iterable,
    *,
    as_of=None,
    calendar=None,
    track_documents: bool = True,
    case_documents: bool = False,
    roster=None,
):
    """Audit already-built Case objects (tests, generators); returns CaseResults by case id."""
    revisions = [sop] if isinstance(sop, Sop) else list(sop)
    setup = Setup(
        tuple(revisions),
        calendar or WorkCalendar.default(),
        roster=roster,
        track_documents=track_documents,
        case_documents=case_documents,
    )
    outcome = run(setup, cases, jobs=1, as_of=parse_as_of(as_of))
    return {result.case_id: result for result in outcome.store}
