"""The Dask engine (`sopcheck audit --engine dask`): a partitioned log, read by Dask, shuffled by
case id so that every case is audited whole on one worker, gathered into one Report that is the
local engine's (checker.api.audit).

    report = checker.distributed.audit("sop.yaml", "exports/2025-*.parquet",
                                       scheduler="tcp://10.0.0.5:8786")

How it stays the local engine's report:
- the columns are mapped by the readers' own plan (checker.readers.mapping.resolve_plan) and
  each row becomes a raw event through the readers' own builder (ListBuilder: strings for CSV,
  typed cells for Parquet), so the same rows are accepted, rejected and numbered; a Parquet
  binary cell is text by the local reader's own function (parquet_reader.shown_cells), and a
  list, struct or map cell as case id, activity or actor is kept as JSON past the shuffle (which
  would make it text, an identifier) for the builder to reject (_held);
- a CSV file's header, delimiter and encoding are found by the local reader itself (CsvReader,
  so an empty or header-only file gets the local engine's message); its partitions are blocks of
  whole lines, split into records by the csv module on the workers, so that a row with too many
  or too few fields reaches the row builder and is rejected as it is locally;
- row numbers are computed before the shuffle, per file, as the local readers count them (CSV:
  the physical line where the record starts, the header being line 1; Parquet: the 1-based row
  index);
- after the shuffle each worker restores source order, groups the rows by case, assembles cases
  with the readers' `assemble` (time order, duplicates, lifecycle pairing) and audits them with
  checker.conformance.engine.Auditor (the SOP revisions and the calendar are pickled to it);
- the pending results come back to the client, are settled against one audit date (--as-of, or
  the latest event of the whole log) and sorted by case id.

Differences from the local engine (see docs/scale.md): the provenance's log path is the path or
pattern given, and its sha256 is computed only when that is one local file; a CSV file whose
partition boundary falls inside a quoted field is read as one partition; a corrupt Parquet file
is refused whole (one line naming it), as the local engine refuses it.

Dask (`pip install 'sopcheck[dask]'`) is imported only here.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from checker.errors import InputError, Location

CSV_ENDINGS = (".csv", ".tsv", ".txt")
PARQUET_ENDINGS = (".parquet", ".parq", ".pq")
ROW, FILE, KEY = "__sopcheck_row__", "__sopcheck_file__", "__sopcheck_case__"
ODD = "__sopcheck_fields__"  # a CSV row of another width than the header: its fields, as JSON
# A Parquet row's case id, activity or actor cells that are no identifier (a list, struct or map),
# as JSON: the shuffle would turn them into their Python text ("{'x': 1}"), an identifier.
HELD = "__sopcheck_cells__"
CONNECT_TIMEOUT = "20s"  # to reach a scheduler


def _dask() -> tuple[Any, Any, Any]:
    try:
        import dask
        import dask.dataframe as dd
        import distributed
    except ImportError:
        raise InputError("dask.needs_dask", None) from None
    return dask, dd, distributed


def log_files(log: str | os.PathLike[str]) -> tuple[list[str], str]:
    """The files of a partitioned log (a file, a folder, or a glob pattern; remote URLs are
    passed to Dask as they are) and their format, csv or parquet."""
    text = os.fspath(log)
    if "://" in text:
        files = [text]
    elif os.path.isdir(text):
        files = sorted(
            str(p)
            for p in Path(text).iterdir()
            if p.is_file() and p.name.lower().endswith(CSV_ENDINGS + PARQUET_ENDINGS)
        )
    elif any(ch in text for ch in "*?["):
        files = sorted(glob.glob(text))
    elif os.path.exists(text):
        files = [text]
    else:
        raise InputError("file.not_found", Location(text))
    if not files:
        raise InputError("dask.no_files", None, {"pattern": text})
    kinds = set()
    for name in files:
        lowered = name.lower().split("?", 1)[0]
        if lowered.endswith(CSV_ENDINGS):
            kinds.add("csv")
        elif lowered.endswith(PARQUET_ENDINGS):
            kinds.add("parquet")
        else:
            raise InputError("dask.unsupported_format", None, {"path": name})
    if len(kinds) > 1:
        raise InputError("dask.mixed_formats", None, {"formats": ", ".join(sorted(kinds))})
    return files, kinds.pop()


@dataclass
class Part:
    """What one worker sends back: the pending results of its cases and its share of the
    accounting (rows, rejections, duplicates, lifecycle), and its latest timestamp."""

    pending: list = field(default_factory=list)
    latest: datetime | None = None
    accepted: int = 0
    rejected: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    blank_rows: int = 0
    cases: int = 0
    events: int = 0
    paired_starts: int = 0
    unpaired_starts: int = 0
    lifecycle_other: dict = field(default_factory=dict)
    case_attribute_conflicts: int = 0
    notes: list = field(default_factory=list)


@dataclass(frozen=True)
class Job:
    """Everything a worker needs, pickled once and sent to every worker."""

    revisions: tuple
    calendar: Any
    roster: Any
    track_documents: bool
    case_documents: bool
    columns: tuple[str, ...]
    plan: Any
    typed: bool
    delimiters: tuple[str, ...]  # each CSV file's, to write a rejected row as the local reader
    zone: Any
    date_format: str | None
    pair_lifecycle: bool
    fixed_as_of: datetime | None


def _key(frame: Any, column: str) -> Any:
    """The case id as the readers read it (text of the cell, None when missing): the shuffle
    key, so that "12" and 12.0 in different files are one case as they are locally."""
    from checker.readers.build import text

    frame = frame.copy()
    frame[KEY] = [text(v) or "" for v in frame[column].tolist()]
    return frame


def _audit_part(frame: Any, job: Job) -> Part:
    """Audit the cases of one shuffled partition."""
    import csv
    import io
    import json

    from checker.conformance.engine import Auditor, Pending
    from checker.readers.accounting import Accounting, Rejected
    from checker.readers.build import ListBuilder, RawEvent, missing
    from checker.readers.grouping import assemble
    from checker.readers.parquet_reader import raw_record
    from checker.readers.textfile import MAX_LINE

    auditor = Auditor(
        job.revisions,
        job.calendar,
        roster=job.roster,
        track_documents=job.track_documents,
        case_documents=job.case_documents,
        zone=job.zone,
    )
    builder = ListBuilder(job.columns, job.plan, job.zone, job.date_format, typed=job.typed)
    build = builder.build
    frame = frame.sort_values([FILE, ROW], kind="stable")
    rows = frame[ROW].tolist()
    acc = Accounting()
    part = Part()
    by_case: dict[str, list] = {}
    values_iter = frame[list(job.columns)].itertuples(index=False, name=None)
    odd = frame[ODD].tolist() if ODD in frame.columns else [""] * len(rows)
    held = frame[HELD].tolist() if HELD in frame.columns else [""] * len(rows)
    position = {column: i for i, column in enumerate(job.columns)}
    files = frame[FILE].tolist()
    for row, values, fields, cells, file_index in zip(rows, values_iter, odd, held, files, strict=True):
        if cells.__class__ is str and cells:  # the cells as read, for the builder to reject
            values = list(values)
            for column, value in json.loads(cells).items():
                values[position[column]] = value
            values = tuple(values)
        if not job.typed:
            if fields:
                values = json.loads(fields)
                if isinstance(values, dict):  # a line too long to read (as the local reader)
                    args = {"limit": MAX_LINE}
                    part.rejected.append(
                        Rejected(row, "readers.reject.line_too_long", args, values["line_too_long"] + "...")
                    )
                    continue
                values = tuple(values)
            else:
                values = tuple("" if v is None or v != v else v for v in values)
        result = build(row, values)
        if result.__class__ is RawEvent:
            acc.accepted += 1
            by_case.setdefault(result.case_id, []).append(result)
        elif all(missing(v) for v in values):
            acc.blank_rows += 1
        else:
            if job.typed:
                raw = raw_record(job.columns, values)
            else:
                buffer = io.StringIO()
                csv.writer(buffer, delimiter=job.delimiters[file_index], lineterminator="").writerow(values)
                raw = buffer.getvalue()
            part.rejected.append(Rejected(row, result.key, dict(result.args), raw))
    for case_id, raws in by_case.items():
        case = assemble(case_id, raws, acc, job.pair_lifecycle)
        pending = auditor.audit(case)
        if job.fixed_as_of is not None:
            pending = Pending(auditor.settle(pending, job.fixed_as_of), [], None)
        part.pending.append(pending)
    part.latest = auditor.latest
    part.accepted = acc.accepted
    part.duplicates = list(acc.duplicates)
    part.blank_rows = acc.blank_rows
    part.cases = acc.cases
    part.events = acc.events
    part.paired_starts = acc.paired_starts
    part.unpaired_starts = acc.unpaired_starts
    part.lifecycle_other = dict(acc.lifecycle_other)
    part.case_attribute_conflicts = acc.case_attribute_conflicts
    part.notes = list(acc.notes)
    return part


class _Source:
    """What checker.api needs of a log source to write provenance and row accounting."""

    def __init__(self, path: str, sha256: str | None, accounting: Any, columns: tuple[str, ...], plan: Any):
        self.path = path
        self.sha256 = sha256
        self.accounting = accounting
        self.columns = columns
        self.has_actor = "actor" in plan.fields
        self.has_documents = "documents" in plan.fields
        self.has_case_documents = "case_documents" in plan.fields
        self.format = "dask"


def _client(scheduler: str | None, distributed: Any) -> tuple[Any, Any]:
    """A client of the scheduler at `scheduler`, or of a new local cluster (one worker process
    per core) that is closed with it."""
    if scheduler:
        try:
            return distributed.Client(scheduler, timeout=CONNECT_TIMEOUT), None
        except (OSError, TimeoutError, ValueError) as err:
            raise InputError(
                "dask.scheduler_unreachable",
                None,
                {"address": scheduler, "detail": str(err) or type(err).__name__},
            ) from None
    import logging

    # silence_logs: a worker's "Compute Failed" warning (a corrupt file) would print its traceback
    # on the user's terminal; the error comes back to the client and is given in one line.
    cluster = distributed.LocalCluster(
        n_workers=os.cpu_count() or 1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    )
    return distributed.Client(cluster), cluster


@dataclass(frozen=True)
class CsvLayout:
    """What a worker needs to split a CSV file's blocks into records, and the client to name it."""

    path: str
    encoding: str
    delimiter: str
    header_line: int
    columns: tuple[str, ...]


