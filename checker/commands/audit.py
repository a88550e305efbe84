"""`sopcheck audit SOP LOG`: audit a case log against an SOP (or a folder of its revisions)."""

from __future__ import annotations

from dataclasses import replace

import click

from checker.cli import lang_option
from checker.commands.logopts import log_inputs, log_options, read_options
from checker.distributed import CSV_ENDINGS, PARQUET_ENDINGS
from checker.errors import EXIT_FINDINGS, EXIT_OK, InputError
from checker.output import FilePath, format_option, output_option, refuse_overwrite, write_output
from checker.readers.source import MAX_SHARES
from checker.reporters.audit import FORMATS, STREAMED, JsonLines

MAX_JOBS = MAX_SHARES  # each worker reads a share of the log: --jobs 10**20 made 10**20 of them
LOG_FOLDER_FILES = CSV_ENDINGS + PARQUET_ENDINGS  # what --engine dask reads of a folder


@click.command()
@click.argument("sop", type=FilePath())
@click.argument("log", type=FilePath())
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
    type=FilePath(),
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
    type=click.IntRange(min=0, max=MAX_JOBS),
    default=None,
    help=f"Worker processes, at most {MAX_JOBS} (default: the cores; 1: none; a log file under "
    "4 MB is audited in one). Same report for any number.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: this machine (--jobs processes). dask: a Dask cluster reads LOG (a CSV or "
    "Parquet file, folder or glob, local or on shared storage) and audits the cases on its "
    "workers; same report. Needs the dask extra.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Address of the Dask scheduler for --engine dask (e.g. tcp://10.0.0.5:8786); "
    "default: a local cluster, one worker process per core.",
)
@click.option(
    "--traces/--no-traces",
    default=True,
    show_default=True,
    help="Put each case's events, alignment and step times in the report (json, html). "
    "--no-traces keeps large reports small: cases, statuses and findings only.",
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
    engine: str,
    scheduler: str | None,
    traces: bool,
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
    refuse_overwrite(
        {"-o": output, "--rejects": log_kwargs.get("rejects")},
        [("SOP", sop), ("LOG", log, LOG_FOLDER_FILES), ("--calendar", calendar), *log_inputs(log_kwargs)],
    )
    from checker.api import audit

    options, roster, rejects = read_options(**log_kwargs)
    if scheduler and engine != "dask":
        raise InputError("dask.scheduler_without_engine", None)
    common = dict(
        as_of=as_of, calendar=calendar, roster=roster, read_options=options, lang=lang, rejects=rejects
    )
    if engine == "dask":
        from checker import distributed

        report = distributed.audit(sop, log, scheduler=scheduler, **common)
    else:
        from checker.progress import Progress

        # A JSON report's lines are made by the workers as they audit (in parallel).
        render = JsonLines(lang, traces) if fmt == "json" else None
        with Progress(lang) as progress:  # on stderr, only on a terminal, after a moment
            report = audit(sop, log, jobs=jobs or None, progress=progress, render=render, **common)
    report = replace(report, traces=traces)
    write = STREAMED.get(fmt, FORMATS[fmt])
    write_output(write(report, lang), output)
    return EXIT_FINDINGS if report.fail(fail_on) else EXIT_OK
