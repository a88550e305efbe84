"""Writing a large file past the OS's page cache (O_DIRECT), in aligned blocks.

A 10M-event JSON report is 3.2 GB. Written through the page cache, every page of it is a fresh
page the kernel must find and fill, then write back at the fsync: on the benchmark's VM that
took 8 s of the audit's serial tail (5 s of system time), against under 2 s for the same bytes
written straight to the disk. A report is written once and not read back by this process, so
caching it only pushes the log and the case store's runs out of memory."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import mmap
import os
import queue
import threading

from checker.conformance.textruns import Span

ALIGN = 4096  # what O_DIRECT asks of addresses, lengths and offsets (a multiple of any block size)
BUFFER = 4 << 20  # bytes gathered before each write

_O_DIRECT = getattr(os, "O_DIRECT", 0)  # Linux (not macOS or Windows)


class DirectWriter:
    """A binary file's descriptor written through aligned buffers with O_DIRECT; the tail that
    does not fill a block is written the usual way by `close`. Made by `direct`.

    Two buffers: while a thread writes one to the disk (os.write lets other threads run), the
    caller fills the other, so reading the case store's runs and writing the report overlap."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._maps = [mmap.mmap(-1, BUFFER), mmap.mmap(-1, BUFFER)]  # anonymous memory: page-aligned
        self._buffer = memoryview(self._maps[0])
        self._fill = 0
        self._direct = True
        self._free: queue.Queue[memoryview] = queue.Queue()
        self._free.put(memoryview(self._maps[1]))
        self._full: queue.Queue[tuple[memoryview, int] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._failed: BaseException | None = None

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        size = len(view)
        while view:
            n = min(len(view), len(self._buffer) - self._fill)
            self._buffer[self._fill : self._fill + n] = view[:n]
            self._fill += n
            view = view[n:]
            if self._fill == len(self._buffer):
                self._hand_over()
        return size

    def write_span(self, span: Span) -> None:
        """A span of another file, read straight into the buffer."""
        offset, left = span.offset, span.length
        while left:
            n = min(left, len(self._buffer) - self._fill)
            got = os.preadv(span.fd, [self._buffer[self._fill : self._fill + n]], offset)
            if got <= 0:
                raise OSError(f"a run of report text ends early (descriptor {span.fd})")
            self._fill += got
            offset += got
            left -= got
            if self._fill == len(self._buffer):
                self._hand_over()

    def flush(self) -> None:
        """Nothing to do: the buffers are written when full, and at `close`."""

    def fileno(self) -> int:
        return self.fd

    def close(self) -> None:
        """Write what is buffered: the whole blocks directly, the rest the usual way."""
        self._wait()
        whole = self._fill // ALIGN * ALIGN
        rest = bytes(self._buffer[whole : self._fill])
        if whole:
            self._write(self._buffer[:whole])
        self._buffered()
        self._write(memoryview(rest))
        self._fill = 0
        self._release()

    def abandon(self) -> None:
        """Stop writing (the report failed): the thread ends, the buffers are freed."""
        self._wait(raising=False)
        self._release()

    def _hand_over(self) -> None:
        """The full buffer to the writing thread; the next free one to fill."""
        if self._failed is not None:
            raise self._failed
        if self._thread is None:
            self._thread = threading.Thread(target=self._writing, name="sopcheck-direct", daemon=True)
            self._thread.start()
        self._full.put((self._buffer, self._fill))
        self._buffer = self._free.get()
        self._fill = 0
        if self._failed is not None:
            raise self._failed

    def _writing(self) -> None:
        while (item := self._full.get()) is not None:
            buffer, size = item
            try:
                if self._failed is None:
                    self._write(buffer[:size])
            except BaseException as err:  # noqa: BLE001 - raised in the caller's thread
                self._failed = err
            self._free.put(buffer)

    def _wait(self, *, raising: bool = True) -> None:
        if self._thread is not None:
            self._full.put(None)
            self._thread.join()
            self._thread = None
        if raising and self._failed is not None:
            raise self._failed

    def _release(self) -> None:
        views = [self._buffer]
        while not self._free.empty():
            views.append(self._free.get())
        for held in (*views, *self._maps):
            # A view still held by an error's traceback keeps its map: freed with it.
            with contextlib.suppress(BufferError):
                if isinstance(held, memoryview):
                    held.release()
                else:
                    held.close()

    def _write(self, block: memoryview) -> None:
        view = memoryview(block)
        while view:
            try:
                written = os.write(self.fd, view)
            except OSError as err:
                # A file system that took the flag but not the write (some network or overlay
                # ones), or a short write that left the rest unaligned: the rest the usual way
                # (not the whole block again, which would write its first bytes twice).
                if err.errno != errno.EINVAL or not self._direct:
                    raise
                self._buffered()
                continue
            if written <= 0:
                raise OSError(errno.EIO, "nothing written")
            view = view[written:]

    def _buffered(self) -> None:
        if self._direct:
            flags = fcntl.fcntl(self.fd, fcntl.F_GETFL)
            fcntl.fcntl(self.fd, fcntl.F_SETFL, flags & ~_O_DIRECT)
            self._direct = False


def direct(fd: int) -> DirectWriter | None:
    """A DirectWriter for an empty regular file open for writing, or None where the system or
    the file system does not offer O_DIRECT (the caller writes the usual way)."""
    if not _O_DIRECT or os.environ.get("SOPCHECK_DIRECT") == "0":
        return None
    try:
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags | _O_DIRECT)
    except OSError:
        return None  # tmpfs, for one
    return DirectWriter(fd)

