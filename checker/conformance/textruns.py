"""Sorted runs of report text on disk, for a case store that keeps each case's rendering only.

A rendering is a tuple of texts, one per stream (the JSON report: the case's line, its findings'
lines). A run keeps each stream in a file of its own, the cases' texts back to back, and an index
in batches: the batch's case ids, and the byte length of each case's text in each stream.

Runs are merged a stretch at a time, not a case at a time: the source with the smallest next
case id gives every case up to the next source's next id, found by bisection in its index, and
those cases' bytes are copied in one read. A log sorted by case id (most exports) fills runs of
disjoint ranges, so each run is copied nearly whole; the few cases filed out of order (open
cases settled at the end) only cut the runs where they fall.
"""

from __future__ import annotations

import errno
import heapq
import marshal
import os
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO

Texts = tuple[str, ...]
Item = tuple[str, Texts]  # (case id, its texts)
# An index batch: the case ids, then per stream the byte lengths of their texts (from memory:
# the texts themselves).
Batch = tuple[list, ...]

BLOCK = 1 << 20  # bytes read at a time
SPAN = 32 << 10  # bytes of a stretch from which it is copied file to file, not read (Span)
DROP = 1 << 20  # bytes of a run read before they are dropped from the OS's cache
SEPARATOR = "\0"  # between the case ids of an index batch
# Cases in one batch of an index. A merge holds a batch of every run at once: a 10M-event report
# comes in some 200 runs (16 MiB each), and batches of 10,000 held every case id at once.
INDEX_BATCH = 128
WRITE_GROUP = 32  # texts joined for one write: some 80 KB of a JSON report, under malloc's mmap threshold


@dataclass(frozen=True)
class Run:
    """Files `base.0` ... `base.{streams-1}` (the texts) and `base.idx` (the index)."""

    base: str
    streams: int

    def path(self, stream: int) -> str:
        return f"{self.base}.{stream}"

    def remove(self) -> None:
        for stream in range(self.streams):
            os.remove(self.path(stream))
        os.remove(self.base + ".idx")


def write_run(base: str, items: list[Item], streams: int) -> Run:
    """A run of `items`, sorted by case id already."""
    lengths = []
    for stream in range(streams):
        texts = [t[stream] for _, t in items]
        # A text's bytes are its characters when it is ASCII (a flag CPython keeps: no scan).
        lengths.append([len(t) if t.isascii() else len(t.encode("utf-8")) for t in texts])
        # Written WRITE_GROUP texts at a time: one call per text cost more than the copying
        # (0.46 s against 0.32 s for a 1M-event log's report). Joining a run's 16 MiB of text
        # at once made the OS map and fault in fresh pages for every run.
        with open(f"{base}.{stream}", "wb") as handle:
            write = handle.write
            for start in range(0, len(texts), WRITE_GROUP):
                write("".join(texts[start : start + WRITE_GROUP]).encode("utf-8"))
    ids = [case_id for case_id, _ in items]
    with open(base + ".idx", "wb") as handle:
        for start in range(0, len(ids), INDEX_BATCH):
            end = start + INDEX_BATCH
            _write_batch(handle, (ids[start:end], *(sizes[start:end] for sizes in lengths)))
    return Run(base, streams)


def merge_runs(base: str, runs: list[Run], streams: int) -> Run:
    """One run holding every case of `runs`, in case-id order."""
    batch: list[list] = [[] for _ in range(streams + 1)]
    with ExitStack() as files:
        ins = [[_Cursor(files.enter_context(open(run.path(k), "rb"))) for k in range(streams)]
               for run in runs]
        outs = [files.enter_context(open(f"{base}.{k}", "wb")) for k in range(streams)]
        index = files.enter_context(open(base + ".idx", "wb"))
        for n, source, i, j in _stretches(runs, []):
            for k in range(streams):
                for data in ins[n][k].copied(sum(source[k + 1][i:j])):
                    write_to(outs[k], data)
            for column, values in zip(batch, source, strict=True):
                column.extend(values[i:j])
            if len(batch[0]) >= INDEX_BATCH:
                _write_batch(index, tuple(batch))
                batch = [[] for _ in range(streams + 1)]
        if batch[0]:
            _write_batch(index, tuple(batch))
    for run in runs:
        run.remove()
    return Run(base, streams)


