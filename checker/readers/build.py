"""From one source row to a raw event (or a reason to reject the row).

A raw event is an event before grouping and lifecycle pairing. Readers turn their rows into lists
(CSV, Excel, DataFrame) or dicts (JSON Lines, records, XES) and hand them to a builder here, so
that the rules for required values, timestamps, documents and attributes are the same everywhere.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

from checker.readers.mapping import ColumnPlan, split_documents
from checker.readers.timeparse import FIRST_YEAR, LAST_YEAR, in_range, parse_timestamp

# Shared by rows without case attributes; never mutated (a plain dict so that raw events pickle).
_EMPTY: dict[str, Any] = {}


class RawEvent(NamedTuple):
    row: int
    case_id: str
    activity: str
    timestamp: datetime
    date_only: bool
    actor: str | None
    start: datetime | None
    documents: tuple[str, ...]
    lifecycle: str | None  # lower case; None when the source has no lifecycle
    attributes: dict[str, Any]
    case_attributes: Mapping[str, Any]
    case_documents: tuple[str, ...]
    start_date_only: bool = False  # `start` was a date without a time (docs/time.md)


class Bad(NamedTuple):
    """Why a row cannot be an event: a message key and its arguments."""

    key: str
    args: dict[str, Any]


@dataclass(frozen=True)
class CaseEnd:
    """A reader's signal that a case is complete (XES: end of a trace), with the case's
    attributes; also how an empty trace becomes an empty case."""

    case_id: str
    attributes: Mapping[str, Any]
    documents: tuple[str, ...]


class Blank:
    """An empty line or a row with no value at all: not a row, but counted."""


BLANK = Blank()


def missing(value: Any) -> bool:
    """None, NaN, NaT, pandas.NA, or blank text."""
    if value is None:
        return True
    if value.__class__ is str:
        return not value.strip()
    if value.__class__ is datetime:
        return False
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return True  # pandas.NA refuses to be a bool


def plain(value: Any, zone: tzinfo) -> Any:
    """A typed cell as a plain Python value: numpy scalars unwrapped, naive datetimes given the
    log's zone, text stripped."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        if hasattr(value, "to_pydatetime"):
            value = value.to_pydatetime()
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    if isinstance(value, bool | int | float | date):
        return value
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value


def text(value: Any) -> str | None:
    """A typed cell as the text of an identifier (case id, activity, actor): 12.0 -> "12"."""
    if value.__class__ is str:
        return value.strip() or None
    if missing(value):
        return None
    value = plain(value, _UTC)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value or None
    return str(value)


def is_identifier(value: Any) -> bool:
    """Whether a typed cell can name a case, an activity or an actor: text,
    an integer, or a float holding one (Excel and pandas keep whole numbers as floats: 12.0 is
    case 12), or another scalar (a decimal, a date). Not true or false, a fraction, a list, a
    map or a struct, which would otherwise be read as the Python text of the value: True, ['A']."""
    if value.__class__ is str or value.__class__ is int:
        return True
    if isinstance(value, str | bytes):
        return True
    # Before missing(), which cannot tell a numpy array (a list cell, in the Dask engine) from NA.
    if hasattr(value, "__iter__"):  # list, dict, tuple (an Arrow map), numpy array
        return False
    value = plain(value, _UTC)  # numpy scalars as Python ones
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return value.is_integer() or value != value  # NaN is missing: the builder's to say
    return True


def not_identifier(field: str, column: str | None, value: Any) -> Bad:
    """The rejection of a row whose `field` (case_id, activity, actor) is not an identifier
    (is_identifier), its value shown as JSON (["A"], true, 1.5), as a JSON Lines log writes it."""
    import json

    tolist = getattr(value, "tolist", None)  # numpy values (Dask) as Python ones
    if callable(tolist):
        value = tolist()
    try:
        shown = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        shown = repr(value)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return Bad("readers.reject.not_identifier", {"field": field, "column": column, "value": shown})


_UTC = UTC
_fromisoformat = datetime.fromisoformat
_new_tuple = tuple.__new__  # a RawEvent without the named tuple's Python __new__ (one per row)


class _Refusals:
    """Why a row cannot be an event, as both builders say it (`names`: field -> column)."""

    names: Mapping[str, str]
    date_format: str | None

    def _identifier(self, name: str, value: Any, required: bool = True) -> Any:
        """A typed cell as the text of an identifier (`text`), or the row's refusal (a Bad): a
        value that cannot name anything (is_identifier), or none where one is required."""
        if value.__class__ is not str and not is_identifier(value):
            return not_identifier(name, self.names.get(name, name), value)
        found = text(value)
        if found is None and required:
            return self._missing(name)
        return found

    def _missing(self, name: str) -> Bad:
        return Bad("readers.reject.missing_value", {"field": name, "column": self.names.get(name, name)})

    def _bad_time(self, name: str, value: Any) -> Bad:
        return _bad_time(name, self.names[name], value, self.date_format)

    def _out_of_range(self, name: str, value: Any) -> Bad:
        return _out_of_range(name, self.names[name], value)


