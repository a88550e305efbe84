"""SARIF 2.1.0 (OASIS), for code scanning: findings shown where developers look.

Rules (`tool.driver.rules`) come from the finding catalogue: id, name, short and full description,
help with the passing and failing examples, default level. `validate`: a result per finding at the
SOP file's line and column (artifact URIs relative to the working directory), so code scanning
annotates the YAML. `audit`: a result per root finding at the log file's line (the evidence row),
the case id in the message, a logical location and `properties`; consequences as related
locations. Validated against schemas/sarif-2.1.0.json in the tests.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from checker import __version__, catalogue
from checker.conformance.results import Report
from checker.messages import t
from checker.reporters.records import report_records

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {catalogue.ERROR: "error", catalogue.WARNING: "warning", catalogue.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A relative URI for `path`, relative to the working directory, with '/' separators."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = Path(os.path.relpath(p))
        except ValueError:  # another drive (Windows): keep it absolute
            return p.as_uri()
    return quote(PurePath(p).as_posix(), safe="/")


def rules(scope: str, lang: str) -> list[dict[str, Any]]:
    out = []
    for code in catalogue.CODES:
        if code.scope != scope:
            continue
        summary, explanation = code.summary.get(lang), code.explanation.get(lang)
        passing, failing = t("rpt.sarif.passing", lang), t("rpt.sarif.failing", lang)
        out.append(
            {
                "id": code.code,
                "name": code.name,
                "shortDescription": {"text": summary},
                "fullDescription": {"text": explanation},
                "help": {
                    "text": f"{explanation}\n\n{passing}\n{code.passing}\n\n{failing}\n{code.failing}",
                    "markdown": (
                        f"{explanation}\n\n**{passing}**\n\n```yaml\n{code.passing}\n```\n\n"
                        f"**{failing}**\n\n```yaml\n{code.failing}\n```"
                    ),
                },
                "defaultConfiguration": {"level": LEVELS[code.severity]},
                "properties": {
                    "family": code.family,
                    "clause": code.clause or "",
                    "tags": sorted({"sopcheck", code.family, *([code.clause] if code.clause else [])}),
                },
            }
        )
    return out


def _driver(scope: str, lang: str) -> dict[str, Any]:
    return {
        "name": "sopcheck",
        "version": __version__,
        "semanticVersion": __version__,
        "language": lang,
        "rules": rules(scope, lang),
    }


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _fingerprint(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


# --- audit ----------------------------------------------------------------------------------


def sarif_audit(report: Report, lang: str) -> str:
    rec = report_records(report, lang)
    p = rec["provenance"]
    driver = _driver("log", lang)
    index = {r["id"]: i for i, r in enumerate(driver["rules"])}
    artifacts: list[dict[str, Any]] = []
    log_uri = artifact_uri(p["log_path"]) if p["log_path"] else None
    if log_uri:
        log_artifact: dict[str, Any] = {"location": {"uri": log_uri}, "roles": ["analysisTarget"]}
        if p["log_sha256"]:
            log_artifact["hashes"] = {"sha-256": p["log_sha256"]}
        artifacts.append(log_artifact)
    for path, sha in zip(p["sop_paths"], p["sop_sha256"], strict=False):
        if path and path != "-":
            sop: dict[str, Any] = {"location": {"uri": artifact_uri(path)}, "roles": ["policy"]}
            if sha and sha != "-":
                sop["hashes"] = {"sha-256": sha}
            artifacts.append(sop)

    def location(f: dict[str, Any], row: int | None, message: str | None = None) -> dict[str, Any]:
        loc: dict[str, Any] = {}
        if log_uri:
            physical: dict[str, Any] = {"artifactLocation": {"uri": log_uri, "index": 0}}
            if row and row > 0:
                physical["region"] = {"startLine": row}
            loc["physicalLocation"] = physical
        loc["logicalLocations"] = [
            {"name": f["case_id"], "fullyQualifiedName": f"{p['sop_id']}/{f['case_id']}", "kind": "object"}
        ]
        if message:
            loc["message"] = {"text": message}
        return loc

    results = []
    for f in rec["findings"]:
        rows = [e["row"] for e in f["evidence"]]
        case_text = t("rpt.sarif.case", lang, case=f["case_id"])
        related = []
        for n, c in enumerate(_descendants(f), 1):
            text = t("rpt.sarif.consequence", lang, code=c["code"], message=c["message"])
            loc = location(c, c["evidence"][0]["row"] if c["evidence"] else None, text)
            loc["id"] = n
            related.append(loc)
        result: dict[str, Any] = {
            "ruleId": f["code"],
            "ruleIndex": index[f["code"]],
            "level": LEVELS.get(f["severity"], "warning"),
            "kind": "fail",
            "message": {"text": f"{case_text}: {f['message']}"},
            "locations": [location(f, rows[0] if rows else None)],
            "partialFingerprints": {
                "sopcheckFinding/v1": _fingerprint(p["sop_id"], f["case_id"], f["code"], f["step"], *rows)
            },
            "properties": {
                "case_id": f["case_id"],
                "step": f["step"],
                "step_number": f["step_number"],
                "severity": f["severity"],
                "family": f["family"],
                "clause": f["clause"],
                "rows": rows,
                "evidence": f["evidence"],
                "consequences": [c["code"] for c in _descendants(f)],
            },
        }
        if related:
            result["relatedLocations"] = related
        results.append(result)
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [
            {
                "executionSuccessful": True,
                "properties": {"as_of": p["as_of"], "calendar": p["calendar"]},
            }
        ],
        "language": lang,
        "columnKind": "unicodeCodePoints",
        "artifacts": artifacts,
        "results": results,
        "automationDetails": {"id": f"sopcheck/audit/{p['sop_id']}/"},
        "properties": {
            "sop_id": p["sop_id"],
            "sop_revisions": p["sop_revisions"],
            "summary": rec["summary"],
        },
    }
    return _dump({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]})


def _descendants(f: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for c in f["consequences"]:
        out.append(c)
        out.extend(_descendants(c))
    return out


# --- validate -------------------------------------------------------------------------------


def sarif_validate(run: Any, lang: str) -> str:
    from checker.reporters.validation import records

    driver = _driver("sop", lang)
    index = {r["id"]: i for i, r in enumerate(driver["rules"])}
    paths = list(dict.fromkeys([loaded.path for loaded in run.loaded] + [path for path, _ in run.unreadable]))
    artifact_index = {path: i for i, path in enumerate(paths)}
    artifacts = [{"location": {"uri": artifact_uri(path)}, "roles": ["analysisTarget"]} for path in paths]
    results = []
    for r in records(run, lang):
        physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(r["path"])}}
        if r["path"] in artifact_index:
            physical["artifactLocation"]["index"] = artifact_index[r["path"]]
        if r["line"] and r["line"] > 0:
            region: dict[str, Any] = {"startLine": r["line"]}
            if r["column"] and r["column"] > 0:
                region["startColumn"] = r["column"]
            physical["region"] = region
        results.append(
            {
                "ruleId": r["code"],
                "ruleIndex": index[r["code"]],
                "level": LEVELS.get(r["severity"], "warning"),
                "kind": "fail",
                "message": {"text": r["message"]},
                "locations": [{"physicalLocation": physical}],
                "partialFingerprints": {
                    "sopcheckFinding/v1": _fingerprint(
                        r["path"], r["code"], r["line"], r["column"], r["message"]
                    )
                },
            }
        )
    notifications = [
        {
            "level": "error",
            "message": {"text": error},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path)}}}],
        }
        for path, error in run.unreadable
    ]
    invocation: dict[str, Any] = {"executionSuccessful": not run.unreadable}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    doc_run = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "language": lang,
        "columnKind": "unicodeCodePoints",
        "artifacts": artifacts,
        "results": results,
        "automationDetails": {"id": "sopcheck/validate/"},
    }
    return _dump({"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [doc_run]})
