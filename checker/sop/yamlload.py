"""Safe YAML loading that remembers where every node is.

PyYAML's safe loader is the base. On top of it: duplicate keys are errors (PyYAML silently keeps
the last one), alias expansion is bounded (billion laughs), files are size-capped and must be
UTF-8, a scalar may not hold a lone surrogate (an escape such as "\\ud800": no character, and no
report can write it), and every problem becomes an InputError with file:line:column. Positions
are recorded by the keys as loaded (None for `null:`), so that a data path finds its node.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from checker.errors import InputError, Location
from checker.messages.parsers import os_problem, yaml_problem

MAX_BYTES = 5 * 1024 * 1024  # an SOP is a few kilobytes; a 50 MB file is a mistake or an attack
MAX_NODES = 200_000  # nodes after alias expansion

Path = tuple[Any, ...]  # keys as loaded: mostly str, but `1:` is 1 and `null:` is None

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class YamlDocument:
    """A loaded YAML file: the plain data, and the 1-based (line, column) of every node by path.

    `positions[path]` is where the value at `path` starts; `key_positions[path]` is where the key
    that holds it starts (for mapping members).
    """

    path: str
    text: str
    data: Any
    positions: Mapping[Path, tuple[int, int]]
    key_positions: Mapping[Path, tuple[int, int]]

    def locate(self, path: Path, *, key: bool = False) -> Location:
        """The location of `path`, or of its nearest ancestor that exists."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while probe:
            if probe in table:
                line, column = table[probe]
                return Location(self.path, line, column)
            if key and probe in self.positions:
                line, column = self.positions[probe]
                return Location(self.path, line, column)
            probe = probe[:-1]
        line, column = self.positions.get((), (1, 1))
        return Location(self.path, line, column)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and keeps dates as ISO strings (the JSON Schema
    checks their format, and JSON has no date type)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.keys: dict[yaml.Node, Any] = {}  # each mapping key's node -> the key as loaded

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if isinstance(node, yaml.ScalarNode) and _SURROGATE.search(node.value):
            node.value = _join_surrogates(node)
        try:
            value = super().construct_object(node, deep=deep)
            if value.__class__ is int and value.bit_length() > 14_000:
                str(value)  # a hexadecimal 0xFFF... beyond Python's 4300 digits fails every message
            return value
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as err:
            # PyYAML's own constructors fail this way on an explicit tag the value does not fit
            # (`!!int x`, `!!bool maybe`, `!!timestamp 2024-13-45`); say which value, where.
            if not isinstance(node, yaml.ScalarNode):
                raise
            tag = node.tag.rsplit(":", 1)[-1]
            args = {"tag": f"!!{tag}", "value": node.value}
            raise _Problem("yaml.bad_tagged_value", node.start_mark, args) from err


def _join_surrogates(node: yaml.ScalarNode) -> str:
    """The scalar's text with each escaped surrogate pair ("\\ud83d\\ude00", as JSON tools write a
    character outside the BMP) joined into its character; a lone surrogate is refused here, at
    its scalar, rather than when a report cannot encode it."""
    text = node.value
    index = 0
    while index < len(text):
        if "\ud800" <= text[index] <= "\udbff" and "\udc00" <= text[index + 1 : index + 2] <= "\udfff":
            index += 2  # a pair
        elif "\ud800" <= text[index] <= "\udfff":
            raise _Problem("yaml.lone_surrogate", node.start_mark, {"code": f"\\u{ord(text[index]):04x}"})
        else:
            index += 1
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    if not isinstance(node, yaml.MappingNode):  # `!!map [1]`: PyYAML's own error says so
        return loader.construct_mapping(node, deep=deep)
    # Only the keys written in this mapping can clash: a key merged in with `<<: *anchor` is
    # meant to be overridden by one written here (YAML merge), so look before flattening.
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise _Problem("yaml.unhashable_key", key_node.start_mark, {}) from None
        if key in seen:
            first = seen[key].start_mark
            args = {"key": key_node.value, "first": first.line + 1}  # as written: `null`, not None
            raise _Problem("yaml.duplicate_key", key_node.start_mark, args)
        seen[key] = key_node
    loader.flatten_mapping(node)
    for key_node, _ in node.value:  # merged keys included: their nodes are recorded by them
        if isinstance(key_node, yaml.ScalarNode):
            loader.keys[key_node] = loader.construct_object(key_node, deep=deep)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Problem(Exception):
    def __init__(self, key: str, mark: Any, args: dict[str, Any]) -> None:
        super().__init__(key)
        self.key, self.mark, self.args_ = key, mark, args


