"""`sopcheck codes`: list every finding code of the catalogue."""

from __future__ import annotations

import json

import click

from checker import catalogue
from checker.cli import lang_option

FAMILIES = {
    "sop": ("Berkas SOP (`sopcheck validate`)", "The SOP file (`sopcheck validate`)"),
    "flow": ("Alur", "Flow"),
    "actor": ("Pelaksana", "Actors"),
    "document": ("Dokumen", "Documents"),
    "time": ("Waktu", "Time"),
    "case": ("Kasus", "Case"),
}


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True)
@click.option(
    "--family",
    type=click.Choice(list(FAMILIES)),
    default=None,
    help="Only codes of this family.",
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
    if fmt == "md":
        click.echo(markdown(codes, lang), nl=False)
        return 0
    for c in codes:
        click.echo(f"{c.code}  {c.severity:<7}  {c.name:<36}  {c.summary.get(lang)}")
    return 0



def markdown(codes: list[catalogue.Code], lang: str) -> str:
    """docs/codes.md: the catalogue as a page (regenerate with `sopcheck codes --format md`)."""
    index = 0 if lang == "id" else 1
    title = ("Kode temuan", "Finding codes")[index]
    intro = (
        "Halaman ini dibuat dari katalog (`checker/catalogue.py`) dengan "
        "`sopcheck codes --format md --lang id`; jangan disunting dengan tangan.",
        "This page is generated from the catalogue (`checker/catalogue.py`) by "
        "`sopcheck codes --format md > docs/codes.md`; do not edit it by hand. "
        "`sopcheck explain CODE` shows the same text in the terminal, in English or Indonesian.",
    )[index]
    out = [f"# {title}", "", intro, ""]
    for family, names in FAMILIES.items():
        members = [c for c in codes if c.family == family]
        if not members:
            continue
        out += [
            f"## {names[index]}",
            "",
            "| code | name | severity | clause | summary |",
            "|---|---|---|---|---|",
        ]
        out += [
            f"| [{c.code}](#{c.code.lower()}) | `{c.name}` | {c.severity} | {c.clause or ''} | "
            f"{c.summary.get(lang)} |"
            for c in members
        ]
        out.append("")
        for c in members:
            out += [
                f"### {c.code}",
                "",
                f"**{c.summary.get(lang)}** (`{c.name}`, {c.severity})",
                "",
                c.explanation.get(lang),
                "",
                ("Lolos:", "Passes:")[index],
                "",
                "```",
                c.passing,
                "```",
                "",
                ("Gagal:", "Fails:")[index],
                "",
                "```",
                c.failing,
                "```",
                "",
            ]
    return "\n".join(out)
