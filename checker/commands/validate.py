"""`sopcheck validate PATH...`: check SOP files against the schema and the semantic rules."""

from __future__ import annotations

import click

from checker.cli import lang_option
from checker.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, InputError
from checker.output import FilePath, format_option, output_option, refuse_overwrite, write_output
from checker.reporters.validation import FORMATS, ValidationRun, sop_files
from checker.sop.load import load_sop


@click.command()
@click.argument("paths", nargs=-1, required=True, type=FilePath())
@format_option(FORMATS)
@output_option
@lang_option
def command(paths: tuple[str, ...], fmt: str, output: str | None, lang: str) -> int:
    """Validate SOP files (or folders of *.yaml) against the SOP schema and semantic checks.

    Exit status: 0 valid, 1 findings, 2 a file that cannot be read.
    """
    refuse_overwrite({"-o": output}, [("PATH", path) for path in paths])
    loaded, unreadable = [], []
    files = sop_files(paths)
    if not files:
        raise InputError("validate.no_files", None, {"paths": ", ".join(paths)})
    for path in files:
        try:
            loaded.append(load_sop(path))
        except InputError as err:
            unreadable.append((path, err.render(lang)))
            click.echo(f"sopcheck: {err.render(lang)}", err=True)
    run = ValidationRun(tuple(loaded), tuple(unreadable))
    write_output(FORMATS[fmt](run, lang), output)
    if unreadable:
        return EXIT_INPUT
    return EXIT_OK if all(not item.findings for item in loaded) else EXIT_FINDINGS