def _csv_layout(name: str, options: Any, zone: Any) -> tuple[CsvLayout, Any]:
    """The file's encoding, delimiter, header line, columns and column plan, found by the local
    reader (its errors: empty file, header only, duplicate column, not UTF-8, ...)."""
    if "://" in name:
        return _remote_csv_layout(name, options)
    from checker.readers.csv_reader import CsvReader

    reader = CsvReader(name, options, zone, scan=False)
    layout = CsvLayout(name, reader.encoding, reader.delimiter, reader.header_line, reader.columns)
    return layout, reader.plan


def _remote_csv_layout(name: str, options: Any) -> tuple[CsvLayout, Any]:
    """_csv_layout of a URL: the first MiB read through fsspec (no encoding sniffing)."""
    import csv
    import io

    import fsspec

    from checker.readers.csv_reader import SEP_LINE, delimiter_option, sniff_delimiter
    from checker.readers.mapping import resolve_plan

    encoding = options.encoding or "utf-8-sig"
    if options.encoding:
        from checker.readers.textfile import encoding_info

        encoding_info(options.encoding)  # an unknown or unusable name: the local reader's error
    try:
        with fsspec.open(name, "rb") as handle:
            head = handle.read(1 << 20)
    except OSError as err:
        raise InputError("file.unreadable", Location(name), {"reason": _short(err)}) from None
    lines = io.StringIO(head.decode(encoding, errors="replace"), newline="").readlines()
    skip, delimiter = 0, None
    if lines and (sep := SEP_LINE.fullmatch(lines[0].strip("\r\n"))):
        skip, delimiter = 1, sep.group(1)
    found = next(((i, line) for i, line in enumerate(lines[skip:], start=skip + 1) if line.strip()), None)
    if found is None:
        raise InputError("file.empty", Location(name))
    number, line = found
    if options.delimiter:
        delimiter = delimiter_option(options.delimiter)
    delimiter = delimiter or ("\t" if name.lower().endswith(".tsv") else sniff_delimiter(line))
    header = next(csv.reader([line], delimiter=delimiter))
    columns = tuple(c.strip() or f"column_{i + 1}" for i, c in enumerate(header))
    plan = resolve_plan(columns, options.mapping, Location(name, number))
    return CsvLayout(name, encoding, delimiter, number, columns), plan


