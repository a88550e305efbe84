"""The SOP as frozen, typed data. Pure: no I/O. Built from YAML by checker.sop.build."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

END = "end"


@lru_cache(maxsize=1 << 16)
def normalise_label(label: str) -> str:
    """How labels are compared: case-insensitive, with runs of spaces collapsed. Cached: logs
    repeat the same few labels millions of times."""
    return " ".join(str(label).split()).casefold()


@dataclass(frozen=True, slots=True)
class Text:
    """A label in Indonesian (as in the source) with an optional English one."""

    id: str
    en: str | None = None

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.id


# Conditions on case attributes: declarative data, evaluated here, never eval'd.


@dataclass(frozen=True, slots=True)
class AttributeTest:
    attribute: str
    op: str  # equals, not_equals, in, not_in, gt, gte, lt, lte, present
    value: Any

    def holds(self, attributes: Mapping[str, Any], done: frozenset[str] = frozenset()) -> bool:
        present = attributes.get(self.attribute) not in (None, "")
        if self.op == "present":
            return present == bool(self.value)
        if not present:
            return self.op in ("not_equals", "not_in")
        actual = attributes[self.attribute]
        if self.op == "equals":
            return _same(actual, self.value)
        if self.op == "not_equals":
            return not _same(actual, self.value)
        if self.op == "in":
            return any(_same(actual, v) for v in self.value)
        if self.op == "not_in":
            return not any(_same(actual, v) for v in self.value)
        number = _number(actual)
        if number is None:
            return False
        return {
            "gt": number > self.value,
            "gte": number >= self.value,
            "lt": number < self.value,
            "lte": number <= self.value,
        }[self.op]

    def attributes(self) -> frozenset[str]:
        return frozenset((self.attribute,))


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Condition, ...]

    def holds(self, attributes: Mapping[str, Any], done: frozenset[str] = frozenset()) -> bool:
        return all(item.holds(attributes, done) for item in self.items)

    def attributes(self) -> frozenset[str]:
        return frozenset().union(*(item.attributes() for item in self.items))


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Condition, ...]

    def holds(self, attributes: Mapping[str, Any], done: frozenset[str] = frozenset()) -> bool:
        return any(item.holds(attributes, done) for item in self.items)

    def attributes(self) -> frozenset[str]:
        return frozenset().union(*(item.attributes() for item in self.items))


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition

    def holds(self, attributes: Mapping[str, Any], done: frozenset[str] = frozenset()) -> bool:
        return not self.item.holds(attributes, done)

    def attributes(self) -> frozenset[str]:
        return self.item.attributes()


@dataclass(frozen=True, slots=True)
class StepTest:
    """Whether the case did a step: only for deadlines, which are judged after the alignment."""

    step: str
    done: bool

    def holds(self, attributes: Mapping[str, Any], done: frozenset[str] = frozenset()) -> bool:
        return (self.step in done) == self.done

    def attributes(self) -> frozenset[str]:
        return frozenset()


Condition = AttributeTest | AllOf | AnyOf | Not | StepTest


def steps_tested(condition: Condition | None) -> frozenset[str]:
    """The steps a condition tests (StepTest), at any depth."""
    if condition is None:
        return frozenset()
    if isinstance(condition, StepTest):
        return frozenset((condition.step,))
    if isinstance(condition, AllOf | AnyOf):
        return frozenset().union(*(steps_tested(item) for item in condition.items))
    if isinstance(condition, Not):
        return steps_tested(condition.item)
    return frozenset()


def _same(actual: Any, expected: Any) -> bool:
    """Log values are often strings ("true", "12"); compare them with the SOP's typed values."""
    if isinstance(expected, bool):
        return str(actual).strip().casefold() in (
            ("true", "1", "ya", "yes") if expected else ("false", "0", "tidak", "no")
        )
    if isinstance(expected, int | float):
        return _number(actual) == expected
    return normalise_label(str(actual)) == normalise_label(str(expected))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class DocRef:
    """A document, required or produced only when `when` holds for the case (None: always)."""

    document: str
    when: Condition | None = None

    def applies(self, attributes: Mapping[str, Any]) -> bool:
        return self.when is None or self.when.holds(attributes)


@dataclass(frozen=True, slots=True)
class Duration:
    amount: float
    unit: str


@dataclass(frozen=True, slots=True)
class Delegate:
    actor: str
    requires: tuple[str, ...] = ()
    notes: Text | None = None


@dataclass(frozen=True, slots=True)
class Branch:
    """One way out of a step: to `step` (or END), when `when` holds; `otherwise` is the default."""

    step: str
    when: Condition | None = None
    otherwise: bool = False
    label: Text | None = None


