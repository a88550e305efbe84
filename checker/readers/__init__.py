"""Case logs in: CSV, JSON Lines, XES, Excel, and from Python (records, a pandas DataFrame).

    source = open_log("log.csv", ReadOptions(timezone="WITA"))
    for case in source.cases():   # one Case at a time, events in time order
        ...
    source.accounting             # rows read = accepted + rejected, duplicates, notes

The reader is chosen by the file name (.csv .tsv .txt .jsonl .ndjson .json .xes .xes.gz .xlsx)
or by `ReadOptions.log_format`. An unusable file raises checker.errors.InputError; a bad row is a
Rejected row in the accounting (with `strict`, an InputError naming the first one).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from checker.errors import InputError, Location
from checker.messages.parsers import os_problem
from checker.readers.accounting import Accounting, Note, Rejected, write_rejects
from checker.readers.options import EXTENSIONS, FORMATS, ReadOptions
from checker.readers.source import LogSource
from checker.readers.timeparse import check_date_format as _check_date_format
from checker.readers.timeparse import parse_timestamp, resolve_zone

__all__ = [
    "Accounting",
    "LogSource",
    "Note",
    "ReadOptions",
    "Rejected",
    "detect_format",
    "from_dataframe",
    "from_records",
    "open_log",
    "parse_timestamp",
    "write_rejects",
]


def detect_format(path: str, log_format: str | None = None) -> str:
    """The reader for `path`: `log_format` if given, else by the file name."""
    if log_format:
        name = log_format.lower().lstrip(".")
        aliases = {"ndjson": "jsonl", "tsv": "csv", "xes.gz": "xes", "excel": "xlsx"}
        name = aliases.get(name, name)
        if name not in FORMATS:
            raise InputError(
                "readers.unknown_format", None, {"format": log_format, "formats": ", ".join(FORMATS)}
            )
        return name
    lowered = path.lower()
    for ending, name in EXTENSIONS:
        if lowered.endswith(ending):
            return name
    if lowered.endswith(".xls"):
        raise InputError("readers.xls_old", Location(path))
    raise InputError(
        "readers.unknown_extension",
        Location(path),
        {"formats": ", ".join(ending for ending, _ in EXTENSIONS)},
    )


def _sha256(path: str, stop: threading.Event | None = None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            if stop is not None and stop.is_set():
                break
            digest.update(block)
    return digest.hexdigest()


class _Hashing(threading.Thread):
    """The file's sha256, computed while the reader opens it and the log is read (hashlib lets
    go of the GIL on large blocks, so the hash takes a core that would otherwise wait): the
    LogSource asks for it when the report does."""

    def __init__(self, path: str) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.digest: str | None = None
        self.error: OSError | None = None
        self.stop = threading.Event()  # set when the file turns out unusable: no hash wanted
        self.start()

    def run(self) -> None:
        try:
            self.digest = _sha256(self.path, self.stop)
        except OSError as err:
            self.error = err

    def result(self) -> str:
        self.join()
        if self.error is not None:
            raise InputError("file.unreadable", Location(self.path), {"reason": os_problem(self.error)})
        assert self.digest is not None
        return self.digest


# Options only some formats read, with those formats: given for a log of another format they
# would be ignored (the user meant another file, or another format), so they are refused.
FORMAT_OPTIONS = (
    ("sheet", ("xlsx",), "readers.sheet_not_excel"),
    ("delimiter", ("csv",), "readers.option_not_for_format"),
    ("encoding", ("csv", "jsonl", "json"), "readers.option_not_for_format"),
)


def check_format_options(options: ReadOptions, fmt: str, location: Location | None) -> None:
    """Refuse a sheet, a delimiter or an encoding (from the command line or a mapping file) for
    a log of a format that does not read it: an InputError naming the option and the format."""
    for name, formats, key in FORMAT_OPTIONS:
        value = getattr(options, name)
        if value is not None and fmt not in formats:
            if name == "sheet":  # its own message: a format without sheets
                raise InputError(key, location, {"sheet": value, "format": fmt})
            args = {"option": name, "value": value, "formats": ", ".join(formats), "format": fmt}
            raise InputError(key, location, args)


def _check(options: ReadOptions) -> Any:
    if options.date_format:
        _check_date_format(options.date_format)
    return resolve_zone(options.zone_name)


def open_log(
    path: str | os.PathLike[str], options: ReadOptions | None = None, *, scan: bool = True,
    elsewhere: bool = False,
) -> LogSource:
    """Open the log at `path`; raises InputError when the file cannot be used (missing, empty,
    header only, binary, not UTF-8 without --encoding, missing required columns, truncated gzip,
    XML with a DOCTYPE declaring entities, ...). With `scan` False a CSV file's pre-scan (is it
    grouped?) waits until asked for, so that `--jobs` workers can start meanwhile
    (LogSource.early_shares); the errors only it finds come later, from reading. With
    `elsewhere` (the log will be read by worker processes) a Parquet file of ELSEWHERE_BYTES or
    more is opened, and pre-scanned, by a process of its own: this one need not import pyarrow."""
    options = options or ReadOptions()
    name = os.fspath(path)
    from checker.readers.textfile import check_path

    check_path(name)
    fmt = detect_format(name, options.log_format)
    check_format_options(options, fmt, Location(name))
    zone = _check(options)
    hashing = _Hashing(name)
    try:
        reader = _reader(name, fmt, options, zone, scan, elsewhere)
    except BaseException:
        hashing.stop.set()
        raise
    return LogSource(reader, options, path=name, sha256=hashing.result)


def _reader(name: str, fmt: str, options: ReadOptions, zone: Any, scan: bool, elsewhere: bool = False) -> Any:
    if fmt == "csv":
        from checker.readers.csv_reader import CsvReader

        return CsvReader(name, options, zone, scan=scan)
    if fmt == "xes":
        from checker.readers.xes_reader import XesReader

        return XesReader(name, options, zone)
    if fmt == "xlsx":
        from checker.readers.xlsx_reader import XlsxReader

        return XlsxReader(name, options, zone)
    if fmt == "parquet":
        from checker.readers.parquet_reader import ELSEWHERE_BYTES, ParquetReader, footer_elsewhere

        # (A strict read is not shared: this process reads it.)
        away = elsewhere and not options.strict and os.path.getsize(name) >= ELSEWHERE_BYTES
        return ParquetReader(name, options, zone, footer=footer_elsewhere(name, options) if away else None)
    from checker.readers.jsonl_reader import JsonlReader, first_char, load_json_array

    if fmt == "json" and first_char(name, options.encoding) == "[":
        from checker.readers.frame_reader import RecordsReader
        from checker.readers.textfile import read_head, sniff_encoding

        encoding = sniff_encoding(name, read_head(name), options.encoding, at_end=False)
        records = load_json_array(name, encoding)
        notes = (Note("readers.note.json_array"),)
        return RecordsReader(records, options, zone, fmt="json", notes=notes, location=Location(name, 1))
    return JsonlReader(name, options, zone)


def from_records(records: Iterable[Mapping[str, Any]], options: ReadOptions | None = None) -> LogSource:
    """A log from dicts (one per event), with the same column names and mapping as a CSV file.
    A list is read twice; a one-pass iterable (generator) is spilled to a temporary file."""
    from checker.readers.frame_reader import RecordsReader

    options = options or ReadOptions()
    check_format_options(options, RecordsReader.format, None)
    zone = _check(options)
    return LogSource(RecordsReader(records, options, zone), options)


def from_dataframe(frame: Any, options: ReadOptions | None = None) -> LogSource:
    """A log from a pandas DataFrame (one row per event), with the same column names and mapping
    as a CSV file. Row numbers are 1-based positions in the frame."""
    from checker.readers.frame_reader import FrameReader

    options = options or ReadOptions()
    check_format_options(options, FrameReader.format, None)
    zone = _check(options)
    return LogSource(FrameReader(frame, options, zone), options)