def _csv_lines(block: bytes, layout: CsvLayout) -> list[str]:
    """A block's physical lines, split as the local reader splits them (LF, CR LF or CR)."""
    import io

    return io.StringIO(block.decode(layout.encoding), newline="").readlines()


def _csv_records(lines: list[str], layout: CsvLayout) -> Any:
    """(line within the block, fields, None) of each record, split by the csv module as the local
    reader splits it; a record with a line of MAX_LINE characters or more is (line, [], the
    start of that line), to be rejected as the local reader rejects it."""
    import csv

    from checker.readers.textfile import MAX_LINE, RAW_PREFIX

    overlong: list[str] = []

    def bounded() -> Any:
        for line in lines:
            if len(line.rstrip("\r\n")) >= MAX_LINE:
                overlong.append(line[:RAW_PREFIX])
                line = "\n"
            yield line

    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE))
    reader = csv.reader(bounded(), delimiter=layout.delimiter)
    previous = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise _BadRecord(previous + 1, str(err)) from None
        if overlong:
            yield previous + 1, [], overlong[0]
            overlong.clear()
        else:
            yield previous + 1, fields, None
        previous = reader.line_num


class _BadRecord(Exception):
    """A record the csv module cannot split (a field over its limit): its line in the block."""

    def __init__(self, line: int, detail: str) -> None:
        super().__init__(line, detail)
        self.line, self.detail = line, detail


