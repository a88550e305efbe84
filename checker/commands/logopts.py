"""The options every command that reads a case log shares (inspect, audit).

    @click.command()
    @click.argument("log")
    @log_options
    @lang_option
    def command(log: str, lang: str, **log_kwargs) -> int:
        options, roster, rejects = read_options(**log_kwargs)
        source = open_log(log, options)
        for case in source.cases(): ...
        finish(source, rejects, lang)      # writes --rejects FILE

`log_options` adds --log-format --map --mapping --timezone --date-format --encoding --delimiter
--sheet --roster --rejects --strict. Options on the command line win over those in a --mapping
file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import click

from checker.output import FilePath
from checker.readers import LogSource, ReadOptions, open_log, write_rejects
from checker.readers.mapping import load_mapping_file, parse_map_items
from checker.readers.timeparse import DEFAULT_ZONE
from checker.roster import Roster

_FORMAT_CHOICES = ("csv", "tsv", "jsonl", "json", "xes", "xlsx", "parquet")

_OPTIONS = (
    click.option(
        "--log-format",
        type=click.Choice(_FORMAT_CHOICES, case_sensitive=False),
        default=None,
        help="Format of the log; by default from the file name "
        "(.csv .tsv .jsonl .ndjson .json .xes .xes.gz .xlsx .parquet).",
    ),
    click.option(
        "--map",
        "map_items",
        multiple=True,
        metavar="FIELD=COLUMN",
        help="Which column holds a field (repeatable): case_id, activity, timestamp, actor, "
        "start_timestamp, documents, lifecycle, case_documents, or case:NAME. "
        "E.g. --map activity=Kegiatan.",
    ),
    click.option(
        "--mapping",
        "mapping_file",
        type=FilePath(dir_okay=False),
        default=None,
        help="A YAML mapping file: columns (field: column) and optionally timezone, date_format, "
        "encoding, delimiter, sheet.",
    ),
    click.option(
        "--timezone",
        default=None,
        help=f"Zone of timestamps without offset: IANA name, WIB, WITA, WIT or +07:00 "
        f"[default: an audit's SOP zone (case.timezone), else {DEFAULT_ZONE}].",
    ),
    click.option(
        "--date-format",
        default=None,
        help="strptime format of non-ISO timestamps, e.g. '%d/%m/%Y %H:%M' (day-first); "
        "its day part alone is accepted too.",
    ),
    click.option(
        "--encoding",
        default=None,
        help="Text encoding of a CSV / JSON Lines / JSON log that is not UTF-8, e.g. cp1252 "
        "(an error for another format).",
    ),
    click.option(
        "--delimiter",
        default=None,
        help="CSV delimiter (one character, or 'tab'; a CSV log only, an error for another "
        "format); sniffed from the header by default.",
    ),
    click.option(
        "--sheet",
        default=None,
        help="Excel sheet to read (an .xlsx log only; an error for another format) [default: the first].",
    ),
    click.option(
        "--roster",
        type=FilePath(dir_okay=False),
        default=None,
        help="Roster file (YAML or CSV): which person acted as which SOP actor, and when.",
    ),
    click.option(
        "--rejects",
        type=FilePath(dir_okay=False),
        default=None,
        help="Write rejected rows to this CSV file (row, reason, raw, code).",
    ),
    click.option(
        "--strict",
        is_flag=True,
        default=False,
        help="Fail (exit 2) on the first rejected row instead of counting it.",
    ),
)

_NAMES = (
    "log_format",
    "map_items",
    "mapping_file",
    "timezone",
    "date_format",
    "encoding",
    "delimiter",
    "sheet",
    "roster",
    "rejects",
    "strict",
)


def options_from(
    *,
    log_format: str | None = None,
    map_items: tuple[str, ...] | list[str] = (),
    mapping_file: str | None = None,
    timezone: str | None = None,
    date_format: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    strict: bool = False,
    **_: Any,
) -> ReadOptions:
    """ReadOptions from the option values (a --mapping file fills what the command line leaves
    unset; --map items override the file's columns)."""
    from_file: Mapping[str, Any] = load_mapping_file(mapping_file) if mapping_file else {}
    mapping = dict(from_file.get("columns", {}))
    mapping.update(parse_map_items(list(map_items)))

    def pick(value: str | None, key: str) -> str | None:
        return value if value is not None else from_file.get(key)

    if log_format and log_format.lower() == "tsv" and delimiter is None:
        delimiter = "tab"
    return ReadOptions(
        log_format=log_format,
        mapping=mapping,
        timezone=pick(timezone, "timezone"),  # None: the SOP's zone, else DEFAULT_ZONE
        date_format=pick(date_format, "date_format"),
        encoding=pick(encoding, "encoding"),
        delimiter=pick(delimiter, "delimiter"),
        sheet=pick(sheet, "sheet"),
        strict=strict,
    )


def read_options(**values: Any) -> tuple[ReadOptions, Roster | None, str | None]:
    """The option values of `log_options` as (ReadOptions, the --roster loaded or None, the
    --rejects path or None)."""
    roster_path = values.get("roster")
    roster = Roster.load(roster_path) if roster_path else None
    return options_from(**values), roster, values.get("rejects")


def log_inputs(values: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """The files the log options read besides the log, named as the user gives them (for
    checker.output.refuse_overwrite)."""
    return [("--roster", values.get("roster")), ("--mapping", values.get("mapping_file"))]


def open_with(path: str, **values: Any) -> tuple[LogSource, Roster | None, str | None]:
    """Open the log at `path` with the option values: (source, roster, rejects path)."""
    options, roster, rejects = read_options(**values)
    return open_log(path, options), roster, rejects


def finish(source: LogSource, rejects: str | None, lang: str = "en") -> None:
    """After reading: write the rejected rows to --rejects FILE, if asked."""
    if rejects:
        write_rejects(rejects, source.accounting.rejected, lang)


def log_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add the log options to a click command; it receives them as keyword arguments
    (log_format, map_items, mapping_file, timezone, date_format, encoding, delimiter, sheet,
    roster, rejects, strict): take them as **log_kwargs and call read_options(**log_kwargs)."""
    for option in reversed(_OPTIONS):
        function = option(function)
    return function
