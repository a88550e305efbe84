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
from checker.messages.parsers import os_problem

SAMPLE = 1 << 16
MAX_LINE = 1 << 20  # characters; a longer line is a broken export, not an event
RAW_PREFIX = 200


def check_path(path: str) -> None:
    import os
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError("file.not_found", Location(path)) from None
    except OSError as err:
        raise InputError("file.unreadable", Location(path), {"reason": os_problem(err)}) from None
    if stat.S_ISDIR(mode):
        raise InputError("file.is_directory", Location(path))
    if not stat.S_ISREG(mode):
        # A pipe (`<(...)`, a FIFO) or a device: a log is read more than once (its head, the
        # grouping pre-scan, the hash), which a stream cannot give; opening a FIFO would wait.
        raise InputError("readers.not_a_file", Location(path))


def read_head(path: str, size: int = SAMPLE) -> bytes:
    check_path(path)
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError as err:
        raise InputError("file.unreadable", Location(path), {"reason": os_problem(err)}) from None


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
        info = encoding_info(encoding)
        name = info.name
        if name in _BOMS and not head.startswith(_BOMS[name]):
            # Without a BOM these decoders stop at once: the byte order must be named.
            order = _utf16_order(head)
            if order is not None:
                raise InputError("readers.utf16_no_bom", Location(path, 1), {"suggest": order})
            raise InputError("readers.no_bom", Location(path, 1), {"encoding": name})
        _refuse_unusable(encoding, info, head, at_end)
        if not name.startswith(("utf-16", "utf-32")):
            _refuse_binary(path, head)
        return "utf-8-sig" if name == "utf-8" else name
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("readers.utf16", Location(path, 1))
    order = _utf16_order(head)
    if order is not None:
        raise InputError("readers.utf16_no_bom", Location(path, 1), {"suggest": order})
    _refuse_binary(path, head)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=at_end)
    except UnicodeDecodeError as err:
        raise not_utf8(path, head, err.start) from None
    return "utf-8-sig"


_BOMS = {
    "utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
    "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE),
}


def lookup_codec(encoding: str) -> codecs.CodecInfo:
    """codecs.lookup, with InputError `readers.bad_encoding_name` for a name it refuses: an
    unknown one (LookupError), or one holding a NUL or a lone surrogate (an invalid byte on the
    command line), which the lookup refuses with ValueError or UnicodeEncodeError."""
    try:
        return codecs.lookup(encoding)
    except (LookupError, ValueError):  # UnicodeEncodeError is a ValueError
        raise InputError("readers.bad_encoding_name", None, {"encoding": encoding}) from None


def encoding_info(encoding: str) -> codecs.CodecInfo:
    """The codec called `encoding`; InputError for an unknown name or a codec that does not
    turn bytes into text (base64, rot13)."""
    info = lookup_codec(encoding)
    if not getattr(info, "_is_text_encoding", True):
        raise InputError("readers.unusable_encoding", None, {"encoding": encoding})
    return info


def _refuse_unusable(encoding: str, info: codecs.CodecInfo, head: bytes, at_end: bool) -> None:
    """InputError for a text codec that stops on any file (idna, which takes no error handler)."""
    try:
        codecs.getincrementaldecoder(info.name)("replace").decode(head[:4096], final=at_end)
    except (UnicodeError, LookupError, TypeError, ValueError):
        raise InputError("readers.unusable_encoding", None, {"encoding": encoding}) from None


def _utf16_order(head: bytes) -> str | None:
    """utf-16-le or utf-16-be when `head` looks like UTF-16 text without a BOM (mostly ASCII:
    every other byte NUL, the rest not), else None."""
    even, odd = head[0:4096:2], head[1:4096:2]
    if len(odd) < 8:
        return None
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


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
            except UnicodeError:  # the codec's own, naming no byte
                args = {"encoding": encoding, "byte": "?"}
                return InputError("readers.bad_encoding", Location(path, line), args)
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
        except UnicodeError:  # a decode error, or another of the codec's own (no position)
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
    if not lookup_codec(encoding).name.startswith(BYTE_LINES):
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
