"""Shared output options and atomic writing: a crash never leaves a half-written report."""

from __future__ import annotations

import errno
import gzip
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any

import click

from checker.errors import InputError, Location

output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the report to this file (atomically) instead of standard output.",
)


def format_option(formats: Mapping[str, Callable], default: str = "text") -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(sorted(formats)),
        default=default,
        show_default=True,
        help="Output format.",
    )


def printable(text: str) -> str:
    """`text` with control characters escaped (a newline or a terminal escape taken from the
    user's input stays one visible line)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def printable_lines(text: str) -> str:
    """Text for a terminal: each line printable (a log's own control characters, such as a
    terminal escape in an actor's name, are shown escaped, not obeyed)."""
    return "\n".join(printable(line) for line in text.split("\n"))


BLOCK = 1 << 20  # characters of text gathered into one write


def _chunks(content: str | bytes | Iterable[str | bytes]) -> Iterator[bytes]:
    """The content as bytes, small text pieces gathered into blocks: a large report comes as two
    pieces a case, and encoding and writing each on its own cost more than the writing itself."""
    if isinstance(content, str | bytes):
        content = (content,)
    pending: list[str] = []
    size = 0
    for chunk in content:
        if isinstance(chunk, str):
            pending.append(chunk)
            size += len(chunk)
            if size < BLOCK:
                continue
            chunk = ""
        if pending:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
        if chunk:
            yield chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
    if pending:
        yield "".join(pending).encode("utf-8")


# Errors of the disk or device written to: the user's to fix (free space, another path).
WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EPIPE})


@contextmanager
def atomic(path: str, *, binary: bool = False, compress: bool = False) -> Iterator[IO[Any]]:
    """A file that appears at `path` only once it is complete (temporary file + rename), open for
    streaming: a crash never leaves a half-written report or log at the target path.

    Through a symbolic link the link's target is written (the link stays a link); a device or a
    pipe (/dev/null, a FIFO) cannot be replaced by a file, so it is written to directly."""
    target = os.path.realpath(path)
    try:
        with _opened(path, target, binary=binary, compress=compress) as handle:
            yield handle
    except OSError as err:
        if err.errno not in WRITE_ERRORS:
            raise
        raise InputError("file.unwritable", Location(path), {"reason": err.strerror}) from None


@contextmanager
def _opened(path: str, target: str, *, binary: bool, compress: bool) -> Iterator[IO[Any]]:
    try:
        special = not stat.S_ISREG(os.stat(target).st_mode)
    except FileNotFoundError:
        special = False
    if special:
        try:
            raw = open(target, "wb")  # noqa: SIM115 (closed below)
        except OSError as err:
            raise InputError("file.unwritable", Location(path), {"reason": err.strerror}) from None
        with raw, _layered(raw, binary=binary, compress=compress) as handle:
            yield handle
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=".sopcheck-", dir=os.path.dirname(target))
    except OSError as err:  # a missing or read-only folder is the user's, not a bug
        raise InputError("file.unwritable", Location(path), {"reason": err.strerror}) from None
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the output is an ordinary file
    try:
        with os.fdopen(fd, "wb") as raw:
            with _layered(raw, binary=binary, compress=compress) as handle:
                yield handle
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@contextmanager
def _layered(raw: IO[bytes], *, binary: bool, compress: bool) -> Iterator[IO[Any]]:
    """`raw` as the caller writes to it: gzip-compressed, bytes, or UTF-8 text."""
    if compress:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped:
            yield zipped
    elif binary:
        yield raw
    else:
        with open(raw.fileno(), "w", encoding="utf-8", newline="", closefd=False) as text:
            yield text


def write_output(content: str | bytes | Iterable[str | bytes], path: str | None) -> None:
    """Write `content` (text, bytes, or an iterable of pieces for large reports) to `path`
    atomically, or to standard output."""
    if path is None or path == "-":
        out = sys.stdout.buffer
        try:
            for data in _chunks(content):
                out.write(data)
            out.flush()
        except BrokenPipeError:
            raise  # the reader went away (`| head`): the CLI ends quietly
        except OSError as err:
            if err.errno not in WRITE_ERRORS:
                raise
            raise InputError("output.unwritable", None, {"reason": err.strerror}) from None
        return
    with atomic(path, binary=True) as handle:
        for data in _chunks(content):
            handle.write(data)
