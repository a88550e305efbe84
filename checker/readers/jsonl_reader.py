"""JSON Lines logs: one JSON object per line (`.jsonl`, `.ndjson`; a `.json` file whose first
value is an object). Keys are columns: the same names and mapping as CSV; `documents` may be a
JSON list. The columns are the keys of every object in the file. Row numbers are line numbers;
blank lines and objects with no value (`{}`, every key null or blank) are not rows (`blank_rows`).

A `.json` file holding one JSON array of objects (a typical API answer) is read whole, since an
array cannot be streamed without a streaming JSON parser; rows are then positions in the array.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from checker.errors import InputError, Location
from checker.messages.parsers import json_problem, own_detail
from checker.readers.accounting import Note, Rejected
from checker.readers.build import BLANK, DictBuilder, RawEvent, missing, text
from checker.readers.grouping import is_grouped
from checker.readers.mapping import resolve_plan
from checker.readers.options import ReadOptions
from checker.readers.textfile import (
    MAX_LINE,
    SAMPLE,
    LineState,
    bounded_lines,
    read_head,
    sniff_encoding,
)

PEEK = 1000  # objects whose keys give a first guess at the case column (columns: every key)
TOO_DEEP = own_detail("detail.json_too_deep")
# What a line holds instead of an object, by its Python type (checker.messages.libraries).
_FOUND = {
    "int": "detail.json_int",
    "float": "detail.json_float",
    "str": "detail.json_str",
    "bool": "detail.json_bool",
    "NoneType": "detail.json_none",
    "list": "detail.json_list",
    "dict": "detail.json_dict",
}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def lone_surrogate(value: Any) -> str | None:
    """The first lone surrogate in a parsed JSON value, as its escape (\\ud800), or None.
    (json.dumps walks the value in C; a pair of escapes was joined into one character.)"""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as err:
        return f"\\u{ord(err.object[err.start]):04x}"
    except (RecursionError, ValueError):
        return None
    return None


def first_char(path: str, encoding: str | None) -> str:
    head = read_head(path)
    sniff_encoding(path, head, encoding, at_end=len(head) < SAMPLE)
    text = head.decode(encoding or "utf-8-sig", errors="replace").lstrip("\ufeff \t\r\n")
    return text[:1]


class JsonlReader:
    format = "jsonl"
    reiterable = True

    def __init__(self, path: str, options: ReadOptions, zone: tzinfo) -> None:
        self.path = path
        head = read_head(path)
        self.encoding = sniff_encoding(path, head, options.encoding, at_end=len(head) < SAMPLE)
        columns: dict[str, None] = {}
        objects = 0
        first_problem: tuple[int, Any] | None = None
        for line_no, value, _ in self._values():
            if isinstance(value, dict):
                columns.update(dict.fromkeys(value))
                objects += 1
                if objects >= PEEK:
                    break
            elif value is not BLANK and first_problem is None:
                first_problem = (line_no, _describe(value))
        if objects == 0:
            if first_problem is None:
                raise InputError("file.empty", Location(path))
            raise InputError(
                "readers.not_jsonl", Location(path, first_problem[0]), {"detail": first_problem[1]}
            )
        mapping, location = options.mapping, Location(path, 1)
        try:  # the case column the whole file most likely has, to group by in the same pass
            case_column = resolve_plan(tuple(columns), mapping, location).fields.get("case_id")
        except InputError:  # a column only later objects have: decided on all of them below
            case_column = None
        # The columns are the keys of every object, not of the first ones: a key first met late
        # (an actor, a lifecycle) is still its field, whatever the objects before it hold.
        columns, grouped = self._scan(case_column)
        self.columns = tuple(columns)
        self.plan = resolve_plan(self.columns, mapping, location)
        self.builder = DictBuilder(self.plan, zone, options.date_format)
        if self.plan.fields.get("case_id") != case_column:  # rare: a later key won; group again
            _, grouped = self._scan(self.plan.fields.get("case_id"))
        self.grouped = grouped
        self.notes: tuple[Note, ...] = self.plan.notes
        self.has_actor = "actor" in self.plan.fields
        self.has_documents = "documents" in self.plan.fields

    def _scan(self, case_column: str | None) -> tuple[dict[str, None], bool]:
        """The keys of every object, and whether the objects are grouped by the case id in
        `case_column` (True when it is None), in one pass."""
        columns: dict[str, None] = {}

        def ids() -> Iterator[str | None]:
            for _, value, _ in self._values():
                if isinstance(value, dict):
                    columns.update(dict.fromkeys(value))
                    yield text(value.get(case_column)) if case_column is not None else None

        stream = ids()
        grouped = is_grouped(stream)
        for _ in stream:  # is_grouped stops at the first case that comes back: the rest's keys
            pass
        return columns, grouped

    def _values(self) -> Iterator[tuple[int, Any, str]]:
        """(line, parsed value or BLANK or a _Problem, raw line) per line."""
        with open(self.path, encoding=self.encoding, newline="") as handle:
            state = LineState()
            line_no = 0
            loads = json.loads
            for line in bounded_lines(handle, state, self.path, self.encoding):
                line_no += 1
                if state.overlong:
                    state.overlong = False
                    yield (
                        line_no,
                        _Problem("readers.reject.line_too_long", {"limit": MAX_LINE}),
                        (state.prefix + "..."),
                    )
                    continue
                text = line.strip()
                if not text:
                    yield line_no, BLANK, ""
                    continue
                try:
                    value = loads(text)
                except ValueError as err:
                    # The decoder's English with its Indonesian (checker.messages.parsers).
                    problem = _Problem("readers.reject.bad_json", {"detail": json_problem(str(err))})
                    yield line_no, problem, text
                    continue
                except RecursionError:
                    yield line_no, _Problem("readers.reject.bad_json", {"detail": TOO_DEEP}), text
                    continue
                # Only an escape can give a lone surrogate (decoding refuses one in the bytes);
                # no report could write it, so the row goes before anything holds it.
                if "\\u" in text and _SURROGATE_ESCAPE.search(text):
                    lone = lone_surrogate(value)
                    if lone is not None:
                        value = _Problem("readers.reject.lone_surrogate", {"code": lone})
                yield line_no, value, text

    def items(self) -> Iterator[Any]:
        # A case id, activity or actor that is not text or an integer (true, a list, a fraction)
        # is the builder's to reject (build.not_identifier), as for every reader of typed cells.
        build = self.builder.build
        for line_no, value, raw in self._values():
            if value is BLANK:
                yield BLANK
            elif isinstance(value, dict):
                result = build(line_no, value)
                if result.__class__ is RawEvent:
                    yield result
                elif all(missing(v) for v in value.values()):  # {} or all null: no row, as in
                    yield BLANK  # a .json array and every other format (accounting)
                else:
                    yield Rejected(line_no, result.key, result.args, raw)
            elif isinstance(value, _Problem):
                yield Rejected(line_no, value.key, value.args, raw)
            else:
                yield Rejected(line_no, "readers.reject.not_object", {}, raw)


class _Problem:
    def __init__(self, key: str, args: dict[str, Any]) -> None:
        self.key, self.args = key, args


def _describe(value: Any) -> Any:
    if isinstance(value, _Problem):
        if "detail" in value.args:
            return value.args["detail"]
        from checker.messages import t
        from checker.sop.model import Text

        # The reason in both languages (InputError.render picks one).
        return Text(t(value.key, "id", **value.args), t(value.key, "en", **value.args))
    return _found(value)


def _found(value: Any) -> Any:
    """What a JSON value is, in both languages (a type JSON does not give: its Python name)."""
    name = type(value).__name__
    return own_detail(_FOUND[name]) if name in _FOUND else name


def load_json_array(path: str, encoding: str) -> list[Any]:
    """A `.json` file holding an array, read whole."""
    try:
        with open(path, encoding=encoding) as handle:
            data = json.load(handle)
    except UnicodeDecodeError:
        from checker.readers.textfile import locate_decode_error

        raise locate_decode_error(path, encoding) from None
    except ValueError as err:
        line = getattr(err, "lineno", None)
        detail = json_problem(str(err))
        raise InputError("readers.bad_json_file", Location(path, line), {"detail": detail}) from None
    except RecursionError:
        raise InputError("readers.bad_json_file", Location(path), {"detail": TOO_DEEP}) from None
    if not isinstance(data, list):
        raise InputError("readers.not_jsonl", Location(path, 1), {"detail": _found(data)})
    return data