def _csv_count(block: bytes, layout: CsvLayout, last: bool) -> tuple[int, tuple | None, bool]:
    """A block's number of lines, its first problem (what, line within the block, detail) and
    whether it ends inside a quoted field (then its last record goes on in the next block)."""
    import csv

    try:
        lines = _csv_lines(block, layout)
    except UnicodeDecodeError as err:
        at = block[: err.start].count(b"\n") + 1
        return 0, ("decode", at, f"0x{block[err.start]:02x}"), False
    start = 0
    try:
        for record in _csv_records(lines, layout):
            start = record[0]
    except _BadRecord as err:
        return len(lines), ("csv", err.line, err.detail), False
    open_end = False
    if last and start:
        # The file's last record: a quote that never closes is the file's error, as locally.
        from checker.readers.csv_reader import open_quote, quote_place

        text = "".join(lines[start - 1 :])
        at = open_quote(text, layout.delimiter)
        if at is not None:
            ends, column = quote_place(text, at)
            return len(lines), ("open_quote", start + ends, column), False
    elif start:
        try:
            list(csv.reader(lines[start - 1 :], delimiter=layout.delimiter, strict=True))
        except csv.Error as err:
            open_end = "unexpected end of data" in str(err)
    return len(lines), None, open_end


def _csv_piece(block: bytes, layout: CsvLayout, file_index: int, offset: int) -> Any:
    """A block's records as a frame of strings (a row of another width than the header: padded,
    its fields kept whole in ODD for the row builder), numbered by physical line."""
    import json

    import numpy as np
    import pandas as pd

    width = len(layout.columns)
    rows, starts, odd = [], [], []
    for start, fields, overlong in _csv_records(_csv_lines(block, layout), layout):
        if start + offset <= layout.header_line:
            continue
        starts.append(start + offset)
        if overlong is not None:
            rows.append([""] * width)
            odd.append(json.dumps({"line_too_long": overlong}, ensure_ascii=False))
        elif len(fields) == width:
            rows.append(fields)
            odd.append("")
        else:
            rows.append((fields + [""] * width)[:width])
            odd.append(json.dumps(fields, ensure_ascii=False))
    frame = pd.DataFrame(rows, columns=list(layout.columns), dtype=object)
    frame[ODD] = pd.Series(odd, dtype=object)
    frame[ROW] = np.array(starts, dtype="int64")
    frame[FILE] = np.int32(file_index)
    return frame