class ListBuilder(_Refusals):
    """Builds raw events from rows given as lists, in the order of `columns`.

    `typed`: cells may be numbers, datetimes, NaN (Excel, DataFrame); otherwise all cells are
    strings (CSV), which takes a faster path. `typed_attributes`: on that path, the indexes of
    attribute columns whose cells are typed all the same (a Parquet file's date or number
    columns beside text ones: its text columns take the fast path, its typed values stay typed).
    """

    def __init__(
        self,
        columns: Sequence[str],
        plan: ColumnPlan,
        zone: tzinfo,
        date_format: str | None,
        typed: bool,
        typed_attributes: Collection[int] = (),
    ) -> None:
        index = {column: i for i, column in enumerate(columns)}
        fields = plan.fields

        def at(name: str) -> int | None:
            column = fields.get(name)
            return None if column is None else index[column]

        self.columns = tuple(columns)
        self.width = len(columns)
        self.i_case = at("case_id")
        self.i_activity = at("activity")
        self.i_timestamp = at("timestamp")
        self.i_actor = at("actor")
        self.i_start = at("start_timestamp")
        self.i_documents = at("documents")
        self.i_lifecycle = at("lifecycle")
        self.i_case_documents = at("case_documents")
        self.case_index = tuple((index[c], name) for c, name in plan.case_attributes)
        # Whether each attribute column's cells are typed (typed_attributes on the text path).
        self._case_typed = tuple(typed or i in typed_attributes for i, _ in self.case_index)
        # The case columns' cells as one tuple (itemgetter of one index gives the cell itself).
        self._case_cells = itemgetter(*(i for i, _ in self.case_index)) if self.case_index else None
        self.event_index = tuple((index[c], name) for c, name in plan.event_attributes)
        # The text path's event attributes: those of text columns, and those of typed ones.
        self._event_text = tuple((i, n) for i, n in self.event_index if i not in typed_attributes)
        self._event_typed = tuple((i, n) for i, n in self.event_index if i in typed_attributes)
        self.names = {name: fields[name] for name in fields}
        self.zone = zone
        self.date_format = date_format
        self.typed = typed
        self._last_case_key: tuple[Any, ...] | None = None
        self._last_case_attrs: Mapping[str, Any] = _EMPTY

    def build(self, row: int, values: Sequence[Any]) -> RawEvent | Bad:
        if len(values) != self.width:
            if len(values) > self.width and all(missing(v) for v in values[self.width :]):
                values = values[: self.width]  # a trailing delimiter: harmless
            else:
                return Bad("readers.reject.field_count", {"expected": self.width, "got": len(values)})
        if self.typed:
            return self._build_typed(row, values)
        return self._build_text(row, values)

    def _build_text(self, row: int, values: Sequence[str]) -> RawEvent | Bad:
        case_id = values[self.i_case].strip()
        if not case_id:
            return self._missing("case_id")
        activity = values[self.i_activity].strip()
        if not activity:
            return self._missing("activity")
        stamp_text = values[self.i_timestamp]
        timestamp = None
        if self.date_format is None and len(stamp_text) > 10 and stamp_text[10] in "Tt ":
            # The usual case, ISO 8601 with a time: skip the general parser. (try, not
            # contextlib.suppress: entering a context manager for every row cost 3% of an audit.)
            # fromisoformat takes any character after the date: anything but T or a space
            # (2025-01-06+07:00, an xs:date) is the general parser's to read or refuse.
            try:  # noqa: SIM105
                timestamp = _fromisoformat(stamp_text)
            except ValueError:
                pass
        if timestamp is not None:
            date_only = False
            if timestamp.tzinfo is None:
                timestamp = timestamp.replace(tzinfo=self.zone)
        else:
            if not stamp_text.strip():
                return self._missing("timestamp")
            try:
                timestamp, date_only = parse_timestamp(stamp_text, self.zone, self.date_format)
            except ValueError:
                return self._bad_time("timestamp", stamp_text)
        if not FIRST_YEAR <= timestamp.year <= LAST_YEAR:  # inline: this runs for every event
            return self._out_of_range("timestamp", stamp_text)
        actor = (values[self.i_actor].strip() or None) if self.i_actor is not None else None
        start = None
        start_day = False
        if self.i_start is not None:
            start_text = values[self.i_start]
            if start_text.strip():
                try:
                    start, start_day = parse_timestamp(start_text, self.zone, self.date_format)
                except ValueError:
                    return self._bad_time("start_timestamp", start_text)
                if not in_range(start):
                    return self._out_of_range("start_timestamp", start_text)
        documents = split_documents(values[self.i_documents]) if self.i_documents is not None else ()
        lifecycle = None
        if self.i_lifecycle is not None:
            lifecycle = values[self.i_lifecycle].strip().lower() or None
        case_documents = (
            split_documents(values[self.i_case_documents]) if self.i_case_documents is not None else ()
        )
        attributes = {}
        for i, name in self._event_text:
            value = values[i].strip()
            if value:
                attributes[name] = value
        for i, name in self._event_typed:
            if not missing(value := values[i]):
                attributes[name] = plain(value, self.zone)
        return _new_tuple(RawEvent, (
            row,
            case_id,
            activity,
            timestamp,
            date_only,
            actor,
            start,
            documents,
            lifecycle,
            attributes,
            self._case_attributes(values),
            case_documents,
            start_day,
        ))

    def _case_attributes(self, values: Sequence[Any]) -> Mapping[str, Any]:
        # Exports repeat the case's columns on every row: reuse the dict while they are unchanged.
        key = self._case_cells(values) if self._case_cells is not None else ()
        if key == self._last_case_key:
            return self._last_case_attrs
        attrs: dict[str, Any] = {}
        for (i, name), typed in zip(self.case_index, self._case_typed, strict=True):
            value = values[i]
            if typed:
                if not missing(value):
                    attrs[name] = plain(value, self.zone)
            elif value := value.strip():
                attrs[name] = value
        self._last_case_key = key
        self._last_case_attrs = attrs if attrs else _EMPTY
        return self._last_case_attrs

    def _build_typed(self, row: int, values: Sequence[Any]) -> RawEvent | Bad:
        case_id = self._identifier("case_id", values[self.i_case])
        if case_id.__class__ is Bad:
            return case_id
        activity = self._identifier("activity", values[self.i_activity])
        if activity.__class__ is Bad:
            return activity
        stamp_value = values[self.i_timestamp]
        if missing(stamp_value):
            return self._missing("timestamp")
        try:
            timestamp, date_only = parse_timestamp(
                plain(stamp_value, self.zone) if not isinstance(stamp_value, str) else stamp_value,
                self.zone,
                self.date_format,
            )
        except ValueError:
            return self._bad_time("timestamp", stamp_value)
        if not in_range(timestamp):
            return self._out_of_range("timestamp", stamp_value)
        actor = None
        if self.i_actor is not None:
            actor = self._identifier("actor", values[self.i_actor], required=False)
            if actor.__class__ is Bad:
                return actor
        start = None
        start_day = False
        if self.i_start is not None and not missing(values[self.i_start]):
            try:
                start, start_day = parse_timestamp(
                    plain(values[self.i_start], self.zone), self.zone, self.date_format
                )
            except ValueError:
                return self._bad_time("start_timestamp", values[self.i_start])
            if not in_range(start):
                return self._out_of_range("start_timestamp", values[self.i_start])
        documents = ()
        if self.i_documents is not None and not missing(values[self.i_documents]):
            documents = split_documents(plain(values[self.i_documents], self.zone))
        lifecycle = None
        if self.i_lifecycle is not None:
            lifecycle_text = text(values[self.i_lifecycle])
            lifecycle = lifecycle_text.lower() if lifecycle_text else None
        case_documents = ()
        if self.i_case_documents is not None and not missing(values[self.i_case_documents]):
            case_documents = split_documents(plain(values[self.i_case_documents], self.zone))
        attributes = {}
        for i, name in self.event_index:
            value = values[i]
            if not missing(value):
                attributes[name] = plain(value, self.zone)
        return _new_tuple(RawEvent, (
            row,
            case_id,
            activity,
            timestamp,
            date_only,
            actor,
            start,
            documents,
            lifecycle,
            attributes,
            self._case_attributes(values),
            case_documents,
            start_day,
        ))

    def case_key(self, values: Sequence[Any]) -> str | None:
        """The case id of a row, for the grouping pre-scan (None when absent)."""
        if self.i_case >= len(values):
            return None
        return text(values[self.i_case]) if self.typed else (values[self.i_case].strip() or None)



