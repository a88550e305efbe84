"""XES logs (IEEE 1849): `.xes` and `.xes.gz` (gzip recognised by its bytes, not its name).

Streamed with lxml iterparse: each event's attributes are read when its element ends, then the
element is cleared; a trace is cleared (with everything before it) when it ends. Memory is
bounded by the largest trace (and, while the log is opened, by one case id a trace). Typed
attributes: string, id, date (aware datetime), int, float, boolean, list, container; nested
meta-attributes are ignored. Trace attributes are case attributes (`concept:name` is the case
id). The standard extensions concept, time, org and
lifecycle are the columns `concept:name`, `time:timestamp`, `org:resource` (`org:role`,
`org:group` when there is no resource) and `lifecycle:transition`. `<global>` default values are
not applied: a missing attribute stays missing rather than becoming "UNKNOWN". The columns are
the attribute keys of every event and every trace in the file (a key first met in the last trace
is a column as much as one of the first): how a trace is read never depends on the traces
before it.

Safety: no entity expansion (resolve_entities=False), no network, no DTD loading, libxml2's size
limits kept (huge_tree=False); a DOCTYPE with an internal subset (entity declarations) or an
external identifier is refused before any element is read. A truncated gzip file is refused when
the log is opened.

Row numbers are the line of the `<event>` start tag. The raw text of a rejected event is its
attributes as JSON.

A case id names one case, in every format: traces with the same case id are read as one case,
their events together, as the rows of one case id are wherever they are in a CSV file
(checker.readers.grouping); a note names the id and the lines of its traces. Such a log is then
not grouped: the first pass finds it (the case id of every trace), and its events are regrouped
through the spill file as an ungrouped CSV file's rows are.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from typing import IO, Any

from lxml import etree

from checker.errors import InputError, Location
from checker.messages.parsers import os_problem, xml_problem
from checker.readers.accounting import Note, Rejected
from checker.readers.build import Bad, CaseEnd, DictBuilder, RawEvent, is_identifier, not_identifier, text
from checker.readers.mapping import resolve_plan
from checker.readers.options import ReadOptions
from checker.readers.textfile import SAMPLE, check_path

_DOCTYPE_RISK = re.compile(rb"<!DOCTYPE[^>\[]*(\[|\bSYSTEM\b|\bPUBLIC\b)", re.IGNORECASE)
_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
MAX_VALUE_NOTES = 20
MAX_REPEAT_NOTES = 20  # case ids used by several traces named in a note each
MAX_REPEAT_LINES = 10  # lines of one id's traces named in its note
# The keys of an element's own attributes (not of its events, nor of meta-attributes), and of the
# attributes of a trace's events: as _Typed.attributes reads them, without their values.
_OWN_KEYS = etree.XPath("*[local-name() != 'event' and local-name() != 'trace']/@key", smart_strings=False)
_EVENT_KEYS = etree.XPath(
    "*[local-name() = 'event']/*[local-name() != 'event' and local-name() != 'trace']/@key",
    smart_strings=False,
)
# An element's own attributes with the key $key (the last one counts, as in _Typed.attributes).
_OWN_NAMED = etree.XPath(
    "*[local-name() != 'event' and local-name() != 'trace'][@key = $key]", smart_strings=False
)


def _iterparse(stream: IO[bytes], **options: Any) -> Any:
    """lxml's iterparse, with lxml's per-thread error log cleared first: a syntax error's own
    log then holds this parse's errors only (XesReader._syntax reads it)."""
    etree.clear_error_log()
    return etree.iterparse(stream, **options)


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


