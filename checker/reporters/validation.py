"""Output formats for `sopcheck validate`, small functions side by side, in one registry."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from checker import __version__
from checker.messages import t
from checker.sop.load import LoadedSop


@dataclass(frozen=True)
class ValidationRun:
    """What `validate` found: one LoadedSop per readable file, one line per unreadable one."""

    loaded: tuple[LoadedSop, ...]
    unreadable: tuple[tuple[str, str], ...]  # (path, rendered one-line error)


def records(run: ValidationRun, lang: str) -> list[dict]:
    """The one record shape every format is built from."""
    out = []
    for loaded in run.loaded:
        for f in loaded.findings:
            out.append(
                {
                    "path": f.location.path,
                    "line": f.location.line,
                    "column": f.location.column,
                    "severity": f.severity,
                    "code": f.code,
                    "message": f.message(lang),
                }
            )
    return out


def text(run: ValidationRun, lang: str) -> str:
    lines = [
        f"{r['path']}:{r['line']}:{r['column']}: {r['severity']} {r['code']} {r['message']}"
        for r in records(run, lang)
    ]
    files = len(run.loaded)
    bad = sum(1 for loaded in run.loaded if loaded.findings)
    lines.append(
        t(
            "validate.summary",
            lang,
            files=files,
            bad=bad,
            findings=len(records(run, lang)),
            unreadable=len(run.unreadable),
        )
    )
    return "\n".join(lines) + "\n"


def json_report(run: ValidationRun, lang: str) -> str:
    rows = records(run, lang)
    doc = {
        "tool": {"name": "sopcheck", "version": __version__},
        "files": [
            {
                "path": loaded.path,
                "valid": loaded.ok,
                "sop": loaded.sop.id if loaded.sop else None,
                "revision": loaded.sop.revision if loaded.sop else None,
                "findings": [r for r in rows if r["path"] == loaded.path],
            }
            for loaded in run.loaded
        ],
        "unreadable": [{"path": p, "error": e} for p, e in run.unreadable],
        "summary": {
            "files": len(run.loaded) + len(run.unreadable),
            "findings": len(rows),
            "unreadable": len(run.unreadable),
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _junit(run: ValidationRun, lang: str) -> str:
    from checker.reporters.junit import junit_validate

    return junit_validate(run, lang)


def _sarif(run: ValidationRun, lang: str) -> str:
    from checker.reporters.sarif import sarif_validate

    return sarif_validate(run, lang)


def _markdown(run: ValidationRun, lang: str) -> str:
    from checker.reporters.markdown import markdown_validate

    return markdown_validate(run, lang)


FORMATS: dict[str, Callable[[ValidationRun, str], str | bytes]] = {
    "text": text,
    "json": json_report,
    "junit": _junit,
    "sarif": _sarif,
    "md": _markdown,
}


def sop_files(paths: Sequence[str]) -> list[str]:
    """The SOP files named, folders searched for *.yaml / *.yml (example-case files, named
    *.cases.yaml, are left to `sopcheck test`)."""
    from pathlib import Path

    found: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.suffix in (".yaml", ".yml")
                    and child.is_file()
                    and not child.name.endswith((".cases.yaml", ".cases.yml"))
                ):
                    found.append(str(child))
        else:
            found.append(raw)
    return found
