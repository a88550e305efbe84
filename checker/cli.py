"""The thin command line: parse options, call the core, hand results to a reporter.

Commands live one per module in checker.commands; this registry names them (no discovery magic).
Any InputError becomes one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

from checker import __version__
from checker.errors import EXIT_INPUT, InputError
from checker.messages.parsers import os_problem
from checker.output import WRITE_ERRORS, printable
from checker.usage import one_line, usage_line

COMMANDS = {
    "validate": "checker.commands.validate",
    "inspect": "checker.commands.inspect",
    "audit": "checker.commands.audit",
    "codes": "checker.commands.codes",
    "explain": "checker.commands.explain",
    "generate": "checker.commands.generate",
    "selftest": "checker.commands.selftest",
    "test": "checker.commands.test",
    "diff": "checker.commands.diff",
    "export": "checker.commands.export",
}


def default_lang() -> str:
    lang = os.environ.get("SOPCHECK_LANG", "en")
    return lang if lang in ("id", "en") else "en"


lang_option = click.option(
    "--lang",
    type=click.Choice(["id", "en"]),
    default=default_lang,
    show_default="en, or $SOPCHECK_LANG",
    help="Language of messages and reports (id: Bahasa Indonesia, en: English).",
)


class LazyGroup(click.Group):
    """Imports a command's module only when it runs, so `sopcheck validate` stays quick."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, mod in COMMANDS.items() if _exists(mod))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None or not _exists(module):
            return None
        return importlib.import_module(module).command


def _exists(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sopcheck")
def cli() -> None:
    """sopcheck: check case logs against Standard Operating Procedures written as YAML."""


def main(argv: list[str] | None = None) -> None:
    # pyarrow's default allocator (mimalloc) keeps some 20 MB per process of freed memory for
    # reuse; in the command's own processes (the main one and its --jobs workers, who inherit
    # the environment) the system allocator holds what is in use. The user's setting wins.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    args = argv if argv is not None else sys.argv[1:]
    try:
        if sys.stdout is None:  # started with standard output closed: nothing could be shown
            raise InputError("output.closed", None)
        # Commands return their exit status (0, 1) instead of calling sys.exit themselves.
        status = cli.main(args=argv, prog_name="sopcheck", standalone_mode=False)
        _flush_stdout()
    except InputError as err:
        _fail(err, args)
    except click.exceptions.Abort:
        click.echo("sopcheck: aborted", err=True)
        sys.exit(EXIT_INPUT)
    except click.UsageError as err:
        lang = _lang_from_argv(args)
        click.echo(f"sopcheck: {printable(usage_line(err, lang, args, cli))}", err=True)
        sys.exit(EXIT_INPUT)
    except click.ClickException as err:
        click.echo(f"sopcheck: {printable(one_line(err.format_message()))}", err=True)
        sys.exit(EXIT_INPUT)
    except BrokenPipeError:
        sys.exit(EXIT_INPUT)
    except OSError as err:
        if err.errno not in WRITE_ERRORS:
            raise
        # Standard output on a full disk or a failing device (`sopcheck codes > /dev/full`).
        _fail(InputError("output.unwritable", None, {"reason": os_problem(err)}), args)
    sys.exit(status if isinstance(status, int) else 0)


def _fail(err: InputError, args: list[str]) -> None:
    click.echo(f"sopcheck: {printable(err.render(_lang_from_argv(args)))}", err=True)
    sys.exit(EXIT_INPUT)


def _flush_stdout() -> None:
    """Flush now, so that a full disk or a failing device is one line and exit 2 (main), not a
    traceback at interpreter exit."""
    sys.stdout.flush()


def _lang_from_argv(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return default_lang()