class _Typed:
    """Reads typed XES attribute elements, noting values that do not match their type."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self.kinds: dict[Any, str] = {}
        self.bad: list[tuple[int, str, str, str | None]] = []  # value None: the element has none

    def attributes(self, element: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        kinds = self.kinds
        for child in element:
            tag = child.tag
            kind = kinds.get(tag)
            if kind is None:
                kind = kinds[tag] = _local(tag)
            if kind == "event" or kind == "trace":
                continue
            key = child.get("key")
            if key is None:
                continue
            if kind == "string" or kind == "id":
                result[key] = child.get("value")
            else:
                result[key] = self.value(kind, child)
        return result

    def value(self, kind: str, child: Any) -> Any:
        raw = child.get("value")
        try:
            if kind == "date":
                if raw[10:11] not in ("T", "t", " "):
                    # A date alone (with a zone or not) or a date and time joined by something
                    # else: the builder reads the text as any log's (date-only, or a rejected row).
                    return raw
                stamp = datetime.fromisoformat(raw)
                return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=self.zone)
            if kind == "int":
                return int(raw)
            if kind == "float":
                return float(raw)
            if kind == "boolean":
                lowered = raw.strip().lower()
                if lowered in ("true", "false"):
                    return lowered == "true"
                raise ValueError(raw)
            if kind == "list":
                return self.values(child)
            if kind == "container":
                return self.attributes(child)
        except (TypeError, ValueError):
            self.bad.append((child.sourceline or 0, child.get("key") or "", kind, raw))
            return raw
        return raw

    def values(self, element: Any) -> list[Any]:
        items: list[Any] = []
        for child in element:
            kind = _local(child.tag)
            if kind == "values":
                items.extend(self.values(child))
            elif kind in ("string", "id"):
                items.append(child.get("value"))
            elif kind:
                items.append(self.value(kind, child))
        return items


def _case_id(value: Any) -> str | None:
    """The case id a trace's value of the case key gives; None when there is none, or when the
    value cannot name a case (a <boolean>, a <list>)."""
    return text(value) if value.__class__ is str or is_identifier(value) else None


class _TraceIds:
    """The case id of each trace under `key`, in file order: which ids several traces have, how
    many, and the lines where those traces start (the first MAX_REPEAT_LINES)."""

    def __init__(self, key: str | None) -> None:
        self.key = key
        self.first: dict[str, int] = {}
        self.repeated: dict[str, list[int]] = {}
        self.counts: dict[str, int] = {}

    def add(self, case_id: str | None, line: int) -> None:
        if case_id is None:
            return
        first = self.first.get(case_id)
        if first is None:
            self.first[case_id] = line
            return
        lines = self.repeated.setdefault(case_id, [first])
        self.counts[case_id] = self.counts.get(case_id, 1) + 1
        if len(lines) < MAX_REPEAT_LINES:
            lines.append(line)

    def notes(self) -> list[Note]:
        """A note for each of the first MAX_REPEAT_NOTES ids several traces have (in the order of
        their first trace), and one that counts them all when there are more."""
        ordered = sorted(self.repeated.items(), key=lambda item: item[1][0])
        notes = []
        for case_id, lines in ordered[:MAX_REPEAT_NOTES]:
            count = self.counts[case_id]
            shown = ", ".join(map(str, lines)) + (", ..." if count > len(lines) else "")
            args = {"case_id": case_id, "count": count, "lines": shown}
            notes.append(Note("readers.note.repeated_case", args))
        if len(ordered) > MAX_REPEAT_NOTES:
            args = {"count": len(ordered), "shown": MAX_REPEAT_NOTES}
            notes.append(Note("readers.note.repeated_cases", args))
        return notes


class XesReader:
    format = "xes"
    reiterable = True

    def __init__(self, path: str, options: ReadOptions, zone: tzinfo) -> None:
        self.path = path
        self.zone = zone
        self.options = options
        check_path(path)
        self.compressed = self._check_container()
        event_keys, trace_keys, ids = self._peek()
        self.columns = _columns(event_keys, trace_keys)
        self.plan = resolve_plan(self.columns, options.mapping, Location(path))
        case_column = self.plan.fields["case_id"]
        if not case_column.startswith("case:"):
            raise InputError("readers.xes_case_id", Location(path), {"column": case_column})
        self.case_key = case_column[5:]
        if ids.key != self.case_key:  # rare: the first trace did not tell the case key
            ids = self._trace_ids(self.case_key)
        # A trace is a case, unless traces share a case id: then their events are regrouped.
        self.grouped = not ids.repeated
        documents = self.plan.fields.get("case_documents")
        self.case_documents_key = documents[5:] if documents else None
        self.explicit_case = {
            column[5:]: name for column, name in self.plan.explicit_case.items() if column.startswith("case:")
        }
        self.builder = DictBuilder(self.plan, zone, options.date_format)
        self.notes: tuple[Note, ...] = (*self.plan.notes, *ids.notes())
        self.has_actor = "actor" in self.plan.fields
        self.has_documents = "documents" in self.plan.fields

    # -- opening --------------------------------------------------------------------------

    def _check_container(self) -> bool:
        try:
            with open(self.path, "rb") as handle:
                magic = handle.read(2)
        except OSError as err:
            raise InputError("file.unreadable", Location(self.path), {"reason": os_problem(err)}) from None
        compressed = magic == b"\x1f\x8b"
        if compressed:
            # Decompressing once costs a fraction of parsing, and refuses a truncated file before
            # any case is handed out.
            try:
                with gzip.open(self.path, "rb") as stream:
                    while stream.read(1 << 20):
                        pass
            except EOFError:
                raise InputError("readers.gzip_truncated", Location(self.path)) from None
            except (OSError, zlib.error) as err:
                raise InputError("readers.gzip_bad", Location(self.path), {"detail": str(err)}) from None
        with self._open(compressed) as stream:
            head = stream.read(SAMPLE)
        if not head.strip(b" \t\r\n\xef\xbb\xbf"):
            raise InputError("file.empty", Location(self.path))
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError("file.binary", Location(self.path, head[: head.index(b"\x00")].count(b"\n") + 1))
        risk = _DOCTYPE_RISK.search(head)
        if risk or b"<!ENTITY" in head:
            offset = risk.start() if risk else head.index(b"<!ENTITY")
            raise InputError("readers.xml_doctype", Location(self.path, head[:offset].count(b"\n") + 1))
        return compressed

    @contextmanager
    def _open(self, compressed: bool | None = None) -> Iterator[IO[bytes]]:
        if compressed is None:
            compressed = self.compressed
        if compressed:
            with gzip.open(self.path, "rb") as stream:
                yield stream
        else:
            with open(self.path, "rb") as stream:
                yield stream

    def _syntax(self, err: etree.XMLSyntaxError) -> InputError:
        line, column = err.position if err.position else (None, None)
        detail = (err.msg or str(err)).strip()
        if not line:
            # With entities not resolved, libxml2's fatal error (an undefined entity) reaches
            # iterparse as lxml's bare "no element found"; its own log keeps what and where.
            # (The log is the thread's, cleared by _iterparse: its last entry is this parse's.)
            fatal = [e for e in err.error_log if e.level_name == "FATAL" and e.line]
            if fatal:
                detail, line, column = fatal[-1].message.strip(), fatal[-1].line, fatal[-1].column
        # libxml2's English, with its Indonesian when the table in checker.messages.parsers has it.
        message = xml_problem(detail)
        return InputError(
            "readers.xml_error", Location(self.path, line or None, column or None), {"detail": message}
        )

    def _peek(self) -> tuple[dict[str, None], dict[str, None], _TraceIds]:
        """Attribute keys of every event and of every trace in the file, in order of first
        appearance, and the case id of every trace under the case key the first trace's keys
        give (the file's, but for a rare file: XesReader then asks again); checks the root, the
        DTD and that no trace is nested in another.

        Every key of the whole file, not of the first trace: XES makes each attribute optional on
        each event, and a key first met in a later trace (`org:resource`, `lifecycle:transition`)
        must still be read as its field, whatever the traces before it hold; `has_actor` and
        `has_documents` then say whether the log records them anywhere. A parse of keys only (no
        values; XPath, one call per trace) costs about 40% of what reading the events does."""
        event_keys: dict[str, None] = {}
        trace_keys: dict[str, None] = {}
        outside: dict[str, None] = {}  # keys of events outside any trace (rejected rows)
        ids: _TraceIds | None = None
        typed = _Typed(self.zone)
        with self._open() as stream:
            context = _iterparse(stream, events=("start",), **_PARSER_OPTIONS)
            try:
                for _, root in context:
                    self._check_root(root)
                    break
            except etree.XMLSyntaxError as err:
                raise self._syntax(err) from None
            except (EOFError, zlib.error, OSError) as err:
                raise InputError("readers.gzip_bad", Location(self.path), {"detail": str(err)}) from None
        with self._open() as stream:
            context = _iterparse(stream, events=("end",), tag=("{*}trace", "{*}log"), **_PARSER_OPTIONS)
            try:
                for _, element in context:
                    parent = element.getparent()
                    if parent is None:  # the log's end: events outside any trace, after the last
                        self._outside_keys(element, outside)
                        continue
                    self._refuse_nested(element)
                    event_keys.update(dict.fromkeys(_EVENT_KEYS(element)))
                    trace_keys.update(dict.fromkeys(_OWN_KEYS(element)))
                    if ids is None:
                        ids = _TraceIds(self._likely_case_key(event_keys, trace_keys))
                    if ids.key is not None:
                        ids.add(self._trace_case_id(element, ids.key, typed), element.sourceline or 0)
                    element.clear()
                    while element.getprevious() is not None:
                        if _local(parent[0].tag) == "event":  # an event outside any trace
                            outside.update(dict.fromkeys(_OWN_KEYS(parent[0])))
                        del parent[0]
            except etree.XMLSyntaxError as err:
                # After a trace with events, the error is streaming's to raise where it is: the
                # cases before it are read (with every key they have), as they always were.
                if not event_keys:
                    raise self._syntax(err) from None
            except (EOFError, zlib.error, OSError) as err:
                raise InputError("readers.gzip_bad", Location(self.path), {"detail": str(err)}) from None
        ids = ids or _TraceIds(None)
        if event_keys:
            return event_keys, trace_keys, ids
        if outside:  # events outside any trace only: read, to be rejected as such
            return outside, trace_keys, ids
        raise InputError("readers.no_events", Location(self.path))

    def _likely_case_key(self, event_keys: dict[str, None], trace_keys: dict[str, None]) -> str | None:
        """The trace attribute that holds the case id by the keys seen so far (None: they do
        not tell), as the whole file's columns will most likely give it."""
        try:
            plan = resolve_plan(_columns(event_keys, trace_keys), self.options.mapping, Location(self.path))
        except InputError:
            return None
        column = plan.fields["case_id"]
        return column[5:] if column.startswith("case:") else None

    @staticmethod
    def _trace_case_id(trace: Any, key: str, typed: _Typed) -> str | None:
        """The case id of a <trace> element (not yet cleared), as items() reads it."""
        found = _OWN_NAMED(trace, key=key)
        if not found:
            return None
        child = found[-1]
        kind = _local(child.tag)
        return _case_id(child.get("value") if kind == "string" or kind == "id" else typed.value(kind, child))

    def _trace_ids(self, key: str) -> _TraceIds:
        """The case id of every trace under `key`, in a pass of its own (its errors are left to
        streaming, which meets them where they are, as the first pass's are)."""
        ids, typed = _TraceIds(key), _Typed(self.zone)
        with self._open() as stream:
            context = _iterparse(stream, events=("end",), tag="{*}trace", **_PARSER_OPTIONS)
            try:
                for _, element in context:
                    ids.add(self._trace_case_id(element, key, typed), element.sourceline or 0)
                    element.clear()
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
            except (etree.XMLSyntaxError, EOFError, zlib.error, OSError):
                pass
        return ids

    @staticmethod
    def _outside_keys(root: Any, keys: dict[str, None]) -> None:
        for child in root:
            if _local(child.tag) == "event":
                keys.update(dict.fromkeys(_OWN_KEYS(child)))

    def _refuse_nested(self, trace: Any) -> None:
        """InputError for a <trace> inside another: whose case its events and the outer trace's
        later ones are cannot be told (read on, they would move between cases silently)."""
        for ancestor in trace.iterancestors():
            if _local(ancestor.tag) == "trace":
                raise InputError("readers.xes_nested_trace", Location(self.path, trace.sourceline))

    def _check_root(self, root: Any) -> None:
        docinfo = root.getroottree().docinfo
        dtd = docinfo.internalDTD
        if (dtd is not None and list(dtd.iterentities())) or docinfo.system_url or docinfo.public_id:
            raise InputError("readers.xml_doctype", Location(self.path, 1))
        if _local(root.tag) != "log":
            raise InputError(
                "readers.not_xes", Location(self.path, root.sourceline), {"root": _local(root.tag)}
            )

    # -- streaming ------------------------------------------------------------------------

    def items(self) -> Iterator[Any]:
        typed = _Typed(self.zone)
        attributes = typed.attributes
        build = self.builder.build
        pending: list[tuple[int, dict[str, Any]]] = []
        notes = 0
        with self._open() as stream:
            context = _iterparse(
                stream, events=("end",), tag=("{*}event", "{*}trace"), **_PARSER_OPTIONS
            )
            try:
                kinds = typed.kinds
                for _, element in context:
                    tag = element.tag
                    kind = kinds.get(tag)
                    if kind is None:
                        kind = kinds[tag] = _local(tag)
                    if kind == "event":
                        line = element.sourceline or 0
                        values = attributes(element)
                        parent = element.getparent()
                        within = (kinds.get(parent.tag) or _local(parent.tag)) if parent is not None else ""
                        if within == "trace":
                            pending.append((line, values))
                        elif within == "event":  # its own attributes are not its parent's
                            yield Rejected(line, "readers.reject.event_in_event", {}, _raw(values))
                        else:
                            yield Rejected(line, "readers.reject.event_outside_trace", {}, _raw(values))
                        element.clear()
                        continue
                    # the end of a trace: its events now have their case
                    self._refuse_nested(element)
                    trace = attributes(element)
                    yield from self._trace(trace, pending, build)
                    pending = []
                    element.clear()
                    parent = element.getparent()
                    if parent is not None:
                        while element.getprevious() is not None:
                            del parent[0]
                    if typed.bad:
                        for line, key, kind, value in typed.bad:
                            notes += 1
                            if notes <= MAX_VALUE_NOTES and value is None:  # no value=, not 'None'
                                args = {"line": line, "key": key, "type": kind}
                                yield Note("readers.note.xes_no_value", args)
                            elif notes <= MAX_VALUE_NOTES:
                                yield Note(
                                    "readers.note.xes_bad_value",
                                    {"line": line, "key": key, "type": kind, "value": value[:80]},
                                )
                        typed.bad.clear()
            except etree.XMLSyntaxError as err:
                raise self._syntax(err) from None
            except (EOFError, zlib.error, OSError) as err:
                raise InputError("readers.gzip_bad", Location(self.path), {"detail": str(err)}) from None
        if notes > MAX_VALUE_NOTES:
            yield Note("readers.note.xes_bad_values", {"count": notes})

    def _trace(
        self, trace: dict[str, Any], pending: list[tuple[int, dict[str, Any]]], build: Any
    ) -> Iterator[Any]:
        value = trace.get(self.case_key)
        case_id = _case_id(value)
        if case_id is None:
            column = f"case:{self.case_key}"
            bad = (
                not_identifier("case_id", column, value)
                if value.__class__ is not str and not is_identifier(value)  # a <boolean>, a <list>
                else Bad("readers.reject.missing_value", {"field": "case_id", "column": column})
            )
            for line, values in pending:
                yield Rejected(line, bad.key, bad.args, _raw(values))
            return
        documents: tuple[str, ...] = ()
        case_attributes = dict(trace)
        case_attributes.pop(self.case_key, None)
        if self.case_documents_key is not None:
            from checker.readers.mapping import split_documents

            documents = split_documents(case_attributes.pop(self.case_documents_key, None))
        for key, name in self.explicit_case.items():
            if key in case_attributes:
                case_attributes[name] = case_attributes.pop(key)
        case = (case_id, case_attributes, documents)
        for line, values in pending:
            result = build(line, values, case)
            if result.__class__ is RawEvent:
                yield result
            else:
                yield Rejected(line, result.key, result.args, _raw(values))
        yield CaseEnd(case_id, case_attributes, documents)


def _columns(event_keys: dict[str, None], trace_keys: dict[str, None]) -> tuple[str, ...]:
    """The log's columns: its events' attribute keys, then its traces' as `case:KEY`."""
    return (*event_keys, *(f"case:{k}" for k in trace_keys))


def _raw(values: dict[str, Any]) -> str:
    return json.dumps(values, default=str, ensure_ascii=False)