def _csv_pieces(dask: Any, layouts: list[CsvLayout], blocksize: str | int | None) -> list[Any]:
    """The delayed, numbered frames of CSV files read in blocks of whole lines. A file whose
    block ends inside a quoted field is read as one block (a record must not be cut); a line
    that cannot be decoded or split is the file's error, with its line."""
    from dask.bytes import read_bytes

    from checker.readers.textfile import BYTE_LINES, lookup_codec

    def blocks(layout: CsvLayout, whole: bool) -> list[Any]:
        # Blocks are cut after a newline byte: only where that byte is always a line end.
        cut = not whole and lookup_codec(layout.encoding).name.startswith(BYTE_LINES)
        size = (blocksize or "64MiB") if cut else None
        return list(read_bytes(layout.path, delimiter=b"\n", blocksize=size, sample=False)[1][0])

    def count(parts: list[Any], layout: CsvLayout) -> list[Any]:
        last = len(parts) - 1
        return [dask.delayed(_csv_count)(b, layout, i == last) for i, b in enumerate(parts)]

    per_file = [blocks(layout, False) for layout in layouts]
    counted = dask.compute(*[count(parts, layout) for parts, layout in zip(per_file, layouts, strict=True)])
    counted = [list(c) for c in counted]
    for index, layout in enumerate(layouts):
        if any(open_end for _, _, open_end in counted[index]):
            per_file[index] = blocks(layout, True)
            counted[index] = list(dask.compute(*count(per_file[index], layout)))
    pieces = []
    for index, (layout, parts, counts) in enumerate(zip(layouts, per_file, counted, strict=True)):
        offset = 0
        for block, (lines, problem, _) in zip(parts, counts, strict=True):
            if problem is not None:
                raise _csv_problem(layout, offset, problem)
            pieces.append(dask.delayed(_csv_piece)(block, layout, index, offset))
            offset += lines
    return pieces


def _csv_problem(layout: CsvLayout, offset: int, problem: tuple) -> InputError:
    what, line, detail = problem
    where = Location(layout.path, offset + line)
    if what == "open_quote":
        return InputError("readers.csv_open_quote", Location(layout.path, offset + line, detail))
    if what == "decode":
        if "://" not in layout.path:
            from checker.readers.textfile import locate_decode_error

            return locate_decode_error(layout.path, layout.encoding)
        return InputError("readers.bad_encoding", where, {"encoding": layout.encoding, "byte": detail})
    if "field larger" in detail:
        from checker.readers.textfile import MAX_LINE

        return InputError("readers.csv_field_too_long", where, {"limit": MAX_LINE})
    return InputError("readers.csv_unreadable", where, {"detail": detail})


def _parquet_problem(name: str) -> Any:
    """Why a Parquet file cannot be read whole (footer, schema, every row group): the detail,
    or the local reader's error for a text cell that is not UTF-8; None when it can be."""
    from checker.readers.parquet_reader import problem_detail

    try:
        with _parquet_file(name) as file:
            return _read_all_groups(file, name)
    except Exception as err:  # noqa: BLE001 - any failure to read is the answer asked for
        return problem_detail(err)  # in both languages, as the local reader gives it


@contextmanager
def _parquet_file(name: str) -> Iterator[Any]:
    """A Parquet file of the log, local or on shared storage (an fsspec URL)."""
    import pyarrow.parquet as pq

    if "://" in name:
        import fsspec

        with fsspec.open(name, "rb") as handle:
            yield pq.ParquetFile(handle)
    else:
        yield pq.ParquetFile(name)


def _read_all_groups(file: Any, name: str) -> InputError | None:
    """Read every row group; the first text cell that is not UTF-8 (pyarrow reads its bytes
    unchecked, pandas then fails) as the local reader says it (readers.parquet_bad_text)."""
    import pyarrow as pa

    from checker.readers.parquet_reader import first_bad_text

    first = 1
    for group in range(file.metadata.num_row_groups):
        table = file.read_row_group(group)
        for column_name, column in zip(table.schema.names, table.columns, strict=True):
            offset = first
            for chunk in column.chunks:
                try:
                    chunk.validate(full=True)
                except pa.ArrowInvalid:
                    bad = first_bad_text(chunk)
                    if bad is not None:
                        row = offset + bad.index
                        args = {"column": str(column_name).strip(), "row": row, "byte": bad.byte}
                        return InputError("readers.parquet_bad_text", Location(name, row), args)
                offset += len(chunk)
        first += table.num_rows
    return None