def stream(
    runs: list[Run], memory: list[Item], k: int, *, spans: bool = False
) -> Iterator[bytes | Span | str]:
    """The k-th text of every case in `runs` and `memory` (sorted), in case-id order, as pieces:
    UTF-8 bytes from the runs, text from memory. With `spans`, a long stretch of a run comes as
    a Span of its file instead, for a writer that copies it at once (its file is open only
    until the iterator goes on). Cases of equal ids come in the order of `runs`,
    then `memory` (as a k-way merge gives them)."""
    with ExitStack() as files:
        ins = [_Cursor(files.enter_context(open(run.path(k), "rb"))) for run in runs]
        for n, source, i, j in _stretches(runs, memory):
            if n == len(runs):
                yield from source[k + 1][i:j]  # one by one: the writer gathers them in blocks
            elif spans:
                yield from ins[n].copied(sum(source[k + 1][i:j]))
            else:
                for piece in ins[n].copied(sum(source[k + 1][i:j])):
                    yield from piece.blocks() if piece.__class__ is Span else (piece,)  # type: ignore[union-attr]


def _stretches(runs: list[Run], memory: list[Item]) -> Iterator[tuple[int, Batch, int, int]]:
    """(source number, batch, i, j): the cases batch[0][i:j] of source n come next, in case-id
    order. Sources are the runs, then memory (number len(runs), its batch holding the texts)."""
    sources: list[Iterator[Batch]] = [_read_index(run.base + ".idx") for run in runs]
    if memory:
        texts = tuple(zip(*(texts for _, texts in memory), strict=True))
        sources.append(iter([([case_id for case_id, _ in memory], *map(list, texts))]))
    current: list[Batch] = [()] * len(sources)
    heap: list[tuple[str, int]] = []
    at = [0] * len(sources)
    for n, batches in enumerate(sources):
        if (batch := next(batches, None)) is not None and batch[0]:
            current[n] = batch
            heap.append((batch[0][0], n))
    heapq.heapify(heap)
    while heap:
        _, n = heapq.heappop(heap)
        batch, i = current[n], at[n]
        ids = batch[0]
        if heap:
            # Up to the next source's next case; on equal ids the lower-numbered source first.
            bound, other = heap[0]
            j = (bisect_right if n < other else bisect_left)(ids, bound, i)
        else:
            j = len(ids)
        yield n, batch, i, j
        if j == len(ids):
            batch = next(sources[n], None)
            if batch is None or not batch[0]:
                continue
            current[n], j = batch, 0
        at[n] = j
        heapq.heappush(heap, (current[n][0][j], n))


class Span:
    """`length` bytes of an open run file from `offset`: a stretch long enough to be copied file
    to file by the writer (`write_to`, os.copy_file_range), not read into memory and written
    back. Sliced like bytes (the report's first item loses its comma: audit._listed)."""

    __slots__ = ("fd", "length", "offset")

    def __init__(self, fd: int, offset: int, length: int) -> None:
        self.fd, self.offset, self.length = fd, offset, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, cut: slice) -> Span:
        start, stop, step = cut.indices(self.length)
        if step != 1:
            raise ValueError("a span is cut in one piece")
        return Span(self.fd, self.offset + start, max(0, stop - start))

    def blocks(self) -> Iterator[bytes]:
        """The bytes, a block at a time."""
        done = 0
        while done < self.length:
            data = os.pread(self.fd, min(self.length - done, BLOCK), self.offset + done)
            if not data:
                raise OSError(f"a run of report text ends early (descriptor {self.fd})")
            done += len(data)
            yield data


