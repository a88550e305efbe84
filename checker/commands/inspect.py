"""`sopcheck inspect LOG`: what the readers make of a case log, before any audit.

Cases, events (read, and after lifecycle pairing), every rejected row with its reason, duplicate
events, activities and actors with counts, case and event attributes, the time range, date-only
timestamps, the zones seen, and the reader's notes. `--format json` gives the same, sorted.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, tzinfo
from typing import Any

import click

from checker.cli import lang_option
from checker.commands.logopts import finish, log_inputs, log_options, read_options
from checker.errors import EXIT_OK
from checker.messages import t
from checker.output import (
    FilePath,
    format_option,
    output_option,
    printable_lines,
    refuse_overwrite,
    write_output,
)
from checker.readers import LogSource, open_log
from checker.readers.timeparse import resolve_zone, zone_label
from checker.roster import Roster

MAX_LISTED_REJECTS = 50


def summarise(source: LogSource, roster: Roster | None = None, lang: str = "en") -> dict[str, Any]:
    """Read every case of `source` and describe the log (a JSON-ready dict; the messages of
    rejected rows and notes in `lang`)."""
    activities: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    case_attributes: Counter[str] = Counter()
    event_attributes: Counter[str] = Counter()
    zones: Counter[tzinfo | None] = Counter()
    roles: Counter[str] = Counter()
    unknown_people: Counter[str] = Counter()
    no_role_on_date = 0
    first: datetime | None = None
    last: datetime | None = None
    date_only = midnight = with_documents = with_start = 0
    cases_with_documents = 0
    events = no_actor = 0
    zone = resolve_zone(source.options.zone_name)
    for case in source.cases():
        case_attributes.update(case.attributes.keys())
        if case.documents:
            cases_with_documents += 1
        for event in case.events:
            events += 1
            stamp = event.timestamp
            activities[event.activity] += 1
            if event.actor is not None:
                actors[event.actor] += 1
            else:
                no_actor += 1
            if event.attributes:
                event_attributes.update(event.attributes.keys())
            zones[stamp.tzinfo] += 1
            earliest = event.start if event.start is not None and event.start < stamp else stamp
            if first is None or earliest < first:
                first = earliest
            if last is None or stamp > last:
                last = stamp
            if event.date_only:
                date_only += 1
            elif stamp.hour == stamp.minute == stamp.second == stamp.microsecond == 0:
                midnight += 1
            if event.documents:
                with_documents += 1
            if event.start is not None:
                with_start += 1
            if roster is not None and event.actor is not None:
                # Every post the person held that day, as the audit judges the event (an acting
                # post beside their own counts for both); the day in the zone the log is read in.
                held = roster.roles(event.actor, stamp.astimezone(zone).date())
                if held:
                    roles.update(held)
                elif roster.knows(event.actor):
                    no_role_on_date += 1
                else:
                    unknown_people[event.actor] += 1
    acc = source.accounting
    zone_counts: Counter[str] = Counter()
    for zone, count in zones.items():
        zone_counts[zone_label(zone)] += count
    summary: dict[str, Any] = {
        "log": {
            "path": source.path,
            "format": source.format,
            "sha256": source.sha256,
            "columns": list(source.columns),
        },
        "cases": acc.cases,
        "events": events,
        "activities": dict(activities),
        "actors": dict(actors),
        "events_without_actor": no_actor,
        "case_attributes": dict(case_attributes),
        "event_attributes": dict(event_attributes),
        "time_range": {
            "first": first.isoformat() if first else None,
            "last": last.isoformat() if last else None,
        },
        "date_only": {"events": date_only, "all": bool(events) and date_only == events},
        "midnight_events": midnight,
        "events_with_documents": with_documents,
        "cases_with_documents": cases_with_documents,
        "events_with_start": with_start,
        "zones": dict(zone_counts),
        "declared_timezone": source.options.zone_name,
        "roster": None,
    }
    accounting = acc.to_dict(lang)
    accounting.pop("events")
    summary.update(accounting)
    if roster is not None:
        summary["roster"] = {
            "path": roster.path,
            "roles": dict(roles),
            "unknown_people": dict(unknown_people),
            "events_without_role_on_date": no_role_on_date,
        }
    return summary


def _number(value: int, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "id" else text


def _counts(counter: dict[str, int], lang: str, indent: str = "  ") -> list[str]:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    width = max((len(_number(count, lang)) for _, count in ordered), default=1)
    return [f"{indent}{_number(count, lang):>{width}}  {name}" for name, count in ordered]


def render_text(summary: dict[str, Any], lang: str) -> str:
    def n(value: int) -> str:
        return _number(value, lang)

    def label(key: str) -> str:
        return t(f"inspect.{key}", lang)

    rows: list[tuple[str, str]] = []
    log = summary["log"]
    rows.append((label("log"), str(log["path"] or "-")))
    rows.append(
        (label("format"), f"{log['format']}" + (f" (sha256 {log['sha256'][:16]})" if log["sha256"] else ""))
    )
    rows.append((label("cases"), n(summary["cases"])))
    rows.append((label("events_read"), n(summary["events_read"])))
    rows.append((label("events"), n(summary["events"])))
    rows.append(
        (
            label("rows"),
            t(
                "inspect.rows_value",
                lang,
                read=n(summary["rows_read"]),
                accepted=n(summary["accepted"]),
                rejected=n(summary["rejected"]),
            ),
        )
    )
    rows.append((label("duplicates"), n(summary["duplicates"])))
    grouped = t("inspect.yes" if summary["grouped"] else "inspect.no", lang)
    if summary["spilled"]:
        grouped += " " + t("inspect.spilled", lang)
    rows.append((label("grouped"), grouped))
    time_range = summary["time_range"]
    if time_range["first"]:
        rows.append((label("time_range"), f"{time_range['first']} .. {time_range['last']}"))
    date_only = summary["date_only"]
    rows.append(
        (
            label("date_only"),
            t("inspect.date_only_value", lang, count=n(date_only["events"]), events=n(summary["events"])),
        )
    )
    if summary["midnight_events"]:
        rows.append((label("midnight"), n(summary["midnight_events"])))
    zones = "; ".join(
        f"{name} ({n(count)})"
        for name, count in sorted(summary["zones"].items(), key=lambda i: (-i[1], i[0]))
    )
    rows.append((label("zones"), zones or "-"))
    rows.append((label("declared_timezone"), summary["declared_timezone"]))
    lifecycle = summary["lifecycle"]
    other = ", ".join(f"{k} {n(v)}" for k, v in sorted(lifecycle["other"].items()))
    rows.append(
        (
            label("lifecycle"),
            t(
                "inspect.lifecycle_value",
                lang,
                paired=n(lifecycle["paired_starts"]),
                unpaired=n(lifecycle["unpaired_starts"]),
                other=other or "-",
            ),
        )
    )
    rows.append(
        (
            label("documents"),
            t(
                "inspect.documents_value",
                lang,
                events=n(summary["events_with_documents"]),
                cases=n(summary["cases_with_documents"]),
            ),
        )
    )
    if summary["blank_rows"]:
        rows.append((label("blank_rows"), n(summary["blank_rows"])))
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]

    def section(key: str, counter: dict[str, int]) -> None:
        lines.append("")
        lines.append(f"{label(key)} ({n(len(counter))})")
        lines.extend(_counts(counter, lang))

    section("activities", summary["activities"])
    section("actors", summary["actors"])
    if summary["events_without_actor"]:
        lines.append(f"  {label('without_actor')}: {n(summary['events_without_actor'])}")
    section("case_attributes", summary["case_attributes"])
    section("event_attributes", summary["event_attributes"])
    roster = summary["roster"]
    if roster is not None:
        section("roles", roster["roles"])
        section("unknown_people", roster["unknown_people"])
        lines.append(f"{label('no_role_on_date')}: {n(roster['events_without_role_on_date'])}")
    lines.append("")
    rejected = summary["rejected_rows"]
    lines.append(f"{label('rejected_rows')} ({n(len(rejected))})")
    for row in rejected[:MAX_LISTED_REJECTS]:
        lines.append(f"  {t('inspect.row', lang, row=row['row'])}: {row['message']}")
    if len(rejected) > MAX_LISTED_REJECTS:
        lines.append("  " + t("inspect.more_rejects", lang, count=n(len(rejected) - MAX_LISTED_REJECTS)))
    duplicates = summary["duplicate_rows"]
    if duplicates:
        lines.append("")
        lines.append(f"{label('duplicate_rows')} ({n(len(duplicates))})")
        for item in duplicates[:MAX_LISTED_REJECTS]:
            lines.append("  " + t("inspect.duplicate", lang, row=item["row"], first=item["duplicate_of"]))
        if len(duplicates) > MAX_LISTED_REJECTS:
            lines.append(
                "  " + t("inspect.more_rejects", lang, count=n(len(duplicates) - MAX_LISTED_REJECTS))
            )
    if summary["notes"]:
        lines.append("")
        lines.append(label("notes"))
        lines.extend(f"  {note['message']}" for note in summary["notes"])
    return printable_lines("\n".join(lines)) + "\n"


def render_json(summary: dict[str, Any], lang: str) -> str:
    return json.dumps(summary, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


FORMATS = {"text": render_text, "json": render_json}


@click.command()
@click.argument("log", type=FilePath())
@log_options
@format_option(FORMATS)
@output_option
@lang_option
def command(log: str, fmt: str, output: str | None, lang: str, **log_kwargs: Any) -> int:
    """Show what sopcheck reads in LOG: cases, events, rejected rows and why, activities, actors,
    attributes, time range, date-only timestamps, zones.

    Exit status: 0 read, 2 an unusable log (or with --strict, a rejected row).
    """
    refuse_overwrite(
        {"-o": output, "--rejects": log_kwargs.get("rejects")}, [("LOG", log), *log_inputs(log_kwargs)]
    )
    options, roster, rejects = read_options(**log_kwargs)
    source = open_log(log, options)
    summary = summarise(source, roster, lang)
    finish(source, rejects, lang)
    write_output(FORMATS[fmt](summary, lang), output)
    return EXIT_OK