def _unreadable_parquet(client: Any, files: list[str], log: str, err: BaseException) -> InputError | None:
    """The error to give for `err`, raised while Dask read Parquet files: the first file that
    cannot be read (each is read through once more, on the workers), in the local reader's
    words; else, for a reading error, the log named as a whole."""
    try:
        problems = client.gather(client.map(_parquet_problem, files, pure=False))
    except Exception:  # noqa: BLE001 - the original error is the one to give
        problems = [None] * len(files)
    for name, problem in zip(files, problems, strict=True):
        if isinstance(problem, InputError):
            return problem
        if problem is not None:
            return InputError("parquet.unreadable", Location(name), {"detail": problem})
    if _is_parse_error(err):
        return InputError("dask.unreadable", Location(log), {"detail": _short(err)})
    return None


def audit(
    sop: Any,
    log: str | os.PathLike[str],
    *,
    scheduler: str | None = None,
    as_of: str | date | datetime | None = None,
    calendar: Any = None,
    roster: Any = None,
    read_options: Any = None,
    lang: str = "en",
    partitions: int | None = None,
    blocksize: str | int | None = None,
    rejects: str | None = None,
    progress: Any = None,
) -> Any:
    """Audit a partitioned log on a Dask cluster (`scheduler`: its address; None: a local
    cluster) and return the same checker.conformance.results.Report as checker.api.audit.
    `rejects`: write the rejected rows there as CSV (as --rejects does); `progress` is called
    once, with the number of events, when the cases are back."""
    from checker import api
    from checker.conformance.engine import Auditor
    from checker.conformance.results import Report
    from checker.readers import ReadOptions, check_format_options
    from checker.readers.accounting import Accounting
    from checker.readers.mapping import resolve_plan
    from checker.readers.timeparse import resolve_zone

    files, kind = log_files(log)
    dask, dd, distributed = _dask()
    revisions = api.load_revisions(sop)
    options = api.reading_options(read_options, revisions) or ReadOptions()
    check_format_options(options, kind, Location(os.fspath(log)))
    zone = resolve_zone(options.zone_name)
    as_of_value = api.parse_as_of(as_of)
    cal = api.calendar_for(calendar, revisions)
    if isinstance(roster, str | Path):
        from checker.roster import Roster

        roster = Roster.load(str(roster))
    ordered = sorted(revisions, key=lambda s: s.order)
    settler = Auditor(ordered, cal, roster=roster, zone=zone)
    fixed = settler.as_of(as_of_value) if as_of_value is not None else None

    import logging

    # The p2p shuffle logs each shuffle's start and end as warnings: noise for an auditor.
    logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)
    log_text = os.fspath(log)
    client, cluster = _client(scheduler, distributed)
    try:
        try:
            if kind == "csv":
                read = [_csv_layout(name, options, zone) for name in files]
                layouts = [layout for layout, _ in read]
                columns, plan = layouts[0].columns, read[0][1]
                _same_columns(files, [layout.columns for layout in layouts])
                delimiters = tuple(layout.delimiter for layout in layouts)
            else:
                frames = [dd.read_parquet(name, split_row_groups="adaptive") for name in files]
                stored = [[str(c) for c in frame.columns] for frame in frames]
                _same_columns(files, stored)
                columns = tuple(c.strip() or f"column_{i + 1}" for i, c in enumerate(stored[0]))
                plan = resolve_plan(columns, options.mapping, Location(files[0]))
                frames = [f.rename(columns=dict(zip(f.columns, columns, strict=True))) for f in frames]
                binary = [_binary_columns(name, stored[0], columns) for name in files]
                delimiters = ()
            job = Job(
                revisions=tuple(ordered),
                calendar=cal,
                roster=roster,
                track_documents="documents" in plan.fields,
                case_documents="case_documents" in plan.fields,
                columns=columns,
                plan=plan,
                typed=kind == "parquet",
                delimiters=delimiters,
                zone=zone,
                date_format=options.date_format,
                pair_lifecycle=options.pair_lifecycle,
                fixed_as_of=fixed,
            )
            if kind == "csv":
                pieces = _csv_pieces(dask, layouts, blocksize)
                meta = _csv_piece(b"", layouts[0], 0, 0)
            else:
                names = ("case_id", "activity", "actor")
                identifiers = tuple(plan.fields[name] for name in names if name in plan.fields)
                pieces, meta = _parquet_pieces(dask, frames, binary, identifiers)
            parts = _gather(client, dask, dd, pieces, meta, plan, job, partitions)
        except InputError:
            raise
        except Exception as err:  # noqa: BLE001 - an error reading the log is the user's file
            problem = _read_error(client, files, kind, log_text, err)
            if problem is None:
                raise
            raise problem from None
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    acc = Accounting(grouped=False)
    pending = []
    latest = None
    for part in parts:
        pending.extend(part.pending)
        if part.latest is not None and (latest is None or part.latest > latest):
            latest = part.latest
        acc.add_counts(part)
        acc.notes.extend(part.notes)
    acc.rejected.sort(key=lambda r: r.row)
    acc.duplicates.sort()
    acc.rows_read = acc.accepted + len(acc.rejected)
    acc.events_read = acc.accepted
    if options.strict and acc.rejected:
        first = acc.rejected[0]
        raise InputError(first.reason, Location(files[0], first.row), dict(first.args))
    if rejects:
        from checker.readers.accounting import write_rejects

        write_rejects(rejects, list(acc.rejected), lang)
    if progress is not None:
        progress(acc.events)
    settler.latest = latest
    when = fixed if fixed is not None else settler.as_of(None)
    cases = tuple(sorted((settler.settle(p, when) for p in pending), key=lambda c: c.case_id))
    source = _Source(os.fspath(log), _sha256(files), acc, columns, plan)
    return Report(
        provenance=api._provenance(revisions, source, cal, when, lang),
        rows=_rows(api, source, lang),
        cases=cases,
        perspectives={
            "flow": True,
            "actors": source.has_actor,
            "documents": job.track_documents,
            "time": True,
        },
    )


