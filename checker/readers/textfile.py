"""Text files (CSV, JSON Lines): encoding checks and line reading with a bound on line length.

UTF-8 with or without BOM is read without options. Any other encoding is a clear error naming the
line and byte, unless `--encoding` says what the file is. A line longer than MAX_LINE characters
is never held in memory whole: it is skipped in chunks and its row rejected.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from checker.errors import InputError, Location

SAMPLE = 1 << 16
MAX_LINE = 1 << 20  # characters; a longer line is a broken export, not an event
RAW_PREFIX = 200


def check_path(path: str) -> None:
    import os

    if not os.path.exists(path):
        raise InputError("file.not_found", Location(path))
    if os.path.isdir(path):
        raise InputError("file.is_directory", Location(path))


def read_head(path: str, size: int = SAMPLE) -> bytes:
    check_path(path)
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError as err:
        raise InputError("file.unreadable", Location(path), {"reason": err.strerror}) from None


def sniff_encoding(path: str, head: bytes, encoding: str | None, at_end: bool) -> str:
    """The encoding to open `path` with, after refusing empty, compressed, binary and non-UTF-8
    files. `head` is the file's first bytes; `at_end` says it is the whole file."""
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InputError("file.empty", Location(path))
    if head.startswith(b"\x1f\x8b"):
        raise InputError("readers.compressed", Location(path))
    if head.startswith(b"PK\x03\x04"):
        raise InputError("readers.zip_file", Location(path))
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise InputError("readers.bad_encoding_name", None, {"encoding": encoding}) from None
        if not name.startswith(("utf-16", "utf-32")):
            _refuse_binary(path, head)
        return "utf-8-sig" if name == "utf-8" else name
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("readers.utf16", Location(path, 1))
    _refuse_binary(path, head)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=at_end)
    except UnicodeDecodeError as err:
        raise not_utf8(path, head, err.start) from None
    return "utf-8-sig"


def _refuse_binary(path: str, head: bytes) -> None:
    if b"\x00" in head:
        line = head[: head.index(b"\x00")].count(b"\n") + 1
        raise InputError("file.binary", Location(path, line))


def not_utf8(path: str, data: bytes, offset: int, first_line: int = 1) -> InputError:
    before = data[:offset]
    line = first_line + before.count(b"\n")
    column = offset - (before.rfind(b"\n") + 1) + 1
    return InputError("readers.not_utf8", Location(path, line, column), {"byte": f"0x{data[offset]:02x}"})


def locate_decode_error(path: str, encoding: str) -> InputError:
    """Find the first line `encoding` cannot decode (the text layer reads ahead in blocks, so
    its error does not say which line)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with open(path, "rb") as handle:
        while True:
            chunk = handle.readline(MAX_LINE)
            if not chunk:
                break
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as err:
                if encoding.startswith("utf-8"):
                    return not_utf8(path, chunk, err.start, line)
                return InputError(
                    "readers.bad_encoding",
                    Location(path, line),
                    {"encoding": encoding, "byte": f"0x{chunk[err.start]:02x}"},
                )
            if chunk.endswith(b"\n"):
                line += 1
    return InputError("readers.bad_encoding", Location(path), {"encoding": encoding, "byte": "?"})


@dataclass
class LineState:
    """Side channel of bounded_lines: whether a line was too long, and its start."""

    overlong: bool = False
    prefix: str = ""


def bounded_lines(
    handle: IO[str], state: LineState, path: str, encoding: str, limit: int = MAX_LINE
) -> Iterator[str]:
    """The lines of `handle`; a line longer than `limit` is drained in chunks and replaced by an
    empty line, with `state.overlong` set, so that its row can be rejected."""
    readline = handle.readline
    while True:
        try:
            line = readline(limit)
            if not line:
                return
            if len(line) >= limit and line[-1] not in "\r\n":
                state.overlong = True
                state.prefix = line[:RAW_PREFIX]
                while True:
                    more = readline(limit)
                    if not more or more[-1] in "\r\n":
                        break
                line = "\n"
        except UnicodeDecodeError:
            raise locate_decode_error(path, encoding) from None
        yield line


# Encodings in which a line feed is the byte 0x0A and nothing else is: a line can be found by
# counting those bytes.
BYTE_LINES = ("utf-8", "ascii", "latin-1", "iso8859", "cp125")


def line_offsets(path: str, encoding: str, lines: list[int], chunk: int = 1 << 23) -> list[int] | None:
    """The byte offset where each of `lines` (1-based physical line numbers, ascending) starts,
    as the text layer counts lines; None when bytes cannot say (a multi-byte encoding other than
    UTF-8, or a bare CR line end before the last line wanted, which the text layer counts as a
    line end too)."""
    if not codecs.lookup(encoding).name.startswith(BYTE_LINES):
        return None
    offsets: list[int] = []
    wanted = iter(lines)
    target = next(wanted, None)
    line, base, after_cr = 1, 0, False
    with open(path, "rb") as handle:
        while target is not None:
            data = handle.read(chunk)
            if not data:
                return None
            crs = data.count(b"\r")
            if crs and crs != data.count(b"\r\n") + data.endswith(b"\r"):
                return None
            if after_cr and not data.startswith(b"\n"):
                return None
            after_cr = data.endswith(b"\r")
            feeds = data.count(b"\n")
            at = -1
            while target is not None and line + feeds >= target:
                # The line `target` starts after the (target - line)-th line feed of this chunk.
                for _ in range(target - line):
                    at = data.index(b"\n", at + 1)
                feeds -= target - line
                line = target
                offsets.append(base + at + 1)
                target = next(wanted, None)
            line += feeds
            base += len(data)
    return offsets


def line_numbers(path: str, offsets: list[int], chunk: int = 1 << 23) -> list[int]:
    """The physical line (1-based) starting at each of `offsets` (byte offsets of line starts,
    ascending), counting line feeds: line_offsets the other way round, for a file whose line
    ends bytes can find (see there)."""
    numbers: list[int] = []
    feeds, base = 0, 0
    with open(path, "rb") as handle:
        for offset in offsets:
            while base < offset:
                data = handle.read(min(chunk, offset - base))
                if not data:
                    raise ValueError(f"offset {offset} is past the end of {path}")
                feeds += data.count(b"\n")
                base += len(data)
            numbers.append(feeds + 1)
    return numbers
