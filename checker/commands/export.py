"""`sopcheck export SOP --format pnml`: the SOP's control flow for other tools (PM4Py, ProM)."""

from __future__ import annotations

from collections.abc import Callable

import click

from checker.cli import lang_option
from checker.errors import EXIT_OK, InputError
from checker.output import FilePath, format_option, output_option, refuse_overwrite, write_output


def _pnml(sop, attributes, labels, label_kind) -> str:
    from checker.export.pnml import export_pnml

    return export_pnml(sop, attributes, labels, label_kind)


FORMATS: dict[str, Callable[..., str]] = {"pnml": _pnml}


def parse_attributes(items: tuple[str, ...], sop) -> dict[str, str] | None:
    """`--attributes NAME=VALUE` items as case attributes (None when none were given)."""
    if not items:
        return None
    known = {a.id for a in sop.attributes}
    attributes: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError("export.bad_attribute", None, {"item": item})
        if name not in known:
            raise InputError(
                "export.unknown_attribute", None, {"name": name, "known": ", ".join(sorted(known)) or "-"}
            )
        attributes[name] = value.strip()
    return attributes


def log_activities(path: str) -> list[str]:
    """The distinct activity labels of a log, read with the readers' defaults."""
    from checker.api import open_source

    seen: dict[str, None] = {}
    for case in open_source(path).cases():
        for event in case.events:
            seen.setdefault(event.activity, None)
    return list(seen)


@click.command()
@click.argument("sop", type=FilePath())
@format_option(FORMATS, default="pnml")
@output_option
@click.option(
    "--attributes",
    "-a",
    "attributes",
    multiple=True,
    metavar="NAME=VALUE",
    help="Case attributes that resolve the SOP's branches as the audit would (repeatable). "
    "Without them every branch is a choice.",
)
@click.option(
    "--label",
    "label_kind",
    type=click.Choice(["name", "id", "en"]),
    default="name",
    show_default=True,
    help="Transition labels: the step's Indonesian name, its id, or its English name.",
)
@click.option(
    "--labels-from",
    "labels_from",
    type=FilePath(),
    default=None,
    metavar="LOG",
    help="Label transitions with the exact activity strings this log uses for each step "
    "(one transition per spelling), so that other tools match the log as the audit does.",
)
@lang_option
def command(
    sop: str,
    fmt: str,
    output: str | None,
    attributes: tuple[str, ...],
    label_kind: str,
    labels_from: str | None,
    lang: str,
) -> int:
    """Export the control flow of SOP (the automaton the audit aligns against) as a Petri net.

    PNML: one place per step, one transition per allowed move, a silent transition to a final
    place where a case may end; initial and final marking included. Exit status: 0 written,
    2 unusable input.
    """
    refuse_overwrite({"-o": output}, [("SOP", sop), ("--labels-from", labels_from)])
    from checker.export.pnml import automaton_for, labels_from_activities
    from checker.messages import t
    from checker.sop.load import require_sop

    model = require_sop(sop)
    attrs = parse_attributes(attributes, model)
    labels = None
    if labels_from:
        labels = labels_from_activities(model, log_activities(labels_from))
        if not labels:
            click.echo(f"sopcheck: {t('export.labels_none', lang)}", err=True)
    if attrs is not None and not automaton_for(model, attrs)[1]:
        click.echo(f"sopcheck: {t('export.no_branch', lang)}", err=True)
    write_output(FORMATS[fmt](model, attrs, labels, label_kind), output)
    return EXIT_OK