def _same_columns(files: list[str], columns: list[Any]) -> None:
    for name, these in zip(files[1:], columns[1:], strict=True):
        if list(these) != list(columns[0]):
            raise InputError("dask.columns_differ", Location(name), {"first": files[0]})


def _number(
    frame: Any,
    file_index: int,
    first_row: int,
    binary: tuple[str, ...] = (),
    identifiers: tuple[str, ...] = (),
) -> Any:
    """Add the source row number and file index (before the shuffle loses the order); the
    cells of `binary` columns as the local reader shows them; the cells of `identifiers` (the
    case id, activity and actor columns) that are no identifier kept in HELD, as JSON."""
    import numpy as np
    import pandas as pd

    from checker.readers.parquet_reader import shown_cells

    frame = frame.copy()
    for column in binary:
        # Before the case key and Dask's string conversion, which fails on bytes not UTF-8.
        frame[column] = pd.Series(shown_cells(frame[column].tolist()), index=frame.index, dtype=object)
    frame[HELD] = pd.Series(_held(frame, identifiers), index=frame.index, dtype=object)
    frame[ROW] = np.arange(first_row, first_row + len(frame), dtype="int64")
    frame[FILE] = np.int32(file_index)
    return frame


def _held(frame: Any, identifiers: tuple[str, ...]) -> list[str]:
    """Per row, its cells of `identifiers` that are not identifiers (checker.readers.build
    .is_identifier: a list, struct or map cell) as JSON of Python values, as the local reader
    reads them; "" for a row without one. Only object columns can hold such cells (a boolean or
    a fraction keeps its type through the shuffle, and the row builder rejects it there)."""
    import json

    from checker.readers.build import is_identifier

    held: dict[int, dict[str, Any]] = {}
    for column in dict.fromkeys(identifiers):
        if frame[column].dtype != object:
            continue
        for i, value in enumerate(frame[column].tolist()):
            if value.__class__ is not str and not is_identifier(value):
                held.setdefault(i, {})[column] = _python(value)
    shown = [""] * len(frame)
    for i, cells in held.items():
        shown[i] = json.dumps(cells, ensure_ascii=False, default=str)
    return shown


