"""`sopcheck selftest`: passes on the SOPs of rules/, and fails, with the smallest case that shows
it, on SOPs that validate but cannot be followed (fixtures/broken-sops/)."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("hypothesis")

REPO = Path(__file__).resolve().parents[1]
MAGETAN = REPO / "rules" / "magetan"
ROAD = REPO / "rules" / "examples" / "road-traffic-fines.yaml"
BROKEN = REPO / "fixtures" / "broken-sops"


def example_rows(output: str, after: str) -> list[str]:
    """The CSV rows printed under the first 'smallest example' after the line holding `after`."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    rows, taking = [], False
    for line in lines[start:]:
        if "smallest example" in line:
            taking = True
            continue
        if taking:
            if not line.startswith("      "):
                break
            rows.append(line.strip())
    return rows


@pytest.mark.skipif(not MAGETAN.is_dir(), reason="the Magetan SOPs are not in rules/")
def test_selftest_passes_on_the_magetan_sops(run_cli) -> None:
    result = run_cli(["selftest", str(MAGETAN), "--budget", "20"], timeout=600)
    assert result.code == 0, result.stdout
    assert "FAIL" not in result.stdout
    # Both revisions, each with its properties: branches, paths, conforming, and the deviations.
    assert result.stdout.count("SOP magetan/penawaran-kerja-sama") == 2
    assert re.search(r"pass +a FL005 deviation is found as FL005", result.stdout)
    assert re.search(r"pass +a CS002 deviation", result.stdout)  # revision 2 has an effective date
    assert result.stdout.strip().splitlines()[-1].startswith("2 SOP(s), ")


@pytest.mark.skipif(not ROAD.exists(), reason="the road traffic SOP is not in rules/")
def test_selftest_passes_on_the_road_traffic_sop(run_cli) -> None:
    """Appeals to the judge after a penalty, penalties after a prefect's order, payments at any
    stage: every path can be followed on time."""
    result = run_cli(["selftest", str(ROAD), "--budget", "12"], timeout=600)
    assert result.code == 0, result.stdout
    assert re.search(r"pass +every path the SOP allows can be followed", result.stdout)


@pytest.mark.skipif(not ROAD.exists(), reason="the road traffic SOP is not in rules/")
def test_a_path_against_the_order_of_a_minimum_wait_is_not_one_the_sop_allows() -> None:
    """Payments at any stage let the flow reach Add penalty before the notification; the 60 days
    counted from the notification forbid it (TM005), and selftest does not count that path."""
    import random

    from checker.casegen import Builder, Expected
    from checker.sop.load import require_sop

    b = Builder(require_sop(ROAD))
    early = ["create_fine", "payment", "add_penalty", "payment", "send_fine", "insert_fine_notification"]
    case = b.build(random.Random(0), "K", attributes={}, path=early, date_only=True)
    assert b.problems(case) == [Expected("TM005", "add_penalty")]
    assert b.against_waits(case)
    usual = ["create_fine", "send_fine", "insert_fine_notification", "add_penalty", "payment"]
    case = b.build(random.Random(0), "K", attributes={}, path=usual, date_only=True)
    assert not b.problems(case) and not b.against_waits(case)


def test_broken_sops_validate(run_cli) -> None:
    result = run_cli(["validate", str(BROKEN)])
    assert result.code == 0, result.stdout


def test_a_minimum_wait_that_can_never_be_met(run_cli, tmp_path: Path) -> None:
    sop = BROKEN / "minimum-wait-never-met.yaml"
    result = run_cli(["selftest", str(sop), "--budget", "5"], timeout=600)
    assert result.code == 1
    assert re.search(r"FAIL +every path the SOP allows can be followed", result.stdout)
    assert re.search(r"FAIL +a conforming case gives no finding", result.stdout)
    assert re.search(r"skip +a FL001 deviation", result.stdout)  # nothing conforms to deviate from
    rows = example_rows(result.stdout, "every path the SOP allows")
    assert rows[0].startswith("case_id,activity,timestamp,")
    assert [r.split(",")[1] for r in rows[1:]] == ["terima", "periksa", "putuskan"]  # shrunk: the path
    # The printed example is a log: auditing it gives what the output says.
    log = tmp_path / "example.csv"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    audit = run_cli(["audit", str(sop), str(log), "--as-of", "2027-12-31", "--format", "json"])
    said = re.search(r"audit gave: complete; (.*)", result.stdout).group(1)
    found = re.findall(r'"code": "(\w+)"', audit.stdout)
    assert found and said.split()[0] == found[0] == "TM001"


