"""Writing case logs: CSV, JSON Lines and XES, one case at a time (flat memory), atomically.

The columns are the canonical ones the readers recognise without options (checker.readers):
`case_id, activity, timestamp, actor, documents`, event attributes (`mode`), `case:NAME` for
each case attribute and `case:documents`. Documents are joined with `;`. A date-only timestamp
or attribute is written as a date (YYYY-MM-DD), which the readers take as day precision.

XES (IEEE 1849) has typed attributes: timestamps are `<date>`, booleans `<boolean>`, numbers
`<int>` / `<float>`, text `<string>` (escaped). XES has no date-only type, so a date-only case
attribute is written as a `<string>` holding the date (the readers still take it as a day);
events with date-only timestamps cannot be written to XES (`generate` writes full timestamps
there). `.xes.gz` is gzip-compressed.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from typing import IO, Any, Protocol

from checker.casegen import GenCase
from checker.output import atomic

FORMATS = ("csv", "jsonl", "xes")
_EXTENSIONS = (
    (".xes.gz", "xes"),
    (".xes", "xes"),
    (".csv", "csv"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
)


def format_for(path: str) -> str | None:
    """The format a file name asks for (None: not one we write)."""
    lower = path.lower()
    return next((fmt for ending, fmt in _EXTENSIONS if lower.endswith(ending)), None)


class CaseWriter(Protocol):
    def write(self, case: GenCase) -> int:
        """Write one case; return how many events it had."""
        ...


def text_value(value: Any) -> str:
    """A value as a CSV cell: dates ISO, booleans true/false, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def stamp(event_time: datetime, date_only: bool) -> str:
    return event_time.date().isoformat() if date_only else event_time.isoformat()


class CsvWriter:
    def __init__(
        self,
        handle: IO[str],
        attributes: Sequence[str],
        event_attributes: Sequence[str],
        actor: str = "actor",
    ) -> None:
        self.attributes = tuple(attributes)
        self.event_attributes = tuple(event_attributes)
        self.out = csv.writer(handle, lineterminator="\n")
        self.out.writerow(
            [
                "case_id",
                "activity",
                "timestamp",
                actor,
                "documents",
                *self.event_attributes,
                *(f"case:{name}" for name in self.attributes),
                "case:documents",
            ]
        )

    def write(self, case: GenCase) -> int:
        tail = [text_value(case.attributes.get(name)) for name in self.attributes]
        tail.append(";".join(case.documents))
        rows = []
        for e in case.events:
            rows.append(
                [
                    case.case_id,
                    e.activity,
                    stamp(e.timestamp, e.date_only),
                    e.actor or "",
                    ";".join(e.documents),
                    *(text_value(e.attributes.get(name)) for name in self.event_attributes),
                    *tail,
                ]
            )
        self.out.writerows(rows)
        return len(rows)


def json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class JsonlWriter:
    def __init__(
        self,
        handle: IO[str],
        attributes: Sequence[str],
        event_attributes: Sequence[str],
        actor: str = "actor",
    ) -> None:
        self.actor = actor
        self.handle = handle
        self.attributes = tuple(attributes)
        self.event_attributes = tuple(event_attributes)

    def write(self, case: GenCase) -> int:
        common = {
            f"case:{n}": json_value(case.attributes[n]) for n in self.attributes if n in case.attributes
        }
        common["case:documents"] = list(case.documents)
        lines = []
        for e in case.events:
            record: dict[str, Any] = {
                "case_id": case.case_id,
                "activity": e.activity,
                "timestamp": stamp(e.timestamp, e.date_only),
                self.actor: e.actor,
                "documents": list(e.documents),
            }
            for name in self.event_attributes:
                if name in e.attributes:
                    record[name] = json_value(e.attributes[name])
            record.update(common)
            lines.append(json.dumps(record, ensure_ascii=False))
        if lines:
            self.handle.write("\n".join(lines) + "\n")
        return len(lines)


_XES_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <classifier name="Activity" keys="concept:name"/>
"""
_XES_TAIL = "</log>\n"
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@lru_cache(maxsize=4096)
def xml_text(value: str) -> str:
    """`value` escaped for an XML attribute; characters XML 1.0 cannot hold are dropped.
    (Cached: labels, actors and attribute values repeat across a log.)"""
    return _NOT_XML.sub("", value).translate(_ESCAPES)


def xes_attribute(key: str, value: Any) -> str:
    """One typed XES attribute element."""
    if isinstance(value, bool):
        kind, text = "boolean", "true" if value else "false"
    elif isinstance(value, int):
        kind, text = "int", str(value)
    elif isinstance(value, float):
        kind, text = "float", repr(value)
    elif isinstance(value, datetime):
        kind, text = "date", value.isoformat(timespec="milliseconds")
    elif isinstance(value, date):
        kind, text = "string", value.isoformat()  # XES has no date-only type
    else:
        kind, text = "string", str(value)
    return f'<{kind} key="{xml_text(key)}" value="{xml_text(text)}"/>'


class XesWriter:
    def __init__(
        self,
        handle: IO[bytes],
        attributes: Sequence[str],
        event_attributes: Sequence[str],
        actor: str = "actor",
    ) -> None:
        self.actor = "org:resource" if actor == "actor" else actor
        self.handle = handle
        self.attributes = tuple(attributes)
        self.event_attributes = tuple(event_attributes)
        handle.write(_XES_HEAD.encode("utf-8"))

    def write(self, case: GenCase) -> int:
        if any(e.date_only for e in case.events):
            raise ValueError("XES cannot hold date-only timestamps")
        parts = ["  <trace>\n    ", xes_attribute("concept:name", case.case_id), "\n"]
        for name in self.attributes:
            if case.attributes.get(name) is not None:
                parts += ["    ", xes_attribute(name, case.attributes[name]), "\n"]
        if case.documents:
            parts += ["    ", xes_attribute("documents", ";".join(case.documents)), "\n"]
        for e in case.events:
            parts += [
                "    <event>\n      ",
                xes_attribute("concept:name", e.activity),
                "\n      ",
                xes_attribute("time:timestamp", e.timestamp),
                "\n",
            ]
            if e.actor:
                parts += ["      ", xes_attribute(self.actor, e.actor), "\n"]
            if e.documents:
                parts += ["      ", xes_attribute("documents", ";".join(e.documents)), "\n"]
            for name in self.event_attributes:
                if e.attributes.get(name) is not None:
                    parts += ["      ", xes_attribute(name, e.attributes[name]), "\n"]
            parts.append("    </event>\n")
        parts.append("  </trace>\n")
        self.handle.write("".join(parts).encode("utf-8"))
        return len(case.events)

    def close(self) -> None:
        self.handle.write(_XES_TAIL.encode("utf-8"))


@contextmanager
def open_log_writer(
    path: str, fmt: str, attributes: Sequence[str], event_attributes: Sequence[str] = (), actor: str = "actor"
) -> Iterator[CaseWriter]:
    """A writer for `path` in `fmt` (csv, jsonl, xes); the file appears when the block ends
    without an error. `actor` names the actor column (an SOP's case.actor_field)."""
    if fmt == "xes":
        with atomic(path, binary=True, compress=path.lower().endswith(".gz")) as handle:
            writer = XesWriter(handle, attributes, event_attributes, actor)
            yield writer
            writer.close()
        return
    with atomic(path) as handle:
        yield (CsvWriter if fmt == "csv" else JsonlWriter)(handle, attributes, event_attributes, actor)