def _python(value: Any) -> Any:
    """A cell as pyarrow's to_pylist gives it (lists, dicts), not as pandas holds it (a list
    cell is a numpy array, its items numpy scalars)."""
    if isinstance(value, dict):
        return {key: _python(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_python(item) for item in value]
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return _python(tolist()) if hasattr(value, "__len__") else tolist()
    return value


def _binary_columns(name: str, stored: list[str], columns: tuple[str, ...]) -> tuple[str, ...]:
    """The columns (as renamed) of a Parquet file whose Arrow type holds bytes: the local
    reader's rule (parquet_reader.is_binary), as pandas shows them all as object columns."""
    from checker.readers.parquet_reader import is_binary

    with _parquet_file(name) as file:
        schema = file.schema_arrow
    kinds = {field.name: field.type for field in schema}
    return tuple(
        column for original, column in zip(stored, columns, strict=True)
        if original in kinds and is_binary(kinds[original])
    )


def _parquet_pieces(
    dask: Any, frames: list[Any], binary: list[tuple[str, ...]], identifiers: tuple[str, ...]
) -> tuple[list[Any], Any]:
    """The delayed partitions of Parquet files, each row numbered by its 1-based index in its
    file, binary cells as text, cells of `identifiers` that are no identifier kept (_held)."""
    lengths_per_file = dask.compute(*[f.map_partitions(len) for f in frames])
    pieces = []
    for index, (frame, lengths) in enumerate(zip(frames, lengths_per_file, strict=True)):
        offset = 1
        for piece, length in zip(frame.to_delayed(), list(lengths), strict=True):
            pieces.append(dask.delayed(_number)(piece, index, offset, binary[index], identifiers))
            offset += int(length)
    return pieces, _number(frames[0]._meta, 0, 0, binary[0], identifiers)


def _gather(
    client: Any, dask: Any, dd: Any, pieces: list[Any], meta: Any, plan: Any, job: Job, partitions: int | None
) -> list[Part]:
    """Shuffle the numbered rows by case id, audit each partition, gather the parts."""
    table = dd.from_delayed(pieces, meta=meta, verify_meta=False)
    table = table.map_partitions(_key, plan.fields["case_id"], meta=_key(meta, plan.fields["case_id"]))
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    count = partitions or max(table.npartitions, 2 * workers)
    shuffled = table.shuffle(on=KEY, npartitions=count)
    shared = client.scatter(job, broadcast=True)
    tasks = [dask.delayed(_audit_part)(piece, shared) for piece in shuffled.to_delayed()]
    futures = client.compute(tasks)
    return client.gather(futures)


def _read_error(client: Any, files: list[str], kind: str, log: str, err: BaseException) -> InputError | None:
    """The one-line error for an exception raised while the log was read (on the client or,
    sent back, from a worker), or None when it is not about the log."""
    if kind == "parquet":
        return _unreadable_parquet(client, files, log, err)
    missing = _cause(err, (FileNotFoundError, PermissionError, IsADirectoryError))
    if missing is not None:
        where = missing.filename if isinstance(missing.filename, str) else log
        return InputError("file.unreadable", Location(where), {"reason": missing.strerror or _short(missing)})
    if _is_parse_error(err):
        return InputError("dask.unreadable", Location(log), {"detail": _short(err)})
    return None


def _rows(api: Any, source: _Source, lang: str) -> Any:
    import inspect

    if len(inspect.signature(api._rows).parameters) > 1:
        return api._rows(source, lang)
    return api._rows(source)


def _sha256(files: Sequence[str]) -> str | None:
    """The digest the local engine records, when the log is one local file."""
    if len(files) != 1 or "://" in files[0]:
        return None
    import hashlib

    digest = hashlib.sha256()
    with open(files[0], "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cause(err: BaseException, kinds: tuple[type[BaseException], ...]) -> Any:
    """`err` or the first exception in its chain of causes that is one of `kinds`."""
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, kinds):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _is_parse_error(err: BaseException) -> bool:
    names = {"ParserError", "UnicodeDecodeError", "ArrowInvalid", "ArrowException", "EmptyDataError"}
    seen: BaseException | None = err
    while seen is not None:
        if names & {cls.__name__ for cls in type(seen).__mro__}:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _short(err: BaseException) -> str:
    """The first line of the message of `err`'s first cause (Dask wraps a reader's error in
    one of its own that says nothing of the file)."""
    while err.__cause__ is not None:
        err = err.__cause__
    text = str(err).strip().splitlines()
    return (text[0] if text else type(err).__name__)[:200]