def test_a_branch_no_case_can_take(run_cli) -> None:
    result = run_cli(["selftest", str(BROKEN / "dead-branch.yaml"), "--budget", "5"], timeout=600)
    assert result.code == 1
    assert re.search(r"FAIL +every branch can be taken by some case", result.stdout)
    assert "'terima' to 'rapat'" in result.stdout
    assert "FL005 terima" in result.stdout  # the audit of a case that takes it anyway
    rows = example_rows(result.stdout, "every branch can be taken")
    activities = [row[1] for row in csv.reader(io.StringIO("\n".join(rows[1:])))]
    assert "Rapat TKKSD" in activities or "rapat" in activities
    assert re.search(r"pass +a conforming case gives no finding", result.stdout)  # the rest is fine


def test_an_input_never_produced_for_some_values(run_cli) -> None:
    result = run_cli(["selftest", str(BROKEN / "input-never-produced.yaml"), "--budget", "5"], timeout=600)
    assert result.code == 1
    assert re.search(r"FAIL +every path the SOP allows", result.stdout)
    assert "DC001 cairkan" in result.stdout
    rows = example_rows(result.stdout, "every path the SOP allows")
    amounts = {row[-2] for row in csv.reader(io.StringIO("\n".join(rows[1:])))}
    assert amounts and all(100 < float(a) < 200 for a in amounts)  # over 100, under 200


def test_indonesian_output(run_cli) -> None:
    result = run_cli(
        ["selftest", str(BROKEN / "dead-branch.yaml"), "--budget", "2", "--lang", "id"], timeout=600
    )
    assert result.code == 1
    assert "GAGAL" in result.stdout and "contoh terkecil" in result.stdout


def test_no_sop_files_is_exit_2(run_cli, tmp_path: Path) -> None:
    result = run_cli(["selftest", str(tmp_path)])
    assert result.code == 2
    assert "no SOP files" in result.stderr and "Traceback" not in result.stderr


def test_an_invalid_sop_is_exit_2(run_cli) -> None:
    result = run_cli(["selftest", str(REPO / "fixtures" / "invalid-sops" / "sop102-duplicate-id.yaml")])
    assert result.code == 2 and "SOP102" in result.stderr and "Traceback" not in result.stderr


def test_without_hypothesis(run_cli, tmp_path: Path) -> None:
    """Without the test extra: selftest says what to install (exit 2), and checker.testing
    cannot be imported, with the same advice in Indonesian and English."""
    fake = tmp_path / "hypothesis"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('no hypothesis here')\n", encoding="utf-8")
    env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}"}
    result = run_cli(["selftest", str(MAGETAN)], env=env)
    assert result.code == 2
    assert "sopcheck[test]" in result.stderr and "Traceback" not in result.stderr
    probe = subprocess.run(
        [sys.executable, "-c", "import checker.testing"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode == 1
    assert "memerlukan paket hypothesis" in probe.stderr and "needs the hypothesis package" in probe.stderr


def test_an_sop_no_case_can_be_built_for_is_one_line_exit_2(run_cli, tmp_path: Path) -> None:
    """Regression: an SOP in force only after selftest's last case start (2027-12-31) validated,
    then selftest ended in a GenerationError traceback (testing.bad_range)."""
    text = (MAGETAN / "penawaran-kerja-sama.yaml").read_text(encoding="utf-8")
    unit = "    unit: Bagian Tata Pemerintahan (Tapem), Sekretariat Daerah\n"
    assert unit in text
    sop = tmp_path / "later.yaml"
    sop.write_text(text.replace(unit, unit + '  dates:\n    effective: "2030-01-01"\n'), encoding="utf-8")
    assert run_cli(["validate", str(sop)]).code == 0
    result = run_cli(["selftest", str(sop), "--budget", "2"])
    assert result.code == 2 and "Traceback" not in result.stderr, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"sopcheck: {sop}") and "2030-01-01" in line


def test_a_deviation_with_no_case_to_deviate_from_fails_its_property(monkeypatch) -> None:
    """Regression: GenerationError (testing.no_case) from the deviation properties escaped as a
    traceback after minutes; it fails the property, as for conforming cases."""
    from checker import mutations
    from checker.casegen import Builder, GenerationError
    from checker.commands.selftest import _violating
    from checker.sop.load import require_sop

    builder = Builder(require_sop(MAGETAN / "penawaran-kerja-sama.yaml"))

    def no_case(b, *args, **kwargs):
        raise GenerationError("testing.no_case", sop=b.sop.id)

    monkeypatch.setattr(mutations, "mutate", no_case)
    outcome = _violating(builder, "FL001", 0.2, 0, "en")
    assert outcome.failure is not None and "no case could be built" in outcome.failure.reason