class DictBuilder(_Refusals):
    """Builds raw events from rows given as dicts (JSON Lines, records, XES events). Keys not in
    the plan become case attributes (`case:NAME`) or event attributes."""

    def __init__(self, plan: ColumnPlan, zone: tzinfo, date_format: str | None) -> None:
        fields = plan.fields
        self.k_case = fields.get("case_id")
        self.k_activity = fields["activity"]
        self.k_timestamp = fields["timestamp"]
        self.k_actor = fields.get("actor")
        self.k_start = fields.get("start_timestamp")
        self.k_documents = fields.get("documents")
        self.k_lifecycle = fields.get("lifecycle")
        self.k_case_documents = fields.get("case_documents")
        self.used = plan.used
        self.explicit_case = dict(plan.explicit_case)
        self.names = dict(fields)
        self.zone = zone
        self.date_format = date_format

    def build(
        self,
        row: int,
        record: Mapping[str, Any],
        case: tuple[str, Mapping[str, Any], tuple[str, ...]] | None = None,
    ) -> RawEvent | Bad:
        """`case`: (case id, case attributes, case documents) when the source gives them apart
        from the event (XES traces); otherwise they come from the record's keys."""
        get = record.get
        if case is None:
            case_id = self._identifier("case_id", get(self.k_case) if self.k_case is not None else None)
            if case_id.__class__ is Bad:
                return case_id
        else:
            case_id = case[0]
        activity = self._identifier("activity", get(self.k_activity))
        if activity.__class__ is Bad:
            return activity
        stamp_value = get(self.k_timestamp)
        if stamp_value.__class__ is datetime and stamp_value.tzinfo is not None:
            timestamp, date_only = stamp_value, False  # typed XES dates
        else:
            if missing(stamp_value):
                return self._missing("timestamp")
            try:
                timestamp, date_only = parse_timestamp(stamp_value, self.zone, self.date_format)
            except ValueError:
                return self._bad_time("timestamp", stamp_value)
        if not in_range(timestamp):
            return self._out_of_range("timestamp", stamp_value)
        actor = None
        if self.k_actor is not None:
            actor = self._identifier("actor", get(self.k_actor), required=False)
            if actor.__class__ is Bad:
                return actor
        start = None
        start_day = False
        if self.k_start is not None and not missing(get(self.k_start)):
            try:
                start, start_day = parse_timestamp(get(self.k_start), self.zone, self.date_format)
            except ValueError:
                return self._bad_time("start_timestamp", get(self.k_start))
            if not in_range(start):
                return self._out_of_range("start_timestamp", get(self.k_start))
        documents = split_documents(get(self.k_documents)) if self.k_documents is not None else ()
        lifecycle = None
        if self.k_lifecycle is not None:
            lifecycle_text = text(get(self.k_lifecycle))
            lifecycle = lifecycle_text.lower() if lifecycle_text else None
        attributes: dict[str, Any] = {}
        if case is None:
            case_attributes: dict[str, Any] = {}
            case_documents = (
                split_documents(get(self.k_case_documents)) if self.k_case_documents is not None else ()
            )
            for key, value in record.items():
                if key in self.used or missing(value):
                    if key in self.explicit_case and not missing(value):
                        case_attributes[self.explicit_case[key]] = plain(value, self.zone)
                    continue
                if key.startswith("case:") and len(key) > 5:
                    case_attributes[key[5:]] = plain(value, self.zone)
                else:
                    attributes[key] = plain(value, self.zone)
            case_attrs: Mapping[str, Any] = case_attributes or _EMPTY
        else:
            case_attrs, case_documents = case[1], case[2]
            used = self.used
            for key, value in record.items():
                if key not in used and value is not None and value != "":
                    attributes[key] = value
        return _new_tuple(RawEvent, (
            row,
            case_id,
            activity,
            timestamp,
            date_only,
            actor,
            start,
            documents,
            lifecycle,
            attributes,
            case_attrs,
            case_documents,
            start_day,
        ))

    def case_key(self, record: Mapping[str, Any]) -> str | None:
        return text(record.get(self.k_case)) if self.k_case is not None else None



