"""CSV (and TSV) logs: delimiter given or sniffed from the header line (`,` `;` tab `|`, or an
Excel `sep=;` first line), UTF-8 with or without BOM, quoted fields with newlines.

Row numbers are the physical line where a record starts (the header is line 1). The file is read
twice: a quick pass finds whether it is grouped by case (and refuses a header-only file), then
the real pass streams the events.

A grouped file can be read in shares (`--jobs`, checker.readers.share): each worker process
reads only its span of lines (from a byte offset the pre-scan found), or, where byte offsets
cannot be trusted, the whole file building only the rows of its share of the cases. Opened
without its pre-scan (`scan=False`), a file can also be cut at byte offsets before the pre-scan
(byte_spans): spans that hold only if the pre-scan, made meanwhile in a thread, finds the
file grouped and plain (checker.conformance.runner).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from checker.errors import InputError, Location
from checker.readers.accounting import Note, Rejected
from checker.readers.build import BLANK, Bad, ListBuilder, RawEvent
from checker.readers.grouping import grouped_in_bounded_memory, is_grouped
from checker.readers.mapping import resolve_plan
from checker.readers.options import ReadOptions
from checker.readers.share import CutFinder, owner_of
from checker.readers.textfile import (
    BYTE_LINES,
    MAX_LINE,
    SAMPLE,
    LineState,
    bounded_lines,
    line_numbers,
    line_offsets,
    locate_decode_error,
    lookup_codec,
    read_head,
    sniff_encoding,
)

CANDIDATES = (",", ";", "\t", "|")
SEP_LINE = re.compile(r"sep=(.)\s*$")
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}

NEXT_CASE_LIMIT = 1 << 26  # bytes byte_spans looks through for a case start after a cut
HEAD_SAMPLE = 1 << 20  # bytes at the start of a file byte_spans looks at first (see there)
PLAIN_BLOCK = 1 << 20  # characters the quick pre-scan reads at a time (their lines are held at once)
ROW_BLOCK = 1 << 16  # ... and the plain split of rows (held while their events are built)

Record = tuple[int, list[str] | None, Bad | None, str]
# A share's part of the file: its first line, the byte offset of that line, the line the next
# share starts at (None: the end of the file), and whether the file is plain (_quick_prescan).
Span = tuple[int, int, int | None, bool]


def sniff_delimiter(line: str) -> str:
    """The candidate delimiter occurring most often outside quotes in the header line."""
    counts = dict.fromkeys(CANDIDATES, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(CANDIDATES, key=lambda c: counts[c])
    return best if counts[best] else ","


def delimiter_option(value: str) -> str:
    named = _DELIMITER_NAMES.get(value.lower(), value)
    if len(named) != 1 or named in '\r\n"':
        raise InputError("readers.bad_delimiter", None, {"delimiter": value})
    return named


def _has_rows(records: Iterator[Record]) -> bool:
    """Whether a data row follows (the pre-scan's count of rows above zero): a record that is not
    blank, or that cannot be read."""
    return any(problem is not None or (fields and any(f.strip() for f in fields))
               for _, fields, problem, _ in records)


_LINE_END = re.compile(r"\r\n|\r|\n")  # as the text layer (newline="") ends lines
_QUOTED = re.compile(r'"(?:[^"]|"")*+"')  # possessive: an escaped "" never ends the field


def open_quote(text: str, delimiter: str) -> int | None:
    """The offset in `text` (whole records) of a quote that opens a field and is never closed,
    as the csv module (doublequote, not strict) reads it: a quote opens a field only at its
    start; after the closing quote the field goes on unquoted to the next delimiter."""
    unquoted = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    at, end = 0, len(text)
    while at < end:
        if text[at] == '"':
            match = _QUOTED.match(text, at)
            if match is None:
                return at
            at = match.end()
        at = unquoted.match(text, at).end() + 1  # past the delimiter or line end
    return None


def quote_place(text: str, at: int) -> tuple[int, int]:
    """Where offset `at` of `text` is: (line ends before it, 1-based column in its line)."""
    before = text[:at]
    return len(_LINE_END.findall(before)), at - max(before.rfind("\n"), before.rfind("\r"))


def _ends_with_line_end(path: str, encoding: str) -> bool:
    """Whether the file's last byte ends a line (False where bytes cannot say: see BYTE_LINES)."""
    if not lookup_codec(encoding).name.startswith(BYTE_LINES):
        return False
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        if not handle.tell():
            return False
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) in (b"\n", b"\r")


