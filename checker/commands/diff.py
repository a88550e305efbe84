"""`sopcheck diff OLD NEW`: what a revision changes in an SOP, and with --log, in the audit of a log."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace

import click

from checker import __version__
from checker.cli import lang_option
from checker.commands.logopts import log_inputs, log_options, read_options
from checker.errors import EXIT_FINDINGS, EXIT_OK
from checker.messages import t
from checker.output import FilePath, format_option, output_option, refuse_overwrite, write_output
from checker.sop.model import Sop
from checker.sopdiff import SECTIONS, Change, Impact, SopDiff, show

MD_CASE_ROWS = 100  # a pull-request comment has a size limit; JSON lists every case


@dataclass(frozen=True)
class DiffRun:
    diff: SopDiff
    impact: Impact | None = None
    dates_respected: bool = False


def _subject(change: Change) -> str:
    return f"{change.number} {change.subject}" if change.number is not None else change.subject


def _line(change: Change, lang: str) -> str:
    """One change as `+ what: new`, `- what: old`, `~ what field: old -> new`."""
    what = _subject(change)
    old, new = show(change.old, lang), show(change.new, lang)
    if change.kind == "renumbered":
        return f"~ {what}: {t('diff.kind.renumbered', lang)} {old} -> {new}"
    if change.field is None:
        if change.kind == "added":
            return f"+ {what}: {new}"
        if change.kind == "removed":
            return f"- {what}: {old}"
        return f"~ {what}: {old} -> {new}"
    if change.kind == "added":
        return f"~ {what} {change.field}: + {new}"
    if change.kind == "removed":
        return f"~ {what} {change.field}: - {old}"
    return f"~ {what} {change.field}: {old} -> {new}"


def _title(run: DiffRun, lang: str) -> str:
    d = run.diff
    return t("diff.title", lang, sop=d.new.id, old=d.old.revision, new=d.new.revision)


def _summary(run: DiffRun, lang: str) -> str:
    counts = run.diff.counts()
    if not run.diff.changes:
        return t("diff.no_changes", lang)
    return t("diff.summary", lang, total=len(run.diff.changes), **counts)


def _verdict(status: str | None, compliant: bool | None, lang: str) -> str:
    if status is None:
        return "-"
    if status == "not_judged":
        return status
    return f"{status}, {t('diff.compliant' if compliant else 'diff.not_compliant', lang)}"


def _impact_title(run: DiffRun, impact: Impact, lang: str) -> str:
    dates = t("diff.dates_respected" if run.dates_respected else "diff.dates_ignored", lang)
    return t("diff.impact_title", lang, log=impact.log or "-", cases=impact.cases, dates=dates)


def _impact_summary(impact: Impact, lang: str) -> str:
    if not impact.changed:
        return t("diff.impact_none", lang)
    return t("diff.impact_summary", lang, changed=len(impact.changed), verdicts=impact.verdicts_changed)


def _finding_changes(case) -> str:
    parts = [f"+{code}" + (f" {step}" if step else "") for code, step in case.added]
    parts += [f"-{code}" + (f" {step}" if step else "") for code, step in case.removed]
    return ", ".join(parts)


def text(run: DiffRun, lang: str) -> str:
    d = run.diff
    lines = [
        _title(run, lang),
        "  " + t("diff.old_file", lang, path=d.old.path or "-"),
        "  " + t("diff.new_file", lang, path=d.new.path or "-"),
    ]
    for section in SECTIONS:
        changes = [c for c in d.changes if c.section == section]
        if changes:
            lines.append(t(f"diff.section.{section}", lang))
            lines.extend("  " + _line(c, lang) for c in changes)
    lines.append(_summary(run, lang))
    if run.impact is not None:
        impact = run.impact
        lines += ["", _impact_title(run, impact, lang), "  " + _impact_summary(impact, lang)]
        if impact.by_code:
            lines.append("  " + t("diff.by_code", lang))
            width = max(len(c[0]) for c in impact.by_code)
            lines.extend(
                f"    {code:<{width}}  {old} -> {new}  (+{added}, -{removed})"
                for code, old, new, added, removed in impact.by_code
            )
        if impact.changed:
            lines.append("  " + t("diff.cases", lang))
            for case in impact.changed:
                before = _verdict(case.old_status, case.old_compliant, lang)
                after = _verdict(case.new_status, case.new_compliant, lang)
                lines.append(f"    {case.case_id}: {before} -> {after}  {_finding_changes(case)}".rstrip())
    return "\n".join(lines) + "\n"


def json_report(run: DiffRun, lang: str) -> str:
    d = run.diff
    doc = {
        "tool": {"name": "sopcheck", "version": __version__},
        "sop_id": d.new.id,
        "old": {"path": d.old.path, "revision": d.old.revision, "sha256": d.old.sha256},
        "new": {"path": d.new.path, "revision": d.new.revision, "sha256": d.new.sha256},
        "changes": [c.record(lang) for c in d.changes],
        "summary": {"changes": len(d.changes), **d.counts()},
        "impact": (
            {**run.impact.record(), "effective_dates_respected": run.dates_respected}
            if run.impact is not None
            else None
        ),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ") or " "


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def markdown(run: DiffRun, lang: str) -> str:
    """For a pull-request comment: one table of changes, then the impact on the log."""
    d = run.diff
    lines = [
        f"### {_title(run, lang)}",
        "",
        f"`{d.old.path or '-'}` -> `{d.new.path or '-'}`",
        "",
    ]
    if d.changes:
        header = ["change", "section", "subject", "field", "old", "new"]
        lines.append(_row([t(f"diff.col.{h}", lang) for h in header]))
        lines.append("|" + "---|" * len(header))
        for c in d.changes:
            lines.append(
                _row(
                    [
                        t(f"diff.kind.{c.kind}", lang),
                        t(f"diff.section.{c.section}", lang),
                        _subject(c),
                        c.field or "",
                        show(c.old, lang) if c.old is not None else "",
                        show(c.new, lang) if c.new is not None else "",
                    ]
                )
            )
        lines.append("")
    lines.append(f"**{_summary(run, lang)}**")
    if run.impact is not None:
        impact = run.impact
        lines += ["", f"#### {_impact_title(run, impact, lang)}", "", _impact_summary(impact, lang), ""]
        if impact.by_code:
            header = ["code", "old", "new", "appearing", "disappearing"]
            lines.append(_row([t(f"diff.col.{h}", lang) for h in header]))
            lines.append("|" + "---|" * len(header))
            lines.extend(_row([code, str(o), str(n), str(a), str(r)]) for code, o, n, a, r in impact.by_code)
            lines.append("")
        if impact.changed:
            header = ["case", "old", "new", "findings"]
            lines.append(_row([t(f"diff.col.{h}", lang) for h in header]))
            lines.append("|" + "---|" * len(header))
            for case in impact.changed[:MD_CASE_ROWS]:
                lines.append(
                    _row(
                        [
                            case.case_id,
                            _verdict(case.old_status, case.old_compliant, lang),
                            _verdict(case.new_status, case.new_compliant, lang),
                            _finding_changes(case),
                        ]
                    )
                )
            if len(impact.changed) > MD_CASE_ROWS:
                lines += ["", t("diff.more", lang, count=len(impact.changed) - MD_CASE_ROWS)]
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[DiffRun, str], str | bytes]] = {
    "text": text,
    "json": json_report,
    "md": markdown,
}


def timeless(sop: Sop) -> Sop:
    """The revision with no effective date, so that it judges every case of a log."""
    return replace(sop, identity=replace(sop.identity, effective=None))


@click.command()
@click.argument("old", type=FilePath())
@click.argument("new", type=FilePath())
@click.option(
    "--log",
    "log",
    type=FilePath(),
    default=None,
    help="Also audit this case log under both revisions and list the cases whose verdict or "
    "findings change, with counts by code.",
)
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="Audit date for --log (YYYY-MM-DD). Default: the latest timestamp in the log.",
)
@click.option(
    "--calendar",
    type=FilePath(),
    default=None,
    help="Calendar file for --log: extra days off, working hours.",
)
@click.option(
    "--respect-effective",
    is_flag=True,
    help="With --log, keep the revisions' effective dates (a case before one is not judged by "
    "it). Default: judge every case by each revision, to see what the new one would change.",
)
@click.option(
    "--exit-code",
    is_flag=True,
    help="Exit with status 1 when there are semantic changes (like git diff --exit-code).",
)
@format_option(FORMATS)
@output_option
@lang_option
@log_options
def command(
    old: str,
    new: str,
    log: str | None,
    as_of: str | None,
    calendar: str | None,
    respect_effective: bool,
    exit_code: bool,
    fmt: str,
    output: str | None,
    lang: str,
    **log_kwargs,
) -> int:
    """Semantic diff of two revisions of an SOP: steps added, removed or renumbered; actors,
    inputs, outputs, time allowed, branches and conditions; identity (legal basis, dates).

    Formats: text, json, md (for a pull-request comment). Exit status: 0 (with --exit-code: 0 no
    change, 1 changes), 2 unusable input.
    """
    refuse_overwrite(
        {"-o": output, "--rejects": log_kwargs.get("rejects")},
        [("OLD", old), ("NEW", new), ("--log", log), ("--calendar", calendar), *log_inputs(log_kwargs)],
    )
    from checker.sop.load import require_sop
    from checker.sopdiff import diff, impact

    old_sop, new_sop = require_sop(old), require_sop(new)
    result = DiffRun(diff(old_sop, new_sop), dates_respected=respect_effective)
    if log is not None:
        from checker.api import audit

        options, roster, rejects = read_options(**log_kwargs)
        judges = (old_sop, new_sop) if respect_effective else (timeless(old_sop), timeless(new_sop))
        reports = [
            audit(
                sop,
                log,
                as_of=as_of,
                calendar=calendar,
                roster=roster,
                read_options=options,
                lang=lang,
                rejects=rejects if index == 0 else None,
            )
            for index, sop in enumerate(judges)
        ]
        result = replace(result, impact=impact(*reports))
    write_output(FORMATS[fmt](result, lang), output)
    return EXIT_FINDINGS if exit_code and result.diff.changes else EXIT_OK