def _bad_time(name: str, column: str, value: Any, date_format: str | None) -> Bad:
    args = {"field": name, "column": column, "value": short_text(value)}
    if date_format:
        return Bad("readers.reject.bad_timestamp_format", {**args, "format": date_format})
    return Bad("readers.reject.bad_timestamp", args)


def _out_of_range(name: str, column: str, value: Any) -> Bad:
    return Bad(
        "readers.reject.timestamp_out_of_range",
        {"field": name, "column": column, "value": short_text(value), "first": FIRST_YEAR, "last": LAST_YEAR},
    )


def short_text(value: Any, limit: int = 80) -> str:
    """A typed cell as a user reads it, never a Python repr: 9999-12-31T00:00:00 (a date),
    01:02:00 (a time of day), 0:00:01 (a duration), 1.5, ["A"] (a list, as JSON)."""
    shown = _shown(value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, date | time):  # typed cells (Excel, XES, Parquet)
        return value.isoformat()
    if isinstance(value, timedelta):  # the base class's text: a pandas Timedelta (Dask) as locally
        return timedelta.__str__(value)
    if isinstance(value, bool | int | float | Decimal):
        return str(value)
    tolist = getattr(value, "tolist", None)  # numpy values as Python ones
    if callable(tolist):
        value = tolist()
        if not isinstance(value, list | dict):
            return _shown(value)
    import json

    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)
