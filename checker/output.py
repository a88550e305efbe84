"""Shared output options and atomic writing: a crash never leaves a half-written report."""

from __future__ import annotations

import errno
import glob
import gzip
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any

import click

from checker.conformance.textruns import Span, write_to
from checker.direct import direct as direct_writer
from checker.errors import InputError, Location
from checker.messages.parsers import os_problem


class EmptyPath(click.BadParameter):
    """An empty file name given to an option or argument (checker.cli says it in the user's
    language)."""


class FilePath(click.Path):
    """click.Path that refuses an empty name: `--rejects ""` would otherwise write nothing and
    say nothing, `-o ""` name the current folder, and `""` as an SOP or log be that folder."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str | bytes) and not value:
            raise EmptyPath("empty file name", ctx=ctx, param=param)
        return super().convert(value, param, ctx)


output_option = click.option(
    "-o",
    "--output",
    type=FilePath(dir_okay=False),
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


def _chunks(
    content: str | bytes | Iterable[str | bytes | Span], spans: bool = False
) -> Iterator[bytes | Span]:
    """The content as bytes, small text pieces gathered into blocks: a large report comes as two
    pieces a case, and encoding and writing each on its own cost more than the writing itself.
    Spans of a case store's runs stay spans with `spans` (the writer copies them file to file:
    textruns.write_to), else come as their bytes."""
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
        if not chunk:
            continue
        if chunk.__class__ is Span and not spans:
            yield from chunk.blocks()  # type: ignore[union-attr]
        else:
            yield chunk if isinstance(chunk, bytes | Span) else chunk.encode("utf-8")
    if pending:
        yield "".join(pending).encode("utf-8")


# Errors of the disk or device written to: the user's to fix (free space, another path).
WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EPIPE})


@contextmanager
def atomic(
    path: str, *, binary: bool = False, compress: bool = False, direct: bool = False
) -> Iterator[IO[Any]]:
    """A file that appears at `path` only once it is complete (temporary file + rename), open for
    streaming: a crash never leaves a half-written report or log at the target path. With
    `direct` (bytes, not compressed), a regular file is written past the page cache where the
    system allows (checker.direct).

    Through a symbolic link the link's target is written (the link stays a link); a device or a
    pipe (/dev/null, a FIFO) cannot be replaced by a file, so it is written to directly."""
    target = os.path.realpath(path)
    try:
        with _opened(path, target, binary=binary, compress=compress, direct=direct) as handle:
            yield handle
    except OSError as err:
        if err.errno not in WRITE_ERRORS:
            raise
        raise InputError("file.unwritable", Location(path), {"reason": os_problem(err)}) from None


@contextmanager
def _opened(path: str, target: str, *, binary: bool, compress: bool, direct: bool) -> Iterator[IO[Any]]:
    try:
        special = not stat.S_ISREG(os.stat(target).st_mode)
    except FileNotFoundError:
        special = False
    if special:
        try:
            raw = open(target, "wb")  # noqa: SIM115 (closed below)
        except OSError as err:
            raise InputError("file.unwritable", Location(path), {"reason": os_problem(err)}) from None
        with raw, _layered(raw, binary=binary, compress=compress) as handle:
            yield handle
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=".sopcheck-", dir=os.path.dirname(target))
    except OSError as err:  # a missing or read-only folder is the user's, not a bug
        raise InputError("file.unwritable", Location(path), {"reason": os_problem(err)}) from None
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the output is an ordinary file
    try:
        with os.fdopen(fd, "wb") as raw:
            if direct and binary and not compress and (writer := direct_writer(fd)) is not None:
                try:
                    yield writer  # type: ignore[misc]
                    writer.close()
                except BaseException:
                    writer.abandon()
                    raise
            else:
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


def write_output(content: str | bytes | Iterable[str | bytes | Span], path: str | None) -> None:
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
            raise InputError("output.unwritable", None, {"reason": os_problem(err)}) from None
        return
    with atomic(path, binary=True, direct=True) as handle:
        for data in _chunks(content, spans=True):
            write_to(handle, data)


# The files a command reads from a folder it is given, unless the input says otherwise: SOP
# revisions and example cases (a log folder gives the endings checker.distributed reads).
YAML_FILES = (".yaml", ".yml")


def refuse_overwrite(outputs: Mapping[str, str | None], inputs: Iterable[tuple[Any, ...]]) -> None:
    """Before any work: InputError at the output when a file the command writes (`outputs`:
    option -> path) is one of its `inputs` ((name as the user knows it, path, and optionally the
    endings of the files read from a folder, YAML_FILES by default): a file, a file of a folder
    given, or of a glob of a partitioned log), or when two outputs name one file.
    Writing would destroy what is read (an SOP replaced by its own audit report), or one output
    the other, without a word.

    Only regular files are compared: a device or a pipe (/dev/null, /dev/stdout) is written to,
    not replaced, and may well be given twice."""
    seen: dict[tuple[int, int] | str, str] = {}
    for option, path in outputs.items():
        if not path or path == "-":
            continue
        try:
            info = os.stat(path)
        except OSError:  # not there yet: only another output can name it
            key: tuple[int, int] | str = os.path.realpath(path)
        else:
            if not stat.S_ISREG(info.st_mode):
                continue
            key = (info.st_dev, info.st_ino)
            for name, given, *reads in inputs:
                where = os.fspath(given) if given is not None else ""
                _refuse_input(option, path, key, name, where, reads[0] if reads else YAML_FILES)
        if key in seen:
            raise InputError("output.twice", Location(path), {"first": seen[key], "second": option})
        seen[key] = option


def _refuse_input(
    option: str, path: str, key: tuple[int, int], name: str, given: str, reads: tuple[str, ...]
) -> None:
    """InputError when the input `given` takes in the existing regular file `path` (identity
    `key`, as os.path.samefile compares; in a folder, a file whose name ends in one of `reads`)."""
    if not given or "://" in given:  # a remote log is not this machine's file
        return
    if os.path.isdir(given):
        folder = os.path.realpath(given)
        try:
            inside = os.path.commonpath([folder, os.path.realpath(path)]) == folder
        except ValueError:  # on another drive
            inside = False
        if inside and path.lower().endswith(reads):
            raise InputError(
                "output.in_input_folder", Location(path), {"output": option, "input": name, "folder": given}
            )
        return
    if os.path.exists(given):
        names = [given]
    elif any(ch in given for ch in "*?["):  # a glob of a partitioned log (--engine dask)
        names = glob.glob(given)
    else:
        return
    if any(_same(other, key) for other in names):
        raise InputError("output.is_input", Location(path), {"output": option, "input": name})


def _same(name: str, key: tuple[int, int]) -> bool:
    try:
        info = os.stat(name)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) == key
