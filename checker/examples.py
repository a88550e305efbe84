"""Example cases stored beside an SOP: load them, audit them, compare with what they expect.

`NAME.cases.yaml` sits next to `NAME.yaml` (schemas/cases.schema.json, docs/revisions.md). Each
case gives attributes, events and the exact tree of findings (code and step, consequences nested
under their root) the audit must give; optionally its status and the revision that judges it.
The events become checker.events.Case objects and go through checker.api.audit_cases, the same
engine as `sopcheck audit`, with all the SOP revisions the file names.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker import catalogue
from checker.conformance.results import CaseResult, Finding
from checker.errors import InputError, Location
from checker.events import Case, Event, in_time_order
from checker.sop.model import Sop, Text
from checker.sop.schema import iter_schema_errors
from checker.sop.yamlload import YamlDocument, load_yaml
from checker.workcal import WorkCalendar

CASES_SUFFIXES = (".cases.yaml", ".cases.yml")

# A finding tree: (code, step or None, consequences), compared exactly.
Node = tuple[str, str | None, tuple["Node", ...]]


@dataclass(frozen=True)
class ExampleCase:
    name: str
    location: Location
    case: Case
    expected: tuple[Node, ...]
    status: str | None = None
    revision: str | None = None
    as_of: str | None = None
    documents_recorded: bool = False
    case_documents: bool = False
    note: Text | None = None


@dataclass(frozen=True)
class CasesFile:
    path: str
    revisions: tuple[Sop, ...]
    cases: tuple[ExampleCase, ...]
    calendar: WorkCalendar = field(default_factory=WorkCalendar.default)

    @property
    def sop_paths(self) -> tuple[str, ...]:
        return tuple(s.path or "-" for s in self.revisions)


@dataclass(frozen=True)
class Outcome:
    """One example case run: what it expected, what the audit gave, and whether they agree."""

    path: str
    example: ExampleCase
    result: CaseResult
    actual: tuple[Node, ...]
    diff: tuple[str, ...]  # "- " expected only, "+ " actual only, "  " both (empty: trees agree)
    mismatches: tuple[tuple[str, Mapping[str, Any]], ...]  # message key, args (status, revision)

    @property
    def passed(self) -> bool:
        return not self.diff and not self.mismatches

    @property
    def name(self) -> str:
        return self.example.name


# -- finding trees ----------------------------------------------------------------------------
def tree(findings: Iterable[Finding]) -> tuple[Node, ...]:
    """The (code, step, consequences) tree of an audit's findings, in canonical order."""
    return canonical((f.code, f.step, tree(f.consequences)) for f in findings)


def canonical(nodes: Iterable[Node]) -> tuple[Node, ...]:
    return tuple(sorted(nodes, key=_node_key))


def _node_key(node: Node) -> tuple:
    code, step, children = node
    return (step or "", code, tuple(_node_key(c) for c in children))


def render(nodes: Sequence[Node], order: Mapping[str, int], depth: int = 0) -> list[str]:
    """One line per finding ("FL001 disposisi"), consequences indented under their root, in
    step order of `order` (step id -> number), then code."""
    lines: list[str] = []
    for code, step, children in sorted(nodes, key=lambda n: (order.get(n[1] or "", 0), *_node_key(n))):
        lines.append("  " * depth + (f"{code} {step}" if step else code))
        lines.extend(render(children, order, depth + 1))
    return lines


def diff_lines(expected: list[str], actual: list[str]) -> tuple[str, ...]:
    """A line diff of two rendered trees: empty when they are equal."""
    if expected == actual:
        return ()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend("  " + line for line in expected[i1:i2])
            continue
        out.extend("- " + line for line in expected[i1:i2])
        out.extend("+ " + line for line in actual[j1:j2])
    return tuple(out)


# -- finding and loading files ----------------------------------------------------------------
def is_cases_file(path: str | Path) -> bool:
    return str(path).endswith(CASES_SUFFIXES)


def default_sop_path(cases_path: str | Path) -> Path:
    """NAME.yaml for NAME.cases.yaml."""
    path = Path(cases_path)
    name = path.name
    for suffix in CASES_SUFFIXES:
        if name.endswith(suffix):
            return path.with_name(name[: -len(suffix)] + ".yaml")
    return path.with_suffix(".yaml")


def referenced_sops(cases_path: str | Path, data: Any) -> list[Path]:
    """The SOP files a cases file names (or its default), resolved against its folder."""
    raw = data.get("sop") if isinstance(data, dict) else None
    if raw is None:
        return [default_sop_path(cases_path)]
    items = raw if isinstance(raw, list) else [raw]
    base = Path(cases_path).parent
    return [base / str(item) for item in items]


