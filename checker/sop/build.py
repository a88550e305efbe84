"""Turn schema-valid SOP data (plain dicts from YAML) into the frozen model."""

from __future__ import annotations

from typing import Any

from checker.sop.model import (
    END,
    Actor,
    AllOf,
    AnyOf,
    Attribute,
    AttributeTest,
    AttributeValue,
    Branch,
    CaseRules,
    Condition,
    Deadline,
    Delegate,
    DocRef,
    Document,
    Duration,
    Endpoint,
    Fork,
    Identity,
    LegalBasis,
    Not,
    Sop,
    Step,
    StepTest,
    Text,
)

_TESTS = ("equals", "not_equals", "in", "not_in", "gt", "gte", "lt", "lte", "present")


def text(value: Any) -> Text | None:
    if value is None:
        return None
    if isinstance(value, str):
        return Text(value)
    return Text(value["id"], value.get("en"))


def condition(data: Any) -> Condition | None:
    if data is None:
        return None
    if "all" in data:
        return AllOf(tuple(condition(item) for item in data["all"]))
    if "any" in data:
        return AnyOf(tuple(condition(item) for item in data["any"]))
    if "not" in data:
        return Not(condition(data["not"]))
    if "step" in data:
        return StepTest(data["step"], bool(data["done"]))
    op = next(key for key in _TESTS if key in data)
    value = data[op]
    return AttributeTest(data["attribute"], op, tuple(value) if isinstance(value, list) else value)


def docrefs(items: list[Any] | None) -> tuple[DocRef, ...]:
    refs = []
    for item in items or ():
        if isinstance(item, str):
            refs.append(DocRef(item))
        else:
            refs.append(DocRef(item["document"], condition(item.get("when"))))
    return tuple(refs)


def duration(data: Any) -> Duration | None:
    return None if data is None else Duration(float(data["amount"]), data["unit"])


def endpoint(data: Any) -> Endpoint | None:
    if data is None:
        return None
    if data == END:
        return Endpoint("end")
    if "step" in data:
        return Endpoint("step", data["step"], data.get("at", "complete"))
    return Endpoint("attribute", data["attribute"])


def branches(data: Any) -> tuple[Branch, ...]:
    if isinstance(data, str):
        return (Branch(data),)
    if isinstance(data, dict):  # parallel threads: the graph sees each thread's first step
        return tuple(Branch(first) for first in data["parallel"])
    return tuple(
        Branch(
            item["step"],
            condition(item.get("when")),
            bool(item.get("otherwise")),
            text(item.get("label")),
        )
        for item in data
    )


def step(data: dict[str, Any]) -> Step:
    return Step(
        id=data["id"],
        number=data["number"],
        name=text(data["name"]),
        actor=data["actor"],
        next=branches(data["next"]),
        participants=tuple(data.get("participants", ())),
        delegates=tuple(
            Delegate(d["actor"], tuple(d.get("requires", ())), text(d.get("notes")))
            for d in data.get("delegates", ())
        ),
        modes=tuple(data.get("modes", ())),
        inputs=docrefs(data.get("inputs")),
        outputs=docrefs(data.get("outputs")),
        time=duration(data.get("time")),
        repeatable=bool(data.get("repeatable", False)),
        aliases=tuple(data.get("aliases", ())),
        notes=text(data.get("notes")),
        source=text(data.get("source")),
        fork=(Fork(tuple(data["next"]["parallel"]), data["next"]["join"])
              if isinstance(data["next"], dict) else None),
    )


def identity(data: dict[str, Any]) -> Identity:
    org = data.get("organisation", {})
    dates = data.get("dates", {})
    approver = data.get("approver", {})
    texts = lambda key: tuple(text(item) for item in data.get(key, ()))  # noqa: E731
    return Identity(
        title=text(data["title"]),
        number=data.get("number"),
        organisation=text(org.get("name")),
        unit=text(org.get("unit")),
        made=dates.get("made"),
        revised=dates.get("revised"),
        effective=dates.get("effective"),
        approver_name=approver.get("name"),
        approver_position=text(approver.get("position")),
        approver_nip=approver.get("nip"),
        legal_basis=tuple(
            LegalBasis(item["ref"], text(item.get("title")), item.get("url"))
            for item in data.get("legal_basis", ())
        ),
        qualifications=texts("qualifications"),
        related_sops=texts("related_sops"),
        equipment=texts("equipment"),
        warnings=texts("warnings"),
        records=texts("records"),
        sources=texts("sources"),
    )


def sop(data: dict[str, Any], *, path: str | None = None, sha256: str | None = None) -> Sop:
    case = data.get("case", {})
    return Sop(
        id=data["id"],
        revision=str(data["revision"]),
        revision_note=text(data.get("revision_note")),
        identity=identity(data["identity"]),
        actors=tuple(
            Actor(a["id"], text(a["name"]), a.get("kind", "internal"), tuple(a.get("aliases", ())))
            for a in data["actors"]
        ),
        documents=tuple(
            Document(d["id"], text(d["name"]), tuple(d.get("aliases", ())), text(d.get("notes")))
            for d in data.get("documents", ())
        ),
        attributes=tuple(
            Attribute(
                a["id"],
                text(a.get("name")),
                a.get("type", "string"),
                tuple(AttributeValue(v["value"], text(v.get("label"))) for v in a.get("values", ())),
            )
            for a in data.get("attributes", ())
        ),
        case=CaseRules(
            arrives_with=docrefs(case.get("arrives_with")),
            start_attribute=case.get("start_attribute"),
            closed_when=condition(case.get("closed_when")),
            total_time=duration(case.get("total_time")),
            actor_field=case.get("actor_field"),
            timezone=case.get("timezone"),
        ),
        deadlines=tuple(
            Deadline(
                id=d["id"],
                to=endpoint(d["to"]),
                name=text(d.get("name")),
                start=endpoint(d.get("from")),
                within=duration(d.get("within")),
                by_attribute=d.get("by_attribute"),
                when=condition(d.get("when")),
                source=text(d.get("source")),
                after=duration(d.get("after")),
                in_force_from=d.get("in_force", {}).get("from"),
                in_force_until=d.get("in_force", {}).get("until"),
            )
            for d in data.get("deadlines", ())
        ),
        steps=tuple(step(s) for s in data["steps"]),
        path=path,
        sha256=sha256,
    )
