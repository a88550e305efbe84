"""How to read a log: format, column mapping, time zone, date format, encoding, CSV delimiter,
Excel sheet, strictness, and lifecycle pairing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from checker.readers.timeparse import DEFAULT_ZONE

FORMATS = ("csv", "jsonl", "json", "xes", "xlsx", "parquet")

# File name endings -> format (longest first, so .xes.gz wins over .gz).
EXTENSIONS = (
    (".xes.gz", "xes"),
    (".xes", "xes"),
    (".csv", "csv"),
    (".tsv", "csv"),
    (".txt", "csv"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".json", "json"),
    (".xlsx", "xlsx"),
    (".xlsm", "xlsx"),
    (".parquet", "parquet"),
)


@dataclass(frozen=True)
class ReadOptions:
    """Options for reading a log. `mapping` maps a sopcheck field (case_id, activity, timestamp,
    actor, start_timestamp, documents, lifecycle, or case:NAME) to the source's column name.

    `timezone`: the zone of timestamps without an offset (and of date-only ones); None when the
    user named none, so that an audit can read them in its SOP's zone (`case.timezone`), and
    otherwise in DEFAULT_ZONE (`zone_name`).

    `pair_lifecycle`: a lifecycle `start` followed (same case, same activity) by `complete`
    becomes one event with `start` set; see checker.readers.grouping for the other transitions.
    """

    log_format: str | None = None
    mapping: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    timezone: str | None = None
    date_format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    strict: bool = False
    pair_lifecycle: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.mapping, MappingProxyType):
            object.__setattr__(self, "mapping", MappingProxyType(dict(self.mapping)))

    @property
    def zone_name(self) -> str:
        """The zone the log is read in: the one named, else DEFAULT_ZONE."""
        return self.timezone or DEFAULT_ZONE