@dataclass(frozen=True, slots=True)
class Fork:
    """Parallel threads (AND-split): each starts at one of `threads`, in any interleaving, and
    `join` (a step id or END) follows when every thread has ended."""

    threads: tuple[str, ...]
    join: str


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    number: int
    name: Text
    actor: str
    next: tuple[Branch, ...]  # for a fork: one branch per thread start (so graph checks see them)
    participants: tuple[str, ...] = ()
    delegates: tuple[Delegate, ...] = ()
    modes: tuple[str, ...] = ()
    inputs: tuple[DocRef, ...] = ()
    outputs: tuple[DocRef, ...] = ()
    time: Duration | None = None
    repeatable: bool = False
    aliases: tuple[str, ...] = ()
    notes: Text | None = None
    source: Text | None = None
    fork: Fork | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label a log may use for this step: its id, its names, its aliases."""
        names = [self.id, self.name.id] + ([self.name.en] if self.name.en else [])
        return tuple(dict.fromkeys([*names, *self.aliases]))

    @property
    def is_choice(self) -> bool:
        return len(self.next) > 1


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: Text
    kind: str = "internal"
    aliases: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        names = [self.id, self.name.id] + ([self.name.en] if self.name.en else [])
        return tuple(dict.fromkeys([*names, *self.aliases]))


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    name: Text
    aliases: tuple[str, ...] = ()
    notes: Text | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        names = [self.id, self.name.id] + ([self.name.en] if self.name.en else [])
        return tuple(dict.fromkeys([*names, *self.aliases]))


@dataclass(frozen=True, slots=True)
class AttributeValue:
    value: Any
    label: Text | None = None


@dataclass(frozen=True, slots=True)
class Attribute:
    id: str
    name: Text | None = None
    type: str = "string"
    values: tuple[AttributeValue, ...] = ()


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A moment in a case: a step's completion or start, a date in an attribute, or the end."""

    kind: str  # "step", "attribute", "end"
    ref: str | None = None
    at: str = "complete"


@dataclass(frozen=True, slots=True)
class Deadline:
    id: str
    to: Endpoint
    name: Text | None = None
    start: Endpoint | None = None  # `from` in YAML
    within: Duration | None = None
    by_attribute: str | None = None
    when: Condition | None = None
    source: Text | None = None
    after: Duration | None = None  # minimum wait: `to` not before `start` + after
    in_force_from: str | None = None  # ISO dates: the case start days the deadline applies to
    in_force_until: str | None = None

    def in_force(self, day: str) -> bool:
        return (self.in_force_from is None or self.in_force_from <= day) and (
            self.in_force_until is None or day <= self.in_force_until
        )


@dataclass(frozen=True, slots=True)
class CaseRules:
    arrives_with: tuple[DocRef, ...] = ()
    start_attribute: str | None = None
    closed_when: Condition | None = None
    total_time: Duration | None = None
    actor_field: str | None = None
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class LegalBasis:
    ref: str
    title: Text | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Identity:
    title: Text
    number: str | None = None
    organisation: Text | None = None
    unit: Text | None = None
    made: str | None = None
    revised: str | None = None
    effective: str | None = None
    approver_name: str | None = None
    approver_position: Text | None = None
    approver_nip: str | None = None
    legal_basis: tuple[LegalBasis, ...] = ()
    qualifications: tuple[Text, ...] = ()
    related_sops: tuple[Text, ...] = ()
    equipment: tuple[Text, ...] = ()
    warnings: tuple[Text, ...] = ()
    records: tuple[Text, ...] = ()
    sources: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Sop:
    """One revision of an SOP. `path` and `sha256` say where it was read from (provenance)."""

    id: str
    revision: str
    identity: Identity
    actors: tuple[Actor, ...]
    steps: tuple[Step, ...]
    documents: tuple[Document, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    case: CaseRules = field(default_factory=CaseRules)
    deadlines: tuple[Deadline, ...] = ()
    revision_note: Text | None = None
    path: str | None = None
    sha256: str | None = None

    @property
    def start(self) -> Step:
        return self.steps[0]

    @cached_property
    def step_by_id(self) -> Mapping[str, Step]:
        return {step.id: step for step in self.steps}

    @cached_property
    def actor_by_id(self) -> Mapping[str, Actor]:
        return {actor.id: actor for actor in self.actors}

    @cached_property
    def document_by_id(self) -> Mapping[str, Document]:
        return {doc.id: doc for doc in self.documents}

    @cached_property
    def attribute_by_id(self) -> Mapping[str, Attribute]:
        return {attr.id: attr for attr in self.attributes}

    @cached_property
    def step_for_label(self) -> Mapping[str, str]:
        """Normalised log label -> step id (first step wins; the validator flags clashes)."""
        table: dict[str, str] = {}
        for step in self.steps:
            for label in step.labels:
                table.setdefault(normalise_label(label), step.id)
        return table

    @cached_property
    def actor_for_label(self) -> Mapping[str, str]:
        table: dict[str, str] = {}
        for actor in self.actors:
            for label in actor.labels:
                table.setdefault(normalise_label(label), actor.id)
        return table

    @cached_property
    def document_for_label(self) -> Mapping[str, str]:
        table: dict[str, str] = {}
        for doc in self.documents:
            for label in doc.labels:
                table.setdefault(normalise_label(label), doc.id)
        return table

    @property
    def effective(self) -> str | None:
        return self.identity.effective

    @property
    def order(self) -> tuple:
        """Where this revision sorts among its SOP's revisions: by effective date (none first),
        then by label read naturally, so that revision "10" comes after "9"."""
        parts = re.findall(r"\d+|\D+", self.revision)
        label = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)
        return (self.effective or "", label)

