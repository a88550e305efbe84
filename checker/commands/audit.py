"""`sopcheck audit SOP LOG`: audit a case log against an SOP (or a folder of its revisions)."""

from __future__ import annotations

import click

from checker.cli import lang_option
from checker.commands.logopts import log_options, read_options
from checker.errors import EXIT_FINDINGS, EXIT_OK
from checker.output import format_option, output_option, write_output
from checker.reporters.audit import FORMATS


@click.command()
@click.argument("sop", type=click.Path())
@click.argument("log", type=click.Path())
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="Audit date (YYYY-MM-DD): open cases past a deadline on this date are overdue. "
    "Default: the latest timestamp in the log.",
)
@click.option(
    "--calendar",
    "calendar",
    type=click.Path(),
    default=None,
    help="Calendar file: extra days off (cuti bersama, regional holidays), working hours.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "none"]),
    default="error",
    show_default=True,
    help="Exit with status 1 when a finding of this severity or worse is found.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=None,
    help="Worker processes (default: the cores; 1: none). Same report for any number.",
)
@format_option(FORMATS)
@output_option
@lang_option
@log_options
def command(
    sop: str,
    log: str,
    as_of: str | None,
    calendar: str | None,
    fail_on: str,
    jobs: int | None,
    fmt: str,
    output: str | None,
    lang: str,
    **log_kwargs,
) -> int:
    """Audit every case of LOG against SOP: flow (exact alignment), actors, documents, time.

    SOP is an SOP file or a folder holding the revisions of one SOP (each case is judged by the
    revision in force when it started). Exit status: 0 no finding at --fail-on, 1 findings,
    2 unusable input.
    """
    from checker.api import audit

    options, roster, rejects = read_options(**log_kwargs)
    report = audit(
        sop,
        log,
        as_of=as_of,
        calendar=calendar,
        roster=roster,
        read_options=options,
        lang=lang,
        rejects=rejects,
        jobs=jobs or None,
    )
    write_output(FORMATS[fmt](report, lang), output)
    return EXIT_FINDINGS if report.fail(fail_on) else EXIT_OK