def _text_from_line(path: str, encoding: str, line: int) -> str:
    """The file's text from the start of physical line `line` to its end (the last record only,
    which the csv module has held whole already: no bigger than its fields)."""
    offsets = line_offsets(path, encoding, [line])
    with open(path, encoding=encoding, newline="") as handle:
        if offsets is not None:
            handle.buffer.seek(offsets[0])
        else:
            # Counted as bounded_lines counts: a piece of an overlong line ends no line.
            seen = 1
            while seen < line:
                piece = handle.readline(MAX_LINE)
                if not piece:
                    return ""
                seen += piece[-1] in "\r\n"
        return handle.read()


class _NotPlain(Exception):
    """The file needs the csv module's reading (quotes, CR-only line ends, NUL, an overlong line)."""


def _plain_lines(handle: Any, size: int, *, check: bool) -> Iterator[list[str]]:
    """The lines of a text file read `size` characters at a time, as a list for each block (a
    CR LF's CR stays on its line; the last line may have no end). With `check`, _NotPlain where a
    block holds a quote, a NUL or a bare CR, or a line grows to MAX_LINE."""
    tail = ""
    while True:
        block = handle.read(size)
        if not block:
            if tail:
                yield [tail]
            return
        if block[-1] == "\r":
            block += handle.read(1)  # keep a CR LF whole: it is not a bare CR
        if check and (
            '"' in block or "\x00" in block or ("\r" in block and block.count("\r") != block.count("\r\n"))
        ):
            raise _NotPlain
        lines = (tail + block).split("\n")
        tail = lines.pop()
        if check and len(tail) >= MAX_LINE:
            raise _NotPlain
        yield lines


