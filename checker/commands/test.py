"""`sopcheck test PATH...`: run the example cases stored beside SOPs (NAME.cases.yaml)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

import click

from checker import __version__
from checker.cli import lang_option
from checker.errors import EXIT_FINDINGS, EXIT_OK, InputError
from checker.examples import CasesFile, Outcome, discover, load_cases, render, run, step_order
from checker.messages import t
from checker.output import FilePath, format_option, output_option, refuse_overwrite, write_output


@dataclass(frozen=True)
class TestRun:
    files: tuple[tuple[CasesFile, tuple[Outcome, ...]], ...]
    lonely: tuple[str, ...]  # SOP files no cases file covers

    @property
    def outcomes(self) -> list[Outcome]:
        return [o for _, outcomes in self.files for o in outcomes]


def _detail(outcome: Outcome, lang: str) -> list[str]:
    """Why a case failed: the findings diff, then status and revision mismatches."""
    lines: list[str] = []
    if outcome.diff:
        lines.append(t("test.findings_diff", lang))
        lines.extend("  " + line for line in outcome.diff)
    lines.extend(t(key, lang, **args) for key, args in outcome.mismatches)
    return lines


def text(run_: TestRun, lang: str) -> str:
    lines: list[str] = []
    for _, outcomes in run_.files:
        for o in outcomes:
            word = t("test.pass" if o.passed else "test.fail", lang)
            lines.append(f"{word} {o.path}:{o.example.location.line}: {o.name}")
            lines.extend("    " + line for line in _detail(o, lang))
    lines.extend(t("test.no_cases", lang, path=p) for p in run_.lonely)
    lines.append(_summary(run_, lang))
    return "\n".join(lines) + "\n"


def _summary(run_: TestRun, lang: str) -> str:
    outcomes = run_.outcomes
    passed = sum(1 for o in outcomes if o.passed)
    return t(
        "test.summary",
        lang,
        total=len(outcomes),
        passed=passed,
        failed=len(outcomes) - passed,
        files=len(run_.files),
    )


def json_report(run_: TestRun, lang: str) -> str:
    files = []
    for cases_file, outcomes in run_.files:
        cases = []
        for o in outcomes:
            order = step_order(cases_file, o.result.sop_revision)
            cases.append(
                {
                    "name": o.name,
                    "line": o.example.location.line,
                    "passed": o.passed,
                    "status": {"expected": o.example.status, "actual": o.result.status},
                    "revision": {"expected": o.example.revision, "actual": o.result.sop_revision},
                    "expected": render(o.example.expected, order),
                    "actual": render(o.actual, order),
                    "diff": list(o.diff),
                    "problems": _detail(o, lang),
                }
            )
        files.append({"path": cases_file.path, "sop": list(cases_file.sop_paths), "cases": cases})
    outcomes = run_.outcomes
    doc = {
        "tool": {"name": "sopcheck", "version": __version__},
        "files": files,
        "sops_without_cases": list(run_.lonely),
        "summary": {
            "cases": len(outcomes),
            "passed": sum(1 for o in outcomes if o.passed),
            "failed": sum(1 for o in outcomes if not o.passed),
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _headline(cases_file: CasesFile, o: Outcome, lang: str) -> str:
    """One line for a failure: the findings expected and found, then other mismatches."""
    parts = []
    if o.diff:
        order = step_order(cases_file, o.result.sop_revision)
        expected = ", ".join(line.strip() for line in render(o.example.expected, order)) or "-"
        actual = ", ".join(line.strip() for line in render(o.actual, order)) or "-"
        parts.append(t("test.junit_message", lang, expected=expected, actual=actual))
    parts.extend(t(key, lang, **args) for key, args in o.mismatches)
    return "; ".join(parts)


def junit(run_: TestRun, lang: str) -> bytes:
    """JUnit XML for CI test tabs: one testsuite per cases file, one testcase per example case, a
    failure carrying the diff."""
    outcomes = run_.outcomes
    root = ET.Element(
        "testsuites",
        name="sopcheck test",
        tests=str(len(outcomes)),
        failures=str(sum(1 for o in outcomes if not o.passed)),
    )
    for cases_file, file_outcomes in run_.files:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=cases_file.path,
            tests=str(len(file_outcomes)),
            failures=str(sum(1 for o in file_outcomes if not o.passed)),
            errors="0",
            skipped="0",
        )
        sop_id = cases_file.revisions[0].id
        for o in file_outcomes:
            case = ET.SubElement(
                suite,
                "testcase",
                name=o.name,
                classname=sop_id,
                file=cases_file.path,
                line=str(o.example.location.line or 0),
            )
            if not o.passed:
                failure = ET.SubElement(case, "failure", message=_headline(cases_file, o, lang))
                failure.text = "\n".join(_detail(o, lang))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


FORMATS: dict[str, Callable[[TestRun, str], str | bytes]] = {
    "text": text,
    "json": json_report,
    "junit": junit,
}


@click.command()
@click.argument("paths", nargs=-1, required=True, type=FilePath())
@click.option(
    "-k",
    "--name",
    "patterns",
    multiple=True,
    metavar="PATTERN",
    help="Run only the cases whose name contains PATTERN (or matches it as a glob: *, ?, [). Repeatable.",
)
@click.option(
    "--require-cases",
    is_flag=True,
    help="Fail (exit 1) when an SOP file named or found has no example cases.",
)
@format_option(FORMATS)
@output_option
@lang_option
def command(
    paths: tuple[str, ...],
    patterns: tuple[str, ...],
    require_cases: bool,
    fmt: str,
    output: str | None,
    lang: str,
) -> int:
    """Run the example cases of SOPs and compare the findings with the expected ones.

    PATH is a folder (searched for *.cases.yaml), an example-case file, or an SOP file (its
    example cases are found beside it). Exit status: 0 all pass, 1 a case fails, 2 unusable input.
    """
    refuse_overwrite({"-o": output}, [("PATH", path) for path in paths])
    cases_paths, lonely = discover(paths)
    if not cases_paths and not lonely:
        raise InputError("test.no_files", None, {"paths": ", ".join(paths)})
    files = []
    for path in cases_paths:
        cases_file = load_cases(path)
        outcomes = tuple(run(cases_file, patterns))
        if outcomes or not patterns:
            files.append((cases_file, outcomes))
    run_ = TestRun(tuple(files), tuple(lonely))
    if patterns and not run_.outcomes:
        raise InputError("test.no_match", None, {"patterns": ", ".join(patterns)})
    write_output(FORMATS[fmt](run_, lang), output)
    failed = any(not o.passed for o in run_.outcomes) or (require_cases and bool(lonely))
    return EXIT_FINDINGS if failed else EXIT_OK