def write_to(handle: IO[bytes], piece: bytes | Span) -> None:
    """Write bytes or a span to a binary file: a span copied by the kernel (os.copy_file_range)
    where the file allows it, which costs a fraction of reading it and writing it back."""
    if piece.__class__ is not Span:
        handle.write(piece)  # type: ignore[arg-type]
        return
    span: Span = piece  # type: ignore[assignment]
    if (copy := getattr(handle, "write_span", None)) is not None:
        copy(span)  # checker.direct.DirectWriter: into its buffer
        return
    handle.flush()
    out = handle.fileno()
    done = 0
    while done < span.length and _KERNEL_COPY[0]:
        try:
            copied = os.copy_file_range(span.fd, out, span.length - done, span.offset + done)
        except OSError as err:
            if err.errno not in _NO_KERNEL_COPY:
                raise  # the disk's problem (full, read-only): the caller says it
            _KERNEL_COPY[0] = False  # not between these files (another file system, a pipe)
            break
        if copied == 0:
            break  # some file systems copy nothing rather than refuse: read the rest (a span
            # that truly ends early is said so by its blocks)
        done += copied
    for data in span[done:].blocks():
        handle.write(data)


_KERNEL_COPY = [hasattr(os, "copy_file_range")]  # off for the rest of the process once refused
_NO_KERNEL_COPY = frozenset(
    getattr(errno, name) for name in ("EXDEV", "EINVAL", "ENOSYS", "EOPNOTSUPP", "EBADF", "ETXTBSY", "EPERM")
    if hasattr(errno, name)
)


class _Cursor:
    """A run's file, read front to back a stretch at a time: short stretches as bytes (buffered
    reads), long ones as spans for the writer to copy file to file. What has been read leaves
    the OS's cache DROP bytes at a time, and the report written next takes the pages up: fresh
    pages cost several times as much to write into (on this VM: 5-8 s against 0.8 s of system
    time for 3.2 GB), and writing the 10M-event report was most of the serial tail of an audit.
    In blocks, not for every stretch: the runs of a log not sorted by case id are read a case
    at a time, and a call for each cost a 1M-event audit 4 s of system time."""

    __slots__ = ("done", "dropped", "handle")

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.done = 0  # bytes read so far
        self.dropped = 0  # ... of which dropped from the cache

    def copied(self, size: int) -> Iterator[bytes | Span]:
        """The next `size` bytes, in blocks, or as one span when there are many."""
        if size >= SPAN:
            yield Span(self.handle.fileno(), self.done, size)
            self.done += size
            self.handle.seek(self.done)
            self._dropping()
            return
        while size > 0:
            data = self.handle.read(min(size, BLOCK))
            if not data:
                raise OSError(f"a run of report text ends early: {self.handle.name}")
            size -= len(data)
            self.done += len(data)
            self._dropping()
            yield data

    def _dropping(self) -> None:
        if self.done - self.dropped >= DROP:
            _drop(self.handle.fileno(), self.dropped, self.done - self.dropped)
            self.dropped = self.done


def _drop(fd: int, offset: int, length: int) -> None:
    if _DONTNEED is not None:
        os.posix_fadvise(fd, offset, length, _DONTNEED)


_DONTNEED = getattr(os, "POSIX_FADV_DONTNEED", None)  # not on Windows or macOS


def _write_batch(handle: IO[bytes], batch: Batch) -> None:
    # The ids as one text when no id holds the separator: a list of short strings loads in 40
    # times the time of one text. Each batch comes after its size in bytes: marshal.load
    # on a file reads an object a few bytes at a time.
    ids = batch[0]
    joined = SEPARATOR.join(ids)
    if joined.count(SEPARATOR) == len(ids) - 1:
        batch = (joined, *batch[1:])
    blob = marshal.dumps(batch)
    handle.write(len(blob).to_bytes(8, "little"))
    handle.write(blob)


def _read_index(path: str) -> Iterator[Batch]:
    with open(path, "rb") as handle:
        while size := handle.read(8):
            batch = marshal.loads(handle.read(int.from_bytes(size, "little")))
            if batch[0].__class__ is str:
                batch = (batch[0].split(SEPARATOR), *batch[1:])
            yield batch