def _location(path: str, mark: Any) -> Location:
    if mark is None:
        return Location(path)
    return Location(path, mark.line + 1, mark.column + 1)


def read_text(path: str) -> str:
    """The file's text, or an InputError: missing, too large, not UTF-8, empty."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError("file.not_found", Location(path)) from None
    except IsADirectoryError:
        raise InputError("file.is_directory", Location(path)) from None
    except OSError as err:
        raise InputError("file.unreadable", Location(path), {"reason": os_problem(err)}) from None
    if len(raw) > MAX_BYTES:
        raise InputError("file.too_large", Location(path), {"limit_mb": MAX_BYTES // 1024 // 1024})
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        # Columns count characters, as YAML positions and editors do, not bytes.
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        raise InputError(
            "file.not_utf8", Location(path, line, column), {"byte": f"0x{raw[err.start]:02x}"}
        ) from None
    if not text.strip():
        raise InputError("file.empty", Location(path))
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError("file.binary", Location(path, line))
    return text


def load_yaml(path: str, text: str | None = None) -> YamlDocument:
    """Load one YAML document from `path` (or from `text`, named `path`)."""
    if text is None:
        text = read_text(path)
    try:
        # The reader checks for unprintable characters as soon as it is built.
        loader = _Loader(text)
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        column = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        reason = yaml_problem(f"unacceptable character #x{err.character:04x}: {err.reason}")
        raise InputError("yaml.syntax", Location(path, line, column), {"reason": reason}) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError("file.empty", Location(path))
        _check_expansion(node)
        data = loader.construct_document(node)
        keys = loader.keys
    except _Problem as problem:
        raise InputError(problem.key, _location(path, problem.mark), problem.args_) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        reason = (err.problem or err.context or "invalid YAML").strip()
        # PyYAML says "found character '\\t' that cannot start any token" for tab indentation.
        if "'\\t'" in reason:
            raise InputError("yaml.tab", _location(path, mark)) from None
        # PyYAML's English, with its Indonesian when the table in checker.messages.parsers has it.
        raise InputError("yaml.syntax", _location(path, mark), {"reason": yaml_problem(reason)}) from None
    except yaml.YAMLError as err:
        raise InputError("yaml.syntax", Location(path), {"reason": yaml_problem(str(err).strip())}) from None
    except RecursionError:
        raise InputError("yaml.too_deep", Location(path)) from None
    finally:
        loader.dispose()
    positions: dict[Path, tuple[int, int]] = {}
    key_positions: dict[Path, tuple[int, int]] = {}
    _record(node, (), positions, key_positions, keys)
    return YamlDocument(path, text, data, positions, key_positions)


def _check_expansion(root: yaml.Node) -> None:
    """Refuse documents whose aliases expand to too many nodes (billion laughs)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > 200:
            raise _Problem("yaml.too_deep", node.start_mark, {})
        known = sizes.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                total += size(key, depth + 1) + size(value, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item, depth + 1)
        if total > MAX_NODES:
            raise _Problem("yaml.alias_bomb", node.start_mark, {"limit": MAX_NODES})
        sizes[id(node)] = total
        return total

    size(root, 0)


def _record(
    node: yaml.Node,
    path: Path,
    positions: dict[Path, tuple[int, int]],
    key_positions: dict[Path, tuple[int, int]],
    keys: Mapping[yaml.Node, Any],
) -> None:
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            # The key as loaded, as the data (and a JSON Schema error's path) has it: `1:` is 1,
            # `null:` is None, `"1":` is "1".
            child = (*path, keys.get(key_node, key_node.value))
            key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _record(value_node, child, positions, key_positions, keys)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), positions, key_positions, keys)


def show(value: Any, *, limit: int = 60) -> str:
    """A loaded value as YAML writes it, for messages: null, true, 1.5, .nan, 'text' (quoted, so
    that '1' and 1 differ), [a list], {a: map}, !!binary data. Never a Python repr (None, True,
    b'...'). Cut to about `limit` characters."""
    text = _show(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, str):
        if value.isprintable():
            return "'" + value.replace("'", "''") + "'"
        return json.dumps(value, ensure_ascii=False)  # a YAML double-quoted scalar, escapes shown
    if isinstance(value, bytes):
        return "!!binary " + base64.b64encode(value).decode("ascii")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_show(k)}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def plain(value: Any) -> str:
    """A key or a listed value for messages: text as it is, anything else as YAML writes it
    (`null:` is named null, not None)."""
    return value if isinstance(value, str) else _show(value)
