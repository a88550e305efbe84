"""Every report format for the bundled example, through the command line as a user runs it
(`sopcheck audit SOP LOG --as-of 2026-11-25 --format X -o FILE`), and for `validate`; bad options
give one line and exit 2; writing is atomic (a crash leaves the target as it was).

Every format is checked against the JSON report of the same audit: none re-derives findings.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.reporters.audit import FORMATS as AUDIT_FORMATS
from checker.reporters.validation import FORMATS as VALIDATE_FORMATS
from tests.conftest import REPO_ROOT, run_cli

SOP = "rules/magetan/penawaran-kerja-sama.yaml"
LOG = "fixtures/logs/penawaran-kerja-sama.csv"
AS_OF = "2026-11-25"
ISSUE_FORMATS = ("text", "json", "html", "xlsx", "junit", "sarif", "md", "csv")
needs_example = pytest.mark.skipif(not (REPO_ROOT / LOG).exists(), reason=f"{LOG} not in this checkout")


def flat(findings: list[dict]) -> list[dict]:
    out = []
    for f in findings:
        out.append(f)
        out.extend(flat(f["consequences"]))
    return out


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """The example audited once per format, by the CLI, each written with -o."""
    if not (REPO_ROOT / LOG).exists():
        pytest.skip(f"{LOG} not in this checkout")
    folder = tmp_path_factory.mktemp("formats")
    out = {}
    for fmt in ISSUE_FORMATS:
        target = folder / f"report.{fmt}"
        code, stdout, stderr = run_cli(["audit", SOP, LOG, "--as-of", AS_OF, "--format", fmt, "-o", target])
        assert code == 1, stderr  # the example has findings at --fail-on error
        assert stdout == "", "with -o nothing goes to stdout"
        assert "Traceback" not in stderr
        assert target.stat().st_size > 0
        out[fmt] = target
    return out


def test_every_issue_format_is_registered():
    assert set(ISSUE_FORMATS) <= set(AUDIT_FORMATS)
    assert {"sarif", "junit", "md"} <= set(VALIDATE_FORMATS)


@needs_example
def test_json_of_the_example_validates_against_the_report_schema(outputs):
    schema = json.loads((REPO_ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    doc = json.loads(outputs["json"].read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
    assert doc["provenance"]["log_path"].endswith("penawaran-kerja-sama.csv")
    assert doc["summary"]["root_findings"] > 0


@needs_example
def test_sarif_of_the_example_validates_and_matches_the_json(outputs):
    from tests.test_reporters_sarif import sarif_validator

    doc = json.loads(outputs["sarif"].read_text(encoding="utf-8"))
    sarif_validator().validate(doc)
    records = json.loads(outputs["json"].read_text(encoding="utf-8"))
    results = doc["runs"][0]["results"]
    assert [(r["ruleId"], r["properties"]["case_id"]) for r in results] == [
        (f["code"], f["case_id"]) for f in records["findings"]
    ]
    for r, f in zip(results, records["findings"], strict=True):
        if f["evidence"]:
            loc = r["locations"][0]["physicalLocation"]
            assert loc["artifactLocation"]["uri"] == LOG
            assert loc["region"]["startLine"] == f["evidence"][0]["row"]


@needs_example
def test_html_of_the_example_holds_every_finding(outputs):
    from tests.test_reporters_html import parse

    records = json.loads(outputs["json"].read_text(encoding="utf-8"))
    page = parse(outputs["html"].read_text(encoding="utf-8"))
    assert sorted(page.finding_codes) == sorted(f["code"] for f in flat(records["findings"]))
    assert page.case_rows == [c["case_id"] for c in records["cases"]]


@needs_example
def test_xlsx_of_the_example_rereads_with_the_json_findings(outputs):
    from tests.test_reporters_xlsx import assert_findings_sheet_matches

    records = json.loads(outputs["json"].read_text(encoding="utf-8"))
    assert_findings_sheet_matches(outputs["xlsx"], records, "en")


@needs_example
def test_csv_of_the_example_has_a_row_per_finding(outputs):
    records = json.loads(outputs["json"].read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO(outputs["csv"].read_text(encoding="utf-8"))))
    every = flat(records["findings"])
    assert [(r["case_id"], r["code"], r["message"]) for r in rows] == [
        (f["case_id"], f["code"], f["message"]) for f in every
    ]


@needs_example
def test_junit_of_the_example_has_a_test_per_case_failed_as_the_report_judges_it(outputs):
    records = json.loads(outputs["json"].read_text(encoding="utf-8"))
    root = ET.parse(outputs["junit"]).getroot()
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == [c["case_id"] for c in records["cases"]]
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == [c["case_id"] for c in records["cases"] if not c["compliant"]]
    summary = records["summary"]
    assert int(root.get("failures")) == len(failed) == summary["cases"] - summary["compliant"]
    for element in cases:
        parts = (element.find("failure"), element.find("system-out"))
        text = "".join(x.text or "" for x in parts if x is not None)
        codes = [f["code"] for f in records["findings"] if f["case_id"] == element.get("name")]
        assert all(code in text for code in codes)


@needs_example
def test_markdown_and_text_of_the_example_summarise_the_same_counts(outputs):
    records = json.loads(outputs["json"].read_text(encoding="utf-8"))
    md = outputs["md"].read_text(encoding="utf-8")
    s = records["summary"]
    assert f"**{s['compliant']} of {s['cases']} cases compliant" in md
    for code, count in s["by_code"].items():
        assert f"| `{code}` |" in md
        assert any(
            line.startswith(f"| `{code}` |") and line.endswith(f"| {count} |") for line in md.splitlines()
        )
    assert md.count("\n") < 80, "a pull-request comment stays compact"


@needs_example
def test_same_input_gives_byte_identical_reports(outputs, monkeypatch):
    """The API renders, twice, exactly the bytes the command line wrote."""
    from checker.api import audit

    monkeypatch.chdir(REPO_ROOT)
    for fmt in ("html", "xlsx", "sarif", "junit", "md", "csv", "json"):
        for _ in range(2):
            rendered = AUDIT_FORMATS[fmt](audit(SOP, LOG, as_of=AS_OF, jobs=1), "en")
            data = rendered.encode("utf-8") if isinstance(rendered, str) else rendered
            assert data == outputs[fmt].read_bytes(), fmt


@needs_example
def test_html_to_stdout_equals_the_file(outputs):
    code, stdout, err = run_cli(["audit", SOP, LOG, "--as-of", AS_OF, "--format", "html"])
    assert code == 1, err
    assert stdout == outputs["html"].read_text(encoding="utf-8")


def test_unknown_format_is_one_clean_error():
    code, out, err = run_cli(["audit", SOP, LOG, "--format", "pdf"])
    assert code == 2
    assert "Traceback" not in out + err
    assert "pdf" in err


# --- validate -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["sarif", "junit", "md"])
def test_validate_formats_for_good_and_bad_sops(tmp_path, fmt):
    good = tmp_path / f"good.{fmt}"
    code, _, err = run_cli(["validate", "rules/", "--format", fmt, "-o", good])
    assert code == 0, err
    bad = tmp_path / f"bad.{fmt}"
    code, _, err = run_cli(["validate", "fixtures/invalid-sops", "--format", fmt, "-o", bad])
    assert code == 1, err
    assert "Traceback" not in err
    assert bad.stat().st_size > good.stat().st_size


# --- atomic writing -----------------------------------------------------------------------------


def test_a_crash_while_writing_leaves_the_old_report(tmp_path, monkeypatch):
    from checker import output

    target = tmp_path / "report.html"
    target.write_text("previous report", encoding="utf-8")

    def crash(fd):
        raise OSError("disk full")

    monkeypatch.setattr(output.os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        output.write_output("<html>new, and cut short", str(target))
    assert target.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"], "no temporary file left behind"


@needs_example
def test_a_crash_while_rendering_never_touches_the_target(tmp_path, monkeypatch):
    """The report is rendered completely before the file is opened."""
    from click.testing import CliRunner

    from checker.cli import cli
    from checker.reporters import audit as audit_formats

    def broken(report, lang):
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(audit_formats.FORMATS, "html", broken)
    target = tmp_path / "report.html"
    target.write_text("previous report", encoding="utf-8")
    monkeypatch.chdir(REPO_ROOT)
    result = CliRunner().invoke(cli, ["audit", SOP, LOG, "--format", "html", "-o", str(target)])
    assert isinstance(result.exception, RuntimeError)
    assert target.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


@given(st.lists(st.one_of(st.text(max_size=40), st.binary(max_size=40)), max_size=30), st.integers(1, 64))
def test_written_pieces_are_gathered_into_blocks_without_changing_a_byte(pieces, block) -> None:
    """write_output gathers small text pieces (two a case in a large JSON report) into blocks
    before encoding and writing them: the bytes are the pieces' own, in order."""
    from checker import output

    expected = b"".join(p.encode("utf-8", "surrogatepass") if isinstance(p, str) else p for p in pieces)
    text_only = [p for p in pieces if isinstance(p, str)]
    try:
        "".join(text_only).encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates cannot be written either way
    original = output.BLOCK
    output.BLOCK = block
    try:
        written = list(output._chunks(pieces))
    finally:
        output.BLOCK = original
    assert b"".join(written) == expected
    # Text pieces are gathered: never more writes than pieces, and fewer when many are small.
    assert len(written) <= len(pieces)
    if pieces and all(isinstance(p, str) for p in pieces) and sum(map(len, pieces)) < block:
        assert len(written) == 1