class CsvReader:
    format = "csv"
    reiterable = True

    def __init__(
        self,
        path: str,
        options: ReadOptions,
        zone: tzinfo,
        *,
        share: tuple[int, int] | None = None,
        span: Span | None = None,
        scan: bool = True,
    ) -> None:
        self.path = path
        # (index, count): build only the rows of this share's cases (checker.readers.share), or
        # with a span the rows of those lines; the file is known to be grouped (the process that
        # made the share pre-scanned it).
        self.share = share
        self.span = span
        self.cuts: CutFinder[int] = CutFinder()
        self._tail_closed = False  # the last record was seen to close its quotes (see there)
        head = read_head(path)
        self.encoding = sniff_encoding(path, head, options.encoding, at_end=len(head) < SAMPLE)
        first_line = head.decode(self.encoding, errors="replace").lstrip("\ufeff").split("\n", 1)[0]
        sep = SEP_LINE.fullmatch(first_line.strip("\r"))
        self.skip_lines = 1 if sep else 0
        if options.delimiter:
            self.delimiter = delimiter_option(options.delimiter)
        elif sep:
            self.delimiter = sep.group(1)
        elif path.lower().endswith(".tsv"):
            self.delimiter = "\t"
        else:
            self.delimiter = sniff_delimiter(first_line)
        csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE))
        records = self._records()
        try:
            self.header_line, header = self._header(records)
            self.columns = self._columns(header)
            location = Location(path, self.header_line)
            self.plan = resolve_plan(self.columns, options.mapping, location)
            self.builder = ListBuilder(self.columns, self.plan, zone, options.date_format, typed=False)
            # A plain file (see _quick_prescan) is split into rows without the csv module.
            self.plain = bool(span and span[3])
            # Without `scan`, the pre-scan waits until `grouped` is first asked for (or another
            # process makes it, see byte_spans); only whether a data row exists is looked at now.
            self._grouped: bool | None = None
            if share:
                self._grouped, rows = True, 1
            elif scan:
                self._grouped, rows = self._prescan(records)
            else:
                rows = int(_has_rows(records))
        finally:
            records.close()
        if rows == 0:
            raise InputError("readers.header_only", location)
        self.notes: tuple[Note, ...] = self.plan.notes
        self.has_actor = "actor" in self.plan.fields
        self.has_documents = "documents" in self.plan.fields

    @property
    def scanned(self) -> bool:
        return self._grouped is not None

    @property
    def grouped(self) -> bool:
        if self._grouped is None:
            records = self._records()
            try:
                for start, _, _, _ in records:
                    if start >= self.header_line:
                        break
                self._grouped, _ = self._prescan(records)
            finally:
                records.close()
        return self._grouped

    def byte_spans(self, count: int) -> list[Span] | None:
        """Spans cut at about equal byte offsets, each where the case id differs from the line
        before, found without reading the file through; None where bytes cannot say where
        lines start (see line_offsets). They are spans of case starts only if the file is
        grouped and plain: the pre-scan (made meanwhile, in a thread) must confirm both."""
        if not lookup_codec(self.encoding).name.startswith(BYTE_LINES) or not self.head_shareable():
            return None
        size = os.path.getsize(self.path)
        offsets: list[int] = []
        with open(self.path, "rb") as handle:
            for i in range(1, count):
                handle.seek(max(size * i // count, offsets[-1] if offsets else 0))
                handle.readline()  # the rest of a line begun before
                offset = self._next_case_start(handle)
                if offset is None:
                    return None
                offsets.append(offset)
        lines = line_numbers(self.path, offsets)
        if lines[0] <= self.header_line or len(set(lines)) < len(lines):
            return None
        starts = [(self.header_line, 0), *zip(lines, offsets, strict=True)]
        stops: list[int | None] = [*lines, None]
        return [(line, offset, stop, True) for (line, offset), stop in zip(starts, stops, strict=True)]

    def head_shareable(self) -> bool:
        """Whether the file's first HEAD_SAMPLE bytes are grouped and plain (no quote, no bare
        CR). An export sorted by time interleaves its cases from the first lines on: cutting it
        before the pre-scan would only start workers to be stopped (an ungrouped 1M-event file
        took 10-17% longer that way)."""
        with open(self.path, "rb") as handle:
            text = handle.read(HEAD_SAMPLE).decode(self.encoding, errors="replace")
        if '"' in text or text.count("\r") != text.count("\r\n"):
            return False
        lines = text.split("\n")[self.header_line : -1]  # the last one may be cut short
        return is_grouped(map(self._line_key, lines))

    def _line_key(self, line: str) -> str | None:
        """The case id of a line of a plain file (split only as far as it), None if it has none."""
        index = self.builder.i_case
        parts = line.rstrip("\r\n").split(self.delimiter, index + 1)
        return (parts[index].strip() or None) if index < len(parts) else None

    def _next_case_start(self, handle: Any) -> int | None:
        """The offset of the first line, from `handle`'s position, whose case id differs from
        the first one read (lines without one are passed over); None at the end of the file or
        past NEXT_CASE_LIMIT bytes."""
        begin, first = handle.tell(), None
        while True:
            offset = handle.tell()
            line = handle.readline(MAX_LINE)
            if not line or offset - begin > NEXT_CASE_LIMIT:
                return None
            key = self._line_key(line.decode(self.encoding, errors="replace"))
            if key is None:
                continue
            if first is None:
                first = key
            elif key != first:
                return offset

    def _records(self, span: Span | None = None) -> Iterator[Record]:
        """(start line, fields, problem) for each record, blank lines included as []; with a
        span, the records of its lines only."""
        with open(self.path, encoding=self.encoding, newline="") as handle:
            state = LineState()
            if span is not None and span[1]:
                handle.buffer.seek(span[1])  # nothing read yet: the decoder holds no state
            lines = bounded_lines(handle, state, self.path, self.encoding)
            offset = self.skip_lines
            if span is not None and span[1]:
                offset = span[0] - 1
            else:
                for _ in range(self.skip_lines):
                    next(lines, None)
            stop = span[2] if span is not None else None
            reader = csv.reader(lines, delimiter=self.delimiter)
            previous, start, fields = 0, 0, []
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    if fields:
                        self._refuse_open_quote(start, fields)
                    return
                except csv.Error as err:
                    # Only a runaway quoted field (over MAX_LINE: an unclosed quote) or a NUL
                    # gets here; what follows cannot be split into rows with any confidence.
                    start = offset + previous + 1
                    if "field larger" in str(err):
                        raise InputError(
                            "readers.csv_field_too_long", Location(self.path, start), {"limit": MAX_LINE}
                        ) from None
                    raise InputError(
                        "readers.csv_unreadable", Location(self.path, start), {"detail": str(err)}
                    ) from None
                start = offset + previous + 1
                if stop is not None and start >= stop:
                    return
                previous = reader.line_num
                if state.overlong:
                    state.overlong = False
                    raw = state.prefix + "..."
                    yield start, None, Bad("readers.reject.line_too_long", {"limit": MAX_LINE}), raw
                    continue
                yield start, fields, None, ""

    def _refuse_open_quote(self, start: int, fields: list[str]) -> None:
        """InputError where the last record, starting at line `start`, leaves a quote open at the
        end of the file. The csv module ends such a field quietly at the end of the file: every
        row after a stray quote would be lost inside it, uncounted."""
        if self._tail_closed:
            return
        # Cheap first: an open quote keeps the line ends it swallows, and only a file without a
        # final line end can hide one opened on its last line.
        if not any("\n" in f or "\r" in f for f in fields) and _ends_with_line_end(self.path, self.encoding):
            self._tail_closed = True
            return
        text = _text_from_line(self.path, self.encoding, start)
        at = open_quote(text, self.delimiter)
        if at is None:
            self._tail_closed = True
            return
        lines, column = quote_place(text, at)
        raise InputError("readers.csv_open_quote", Location(self.path, start + lines, column))

    def _header(self, records: Iterator[Record]) -> tuple[int, list[str]]:
        for start, fields, problem, _ in records:
            if problem is not None:
                if problem.key == "readers.reject.line_too_long":
                    raise InputError("readers.header_too_long", Location(self.path, start))
                raise InputError("readers.csv_unreadable", Location(self.path, start), dict(problem.args))
            if fields and any(f.strip() for f in fields):
                return start, fields
        raise InputError("file.empty", Location(self.path))

    def _columns(self, header: list[str]) -> tuple[str, ...]:
        columns: list[str] = []
        for i, name in enumerate(header):
            name = name.lstrip("\ufeff").strip()
            if not name:
                name = f"column_{i + 1}"
            if name in columns:
                raise InputError(
                    "readers.duplicate_column",
                    Location(self.path, self.header_line, i + 1),
                    {"column": name},
                )
            columns.append(name)
        return tuple(columns)

    def _prescan(self, records: Iterator[Record]) -> tuple[bool, int]:
        quick = self._quick_prescan()
        if quick is not None:
            self.plain = True
            return quick
        rows = 0
        case_key = self.builder.case_key

        def keys(records: Iterator[Record]) -> Iterator[tuple[str | None, int]]:
            nonlocal rows
            for start, fields, problem, _ in records:
                if problem is not None:
                    rows += 1
                    yield None, start
                    continue
                key = case_key(fields) if fields else None
                if key is None and (not fields or not any(f.strip() for f in fields)):
                    continue  # blank
                rows += 1
                yield key, start

        # Memory does not grow with the log: no set of every case id (see the function).
        grouped = grouped_in_bounded_memory(self.cuts.watch(keys(records)), self.case_keys_again)
        return grouped, rows

    def _quick_prescan(self) -> tuple[bool, int] | None:
        """The pre-scan of a file without a quote character, CR-only line end, NUL or overlong
        line (a plain export), where every line is a record and a split on the delimiter is what
        the csv module would give: 2.6 times faster on the 1M-event bench log. None when the
        file is not plain: then the csv module's pre-scan runs from the start (what was noted
        here is dropped)."""
        if self.delimiter == '"':
            return None
        rows = 0

        def keys() -> Iterator[tuple[str | None, int]]:
            nonlocal rows
            index, delimiter, limit = self.builder.i_case, self.delimiter, MAX_LINE
            line = 0
            with open(self.path, encoding=self.encoding, newline="") as handle:
                for lines in _plain_lines(handle, PLAIN_BLOCK, check=True):
                    for text in lines:
                        line += 1
                        if line <= self.header_line:
                            continue
                        if len(text) >= limit:
                            raise _NotPlain
                        # Only as far as the case id; strip() takes a CR LF's CR with the spaces.
                        parts = text.split(delimiter, index + 1)
                        key = (parts[index].strip() or None) if index < len(parts) else None
                        if key is None and not any(f.strip() for f in text.split(delimiter)):
                            continue  # blank
                        rows += 1
                        yield key, line

        try:
            grouped = grouped_in_bounded_memory(self.cuts.watch(keys()), self.case_keys_again)
        except (_NotPlain, UnicodeError):
            self.cuts = CutFinder()
            return None
        return grouped, rows

    def case_keys_again(self) -> Iterator[str | None]:
        """The case id of every record after the header, read anew (the pre-scan's second look)."""
        case_key = self.builder.case_key
        fresh = self._records()
        try:
            for start, fields, problem, _ in fresh:
                if start > self.header_line:
                    yield None if problem is not None or not fields else case_key(fields)
        finally:
            fresh.close()

    def spans(self, count: int) -> list[Span] | None:
        """Each share's lines, cut where a case starts, or None (then shares go by hash)."""
        lines = self.cuts.positions(count)
        if lines is None:
            return None
        offsets = line_offsets(self.path, self.encoding, lines)
        if offsets is None:
            return None
        starts = [(self.header_line, 0), *zip(lines, offsets, strict=True)]
        stops: list[int | None] = [*lines, None]
        return [(line, offset, stop, self.plain) for (line, offset), stop in zip(starts, stops, strict=True)]

    def _plain_records(self, span: Span | None = None) -> Iterator[Record]:
        """_records of a plain file: each line a record, its fields split on the delimiter (what
        the csv module gives for a line without quotes, 1.5 times faster)."""
        delimiter, line, skip = self.delimiter, 0, self.skip_lines
        with open(self.path, encoding=self.encoding, newline="") as handle:
            if span is not None and span[1]:
                handle.buffer.seek(span[1])
                line, skip = span[0] - 1, 0
            stop = span[2] if span is not None else None
            try:
                for lines in _plain_lines(handle, ROW_BLOCK, check=False):
                    for text in lines:
                        line += 1
                        if stop is not None and line >= stop:
                            return
                        if line <= skip:
                            continue
                        if text and text[-1] == "\r":
                            text = text[:-1]
                        yield line, text.split(delimiter) if text else [], None, ""
            except UnicodeError:
                raise locate_decode_error(self.path, self.encoding) from None

    def items(self) -> Iterator[Any]:
        records = self._plain_records(self.span) if self.plain else self._records(self.span)
        build = self.builder.build
        header_seen = bool(self.span and self.span[1])  # a later span starts past the header
        index, count = (0, 1) if self.span else (self.share or (0, 1))
        case_key = self.builder.case_key
        try:
            for start, fields, problem, raw in records:
                if not header_seen:
                    if start == self.header_line:
                        header_seen = True
                    continue
                if count > 1 and owner_of(case_key(fields) if fields else None, count) != index:
                    continue
                if problem is not None:
                    yield Rejected(start, problem.key, problem.args, raw)
                    continue
                result = build(start, fields)
                if result.__class__ is RawEvent:
                    yield result
                elif not any(f.strip() for f in fields):
                    yield BLANK
                else:
                    yield Rejected(start, result.key, result.args, self.raw(fields))
        finally:
            records.close()

    def raw(self, fields: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.delimiter, lineterminator="").writerow(fields)
        return buffer.getvalue()