def discover(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """(cases files to run, SOP files that no cases file covers) for PATHs: folders are searched
    for *.cases.yaml and SOP files; a cases file is taken as is; an SOP file brings every cases
    file of its folder that judges with it."""
    from checker.reporters.validation import sop_files

    cases: dict[str, None] = {}
    sops: dict[str, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and is_cases_file(child):
                    cases[str(child)] = None
            for sop in sop_files([raw]):
                if _looks_like_sop(sop):  # a folder may hold calendars, mappings, ...
                    sops[sop] = None
        elif is_cases_file(path):
            cases[raw] = None
        elif not path.exists():
            raise InputError("file.not_found", Location(raw))
        else:
            doc = load_yaml(raw)  # a named file that is not YAML at all: one line, exit 2
            if not isinstance(doc.data, dict):
                raise InputError("yaml.not_mapping", doc.locate(()))
            sops[raw] = None
            for sibling in sorted(path.parent.glob("*")):
                if is_cases_file(sibling) and _judges_with(sibling, path):
                    cases[str(sibling)] = None
    covered: set[Path] = set()
    for name in cases:
        covered.update(p.resolve() for p in referenced_sops(name, _peek(name)))
    lonely = [s for s in sops if Path(s).resolve() not in covered]
    return list(cases), lonely


def _peek(path: str | Path) -> Any:
    try:
        return load_yaml(str(path)).data
    except InputError:
        return None  # reported properly when the file is run


def _looks_like_sop(path: str) -> bool:
    data = _peek(path)
    return isinstance(data, dict) and "steps" in data and "id" in data


def _judges_with(cases_path: Path, sop_path: Path) -> bool:
    target = sop_path.resolve()
    return any(p.resolve() == target for p in referenced_sops(cases_path, _peek(cases_path)))


def load_cases(path: str | Path) -> CasesFile:
    """Read and check a cases file; every mistake is an InputError at its line and column."""
    from checker.api import calendar_for, load_revisions

    path = str(path)
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError("yaml.not_mapping", doc.locate(()))
    for error in iter_schema_errors(doc, "cases.schema.json"):
        raise InputError(error.key, error.location, error.args)
    data = doc.data
    sop_paths = referenced_sops(path, data)
    for index, sop_path in enumerate(sop_paths):
        if not sop_path.is_file():
            where = ("sop",) if not isinstance(data.get("sop"), list) else ("sop", index)
            location = doc.locate(where) if "sop" in data else doc.locate(())
            raise InputError("cases.no_sop", location, {"sop": str(sop_path)})
    revisions = tuple(load_revisions([str(p) for p in sop_paths]))
    # The same calendar as `sopcheck audit`: the file named, else the default in the SOP's zone.
    calendar_file = str(Path(path).parent / data["calendar"]) if data.get("calendar") else None
    calendar = calendar_for(calendar_file, list(revisions))
    known_steps = {s.id for sop in revisions for s in sop.steps}
    file_as_of = data.get("as_of")
    file_docs = data.get("documents_recorded")
    seen: dict[str, int] = {}
    cases = []
    for index, item in enumerate(data["cases"]):
        where = ("cases", index)
        name = item["name"]
        if name in seen:
            raise InputError(
                "cases.duplicate_name", doc.locate((*where, "name")), {"name": name, "first": seen[name]}
            )
        seen[name] = doc.locate(where).line or 0
        events = tuple(
            _event(doc, (*where, "events", j), raw, name, calendar) for j, raw in enumerate(item["events"])
        )
        lists_documents = any(_has_documents(raw) for raw in item["events"])
        recorded = item.get("documents_recorded", file_docs if file_docs is not None else lists_documents)
        expect = item["expect"]
        expected = canonical(
            _expected(doc, (*where, "expect", "findings", k), raw, known_steps)
            for k, raw in enumerate(expect["findings"])
        )
        attributes = dict(item.get("attributes") or {})
        cases.append(
            ExampleCase(
                name=name,
                location=doc.locate(where),
                case=Case(
                    name,
                    tuple(in_time_order(events)),
                    attributes,
                    tuple(item.get("arrived") or ()),
                ),
                expected=expected,
                status=expect.get("status"),
                revision=expect.get("revision"),
                as_of=item.get("as_of", file_as_of),
                documents_recorded=bool(recorded),
                case_documents="arrived" in item,
                note=_text(item.get("note")),
            )
        )
    return CasesFile(path, revisions, tuple(cases), calendar)


def _text(value: Any) -> Text | None:
    if value is None:
        return None
    return Text(value) if isinstance(value, str) else Text(value["id"], value.get("en"))


def _has_documents(raw: Any) -> bool:
    return (isinstance(raw, list) and len(raw) > 3) or (isinstance(raw, dict) and "documents" in raw)


def _event(doc: YamlDocument, where: tuple, raw: Any, case_id: str, calendar: WorkCalendar) -> Event:
    from checker.readers.timeparse import FIRST_YEAR, LAST_YEAR, in_range, parse_timestamp

    if isinstance(raw, list):
        activity, moment = raw[0], raw[1]
        actor = raw[2] if len(raw) > 2 else None
        documents = raw[3] if len(raw) > 3 else ()
        mode = None
        at = (*where, 1)
    else:
        activity, moment = raw["activity"], raw["at"]
        actor, documents, mode = raw.get("actor"), raw.get("documents") or (), raw.get("mode")
        at = (*where, "at")
    try:
        stamp, date_only = parse_timestamp(moment, calendar.tz)
    except (ValueError, TypeError):
        raise InputError("cases.bad_time", doc.locate(at), {"value": moment}) from None
    if not in_range(stamp):  # as the readers reject it (docs/time.md)
        raise InputError("cases.time_out_of_range", doc.locate(at),
                         {"value": moment, "first": FIRST_YEAR, "last": LAST_YEAR})
    return Event(
        case_id,
        activity,
        stamp,
        actor,
        date_only=date_only,
        documents=tuple(documents),
        attributes={"mode": mode} if mode else {},
        row=doc.locate(where).line or 0,
    )


def _expected(doc: YamlDocument, where: tuple, raw: Any, steps: set[str]) -> Node:
    if isinstance(raw, str):
        code, _, step = raw.partition(" ")
        step_value: str | None = step or None
        children: tuple[Node, ...] = ()
        code_at = step_at = where
    else:
        code, step_value = raw["code"], raw.get("step")
        nested = raw.get("consequences", ())
        children = canonical(
            _expected(doc, (*where, "consequences", k), c, steps) for k, c in enumerate(nested)
        )
        code_at, step_at = (*where, "code"), (*where, "step")
    if code not in catalogue.BY_CODE or catalogue.get(code).scope != "log":
        raise InputError("cases.unknown_code", doc.locate(code_at), {"code": code})
    if step_value is not None and step_value not in steps:
        raise InputError(
            "cases.unknown_step", doc.locate(step_at), {"step": step_value, "steps": ", ".join(sorted(steps))}
        )
    return (code, step_value, children)


# -- running ----------------------------------------------------------------------------------
def matches(name: str, patterns: Sequence[str]) -> bool:
    """Whether a case name is selected: a glob (with * ? [) or else a substring, ignoring case."""
    if not patterns:
        return True
    folded = name.casefold()
    for pattern in patterns:
        p = pattern.casefold()
        if any(ch in p for ch in "*?[") and fnmatch.fnmatchcase(folded, p):
            return True
        if not any(ch in p for ch in "*?[") and p in folded:
            return True
    return False


def run(cases_file: CasesFile, patterns: Sequence[str] = ()) -> list[Outcome]:
    """Audit every selected example case and compare it with its expectation."""
    from checker.api import audit_cases

    outcomes = []
    for example in cases_file.cases:
        if not matches(example.name, patterns):
            continue
        try:
            results = audit_cases(
                list(cases_file.revisions),
                [example.case],
                as_of=example.as_of,
                calendar=cases_file.calendar,
                track_documents=example.documents_recorded,
                case_documents=example.case_documents,
            )
        except InputError as err:
            if err.location is None:
                raise InputError(err.key, example.location, err.args_) from None
            raise
        outcomes.append(compare(cases_file, example, results[example.name]))
    return outcomes


def step_order(cases_file: CasesFile, revision: str | None) -> dict[str, int]:
    """Step id -> number in the revision that judged a case (the last one if none did)."""
    judge = next((s for s in cases_file.revisions if s.revision == revision), cases_file.revisions[-1])
    return {s.id: s.number for s in judge.steps}


def compare(cases_file: CasesFile, example: ExampleCase, result: CaseResult) -> Outcome:
    order = step_order(cases_file, result.sop_revision)
    actual = tree(result.findings)
    diff = diff_lines(render(example.expected, order), render(actual, order))
    mismatches: list[tuple[str, Mapping[str, Any]]] = []
    if example.status is not None and example.status != result.status:
        mismatches.append(("test.status_mismatch", {"expected": example.status, "actual": result.status}))
    if example.revision is not None and example.revision != result.sop_revision:
        mismatches.append(
            ("test.revision_mismatch", {"expected": example.revision, "actual": result.sop_revision or "-"})
        )
    return Outcome(cases_file.path, example, result, actual, diff, tuple(mismatches))
