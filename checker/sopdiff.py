"""A semantic diff of two SOP revisions, and the impact of the change on a log. Pure: no I/O.

`diff(old, new)` compares the model, not the text: steps added, removed or renumbered (matched by
id), each step's actor, participants, delegates, modes, inputs, outputs, time allowed and branches
(matched by target, so a changed condition reads as one change), the actors, documents and case
attributes, the case rules and deadlines, and the identity part (legal basis, dates, approver).
Reformatting, comments and reordering of lists leave no change.

`impact(old_report, new_report)` compares two audits of the same log, one per revision: the cases
whose verdict (status, compliance) or findings (code and step) change, and the counts by code.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from checker.conformance.results import CaseResult, Report
from checker.sop.model import (
    AllOf,
    AnyOf,
    AttributeTest,
    Branch,
    CaseRules,
    Condition,
    Deadline,
    DocRef,
    Duration,
    Endpoint,
    Not,
    Sop,
    StepTest,
    Text,
)

CONDITIONS = (AttributeTest, AllOf, AnyOf, Not, StepTest)  # every kind condition_text renders

# Which fields of the model the diff compares (tests check that none is forgotten when the model
# grows). `path` and `sha256` say where a revision was read from: not part of its meaning.
COMPARED = {
    "Sop": (
        "id",
        "revision",
        "revision_note",
        "identity",
        "actors",
        "documents",
        "attributes",
        "case",
        "steps",
        "deadlines",
    ),
    "Identity": (
        "title",
        "number",
        "organisation",
        "unit",
        "made",
        "revised",
        "effective",
        "approver_name",
        "approver_position",
        "approver_nip",
        "legal_basis",
        "qualifications",
        "related_sops",
        "equipment",
        "warnings",
        "records",
        "sources",
    ),
    "Actor": ("id", "name", "kind", "aliases"),
    "Document": ("id", "name", "aliases", "notes"),
    "Attribute": ("id", "name", "type", "values"),
    "CaseRules": tuple(f.name for f in dataclasses.fields(CaseRules)),  # compared field by field
    "Deadline": tuple(f.name for f in dataclasses.fields(Deadline)),  # compared field by field
    "Step": (
        "id",
        "number",
        "name",
        "actor",
        "next",
        "participants",
        "delegates",
        "modes",
        "inputs",
        "outputs",
        "time",
        "repeatable",
        "aliases",
        "notes",
        "source",
        "fork",
    ),
    "Branch": ("step", "when", "otherwise", "label"),
    "Delegate": ("actor", "requires", "notes"),
    "LegalBasis": ("ref", "title", "url"),
    "AttributeValue": ("value", "label"),
}
IGNORED = {"Sop": ("path", "sha256")}

SECTIONS = ("sop", "identity", "actors", "documents", "attributes", "case", "steps", "deadlines")
KINDS = ("added", "removed", "renumbered", "changed")

Value = str | Text | None


@dataclass(frozen=True)
class Change:
    """One semantic change. `subject` is what changed (a step, actor, document or attribute id, or
    a field such as dates.effective); `field` the property of it that changed (None: the subject
    itself was added, removed or changed). For a list property (inputs, next, aliases...) each
    item added or removed is its own change."""

    section: str
    kind: str
    subject: str
    field: str | None
    old: Value
    new: Value
    number: int | None = None  # the step's number (in NEW; in OLD when removed)

    def sort_key(self) -> tuple:
        # Per subject: the subject itself, then its renumbering, then its properties.
        rank = 0 if self.field is None else 1 if self.kind == "renumbered" else 2
        return (
            SECTIONS.index(self.section),
            self.number or 0,
            self.subject,
            rank,
            self.field or "",
            KINDS.index(self.kind),
            _plain(self.old),
            _plain(self.new),
        )

    def record(self, lang: str) -> dict[str, Any]:
        return {
            "section": self.section,
            "kind": self.kind,
            "subject": self.subject,
            "field": self.field,
            "number": self.number,
            "old": show(self.old, lang) if self.old is not None else None,
            "new": show(self.new, lang) if self.new is not None else None,
        }


@dataclass(frozen=True)
class SopDiff:
    old: Sop
    new: Sop
    changes: tuple[Change, ...]

    def counts(self) -> dict[str, int]:
        found = Counter(c.kind for c in self.changes)
        return {k: found.get(k, 0) for k in KINDS}


def show(value: Value, lang: str = "en") -> str:
    if value is None:
        return "-"
    if isinstance(value, Text):
        return value.get(lang)
    return str(value)


def _plain(value: Value) -> str:
    if isinstance(value, Text):
        return f"{value.id}\x00{value.en or ''}"
    return "" if value is None else str(value)


# -- rendering model parts as one line each ---------------------------------------------------
def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def condition_text(cond: Condition | None) -> str:
    if cond is None:
        return ""
    if isinstance(cond, AttributeTest):
        value = cond.value
        listed = "[" + ", ".join(scalar(v) for v in value) + "]" if isinstance(value, tuple) else ""
        return {
            "equals": f"{cond.attribute} = {scalar(value)}",
            "not_equals": f"{cond.attribute} != {scalar(value)}",
            "in": f"{cond.attribute} in {listed}",
            "not_in": f"{cond.attribute} not in {listed}",
            "gt": f"{cond.attribute} > {scalar(value)}",
            "gte": f"{cond.attribute} >= {scalar(value)}",
            "lt": f"{cond.attribute} < {scalar(value)}",
            "lte": f"{cond.attribute} <= {scalar(value)}",
            "present": f"{cond.attribute} {'present' if value else 'absent'}",
        }[cond.op]
    if isinstance(cond, AllOf | AnyOf):
        joiner = " and " if isinstance(cond, AllOf) else " or "
        parts = [condition_text(c) for c in cond.items]
        return "(" + joiner.join(parts) + ")"
    if isinstance(cond, Not):
        return f"not {condition_text(cond.item)}"
    if isinstance(cond, StepTest):
        return f"{cond.step} {'done' if cond.done else 'not done'}"
    raise TypeError(cond)


def docref_text(ref: DocRef) -> str:
    return ref.document + (f" when {condition_text(ref.when)}" if ref.when else "")


def branch_condition(branch: Branch) -> str:
    if branch.otherwise:
        return "otherwise"
    return f"when {condition_text(branch.when)}" if branch.when else "always"


def branch_text(branch: Branch) -> str:
    label = f" [{branch.label.id}]" if branch.label else ""
    return f"{branch.step} {branch_condition(branch)}{label}"


def fork_text(fork: Any) -> str | None:
    if fork is None:
        return None
    return f"parallel [{', '.join(fork.threads)}] join {fork.join}"


def duration_text(duration: Duration | None) -> str | None:
    return None if duration is None else f"{scalar(duration.amount)} {duration.unit}"


def endpoint_text(point: Endpoint | None) -> str | None:
    if point is None:
        return None
    if point.kind == "end":
        return "end"
    if point.kind == "attribute":
        return f"case:{point.ref}"
    return f"{point.ref} ({point.at})"


# -- the diff ---------------------------------------------------------------------------------
def diff(old: Sop, new: Sop) -> SopDiff:
    changes = [
        *_sop_part(old, new),
        *_identity(old, new),
        *_keyed(
            "actors",
            old.actors,
            new.actors,
            lambda a: a.name,
            {
                "name": lambda a: a.name,
                "kind": lambda a: a.kind,
            },
            {"aliases": lambda a: a.aliases},
        ),
        *_keyed(
            "documents",
            old.documents,
            new.documents,
            lambda d: d.name,
            {"name": lambda d: d.name, "notes": lambda d: d.notes},
            {"aliases": lambda d: d.aliases},
        ),
        *_keyed(
            "attributes",
            old.attributes,
            new.attributes,
            _attribute_summary,
            {"name": lambda a: a.name, "type": lambda a: a.type},
            {"values": lambda a: [_value_text(v) for v in a.values]},
        ),
        *_case_rules(old, new),
        *_steps(old, new),
        *_keyed(
            "deadlines",
            old.deadlines,
            new.deadlines,
            lambda d: d.name or d.id,
            {  # every field, so that a new kind of deadline is compared too
                ("from" if f.name == "start" else f.name): (lambda d, n=f.name: _any_text(getattr(d, n)))
                for f in dataclasses.fields(Deadline)
                if f.name != "id"
            },
            {},
        ),
    ]
    return SopDiff(old, new, tuple(sorted(changes, key=Change.sort_key)))


def _value_text(value) -> str:
    label = f" ({value.label.id} / {value.label.en})" if value.label and value.label.en else ""
    label = label or (f" ({value.label.id})" if value.label else "")
    return scalar(value.value) + label


def _attribute_summary(attribute) -> str:
    values = ", ".join(scalar(v.value) for v in attribute.values)
    return f"{attribute.type}" + (f": {values}" if values else "")


def _field(section: str, subject: str, field: str | None, old: Value, new: Value, number=None):
    """A scalar that may be set, unset or changed."""
    if old == new:
        return []
    if field is None:
        kind = "added" if old is None else "removed" if new is None else "changed"
    else:
        kind = "changed"
    return [Change(section, kind, subject, field, old, new, number)]


def _items(section: str, subject: str, field: str, old: Iterable[str], new: Iterable[str], number=None):
    """A list compared as a set: each item added or removed is one change."""
    before, after = list(dict.fromkeys(old)), list(dict.fromkeys(new))
    out = [
        Change(section, "removed", subject, field, item, None, number) for item in before if item not in after
    ]
    out += [
        Change(section, "added", subject, field, None, item, number) for item in after if item not in before
    ]
    return out


def _matched(section: str, subject: str, field: str, old: dict[str, str], new: dict[str, str], number=None):
    """Items matched by key (a document, a branch target): a changed item is one change."""
    out = []
    for key in old:
        if key not in new:
            out.append(Change(section, "removed", subject, field, old[key], None, number))
        elif old[key] != new[key]:
            out.append(Change(section, "changed", subject, field, old[key], new[key], number))
    out += [Change(section, "added", subject, field, None, new[k], number) for k in new if k not in old]
    return out


def _sop_part(old: Sop, new: Sop) -> list[Change]:
    return [
        *_field("sop", "id", None, old.id, new.id),
        *_field("sop", "revision", None, old.revision, new.revision),
        *_field("sop", "revision_note", None, old.revision_note, new.revision_note),
    ]


def _identity(old: Sop, new: Sop) -> list[Change]:
    a, b = old.identity, new.identity
    fields: Sequence[tuple[str, Callable[[Any], Value]]] = (
        ("title", lambda i: i.title),
        ("number", lambda i: i.number),
        ("organisation.name", lambda i: i.organisation),
        ("organisation.unit", lambda i: i.unit),
        ("dates.made", lambda i: i.made),
        ("dates.revised", lambda i: i.revised),
        ("dates.effective", lambda i: i.effective),
        ("approver.name", lambda i: i.approver_name),
        ("approver.position", lambda i: i.approver_position),
        ("approver.nip", lambda i: i.approver_nip),
    )
    out = []
    for name, get in fields:
        out += _field("identity", name, None, get(a), get(b))
    legal_old = {x.ref: _legal_text(x) for x in a.legal_basis}
    legal_new = {x.ref: _legal_text(x) for x in b.legal_basis}
    for ref in legal_old:
        if ref not in legal_new:
            out.append(Change("identity", "removed", "legal_basis", None, legal_old[ref], None))
        elif legal_old[ref] != legal_new[ref]:
            out.append(Change("identity", "changed", "legal_basis", ref, legal_old[ref], legal_new[ref]))
    out += [
        Change("identity", "added", "legal_basis", None, None, legal_new[ref])
        for ref in legal_new
        if ref not in legal_old
    ]
    for name in ("qualifications", "related_sops", "equipment", "warnings", "records", "sources"):
        out += _items(
            "identity", name, name, [t.id for t in getattr(a, name)], [t.id for t in getattr(b, name)]
        )
    return out


def _legal_text(basis) -> str:
    title = basis.title.id if basis.title else ""
    return " ".join(x for x in (basis.ref, f"({title})" if title else "", basis.url or "") if x)


def _keyed(section, old_items, new_items, summary, fields, lists) -> list[Change]:
    """Things with ids: added, removed, or changed field by field."""
    old_by = {x.id: x for x in old_items}
    new_by = {x.id: x for x in new_items}
    out = []
    for key, item in old_by.items():
        if key not in new_by:
            out.append(Change(section, "removed", key, None, summary(item), None))
    for key, item in new_by.items():
        if key not in old_by:
            out.append(Change(section, "added", key, None, None, summary(item)))
            continue
        before = old_by[key]
        for name, get in fields.items():
            out += _field(section, key, name, get(before), get(item))
        for name, get in lists.items():
            out += _items(section, key, name, get(before), get(item))
    return out


def _case_rules(old: Sop, new: Sop) -> list[Change]:
    """Every field of the case rules; arrives_with item by item, the others as one value each."""
    a, b = old.case, new.case
    out = _matched(
        "case",
        "case",
        "arrives_with",
        {r.document: docref_text(r) for r in a.arrives_with},
        {r.document: docref_text(r) for r in b.arrives_with},
    )
    for item in dataclasses.fields(a):
        if item.name != "arrives_with":
            name = item.name
            out += _field("case", "case", name, _any_text(getattr(a, name)), _any_text(getattr(b, name)))
    return out


def _any_text(value: Any) -> str | None:
    if value is None or value == ():
        return None
    if isinstance(value, CONDITIONS):
        return condition_text(value)
    if isinstance(value, Duration):
        return duration_text(value)
    if isinstance(value, Endpoint):
        return endpoint_text(value)
    if isinstance(value, Text):
        return value.id if not value.en else f"{value.id} / {value.en}"
    if isinstance(value, tuple | list):
        return ", ".join(_any_text(v) or "" for v in value)
    return scalar(value)


def _steps(old: Sop, new: Sop) -> list[Change]:
    out: list[Change] = []
    new_ids = {s.id for s in new.steps}
    for step in old.steps:
        if step.id not in new_ids:
            out.append(Change("steps", "removed", step.id, None, step.name, None, step.number))
    old_by = old.step_by_id
    for step in new.steps:
        before = old_by.get(step.id)
        n = step.number
        if before is None:
            out.append(Change("steps", "added", step.id, None, None, step.name, n))
            continue
        if before.number != step.number:
            out.append(Change("steps", "renumbered", step.id, "number", str(before.number), str(n), n))
        for name, get in (
            ("name", lambda s: s.name),
            ("actor", lambda s: s.actor),
            ("time", lambda s: duration_text(s.time)),
            ("repeatable", lambda s: scalar(s.repeatable)),
            ("fork", lambda s: fork_text(getattr(s, "fork", None))),
            ("notes", lambda s: s.notes),
            ("source", lambda s: s.source),
        ):
            out += _field("steps", step.id, name, get(before), get(step), n)
        for name, get in (
            ("participants", lambda s: s.participants),
            ("modes", lambda s: s.modes),
            ("aliases", lambda s: s.aliases),
            ("delegates", lambda s: [_delegate_text(d) for d in s.delegates]),
        ):
            out += _items("steps", step.id, name, get(before), get(step), n)
        for name in ("inputs", "outputs"):
            out += _matched(
                "steps",
                step.id,
                name,
                {r.document: docref_text(r) for r in getattr(before, name)},
                {r.document: docref_text(r) for r in getattr(step, name)},
                n,
            )
        out += _matched(
            "steps",
            step.id,
            "next",
            {b.step: branch_text(b) for b in before.next},
            {b.step: branch_text(b) for b in step.next},
            n,
        )
    return out


def _delegate_text(delegate) -> str:
    needs = f" requires {', '.join(delegate.requires)}" if delegate.requires else ""
    notes = f" ({delegate.notes.id})" if delegate.notes else ""
    return delegate.actor + needs + notes


# -- impact on a log --------------------------------------------------------------------------
FindingKey = tuple[str, str | None]  # (code, step)


@dataclass(frozen=True)
class CaseChange:
    case_id: str
    old_status: str | None
    new_status: str | None
    old_compliant: bool | None
    new_compliant: bool | None
    old_revision: str | None
    new_revision: str | None
    removed: tuple[FindingKey, ...]  # findings only the old revision gives
    added: tuple[FindingKey, ...]  # findings only the new revision gives

    @property
    def verdict_changed(self) -> bool:
        return self.old_status != self.new_status or self.old_compliant != self.new_compliant

    def record(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "verdict_changed": self.verdict_changed,
            "old": {
                "status": self.old_status,
                "compliant": self.old_compliant,
                "revision": self.old_revision,
            },
            "new": {
                "status": self.new_status,
                "compliant": self.new_compliant,
                "revision": self.new_revision,
            },
            "removed": [{"code": c, "step": s} for c, s in self.removed],
            "added": [{"code": c, "step": s} for c, s in self.added],
        }


@dataclass(frozen=True)
class Impact:
    log: str | None
    cases: int
    changed: tuple[CaseChange, ...]
    # (code, findings under old, under new, appearing, disappearing) for every code that moves
    by_code: tuple[tuple[str, int, int, int, int], ...]

    @property
    def verdicts_changed(self) -> int:
        return sum(1 for c in self.changed if c.verdict_changed)

    def record(self) -> dict[str, Any]:
        return {
            "log": self.log,
            "cases": self.cases,
            "cases_changed": len(self.changed),
            "verdicts_changed": self.verdicts_changed,
            "by_code": [
                {"code": c, "old": o, "new": n, "added": a, "removed": r} for c, o, n, a, r in self.by_code
            ],
            "changed": [c.record() for c in self.changed],
        }


def _keys(result: CaseResult | None) -> Counter[FindingKey]:
    if result is None:
        return Counter()
    return Counter((f.code, f.step) for f in result.all_findings())


def _sorted(keys: Iterator[FindingKey] | Iterable[FindingKey]) -> tuple[FindingKey, ...]:
    return tuple(sorted(keys, key=lambda k: (k[1] or "", k[0])))


def impact(old_report: Report, new_report: Report) -> Impact:
    """Cases whose verdict or findings differ between two audits of one log (every finding,
    consequences included, compared as (code, step) with multiplicity)."""
    old_by = {c.case_id: c for c in old_report.cases}
    new_by = {c.case_id: c for c in new_report.cases}
    changed = []
    for case_id in sorted(set(old_by) | set(new_by)):
        a, b = old_by.get(case_id), new_by.get(case_id)
        before, after = _keys(a), _keys(b)
        verdict_a = (a.status, a.compliant) if a else (None, None)
        verdict_b = (b.status, b.compliant) if b else (None, None)
        if before == after and verdict_a == verdict_b:
            continue
        changed.append(
            CaseChange(
                case_id,
                verdict_a[0],
                verdict_b[0],
                verdict_a[1],
                verdict_b[1],
                a.sop_revision if a else None,
                b.sop_revision if b else None,
                _sorted((before - after).elements()),
                _sorted((after - before).elements()),
            )
        )
    totals_old = Counter(f.code for c in old_report.cases for f in c.all_findings())
    totals_new = Counter(f.code for c in new_report.cases for f in c.all_findings())
    added = Counter(code for c in changed for code, _ in c.added)
    removed = Counter(code for c in changed for code, _ in c.removed)
    by_code = tuple(
        (code, totals_old.get(code, 0), totals_new.get(code, 0), added.get(code, 0), removed.get(code, 0))
        for code in sorted(set(added) | set(removed))
    )
    return Impact(
        new_report.provenance.log_path or old_report.provenance.log_path,
        len(set(old_by) | set(new_by)),
        tuple(changed),
        by_code,
    )
