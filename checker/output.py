"""Shared output options and atomic writing: a crash never leaves a half-written report."""

from __future__ import annotations

import gzip
import os
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


@contextmanager
def atomic(path: str, *, binary: bool = False, compress: bool = False) -> Iterator[IO[Any]]:
    """A file that appears at `path` only once it is complete (temporary file + rename), open for
    streaming: a crash never leaves a half-written report or log at the target path."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".sopcheck-", dir=directory)
    except OSError as err:  # a missing or read-only folder is the user's, not a bug
        raise InputError("file.unwritable", Location(path), {"reason": err.strerror}) from None
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the output is an ordinary file
    try:
        with os.fdopen(fd, "wb") as raw:
            if compress:
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped:
                    yield zipped
            elif binary:
                yield raw
            else:
                with open(raw.fileno(), "w", encoding="utf-8", newline="", closefd=False) as text:
                    yield text
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_output(content: str | bytes | Iterable[str | bytes], path: str | None) -> None:
    """Write `content` (text, bytes, or an iterable of pieces for large reports) to `path`
    atomically, or to standard output."""
    if path is None or path == "-":
        out = sys.stdout.buffer
        for data in _chunks(content):
            out.write(data)
        out.flush()
        return
    with atomic(path, binary=True) as handle:
        for data in _chunks(content):
            handle.write(data)
