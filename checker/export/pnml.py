"""The SOP's control flow as a Petri net in PNML: exactly the automaton the audit aligns against.

One place per reachable automaton state (`start` before the first step, then one per step, and
for parallel threads one per product state, so that every interleaving is a path), one visible
transition per automaton edge s -> t labelled with the log label of the step that enters t (one
transition per label when a step is written several ways in the log), and one silent (tau)
transition from each state where a case may end to a single `end` place. Initial marking: one
token in `start`; final marking: one token in `end`.

Because the net is the automaton (a state machine), an optimal alignment of a trace on this net
with PM4Py's standard costs (log and model moves 10000, sync 0, tau 1) costs 10000 times the
audit's alignment cost plus one tau: the costs agree trace by trace.

Pure: builds text from the SOP; the command writes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from checker.conformance import automaton as automata
from checker.sop.model import Sop, normalise_label

PNML_GRAMMAR = "http://www.pnml.org/version-2009/grammar/pnmlcoremodel"
LABEL_KINDS = ("name", "id", "en")


@dataclass(frozen=True)
class Transition:
    id: str
    source: str  # place id
    target: str  # place id
    label: str | None  # None: silent (tau)


@dataclass(frozen=True)
class PetriNet:
    """A state-machine workflow net: places, transitions, an initial and a final place."""

    name: str
    places: tuple[tuple[str, str], ...]  # (id, name)
    transitions: tuple[Transition, ...]
    initial: str
    final: str
    restricted: bool  # True: branches resolved for given attributes; False: all branches choices
    complete: bool  # False: some choice matched none of the attributes (all branches kept)


def automaton_for(sop: Sop, attributes: Mapping[str, Any] | None) -> tuple[automata.Automaton, bool]:
    """The automaton the audit uses for a case with `attributes` (None: every branch a choice),
    and whether every choice point had a way forward for them (the audit's rule: when one has
    none, all branches are kept and the case gets CS003)."""
    if attributes is None:
        return automata.build(sop, None), True
    key, complete = automata.decisions(sop, attributes)
    return automata.build(sop, key if complete else None), complete


def step_label(sop: Sop, step_id: str, kind: str = "name") -> str:
    step = sop.step_by_id[step_id]
    if kind == "id":
        return step.id
    if kind == "en":
        return step.name.en or step.name.id
    return step.name.id


def labels_from_activities(sop: Sop, activities: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Step id -> the exact activity strings of a log that the audit reads as that step."""
    found: dict[str, list[str]] = {}
    for activity in sorted(set(activities)):
        step = sop.step_for_label.get(normalise_label(activity))
        if step is not None:
            found.setdefault(step, []).append(activity)
    return {step: tuple(labels) for step, labels in found.items()}


def petri_net(
    sop: Sop,
    attributes: Mapping[str, Any] | None = None,
    labels: Mapping[str, Sequence[str]] | None = None,
    label_kind: str = "name",
) -> PetriNet:
    """The net of the automaton for `attributes`. `labels`: step id -> the labels to use (steps
    not listed get their `label_kind` label: the Indonesian name, the id, or the English name)."""
    auto, complete = automaton_for(sop, attributes)
    reachable = sorted(auto.reachable)
    place_id = {s: ("start" if s == 0 else f"p{s}_{auto.steps[s - 1]}") for s in reachable}
    places = [(place_id[s], "start" if s == 0 else auto.steps[s - 1]) for s in reachable]
    places.append(("end", "end"))
    transitions: list[Transition] = []
    for s in reachable:
        for t in auto.succ[s]:
            step = auto.steps[t - 1]
            names = tuple((labels or {}).get(step) or (step_label(sop, step, label_kind),))
            for k, name in enumerate(dict.fromkeys(names)):
                suffix = f"_{k}" if k else ""
                transitions.append(Transition(f"t{s}_{t}{suffix}", place_id[s], place_id[t], name))
        if s in auto.final:
            transitions.append(Transition(f"tau{s}_end", place_id[s], "end", None))
    return PetriNet(
        name=sop.id,
        places=tuple(places),
        transitions=tuple(transitions),
        initial="start",
        final="end",
        restricted=auto.restricted,
        complete=complete,
    )


def to_pnml(net: PetriNet) -> str:
    """PNML 2009 core model with ProM's silent-transition marker and a final marking, as
    PM4Py's and ProM's importers read it."""
    root = ET.Element("pnml")
    net_el = ET.SubElement(root, "net", id="net1", type=PNML_GRAMMAR)
    _text(ET.SubElement(net_el, "name"), net.name)
    page = ET.SubElement(net_el, "page", id="n0")
    for pid, name in net.places:
        place = ET.SubElement(page, "place", id=pid)
        _text(ET.SubElement(place, "name"), name)
        if pid == net.initial:
            _text(ET.SubElement(place, "initialMarking"), "1")
    for tr in net.transitions:
        el = ET.SubElement(page, "transition", id=tr.id)
        _text(ET.SubElement(el, "name"), tr.label if tr.label is not None else "tau")
        if tr.label is None:
            ET.SubElement(
                el, "toolspecific", tool="ProM", version="6.4", activity="$invisible$", localNodeID=tr.id
            )
    for tr in net.transitions:
        ET.SubElement(page, "arc", id=f"a_{tr.source}_{tr.id}", source=tr.source, target=tr.id)
        ET.SubElement(page, "arc", id=f"a_{tr.id}_{tr.target}", source=tr.id, target=tr.target)
    finals = ET.SubElement(ET.SubElement(net_el, "finalmarkings"), "marking")
    _text(ET.SubElement(finals, "place", idref=net.final), "1")
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _text(parent: ET.Element, value: str) -> None:
    ET.SubElement(parent, "text").text = value


def export_pnml(
    sop: Sop,
    attributes: Mapping[str, Any] | None = None,
    labels: Mapping[str, Sequence[str]] | None = None,
    label_kind: str = "name",
) -> str:
    return to_pnml(petri_net(sop, attributes, labels, label_kind))
