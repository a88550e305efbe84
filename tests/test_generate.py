"""`sopcheck generate`: reproducible synthetic logs whose audit recovers their ground truth.

The ground-truth sidecar is checked against the real audit of the written log (readers
included): every case's status and root findings, and precision and recall 1.0 per code.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from checker.api import audit
from checker.groundtruth import audited_truth, read_truth, score
from checker.readers import ReadOptions
from checker.writers import xes_attribute, xml_text

REPO = Path(__file__).resolve().parents[1]
MAGETAN = REPO / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
REV2 = REPO / "rules" / "magetan" / "penawaran-kerja-sama.rev2.yaml"
IZIN = REPO / "fixtures" / "testing-sops" / "izin-usaha.yaml"
BROKEN = REPO / "fixtures" / "broken-sops"


def generate(run_cli, sop: Path, out: Path, *args: str, cwd: Path | None = None) -> None:
    result = run_cli(["generate", str(sop), "-o", str(out), *args], cwd=cwd)
    assert result.code == 0, result.stderr
    assert result.stdout == ""


def check_truth(sop: Path, log: Path) -> tuple[dict, dict]:
    """Audit the generated log as `sopcheck audit` does and compare it with its sidecar."""
    header, truth = read_truth(f"{log}.truth.jsonl")
    report = audit(
        str(sop), str(log), as_of=header["as_of"], read_options=ReadOptions(timezone=header["timezone"])
    )
    scores, differ = score(truth, ((c.case_id, audited_truth(c)) for c in report.cases))
    assert differ == [], f"cases whose audit differs from the ground truth: {differ[:10]}"
    for code, s in scores.items():
        assert (s.precision, s.recall) == (1.0, 1.0), (code, s)
    return header, truth


@pytest.mark.skipif(not MAGETAN.exists(), reason="the Magetan SOP is not in rules/")
def test_the_same_seed_gives_the_same_bytes(run_cli, tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        generate(run_cli, MAGETAN, Path("log.csv"), "--cases", "300", "--seed", "1", cwd=tmp_path / name)
    for file in ("log.csv", "log.csv.truth.jsonl"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()
    generate(run_cli, MAGETAN, tmp_path / "other.csv", "--cases", "300", "--seed", "2")
    assert (tmp_path / "other.csv").read_bytes() != (tmp_path / "a" / "log.csv").read_bytes()


@pytest.mark.skipif(not MAGETAN.exists(), reason="the Magetan SOP is not in rules/")
def test_audit_of_5000_cases_recovers_the_ground_truth(run_cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    generate(run_cli, MAGETAN, log, "--cases", "5000", "--seed", "11", "--violation-rate", "0.4")
    header, truth = check_truth(MAGETAN, log)
    assert header["cases"] == len(truth) == 5000
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("case_id,activity,timestamp,actor,documents,mode,case:")
    assert lines[0].endswith(",case:documents")
    codes = Counter(f.code for t in truth.values() for f in t.findings)
    # Every deviation the SOP can show is in the log, many times over.
    expected = {"FL001", "FL002", "FL003", "FL004", "FL005", "FL006", "AC001", "AC002", "AC003", "AC004"}
    expected |= {"DC001", "DC002", "TM001", "CS001", "CS003"}
    assert expected <= set(codes)
    assert min(codes[c] for c in expected) >= 50
    statuses = Counter(t.status for t in truth.values())
    assert {"complete", "in_progress", "overdue", "ended_early"} <= set(statuses)
    # About 40% of the cases carry a deviation (binomial, 5,000 draws).
    records = [
        json.loads(line) for line in Path(f"{log}.truth.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    ]
    deviations = sum(r["deviation"] is not None for r in records)
    assert 1800 < deviations < 2200


@pytest.mark.parametrize("ext", ["jsonl", "xes", "xes.gz"])
@pytest.mark.skipif(not REV2.exists(), reason="revision 2 of the Magetan SOP is not in rules/")
def test_other_formats_recover_the_ground_truth(run_cli, tmp_path: Path, ext: str) -> None:
    """JSON Lines and XES (typed attributes, escaped); revision 2 adds an effective date (CS002)
    and a boolean attribute."""
    log = tmp_path / f"log.{ext}"
    generate(run_cli, REV2, log, "--cases", "800", "--seed", "5", "--violation-rate", "0.5")
    _, truth = check_truth(REV2, log)
    assert any(f.code == "CS002" for t in truth.values() for f in t.findings)


def test_an_sop_with_deadlines_waits_and_loops(run_cli, tmp_path: Path) -> None:
    """The example SOP with working hours, clock hours, calendar days, a loop, a repeatable step,
    a relative deadline, a deadline from an attribute, a minimum-free total time and a delegate."""
    log = tmp_path / "izin.csv"
    generate(run_cli, IZIN, log, "--cases", "1500", "--seed", "3", "--violation-rate", "0.6")
    _, truth = check_truth(IZIN, log)
    codes = {f.code for t in truth.values() for f in t.findings}
    assert {"TM002", "TM003", "TM004", "AC002", "AC004"} <= codes


def test_codes_option_restricts_the_deviations(run_cli, tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    generate(
        run_cli,
        MAGETAN,
        log,
        "--cases",
        "200",
        "--seed",
        "4",
        "--violation-rate",
        "1",
        "--codes",
        "FL001,tm001",
    )
    header, truth = check_truth(MAGETAN, log)
    assert header["codes"] == ["FL001", "TM001"]
    assert {f.code for t in truth.values() for f in t.findings} <= {"FL001", "TM001", "TM004"}
    assert all(t.findings for t in truth.values())


def test_xes_is_well_formed_and_typed(run_cli, tmp_path: Path) -> None:
    log = tmp_path / "log.xes"
    generate(run_cli, REV2, log, "--cases", "50", "--seed", "9")
    root = etree.parse(str(log)).getroot()  # strict parser: any escaping mistake fails here
    ns = "{http://www.xes-standard.org/}"
    traces = root.findall(f"{ns}trace")
    assert len(traces) == 50
    kinds = {child.tag.removeprefix(ns) for trace in traces for child in trace if child.tag != f"{ns}event"}
    assert {"string", "boolean"} <= kinds  # membebani_apbd is a boolean
    stamps = [e.get("value") for e in root.iter(f"{ns}date")]
    assert stamps and all("T" in s and s[-6] in "+-" for s in stamps)


def test_xml_escaping() -> None:
    assert xml_text('a & b < c > "d"\n\x01') == "a &amp; b &lt; c &gt; &quot;d&quot;&#10;"
    element = etree.fromstring(xes_attribute('k"&', 'x<y & "z"'))
    assert (element.tag, element.get("key"), element.get("value")) == ("string", 'k"&', 'x<y & "z"')
    assert etree.fromstring(xes_attribute("n", 3)).tag == "int"
    assert etree.fromstring(xes_attribute("b", False)).get("value") == "false"


def test_pm4py_reads_the_xes(run_cli, tmp_path: Path) -> None:
    pm4py = pytest.importorskip("pm4py", reason="PM4Py is not installed (pip install 'sopcheck[bench]')")
    log = tmp_path / "log.xes"
    generate(run_cli, MAGETAN, log, "--cases", "40", "--seed", "2")
    frame = pm4py.read_xes(str(log))
    _, truth = read_truth(f"{log}.truth.jsonl")
    events = sum(1 for _ in etree.parse(str(log)).getroot().iter("{http://www.xes-standard.org/}event"))
    assert frame["case:concept:name"].nunique() == len(truth) == 40
    assert len(frame) == events
    assert frame["time:timestamp"].notna().all()
    assert str(frame["time:timestamp"].dt.tz) == "UTC"  # PM4Py read the offsets: aware instants


def test_generation_streams_in_flat_memory(tmp_path: Path) -> None:
    """Peak memory of a 10x larger log stays within a few MB: cases are written as they come."""

    def peak(cases: int) -> int:
        code = (
            "import resource, sys\n"
            "from checker.cli import main\n"
            f"sys.argv = ['sopcheck', 'generate', {str(MAGETAN)!r}, '--cases', '{cases}', '-o', "
            f"{str(tmp_path / f'm{cases}.csv')!r}]\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
        )
        return int(out.stdout.strip().splitlines()[-1])

    small, large = peak(1000), peak(10000)
    assert large - small < 8 * 1024, (small, large)  # kilobytes


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-o", "{tmp}/log.txt"], "log format"),
        (["-o", "{tmp}/missing/log.csv"], "cannot write"),
        (["-o", "{tmp}/log.csv", "--codes", "XX01"], "XX01"),
        (["-o", "{tmp}/log.csv", "--codes", "TM002"], "TM002"),
        (["-o", "{tmp}/log.csv", "--as-of", "2025-13-01"], "--as-of"),
        (["-o", "{tmp}/log.csv", "--first-start", "2026-01-01", "--last-start", "2025-01-01"], "empty"),
        (["-o", "{tmp}/log.csv", "--violation-rate", "1.5"], "violation-rate"),
        (["-o", "{tmp}/log.csv", "--cases", "-1"], "cases"),
        # Logs and audit dates the readers and audit would refuse (years 1900 to 2199).
        (["-o", "{tmp}/log.csv", "--first-start", "0001-01-01"], "outside the supported years"),
        (["-o", "{tmp}/log.csv", "--last-start", "9999-12-31"], "outside the supported years"),
        (["-o", "{tmp}/log.csv", "--as-of", "9999-12-31"], "--as-of '9999-12-31' is outside"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run_cli, tmp_path: Path, args: list[str], expected: str) -> None:
    result = run_cli(["generate", str(MAGETAN), *(a.format(tmp=tmp_path) for a in args)])
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert expected in result.stderr
    assert not (tmp_path / "log.csv").exists()
    assert not list(tmp_path.glob(".sopcheck-*"))  # no temporary file left behind


def test_an_sop_that_cannot_be_followed_is_refused(run_cli, tmp_path: Path) -> None:
    result = run_cli(["generate", str(BROKEN / "minimum-wait-never-met.yaml"), "-o", str(tmp_path / "x.csv")])
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot be followed" in result.stderr and "selftest" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_an_invalid_sop_is_refused(run_cli, tmp_path: Path) -> None:
    result = run_cli(
        [
            "generate",
            str(REPO / "fixtures" / "invalid-sops" / "sop102-duplicate-id.yaml"),
            "-o",
            str(tmp_path / "x.csv"),
        ]
    )
    assert result.code == 2 and "SOP102" in result.stderr and "Traceback" not in result.stderr


def test_an_sop_whose_zone_is_an_offset(run_cli, tmp_path: Path) -> None:
    """case.timezone may be an offset (+07:00): the generator names it as the audit does (it read
    a named zone's key, which an offset has not, and crashed)."""
    text = MAGETAN.read_text(encoding="utf-8").replace("\ncase:\n", '\ncase:\n  timezone: "+07:00"\n', 1)
    sop = tmp_path / "offset.yaml"
    sop.write_text(text, encoding="utf-8")
    log = tmp_path / "offset.csv"
    generate(run_cli, sop, log, "--cases", "30", "--seed", "2")
    header, truth = check_truth(sop, log)
    assert header["timezone"] == "+07:00" and len(truth) == 30
