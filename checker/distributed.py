"""The Dask engine (`sopcheck audit --engine dask`): a partitioned log, read by Dask, shuffled by
case id so that every case is audited whole on one worker, gathered into one Report that is the
local engine's (checker.api.audit).

    report = checker.distributed.audit("sop.yaml", "exports/2025-*.parquet",
                                       scheduler="tcp://10.0.0.5:8786")

How it stays the local engine's report:
- the columns are mapped by the readers' own plan (checker.readers.mapping.resolve_plan) and
  each row becomes a raw event through the readers' own builder (ListBuilder: strings for CSV,
  typed cells for Parquet), so the same rows are accepted, rejected and numbered;
- row numbers are computed before the shuffle, per file, as the local readers count them (CSV:
  the record's line, the header being line 1; Parquet: the 1-based row index);
- after the shuffle each worker restores source order, groups the rows by case, assembles cases
  with the readers' `assemble` (time order, duplicates, lifecycle pairing) and audits them with
  checker.conformance.engine.Auditor (the SOP revisions and the calendar are pickled to it);
- the pending results come back to the client, are settled against one audit date (--as-of, or
  the latest event of the whole log) and sorted by case id.

Differences from the local engine (see docs/scale.md): the provenance's log path is the path or
pattern given, and its sha256 is computed only when that is one local file; CSV row numbers
assume one record per line (no line breaks inside quoted fields, no blank lines), and a CSV row
with more fields than the header stops Dask's parser instead of being rejected.

Dask (`pip install 'sopcheck[dask]'`) is imported only here.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from checker.errors import InputError, Location

CSV_ENDINGS = (".csv", ".tsv", ".txt")
PARQUET_ENDINGS = (".parquet", ".parq", ".pq")
ROW, FILE, KEY = "__sopcheck_row__", "__sopcheck_file__", "__sopcheck_case__"
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
    zone: Any
    date_format: str | None
    pair_lifecycle: bool
    fixed_as_of: datetime | None


def _number(frame: Any, file_index: int, first_row: int) -> Any:
    """Add the source row number and file index (before the shuffle loses the order)."""
    import numpy as np

    frame = frame.copy()
    frame[ROW] = np.arange(first_row, first_row + len(frame), dtype="int64")
    frame[FILE] = np.int32(file_index)
    return frame


def _key(frame: Any, column: str) -> Any:
    """The case id as the readers read it (text of the cell, None when missing): the shuffle
    key, so that "12" and 12.0 in different files are one case as they are locally."""
    from checker.readers.build import text

    frame = frame.copy()
    frame[KEY] = [text(v) or "" for v in frame[column].tolist()]
    return frame


def _audit_part(frame: Any, job: Job) -> Part:
    """Audit the cases of one shuffled partition."""
    from checker.conformance.engine import Auditor, Pending
    from checker.readers.accounting import Accounting, Rejected
    from checker.readers.build import ListBuilder, RawEvent, missing
    from checker.readers.grouping import assemble

    auditor = Auditor(
        job.revisions,
        job.calendar,
        roster=job.roster,
        track_documents=job.track_documents,
        case_documents=job.case_documents,
    )
    builder = ListBuilder(job.columns, job.plan, job.zone, job.date_format, typed=job.typed)
    build = builder.build
    frame = frame.sort_values([FILE, ROW], kind="stable")
    rows = frame[ROW].tolist()
    acc = Accounting()
    part = Part()
    by_case: dict[str, list] = {}
    values_iter = frame[list(job.columns)].itertuples(index=False, name=None)
    for row, values in zip(rows, values_iter, strict=True):
        if not job.typed:
            values = tuple("" if v is None or v != v else v for v in values)
        result = build(row, values)
        if result.__class__ is RawEvent:
            acc.accepted += 1
            by_case.setdefault(result.case_id, []).append(result)
        elif all(missing(v) for v in values):
            acc.blank_rows += 1
        else:
            raw = ",".join("" if missing(v) else str(v) for v in values)
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
    cluster = distributed.LocalCluster(
        n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
    )
    return distributed.Client(cluster), cluster


def _read(dd: Any, files: list[str], kind: str, options: Any, blocksize: str | int | None) -> list[Any]:
    """One Dask DataFrame per file (partitions never span files, so rows number per file)."""
    frames = []
    for name in files:
        if kind == "csv":
            delimiter = _delimiter(name, options)
            frames.append(
                dd.read_csv(
                    name,
                    dtype=str,
                    keep_default_na=False,
                    na_filter=False,
                    sep=delimiter,
                    encoding=options.encoding or "utf-8-sig",
                    blocksize=blocksize or "64MiB",
                    skip_blank_lines=False,
                )
            )
        else:
            frames.append(dd.read_parquet(name, split_row_groups="adaptive"))
    return frames


def _delimiter(name: str, options: Any) -> str:
    from checker.readers.csv_reader import delimiter_option, sniff_delimiter

    if options.delimiter:
        return delimiter_option(options.delimiter)
    if name.lower().endswith(".tsv"):
        return "\t"
    if "://" in name:
        return ","
    with open(name, encoding=options.encoding or "utf-8-sig", errors="replace") as handle:
        return sniff_delimiter(handle.readline())


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
    from checker.readers import ReadOptions
    from checker.readers.accounting import Accounting
    from checker.readers.mapping import resolve_plan
    from checker.readers.timeparse import resolve_zone

    files, kind = log_files(log)
    dask, dd, distributed = _dask()
    revisions = api.load_revisions(sop)
    options = api.reading_options(read_options, revisions) or ReadOptions()
    zone = resolve_zone(options.zone_name)
    as_of_value = api.parse_as_of(as_of)
    cal = api.calendar_for(calendar, revisions)
    if isinstance(roster, str | Path):
        from checker.roster import Roster

        roster = Roster.load(str(roster))
    ordered = sorted(revisions, key=lambda s: s.order)
    settler = Auditor(ordered, cal, roster=roster)
    fixed = settler.as_of(as_of_value) if as_of_value is not None else None

    import logging

    # The p2p shuffle logs each shuffle's start and end as warnings: noise for an auditor.
    logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)
    client, cluster = _client(scheduler, distributed)
    try:
        try:
            frames = _read(dd, files, kind, options, blocksize)
            stored = [str(c) for c in frames[0].columns]
        except (OSError, ValueError) as err:
            raise InputError("dask.unreadable", Location(files[0]), {"detail": _short(err)}) from None
        columns = tuple(c.lstrip("\ufeff").strip() or f"column_{i + 1}" for i, c in enumerate(stored))
        plan = resolve_plan(columns, options.mapping, Location(files[0], 1))
        frames = [f.rename(columns=dict(zip(f.columns, columns, strict=False))) for f in frames]
        job = Job(
            revisions=tuple(ordered),
            calendar=cal,
            roster=roster,
            track_documents="documents" in plan.fields,
            case_documents="case:documents" in columns,
            columns=columns,
            plan=plan,
            typed=kind == "parquet",
            zone=zone,
            date_format=options.date_format,
            pair_lifecycle=options.pair_lifecycle,
            fixed_as_of=fixed,
        )
        parts = _gather(client, dask, dd, frames, kind, plan, job, partitions)
    except InputError:
        raise
    except Exception as err:  # noqa: BLE001 - a worker's parse error is the user's file
        if _is_parse_error(err):
            raise InputError("dask.unreadable", Location(files[0]), {"detail": _short(err)}) from None
        raise
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


def _gather(
    client: Any, dask: Any, dd: Any, frames: list[Any], kind: str, plan: Any, job: Job, partitions: int | None
) -> list[Part]:
    """Number the rows per file, shuffle by case id, audit each partition, gather the parts."""
    first_row = 2 if kind == "csv" else 1
    lengths_per_file = dask.compute(*[f.map_partitions(len) for f in frames])
    numbered = []
    for index, (frame, lengths) in enumerate(zip(frames, lengths_per_file, strict=True)):
        offset = first_row
        for piece, length in zip(frame.to_delayed(), list(lengths), strict=True):
            numbered.append(dask.delayed(_number)(piece, index, offset))
            offset += int(length)
    meta = _number(frames[0]._meta, 0, 0)
    table = dd.from_delayed(numbered, meta=meta, verify_meta=False)
    table = table.map_partitions(_key, plan.fields["case_id"], meta=_key(meta, plan.fields["case_id"]))
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    count = partitions or max(table.npartitions, 2 * workers)
    shuffled = table.shuffle(on=KEY, npartitions=count)
    shared = client.scatter(job, broadcast=True)
    tasks = [dask.delayed(_audit_part)(piece, shared) for piece in shuffled.to_delayed()]
    futures = client.compute(tasks)
    return client.gather(futures)


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


def _is_parse_error(err: BaseException) -> bool:
    names = {cls.__name__ for cls in type(err).__mro__}
    return bool(
        names & {"ParserError", "UnicodeDecodeError", "ArrowInvalid", "ArrowException", "EmptyDataError"}
    )


def _short(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else type(err).__name__)[:200]
