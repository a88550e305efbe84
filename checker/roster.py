"""The roster: which person (name or NIP) acted as which SOP actor, and when.

Logs record people; an SOP names roles; people change positions. A roster file (YAML or CSV)
lists entries {person | name | nip, actor, valid_from, valid_to?} (dates inclusive; no valid_to
means still in post). Names match ignoring case and repeated spaces; an NIP matches ignoring
spaces, dots and dashes ("19850101 201001 1 001").

Someone may hold two roles at once (an acting post, Plt.): `roles()` gives all of them, and
`role()` the one whose entry started last (the newer appointment). An audit judges a step by all
of them (conformance/checks/actors.py): the step's actor or an allowed delegate among them will do.

YAML:
    roster:
      - name: Budi Santoso
        nip: "198501012010011001"
        actor: kasubbag_umum
        valid_from: 2024-01-01
        valid_to: 2025-06-30
CSV: a header with person (or name, nip), actor, valid_from, valid_to (`;` or `,`, quoted fields as
in the log's CSV; a column named twice or a row longer than the header is refused).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from checker.errors import InputError, Location

_ID_PUNCTUATION = str.maketrans("", "", " .-")


def person_key(value: object) -> str:
    """How a person is matched: an NIP without separators, or a name case-folded with single
    spaces."""
    spaced = " ".join(str(value).split())
    compact = spaced.translate(_ID_PUNCTUATION)
    if compact.isdigit():
        return compact
    return spaced.casefold()


@dataclass(frozen=True)
class RosterEntry:
    """One appointment: `person` as written, the keys it matches, the SOP actor, validity."""

    person: str
    keys: tuple[str, ...]
    actor: str
    valid_from: date
    valid_to: date | None = None
    line: int | None = None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Roster:
    entries: tuple[RosterEntry, ...]
    path: str | None = None
    _index: dict[str, tuple[RosterEntry, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[RosterEntry]] = {}
        for entry in self.entries:
            for key in entry.keys:
                index.setdefault(key, []).append(entry)
        ordered = {
            key: tuple(sorted(found, key=lambda e: e.valid_from, reverse=True))
            for key, found in index.items()
        }
        object.__setattr__(self, "_index", ordered)

    @classmethod
    def load(cls, path: str) -> Roster:
        """A roster from a YAML (.yaml/.yml) or CSV file; InputError with file:line on a problem."""
        if path.lower().endswith(".csv"):
            return cls(tuple(_load_csv(path)), path)
        return cls(tuple(_load_yaml(path)), path)

    @classmethod
    def from_entries(cls, entries: Iterable[Mapping[str, Any]]) -> Roster:
        """A roster from dicts as in the YAML file (dates as date objects or ISO strings)."""
        return cls(tuple(_entry(item, None, None) for item in entries))

    def knows(self, person: str | None) -> bool:
        return person is not None and person_key(person) in self._index

    def roles(self, person: str | None, on: date | datetime) -> tuple[str, ...]:
        """Every actor `person` acted as on `on` (newest appointment first)."""
        if person is None:
            return ()
        day = on.date() if isinstance(on, datetime) else on
        found: list[str] = []
        for entry in self._index.get(person_key(person), ()):
            if entry.valid_on(day) and entry.actor not in found:
                found.append(entry.actor)
        return tuple(found)

    def role(self, person: str | None, on: date | datetime) -> str | None:
        """The actor `person` acted as on `on` (a datetime counts by its own local date), or None
        when the roster does not know the person or no entry is valid that day."""
        roles = self.roles(person, on)
        return roles[0] if roles else None

    @property
    def actors(self) -> frozenset[str]:
        return frozenset(entry.actor for entry in self.entries)


def _date(value: Any, where: Location | None, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError("roster.bad_date", where, {"field": name, "value": value}) from None


def _entry(item: Mapping[str, Any], path: str | None, where: Location | None) -> RosterEntry:
    identifiers = [item.get(k) for k in ("person", "name", "nip")]
    written = [str(v).strip() for v in identifiers if v is not None and str(v).strip()]
    if not written:
        raise InputError("roster.no_person", where)
    actor = str(item.get("actor") or "").strip()
    if not actor:
        raise InputError("roster.no_actor", where)
    if item.get("valid_from") in (None, ""):
        raise InputError("roster.no_valid_from", where)
    valid_from = _date(item.get("valid_from"), where, "valid_from")
    raw_to = item.get("valid_to")
    valid_to = None if raw_to in (None, "") else _date(raw_to, where, "valid_to")
    if valid_to is not None and valid_to < valid_from:
        raise InputError(
            "roster.bad_range",
            where,
            {"valid_from": valid_from.isoformat(), "valid_to": valid_to.isoformat()},
        )
    keys = tuple(dict.fromkeys(person_key(v) for v in written))
    return RosterEntry(written[0], keys, actor, valid_from, valid_to, where.line if where else None)


def _load_yaml(path: str) -> list[RosterEntry]:
    from checker.sop.schema import iter_schema_errors
    from checker.sop.yamlload import load_yaml

    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError("yaml.not_mapping", Location(path, 1, 1))
    for error in iter_schema_errors(doc, "roster.schema.json"):
        raise InputError(error.key, error.location, error.args)
    return [_entry(item, path, doc.locate(("roster", i))) for i, item in enumerate(doc.data["roster"])]


def _load_csv(path: str) -> list[RosterEntry]:
    """Entries from a CSV roster, read as the log's CSV reader reads (quoted fields may hold the
    delimiter or a line end) and refused where it refuses: a quote never closed, a column named
    twice, a row with more cells than the header (a value that would otherwise be dropped, or
    another column's value taken, without a word)."""
    from checker.readers.csv_reader import open_quote, quote_place
    from checker.sop.yamlload import read_text

    text = read_text(path)
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    at = open_quote(text, delimiter)
    if at is not None:
        lines, column = quote_place(text, at)
        raise InputError("readers.csv_open_quote", Location(path, lines + 1, column))
    header: list[str] | None = None
    entries: list[RosterEntry] = []
    for line, row in _csv_rows(path, text, delimiter):
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = _csv_header(path, line, row)
            continue
        extra = [i for i in range(len(header), len(row)) if row[i].strip()]
        if extra:
            raise InputError(
                "readers.reject.field_count",
                Location(path, line, extra[0] + 1),
                {"expected": len(header), "got": len(row)},
            )
        item = {name: cell for name, cell in zip(header, row, strict=False) if name and cell.strip()}
        entries.append(_entry(item, path, Location(path, line)))
    if not entries:
        raise InputError("roster.empty", Location(path))
    return entries


def _csv_rows(path: str, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(the line a record starts on, its cells) for each record of `text`."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:  # a field over the csv module's limit
            where = Location(path, previous + 1)
            if "field larger" in str(err):
                limit = {"limit": csv.field_size_limit()}
                raise InputError("readers.csv_field_too_long", where, limit) from None
            raise InputError("readers.csv_unreadable", where, {"detail": str(err)}) from None
        yield previous + 1, row
        previous = reader.line_num


def _csv_header(path: str, line: int, row: list[str]) -> list[str]:
    header = [cell.strip().lower() for cell in row]
    for i, name in enumerate(header):
        if name and name in header[:i]:
            raise InputError("readers.duplicate_column", Location(path, line, i + 1), {"column": name})
    missing = [n for n in ("actor", "valid_from") if n not in header]
    if missing or not {"person", "name", "nip"} & set(header):
        raise InputError(
            "roster.csv_columns",
            Location(path, line),
            {"missing": ", ".join(missing or ["person"]), "found": ", ".join(header)},
        )
    return header
