"""`sopcheck explain CODE`: what a finding code means, with a passing and a failing example."""

from __future__ import annotations

import click

from checker import catalogue
from checker.cli import lang_option
from checker.errors import InputError
from checker.messages import t

SHOWN = 40  # characters of an unknown code given back in the error


@click.command()
@click.argument("code")
@lang_option
def command(code: str, lang: str) -> int:
    """Explain a finding code (e.g. FL001)."""
    entry = catalogue.BY_CODE.get(code.upper())
    if entry is None:
        # A code is a few characters: echo what was given only as far as it could be one.
        shown = code if len(code) <= SHOWN else code[: SHOWN - 3] + "..."
        raise InputError("explain.unknown_code", None, {"code": shown})
    lines = [
        f"{entry.code} {entry.name} ({entry.severity})",
        entry.summary.get(lang),
        "",
        entry.explanation.get(lang),
        "",
    ]
    if entry.clause:
        lines.append(t("explain.clause", lang, clause=entry.clause))
    lines += [
        t("explain.passing", lang),
        _indent(entry.passing),
        t("explain.failing", lang),
        _indent(entry.failing),
    ]
    click.echo("\n".join(lines))
    return 0


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
