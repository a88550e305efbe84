"""JUnit XML: one test case per audited case, failed (one <failure> listing its root findings) when
the case is not compliant, so that `failures` counts failed cases; for `validate`, one test case per
SOP file, failed when it has findings; well-formed whatever the log holds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.api import audit_cases
from checker.conformance.results import Report
from checker.reporters.junit import junit_audit, junit_validate
from checker.reporters.validation import ValidationRun
from checker.sop.load import load_sop, require_sop
from tests.conftest import REPO_ROOT, run_cli
from tests.test_reporters_common import (
    INJECT_ACTIVITY,
    INJECT_CASE,
    REPO,
    SOP_PATH,
    WIB,
    injection_report,
    make_case,
)


def test_a_test_case_per_case_failed_when_not_compliant():
    report = injection_report()
    root = ET.fromstring(junit_audit(report, "en"))
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [c.case_id for c in report.cases]
    for element, case in zip(cases, report.cases, strict=True):
        failures = element.findall("failure")
        assert len(failures) == (0 if case.compliant else 1)
        listed = failures[0].text if failures else element.find("system-out").text
        for finding in case.findings:
            assert f"{finding.code} {finding.message('en')}" in listed
            for consequence in finding.consequences:
                assert consequence.code in listed
        if failures:
            first = next(f for f in case.findings if f.severity == "error")
            assert failures[0].get("type") == first.code
            assert failures[0].get("message").startswith(f"error {first.code}: {first.message('en')}")
    failed = sum(not c.compliant for c in report.cases)
    assert 0 < failed < len(report.cases)
    assert int(root.get("tests")) == int(suite.get("tests")) == len(report.cases)
    assert int(root.get("failures")) == int(suite.get("failures")) == failed
    names = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert names["sop_id"] == report.provenance.sop_id
    assert names["sop_sha256"] == report.provenance.sop_sha256[0]
    assert int(names["cases_with_findings"]) == sum(bool(c.findings) for c in report.cases)


def test_hostile_strings_round_trip_through_the_xml():
    root = ET.fromstring(junit_audit(injection_report(), "en"))
    assert INJECT_CASE in [c.get("name") for c in root.iter("testcase")]
    assert any(INJECT_ACTIVITY in (f.text or "") for f in root.iter("failure"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=30).filter(lambda s: s.strip() == s))
def test_well_formed_whatever_the_activity_label(label):
    sop = require_sop(REPO / SOP_PATH)
    case = make_case("K&<'\"", datetime(2025, 3, 3, 9, tzinfo=WIB), [0, 1, 3], steps=3, activity={1: label})
    result = audit_cases(sop, [case], as_of="2025-12-31", case_documents=True)[case.case_id]
    base = injection_report()
    root = ET.fromstring(junit_audit(Report(base.provenance, base.rows, (result,), base.perspectives), "en"))
    assert [c.get("name") for c in root.iter("testcase")] == [case.case_id]


def test_validate_a_test_case_per_sop_file():
    paths = sorted((REPO_ROOT / "fixtures" / "invalid-sops").glob("*.yaml"))[:5]
    loaded = tuple(load_sop(p) for p in paths)
    run = ValidationRun(loaded, (("broken.yaml", "broken.yaml: the file is empty"),))
    root = ET.fromstring(junit_validate(run, "en"))
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == [str(p) for p in paths] + ["broken.yaml"]
    for element, item in zip(cases, loaded, strict=False):
        failures = element.findall("failure")
        assert len(failures) == (1 if item.findings else 0)
        for finding in item.findings:
            assert f"{finding.location.path}:{finding.location.line}:" in failures[0].text
            assert finding.code in failures[0].text
    assert cases[-1].find("error") is not None
    assert int(root.get("errors")) == 1
    assert int(root.get("failures")) == sum(bool(x.findings) for x in loaded)


def test_validate_junit_from_the_cli_for_valid_rules():
    code, out, err = run_cli(["validate", "rules/", "--format", "junit"])
    assert code == 0, err
    root = ET.fromstring(out)
    assert int(root.get("failures")) == 0 and int(root.get("tests")) >= 1
