"""`sopcheck codes`: list every finding code of the catalogue."""

from __future__ import annotations

import json

import click

from checker import catalogue
from checker.cli import lang_option


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--family", default=None, help="Only codes of this family (sop, flow, actor, document, time, case)."
)
@lang_option
def command(fmt: str, family: str | None, lang: str) -> int:
    """List the finding codes: code, name, severity and summary."""
    codes = [c for c in catalogue.CODES if family is None or c.family == family]
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "code": c.code,
                        "name": c.name,
                        "family": c.family,
                        "severity": c.severity,
                        "clause": c.clause,
                        "summary": c.summary.get(lang),
                    }
                    for c in codes
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for c in codes:
        click.echo(f"{c.code}  {c.severity:<7}  {c.name:<36}  {c.summary.get(lang)}")
    return 0
