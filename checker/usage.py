"""Click's usage errors as one line in the user's language: click writes a usage block in English
and its details too, so the detail is made here from the error and the parameter's type (a
choice, a range, a number, a path, an extra argument, an unknown command or option); click's own
text only for anything else (checker.cli prints the line)."""

from __future__ import annotations

import os
from typing import Any

import click


def usage_line(err: click.UsageError, lang: str, args: list[str], group: click.Group) -> str:
    """An option error as one line in `lang` (click writes a usage block in English, and its
    details too: they are made here from the error and the parameter's type instead)."""
    from checker.messages import t

    ctx = err.ctx or _command_context(args, group)
    param = getattr(err, "param", None)
    hint = param.get_error_hint(ctx) if ctx is not None and param is not None else None
    hint = hint or getattr(err, "param_hint", None) or "?"
    text = None
    if isinstance(err, click.NoSuchOption):
        text = t("usage.no_such_option", lang, option=err.option_name)
        if err.possibilities:
            text += " " + t("usage.did_you_mean", lang, options=", ".join(sorted(err.possibilities)))
    elif isinstance(err, click.MissingParameter):
        text = t("usage.missing", lang, param=hint)
    elif isinstance(err, click.BadParameter):
        detail = _detail(err, ctx, args, lang) or err.message
        text = t("usage.bad_value", lang, param=hint, detail=detail)
    elif isinstance(err, click.BadOptionUsage):
        text = _option_usage(err, ctx, lang)
    elif ctx is not None and isinstance(ctx.command, click.Group):
        text = _group_usage(err, ctx, args, lang)
    elif ctx is not None and type(err) is click.UsageError:
        extra = _parsed(ctx, args)[1]
        if extra:
            text = t("usage.extra_arguments", lang, args=" ".join(extra))
    if text is None:
        text = t("usage.other", lang, detail=err.format_message())
    command = ctx.command_path if ctx else "sopcheck"
    return one_line(f"{text} {t('usage.hint', lang, command=command)}")


def _command_context(args: list[str], group: click.Group) -> click.Context | None:
    """A context for the command named in `args` (click's parser raises some errors without
    one), or None."""
    name = _command_name(args)
    command = group.get_command(click.Context(group), name) if name else None
    if command is None:
        return None
    return click.Context(command, info_name=name, parent=click.Context(group, info_name="sopcheck"))


def _command_name(args: list[str]) -> str | None:
    """The command `args` name: the group has no option that takes a value."""
    return next((arg for arg in args if not arg.startswith("-")), None)


def _commands(group: click.Group) -> str:
    return ", ".join(group.list_commands(click.Context(group)))


def _group_usage(err: click.UsageError, ctx: click.Context, args: list[str], lang: str) -> str | None:
    from checker.messages import t

    if type(err).__name__ == "NoArgsIsHelpError" or not args:
        return t("usage.no_command", lang, commands=_commands(ctx.command))
    name = getattr(err, "command_name", None) or _command_name(args)
    if name is not None and name not in ctx.command.list_commands(ctx):
        return t("usage.no_such_command", lang, command=name, commands=_commands(ctx.command))
    return None


def _option_usage(err: click.BadOptionUsage, ctx: click.Context | None, lang: str) -> str | None:
    """`--strict=x` (a flag given a value) or `-j` last (an option without its value)."""
    from checker.messages import t

    option = err.option_name
    found = [p for p in ctx.command.params if option in (*p.opts, *p.secondary_opts)] if ctx else []
    if not found or not isinstance(found[0], click.Option):
        return None
    flag = found[0].is_flag or found[0].count
    return t("usage.takes_no_value" if flag else "usage.needs_value", lang, option=option)


