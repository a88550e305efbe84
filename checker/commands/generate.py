"""`sopcheck generate SOP --cases N --violation-rate R --seed S -o FILE`: a synthetic case log
with known ground truth, for benchmarks and for checking the checker.

Cases follow the SOP (checker.casegen); a share of them (--violation-rate) carries one deviation
(checker.mutations). The log is streamed (flat memory) in the format its name asks for (.csv,
.jsonl, .xes, .xes.gz); beside it, FILE.truth.jsonl holds a header line (the parameters and the
audit date to use) and, per case, the status and root findings its audit must give.
"""

from __future__ import annotations

import json
from datetime import date

import click

from checker.cli import lang_option
from checker.errors import EXIT_OK, InputError, Location
from checker.messages.parsers import os_problem
from checker.output import FilePath, refuse_overwrite


def _date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    from checker.readers.timeparse import FIRST_YEAR, LAST_YEAR, in_range

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError("generate.bad_date", None, {"option": option, "value": value}) from None
    if not in_range(day):  # the readers would reject the log's rows, the audit its --as-of
        raise InputError("generate.date_out_of_range", None,
                         {"option": option, "value": value, "first": FIRST_YEAR, "last": LAST_YEAR})
    return day


@click.command()
@click.argument("sop", type=FilePath())
@click.option(
    "--cases", "count", type=click.IntRange(min=0), default=1000, show_default=True, help="Number of cases."
)
@click.option(
    "--violation-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.2,
    show_default=True,
    help="Share of cases that carry one deviation.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed: the same seed gives the same log."
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=FilePath(dir_okay=False),
    help="The log to write (.csv, .jsonl, .xes).",
)
@click.option(
    "--codes",
    default=None,
    metavar="CODE,...",
    help="Deviations to draw from (default: every code that can be generated for this SOP).",
)
@click.option("--as-of", "as_of", default=None, metavar="DATE", help="Audit date (default: --last-start).")
@click.option(
    "--first-start", default="2024-01-01", show_default=True, metavar="DATE", help="Earliest case start."
)
@click.option(
    "--last-start", default="2027-12-31", show_default=True, metavar="DATE", help="Latest case start."
)
@click.option(
    "--date-only-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.2,
    show_default=True,
    help="Share of cases written with dates only (agenda books); XES always has full timestamps.",
)
@click.option("--calendar", type=FilePath(), default=None, help="Calendar file (days off, working hours).")
@lang_option
def command(
    sop: str,
    count: int,
    violation_rate: float,
    seed: int,
    output: str,
    codes: str | None,
    as_of: str | None,
    first_start: str,
    last_start: str,
    date_only_rate: float,
    calendar: str | None,
    lang: str,
) -> int:
    """Write a reproducible synthetic case log for SOP, with its ground truth in OUTPUT.truth.jsonl."""
    from checker import catalogue
    from checker.casegen import Builder, GenerationError, default_calendar
    from checker.messages import t
    from checker.mutations import NOT_GENERATED, generate_cases, why_not
    from checker.output import atomic
    from checker.readers.timeparse import zone_label
    from checker.sop.load import require_sop
    from checker.workcal import WorkCalendar
    from checker.writers import format_for, open_log_writer

    refuse_overwrite({"-o": output}, [("SOP", sop), ("--calendar", calendar)])
    fmt = format_for(output)
    if fmt is None:
        raise InputError("generate.bad_format", None, {"path": output})
    model = require_sop(sop)
    cal = WorkCalendar.from_file(calendar) if calendar else default_calendar(model)
    try:
        builder = Builder(
            model,
            cal,
            as_of=_date("--as-of", as_of),
            first_start=_date("--first-start", first_start),
            last_start=_date("--last-start", last_start),
            date_only_rate=0.0 if fmt == "xes" else date_only_rate,
        )
    except GenerationError as err:
        raise InputError(err.key, Location(sop), err.args_) from None
    wanted = None
    if codes is not None:
        wanted = [c.strip().upper() for c in codes.split(",") if c.strip()]
        log_codes = {c.code for c in catalogue.CODES if c.scope == "log"}
        for code in wanted:
            if code not in log_codes:
                raise InputError("testing.unknown_code", None, {"code": code})
            if code in NOT_GENERATED:
                reason = NOT_GENERATED[code]
                raise InputError(
                    "testing.cannot_generate",
                    Location(sop),
                    {"code": code, "sop": model.id, "reason": reason},
                )
            reason = why_not(builder, code)
            if reason:
                raise InputError(
                    "testing.cannot_generate",
                    Location(sop),
                    {"code": code, "sop": model.id, "reason": reason},
                )
    truth_path = f"{output}.truth.jsonl"
    header = {
        "sopcheck_truth": 1,
        "sop": model.id,
        "revision": model.revision,
        "sop_sha256": model.sha256,
        "log": output,
        "cases": count,
        "violation_rate": violation_rate,
        "seed": seed,
        "codes": wanted,
        "as_of": builder.as_of_day.isoformat(),
        "first_start": builder.first_start.isoformat(),
        "last_start": builder.last_start.isoformat(),
        "date_only_rate": builder.date_only_rate,
        "calendar": cal.describe("en"),
        "timezone": zone_label(cal.tz),
    }
    events = violating = 0
    try:
        with (
            open_log_writer(
                output,
                fmt,
                builder.attribute_names,
                builder.event_attribute_names,
                model.case.actor_field or "actor",
            ) as log,
            atomic(truth_path) as truth,
        ):
            truth.write(json.dumps(header, ensure_ascii=False) + "\n")
            for case, expected, code in generate_cases(
                builder, count, violation_rate=violation_rate, seed=seed, codes=wanted
            ):
                events += log.write(case)
                violating += code is not None
                record = {
                    "case_id": case.case_id,
                    "status": expected.status,
                    "findings": [f.record() for f in sorted(expected.findings, key=_order)],
                    "deviation": code,
                }
                truth.write(json.dumps(record, ensure_ascii=False) + "\n")
    except GenerationError as err:
        raise InputError(err.key, Location(sop), err.args_) from None
    except OSError as err:
        raise InputError(
            "generate.unwritable", Location(output), {"reason": os_problem(err)}
        ) from None
    click.echo(
        t(
            "generate.done",
            lang,
            cases=count,
            events=events,
            violating=violating,
            path=output,
            truth=truth_path,
            as_of=builder.as_of_day.isoformat(),
            zone=zone_label(cal.tz),
        ),
        err=True,
    )
    return EXIT_OK


def _order(expected) -> tuple:
    return (expected.code, expected.step or "")
