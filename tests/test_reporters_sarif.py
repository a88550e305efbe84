"""SARIF 2.1.0: validated against the official OASIS schema (schemas/sarif-2.1.0.json); rules from
the finding catalogue; `validate` results at the SOP file's line and column; `audit` results at the
log's line with the case id."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from checker import catalogue
from checker.reporters.sarif import LEVELS, artifact_uri, sarif_audit, sarif_validate
from checker.reporters.validation import ValidationRun, records
from checker.sop.load import load_sop
from tests.conftest import REPO_ROOT, run_cli
from tests.test_reporters_common import INJECT_ACTIVITY, INJECT_CASE, injection_report

INVALID = REPO_ROOT / "fixtures" / "invalid-sops"


@cache
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((REPO_ROOT / "schemas" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def test_the_schema_is_the_official_one():
    schema = json.loads((REPO_ROOT / "schemas" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    assert len(schema["definitions"]) == 52


def test_the_schema_rejects_what_it_should():
    """The validator is not vacuous: a wrong version, a region at line 0, a bad level fail."""
    doc = json.loads(sarif_audit(injection_report(), "en"))
    validator = sarif_validator()
    validator.validate(doc)
    for broken in (
        {**doc, "version": "2.0.0"},
        {**doc, "runs": [{**doc["runs"][0], "results": [{"ruleId": "FL001"}]}]},  # no message
        {**doc, "runs": [{**doc["runs"][0], "tool": {}}]},  # no driver
    ):
        assert not validator.is_valid(broken)
    result = json.loads(json.dumps(doc["runs"][0]["results"][0]))
    result["level"] = "fatal"
    assert not validator.is_valid({**doc, "runs": [{**doc["runs"][0], "results": [result]}]})


@pytest.mark.parametrize("lang", ["en", "id"])
def test_audit_sarif_validates_and_carries_every_root_finding(lang):
    report = injection_report(lang)
    doc = json.loads(sarif_audit(report, lang))
    sarif_validator().validate(doc)
    run = doc["runs"][0]
    assert run["language"] == lang
    roots = report.findings
    assert [r["ruleId"] for r in run["results"]] == [f.code for f in roots]
    for result, finding in zip(run["results"], roots, strict=True):
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == LEVELS[finding.severity]
        assert result["properties"]["case_id"] == finding.case_id
        assert finding.case_id in result["message"]["text"]
        assert finding.message(lang) in result["message"]["text"]
        assert result["properties"]["rows"] == [e.row for e in finding.evidence]
        # The hand-built log is not a file: the case is located logically only.
        assert "physicalLocation" not in result["locations"][0]
        assert result["locations"][0]["logicalLocations"][0]["name"] == finding.case_id
        consequences = [c for c in _all(finding.consequences)]
        assert [loc["message"]["text"] for loc in result.get("relatedLocations", [])] == [
            f"{'consequence' if lang == 'en' else 'akibat'}: {c.code} {c.message(lang)}" for c in consequences
        ]
    assert any(INJECT_ACTIVITY in r["message"]["text"] for r in run["results"])
    assert any(r["properties"]["case_id"] == INJECT_CASE for r in run["results"])


def _all(findings):
    for f in findings:
        yield f
        yield from _all(f.consequences)


def test_audit_sarif_locates_results_at_the_log_line(tmp_path):
    log = REPO_ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"
    if not log.exists():
        pytest.skip("the example log is not in this checkout")
    from checker.api import audit

    report = audit(REPO_ROOT / "rules/magetan/penawaran-kerja-sama.yaml", log, as_of="2026-11-25")
    doc = json.loads(sarif_audit(report, "en"))
    sarif_validator().validate(doc)
    lines = log.read_text(encoding="utf-8").splitlines()
    for result in doc["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"].get("region")
        if region is None:
            continue
        # The line the result points at is the event's line in the CSV, of that case.
        assert lines[region["startLine"] - 1].split(",")[0] == result["properties"]["case_id"]
    artifacts = doc["runs"][0]["artifacts"]
    assert artifacts[0]["hashes"]["sha-256"] == report.provenance.log_sha256


def test_rules_come_from_the_catalogue():
    doc = json.loads(sarif_audit(injection_report(), "id"))
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.code for c in catalogue.CODES if c.scope == "log"]
    for rule in rules:
        code = catalogue.get(rule["id"])
        assert rule["name"] == code.name
        assert rule["shortDescription"]["text"] == code.summary.get("id")
        assert rule["fullDescription"]["text"] == code.explanation.get("id")
        assert code.passing in rule["help"]["text"] and code.failing in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == LEVELS[code.severity]


def test_validate_sarif_points_at_the_yaml_line_and_column():
    paths = sorted(INVALID.glob("*.yaml"))
    run = ValidationRun(tuple(load_sop(p) for p in paths), ())
    doc = json.loads(sarif_validate(run, "en"))
    sarif_validator().validate(doc)
    results = doc["runs"][0]["results"]
    rows = records(run, "en")
    assert len(results) == len(rows) > 0
    assert [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]] == [
        c.code for c in catalogue.CODES if c.scope == "sop"
    ]
    for result, row in zip(results, rows, strict=True):
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == artifact_uri(row["path"])
        assert not loc["artifactLocation"]["uri"].startswith("/")
        assert loc["region"]["startLine"] == row["line"]
        assert loc["region"].get("startColumn") == row["column"]
        assert result["ruleId"] == row["code"]


def test_validate_sarif_from_the_cli_is_relative_to_the_working_directory(tmp_path):
    code, out, err = run_cli(
        ["validate", "fixtures/invalid-sops/sop103-unknown-actor.yaml", "--format", "sarif"]
    )
    assert code == 1, err
    doc = json.loads(out)
    sarif_validator().validate(doc)
    (result,) = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "SOP103"]
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "fixtures/invalid-sops/sop103-unknown-actor.yaml"
    # The same line and column as the text format reports.
    code, text, _ = run_cli(["validate", "fixtures/invalid-sops/sop103-unknown-actor.yaml"])
    first = text.splitlines()[0]
    assert first.startswith(f"fixtures/invalid-sops/sop103-unknown-actor.yaml:{loc['region']['startLine']}:")
    assert f":{loc['region']['startColumn']}: " in first


def test_validate_sarif_reports_an_unreadable_file_as_a_notification():
    code, out, err = run_cli(["validate", "rules/", "fixtures/bad-yaml/tab-indent.yaml", "--format", "sarif"])
    assert code == 2
    assert "Traceback" not in err
    doc = json.loads(out)
    sarif_validator().validate(doc)
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    uri = note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "fixtures/bad-yaml/tab-indent.yaml"


@pytest.mark.parametrize(
    ("path", "uri"),
    [("a b/c.yaml", "a%20b/c.yaml"), ("rules/x.yaml", "rules/x.yaml"), ("50%.yaml", "50%25.yaml")],
)
def test_artifact_uri_is_a_relative_uri_reference(path, uri):
    assert artifact_uri(path) == uri
    assert artifact_uri(str(Path.cwd() / path)) == uri