def _parsed(ctx: click.Context, args: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The command's raw option values and its left-over arguments, parsed again from `args`
    (click keeps neither on the error); empty where that cannot be done."""
    name = ctx.info_name
    own = list(args)
    if ctx.parent is not None and name in own:
        own = own[own.index(name) + 1 :]
    try:
        opts, extra, _ = ctx.command.make_parser(ctx).parse_args(args=own)
    except Exception:  # noqa: BLE001 (on the way to an error message: then click's text is shown)
        return {}, []
    return opts, list(extra)


def _detail(err: click.BadParameter, ctx: click.Context | None, args: list[str], lang: str) -> str | None:
    """The detail of an invalid value in `lang`, from the parameter's type and the value given;
    None for what is not known here (the caller keeps click's text)."""
    from checker.messages import t
    from checker.output import EmptyPath

    if isinstance(err, EmptyPath):
        return t("usage.path_empty", lang)
    param = err.param
    if param is None or ctx is None:
        return None
    value = _failing_value(param, _parsed(ctx, args)[0].get(param.name), ctx)
    if not isinstance(value, str) or not _refused(param, value, ctx):
        return None  # not the type's complaint (a callback's, say): its own text
    kind = param.type
    if isinstance(kind, click.Choice):
        return t("usage.not_a_choice", lang, value=value, choices=", ".join(map(str, kind.choices)))
    if isinstance(kind, click.IntRange | click.FloatRange):
        return _range(kind, value, lang)
    if isinstance(kind, click.types.IntParamType):
        return t("usage.not_an_integer", lang, value=value)
    if isinstance(kind, click.types.FloatParamType):
        return t("usage.not_a_number", lang, value=value)
    if isinstance(kind, click.Path):
        return _path(kind, value, lang)
    return None


def _refused(param: click.Parameter, value: str, ctx: click.Context) -> bool:
    try:
        param.type.convert(value, param, ctx)
    except click.BadParameter:
        return True
    return False


def _failing_value(param: click.Parameter, raw: Any, ctx: click.Context) -> Any:
    """The value given to `param` that its type refuses (of several, for a repeated option or
    arguments), or None."""
    if not isinstance(raw, list | tuple):
        return raw
    return next((item for item in raw if isinstance(item, str) and _refused(param, item, ctx)), None)


def _range(kind: click.IntRange | click.FloatRange, value: str, lang: str) -> str | None:
    from checker.messages import t

    integer = isinstance(kind, click.IntRange)
    try:
        number = (click.INT if integer else click.FLOAT).convert(value, None, None)
    except click.BadParameter:
        return t("usage.not_an_integer" if integer else "usage.not_a_number", lang, value=value)
    low, high = kind.min, kind.max
    if low is not None and high is not None and not kind.min_open and not kind.max_open:
        return t("usage.out_of_range", lang, value=value, min=_bound(low), max=_bound(high))
    if low is not None and (number < low or (kind.min_open and number <= low)):
        key = "usage.not_above_min" if kind.min_open else "usage.below_min"
        return t(key, lang, value=value, min=_bound(low))
    if high is not None:
        key = "usage.not_below_max" if kind.max_open else "usage.above_max"
        return t(key, lang, value=value, max=_bound(high))
    return None


def _bound(number: float) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def _path(kind: click.Path, value: str, lang: str) -> str | None:
    """Why click.Path refused `value`: its checks, made again (in the same order)."""
    import stat

    from checker.messages import t

    name = os.path.realpath(value) if kind.resolve_path else value
    try:
        info = os.stat(name)
    except OSError:
        return t("usage.path_missing", lang, path=value) if kind.exists else None
    if not kind.file_okay and stat.S_ISREG(info.st_mode):
        return t("usage.path_is_file", lang, path=value)
    if not kind.dir_okay and stat.S_ISDIR(info.st_mode):
        return t("usage.path_is_directory", lang, path=value)
    if kind.readable and not os.access(name, os.R_OK):
        return t("usage.path_unreadable", lang, path=value)
    if kind.writable and not os.access(name, os.W_OK):
        return t("usage.path_unwritable", lang, path=value)
    return None


def one_line(text: str) -> str:
    return " ".join(text.split())
